/**
 * Reading a store, ours or Jepsen's: `store/<test-name>/<YYYYMMDDTHHMMSS.mmm>[zone][-N]/` holds
 * one run and `store/latest` links to the newest run. Ours hold `history.edn`, `test.edn`,
 * `results.edn`, `recorder.log` and pictures; Jepsen's hold `history.edn`, `history.txt`,
 * `results.edn`, `jepsen.log` and `test.jepsen` / `test.fressian` (Jepsen's binary test map),
 * with no test.edn. A `-N` suffix marks a run that started in the same millisecond as
 * another of its test: the recorder creates run directories exclusively, so two runs never
 * share one. The analyzer reads stores (`hindsight check --store`, the web view) but never
 * imports the recorder; the recorder uses the naming helpers here when it writes one.
 */
import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isDirectory, isFile } from '../util/paths.js';
import { parseEdn } from '../edn/scanner.js';
import { type EdnValue, EdnMap, Keyword } from '../edn/values.js';

/**
 * A run directory's name: Jepsen's basic date-time, `20220728T075255.000`, with the zone it
 * writes (`Z`, `+0000`, `-0500`) or none (our recorder's local time), and our `-N` suffix for a
 * run that started in the same millisecond as another.
 */
const RUN_NAME = /^(\d{8}T\d{6}\.\d{3})(Z|[+-]\d{4})?(?:-([1-9]\d*))?$/;

/**
 * The files a run directory may hold its history in, best first: Jepsen's `history.edn`, else
 * its `history.txt`, else the op lines of its `jepsen.log` (each may be gzipped, as archives
 * often are; the reader knows gzip by its bytes). One run directory is one history.
 */
export const RUN_HISTORY_FILES = ['history.edn', 'history.edn.gz', 'history.txt', 'history.txt.gz', 'jepsen.log', 'jepsen.log.gz'] as const;

/** Files that only a run directory holds (ours: test.edn; Jepsen's: results.edn, test.jepsen, test.fressian). */
const RUN_MARKERS = ['test.edn', 'results.edn', 'test.jepsen', 'test.fressian'] as const;

/** A run directory's name for a start time: `YYYYMMDDTHHMMSS.mmm` in local time, as Jepsen names them. */
export function runDirName(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}T${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** A start-time name, or one with a `-N` collision suffix (`…T161322.123-1`). */
export function isRunDirName(name: string): boolean {
  return RUN_NAME.test(name);
}

/** The name of a run that started in the same millisecond as `n` runs before it: `base`, `base-1`, … */
export function suffixedRunDirName(base: string, n: number): string {
  return n === 0 ? base : `${base}-${n}`;
}

/**
 * Orders run names by start time, then by suffix as a number, so `…123-10` follows `…123-9`
 * (a plain string sort would put it first). Names that are not run names sort as strings.
 */
export function compareRunNames(a: string, b: string): number {
  const ma = RUN_NAME.exec(a);
  const mb = RUN_NAME.exec(b);
  const byString = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  if (ma === null || mb === null) return byString(a, b);
  return byString(ma[1], mb[1]) || byString(ma[2] ?? '', mb[2] ?? '') || Number(ma[3] ?? 0) - Number(mb[3] ?? 0);
}

/** One run found under a store root. */
export interface StoredRun {
  /** The test's directory name. */
  test: string;
  /** The run's directory name (a start time). */
  run: string;
  /** The run directory's path. */
  dir: string;
}

/** Every run under a store root, oldest first. */
export function listRuns(root: string): StoredRun[] {
  const out: StoredRun[] = [];
  for (const test of safeList(root)) {
    const tdir = join(root, test);
    if (test === 'latest' || !isDirectory(tdir)) continue;
    for (const run of safeList(tdir)) if (isRunDirName(run) && isDirectory(join(tdir, run))) out.push({ test, run, dir: join(tdir, run) });
  }
  return out.sort((a, b) => compareRunNames(a.run, b.run) || a.test.localeCompare(b.test));
}

function safeList(d: string): string[] {
  try {
    return readdirSync(d);
  } catch {
    return [];
  }
}

/** The history file of a run directory (see RUN_HISTORY_FILES), or undefined when it has none. */
export function runHistoryFile(runDir: string): string | undefined {
  for (const name of RUN_HISTORY_FILES) {
    const f = join(runDir, name);
    if (isFile(f)) return f;
  }
  return undefined;
}

/**
 * Whether a directory is one run: it holds a history file, and either a file only runs have
 * (test.edn, results.edn, test.jepsen, test.fressian) or a run directory's name.
 */
export function isRunDir(dir: string, names?: ReadonlySet<string>): boolean {
  const has = (n: string): boolean => (names !== undefined ? names.has(n) : isFile(join(dir, n)));
  if (!RUN_HISTORY_FILES.some(has)) return false;
  return RUN_MARKERS.some(has) || isRunDirName(basename(dir));
}

/**
 * The run directory a path names: a run directory itself, a store root (its `latest`), or a
 * test directory (its newest run). Throws with a message saying what was expected.
 */
export function resolveRunDir(path: string): string {
  // A directory named outright that holds a history is that run, whatever its name.
  if (runHistoryFile(path) !== undefined || isFile(join(path, 'test.edn'))) return path;
  const latest = join(path, 'latest');
  if (existsSync(latest)) return realpathSync(latest);
  const runs = safeList(path).filter((n) => isRunDirName(n) && isDirectory(join(path, n))).sort(compareRunNames);
  if (runs.length > 0) return join(path, runs[runs.length - 1]);
  const all = listRuns(path);
  if (all.length > 0) return all[all.length - 1].dir;
  throw new Error(`${path}: not a store run directory (no ${RUN_HISTORY_FILES.join(', ')} or test.edn), store root or test directory`);
}

/**
 * Every run a directory names, oldest first: itself if it holds a history, else the runs of a
 * test directory or of a whole store.
 */
export function runsUnder(path: string): string[] {
  if (runHistoryFile(path) !== undefined) return [path];
  const own = safeList(path).filter((n) => isRunDirName(n) && isDirectory(join(path, n))).sort(compareRunNames);
  if (own.length > 0) return own.map((n) => join(path, n));
  return listRuns(path).map((r) => r.dir);
}

/** A run's `test.edn` as a map. Throws when it cannot be read, is not EDN (`EdnSyntaxError`) or not a map. */
export function readTestEdn(runDir: string): EdnMap {
  const file = join(runDir, 'test.edn');
  const v = parseEdn(readFileSync(file, 'utf8'));
  if (!(v instanceof EdnMap)) throw new Error(`${file}: expected an EDN map`);
  return v;
}

function camel(s: string): string {
  return s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function plain(v: EdnValue): unknown {
  if (v instanceof Keyword) return v.name;
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

/**
 * The checkers (`:checkers`) and their options (`:checker-options`, keys camelCased as the CLI
 * passes them) a run was recorded with. Throws when test.edn names no checker.
 */
export function storedCheckSpec(test: EdnMap): { checkers: string[]; options: Record<string, unknown> } {
  const cs = test.kw('checkers');
  if (!Array.isArray(cs) || cs.length === 0) throw new Error('test.edn has no :checkers');
  const checkers = cs.map((c) => (c instanceof Keyword ? c.name : String(c)));
  const options: Record<string, unknown> = {};
  const o = test.kw('checker-options');
  if (o instanceof EdnMap)
    o.keys.forEach((k, i) => {
      options[camel(k instanceof Keyword ? k.name : String(k))] = plain(o.vals[i]);
    });
  return { checkers, options };
}
