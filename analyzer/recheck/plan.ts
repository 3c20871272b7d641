/**
 * What to do with each found history: which checkers with which options (from `--checker`,
 * the run's `test.edn` `:checkers` — or a `:checker` naming checkers —, or its workload, or
 * the header line of a `hindsight gen` history, else chosen from its ops on the worker), and
 * the verdict its archived `results.edn` recorded, to say whether a re-check agrees.
 *
 * Options: the run's own `:checker-options` first, then every checker option given on the
 * command line over them (as `hindsight check --store` does).
 */
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { verdictWord } from '../check/checker.js';
import { checkerNamed, checkers } from '../checkers/registry.js';
import { parseEdn } from '../edn/scanner.js';
import { type EdnValue, EdnMap, Keyword } from '../edn/values.js';
import { isRunDirName, readTestEdn, storedCheckSpec } from '../store/store.js';
import type { Found } from './discover.js';
import { type CheckSpec, workloadCheckSpec, workloadIn, workloadSpec } from './workloads.js';

/** A re-check's verdict; `error`: the history could not be checked (unreadable, no checker, a usage error). */
export type Verdict = 'valid' | 'invalid' | 'unknown' | 'error';
/** What a run's results.edn said; 'unreadable' when it would not parse. */
export type Archived = 'valid' | 'invalid' | 'unknown' | 'unreadable';

/**
 * Where the checkers came from: `--checker`, test.edn's `:checkers`, its workload, a
 * `hindsight gen` header, or the ops themselves (chosen on the worker once the history is read;
 * see check/choose.ts).
 */
export type SpecSource = 'option' | 'test.edn' | 'workload' | 'gen-header' | 'ops';

/** What to do with one found history: the check to run, or why none can, and the archived verdict. */
export interface Plan {
  found: Found;
  /** The check to run, and where its checkers came from; undefined when `error` says why none can. */
  spec?: CheckSpec & { source: SpecSource };
  /** Why no check can run (no checker decidable, unknown checker, unreadable test.edn). */
  error?: string;
  /** The verdict the run's results.edn (or a `hindsight gen` header) recorded; undefined: none. */
  archived?: Archived;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const GEN_PREFIX = '; hindsight-gen ';

/**
 * The header `hindsight gen` writes as a history's first line —
 * `; hindsight-gen {:expected-valid? false, :checker :list-append, :checker-options {…}, …}` —
 * as a check spec and the verdict the generator promises; undefined for any other file.
 */
export function genHeader(file: string): { spec: CheckSpec; expected: Archived } | undefined {
  let head: string;
  try {
    const fd = openSync(file, 'r');
    try {
      const buf = Buffer.alloc(8192);
      head = buf.toString('utf8', 0, readSync(fd, buf, 0, buf.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined; // the worker reports an unreadable file
  }
  if (!head.startsWith(GEN_PREFIX) || !head.includes('\n')) return undefined;
  try {
    const h = parseEdn(head.slice(GEN_PREFIX.length, head.indexOf('\n')));
    if (!(h instanceof EdnMap) || !(h.kw('checker') instanceof Keyword)) return undefined;
    const asTest = new EdnMap([Keyword.of('checkers'), Keyword.of('checker-options')], [[h.kw('checker')!], h.kw('checker-options') ?? null]);
    const valid = h.kw('expected-valid?');
    return { spec: storedCheckSpec(asTest), expected: verdictWord(valid) };
  } catch {
    return undefined;
  }
}

/** The archived top-level `:valid?` of a run, or undefined when it has no results.edn. */
export function archivedVerdict(runDir: string): Archived | undefined {
  const file = join(runDir, 'results.edn');
  if (!existsSync(file)) return undefined;
  try {
    const v = parseEdn(readFileSync(file, 'utf8'));
    if (!(v instanceof EdnMap)) return 'unreadable';
    const valid = v.kw('valid?');
    return verdictWord(valid);
  } catch {
    return 'unreadable';
  }
}

/** `:checker :linearizable`, `:checker "list-append,timeline"` or `:checker [:set :perf]`: names; anything else (a printed checker object) is not. */
function namesIn(v: EdnValue | undefined): string[] | undefined {
  const name = (x: EdnValue): string | undefined => (x instanceof Keyword ? x.name : typeof x === 'string' ? x : undefined);
  const items = Array.isArray(v) ? v : v === undefined ? [] : [v];
  const names = items.map(name);
  if (items.length === 0 || names.some((n) => n === undefined)) return undefined;
  const out = (names as string[]).flatMap((n) => n.split(',')).map((n) => n.trim()).filter((n) => n !== '');
  return out.length > 0 ? out : undefined;
}

function testSpec(found: Found): (CheckSpec & { source: SpecSource }) | string {
  const where = found.runDir!;
  if (!existsSync(join(where, 'test.edn'))) {
    // Jepsen's store keeps the test map as test.fressian / test.jepsen, not EDN; its runs sit
    // under a directory named after the test ("etcd-register/20240101T…"), which names the workload.
    const w = isRunDirName(basename(where)) ? workloadIn(basename(dirname(where))) : undefined;
    if (w !== undefined) {
      return { ...workloadCheckSpec(w)!, source: 'workload' };
    }
    return { checkers: [], options: {}, source: 'ops' };
  }
  let test: EdnMap;
  try {
    test = readTestEdn(where);
  } catch (e) {
    return `test.edn: ${message(e)}`;
  }
  if (test.kw('checkers') !== undefined) {
    try {
      return { ...storedCheckSpec(test), source: 'test.edn' };
    } catch (e) {
      return `test.edn: ${message(e)}`;
    }
  }
  const named = namesIn(test.kw('checker'));
  if (named !== undefined) return { checkers: named, options: {}, source: 'test.edn' };
  const w = workloadSpec(test);
  if (w !== undefined) return { ...w.spec, source: 'workload' };
  return 'test.edn names no :checkers (or :checker) and no known :workload; pass --checker';
}

/**
 * The plan for one history. `cliChecker` is `--checker` (comma-separated names, already
 * validated); `cliOptions` the checker options given on the command line.
 */
export function planFor(found: Found, cliChecker: string | undefined, cliOptions: Record<string, unknown>): Plan {
  const gen = genHeader(found.file);
  // A generated history's promised verdict stands in for a results.edn it does not have.
  const archived = (found.runDir === undefined ? undefined : archivedVerdict(found.runDir)) ?? gen?.expected;
  let stored: CheckSpec | undefined;
  let source: SpecSource;
  let checkerNames: string[];
  if (cliChecker !== undefined) {
    source = 'option';
    checkerNames = cliChecker.split(',').map((s) => s.trim()).filter((s) => s !== '');
    // A run's own options still apply under --checker (e.g. its :model).
    if (found.runDir !== undefined) {
      const t = testSpec(found);
      if (typeof t !== 'string') stored = t;
    }
    stored ??= gen?.spec;
  } else if (found.runDir === undefined && gen === undefined) {
    // A loose history: its ops say how to check it.
    return { found, archived, spec: { checkers: [], options: { ...cliOptions }, source: 'ops' } };
  } else {
    const t = found.runDir === undefined ? 'no test.edn' : testSpec(found);
    if (typeof t === 'string' && gen !== undefined) return { found, archived, spec: { ...gen.spec, options: { ...gen.spec.options, ...cliOptions }, source: 'gen-header' } };
    if (typeof t === 'string') return { found, archived, error: t };
    stored = t;
    source = t.source;
    checkerNames = t.checkers;
  }
  const unknown = checkerNames.filter((n) => checkerNamed(n) === undefined);
  if (unknown.length > 0) {
    return { found, archived, error: `unknown checker ${unknown.join(', ')}; known: ${[...checkers.keys()].sort().join(', ')}` };
  }
  const options = { ...(stored?.options ?? {}), ...cliOptions };
  // The per-key guess belongs to a workload's own checker, not to one named with --checker.
  const guessIndependent = source !== 'option' && (stored?.guessIndependent ?? false) && options.independent === undefined;
  return { found, archived, spec: { checkers: checkerNames, options, guessIndependent, source } };
}
