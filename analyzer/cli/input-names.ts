/**
 * Names for the inputs of one `check`: the label printed before each verdict and the directory
 * under `--out` that holds its results. Each input is named by the shortest trailing part of
 * its path that no other input shares (`a/history.edn`, `b/history.edn`), so two inputs with
 * one basename neither print alike nor overwrite each other's results; inputs whose basenames
 * already differ keep their plain basenames.
 *
 * Paths are resolved first, so a name never holds `..` or `.` (it must stay inside `--out`).
 * The same file given twice gets `~2`, `~3` after its later names.
 */
import { resolve, sep } from 'node:path';

function components(file: string): string[] {
  return resolve(file).split(sep).filter((c) => c !== '');
}

/** The last `k` components (all of them when there are fewer), joined with `/`. */
function suffix(parts: readonly string[], k: number): string {
  return parts.slice(Math.max(0, parts.length - k)).join('/');
}

/**
 * One name per file, in order, as this file's header says.
 *
 * @example
 * inputNames(['a/history.edn', 'b/history.edn', 'c.edn']); // ['a/history.edn', 'b/history.edn', 'c.edn']
 */
export function inputNames(files: readonly string[]): string[] {
  const parts = files.map(components);
  const full = parts.map((p) => p.join('/'));
  const longest = Math.max(1, ...parts.map((p) => p.length));
  const names = parts.map((p, i) => {
    // Unique among the other paths; the same path given again is told apart below.
    const others = parts.filter((_, j) => full[j] !== full[i]);
    for (let k = 1; k < longest; k++) {
      const mine = suffix(p, k);
      if (others.every((q) => suffix(q, k) !== mine)) return mine;
    }
    return full[i];
  });
  // Repeated paths: the first keeps its name, later ones are numbered (skipping names in use).
  const taken = new Set<string>();
  return names.map((n) => {
    let name = n;
    for (let i = 2; taken.has(name); i++) name = `${n}~${i}`;
    taken.add(name);
    return name;
  });
}
