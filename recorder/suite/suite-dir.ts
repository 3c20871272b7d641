/**
 * A suite run's directory, `<store>/suites/<suite>/<start time>/`: `plan.edn` (the runs it is
 * to make, written first), `runs/NNNN.edn` (each completed run, written atomically as it ends,
 * so a killed suite knows what not to redo) and `suite.edn` (the summary, written last: a
 * directory without it is unfinished).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { printEdn } from '../../analyzer/edn/print.js';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import { EdnMap, type EdnValue, Keyword, kw } from '../../analyzer/edn/values.js';
import { compareRunNames, isRunDirName } from '../../analyzer/store/store.js';
import { writeFileAtomicSync } from '../../analyzer/util/atomic-write.js';
import { createRunDir } from '../core/run-dir.js';
import type { Expectation } from './fields.js';
import type { Tier } from './tiers.js';

/** What a run ended with: a verdict, or `error` when it could not be made. */
export type Actual = 'valid' | 'invalid' | 'unknown' | 'error';

/** One completed run of a suite: what `runs/NNNN.edn` and `suite.edn`'s `:runs` hold. */
export interface RunEntry {
  readonly test: string;
  readonly seed: number;
  readonly tier: Tier;
  readonly expected: Expectation;
  readonly actual: Actual;
  /** Wall seconds of the whole run, setup to verdict. */
  readonly seconds: number;
  readonly ops: number;
  readonly anomalies: readonly string[];
  /** The run's directory relative to the store root ('' when it could not be made). */
  readonly dir: string;
  /** Why the run could not be made (`actual` `error`). */
  readonly error?: string;
  /** When the run started (ISO 8601); absent in entries written before it was kept. */
  readonly started?: string;
}

/** True when the run gave the verdict its test expects. */
export const asExpected = (r: Pick<RunEntry, 'expected' | 'actual'>): boolean => r.actual === r.expected;

/** The directory holding every run of one suite. */
export const suiteRoot = (store: string, suite: string): string => join(store, 'suites', suite);

/** A new suite run directory with its plan (`plan` is the EDN of the planned runs, compared on resume). */
export function createSuiteDir(store: string, suite: string, plan: EdnValue): string {
  mkdirSync(join(store, 'suites'), { recursive: true });
  const dir = createRunDir(join(store, 'suites'), suite, new Date());
  mkdirSync(join(dir, 'runs'));
  writeFileAtomicSync(join(dir, 'plan.edn'), printEdn(plan) + '\n');
  return dir;
}

/** The suite's run directories, oldest first. */
export function suiteRuns(store: string, suite: string): string[] {
  const root = suiteRoot(store, suite);
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  return names.filter(isRunDirName).sort(compareRunNames).map((n) => join(root, n));
}

/** True when the suite run finished (its summary is written). */
export const isFinished = (dir: string): boolean => existsSync(join(dir, 'suite.edn'));

/** The plan a suite run directory was made with, printed (for comparing), or undefined when it has none. */
export function planText(dir: string): string | undefined {
  try {
    return printEdn(parseEdn(readFileSync(join(dir, 'plan.edn'), 'utf8')));
  } catch {
    return undefined;
  }
}

/** A run entry as EDN. */
export function entryEdn(r: RunEntry): EdnValue {
  return {
    test: r.test,
    seed: r.seed,
    tier: kw(r.tier),
    expected: kw(r.expected),
    actual: kw(r.actual),
    'as-expected?': asExpected(r),
    seconds: Math.round(r.seconds * 1000) / 1000,
    ops: r.ops,
    'anomaly-types': r.anomalies.map((a) => kw(a)),
    dir: r.dir,
    ...(r.started === undefined ? {} : { started: r.started }),
    ...(r.error === undefined ? {} : { error: r.error }),
  };
}

const word = (v: EdnValue | undefined): string => (v instanceof Keyword ? v.name : String(v));

/** A run entry read back from EDN (what `entryEdn` wrote). */
export function entryFrom(m: EdnMap): RunEntry {
  const anomalies = m.kw('anomaly-types');
  const error = m.kw('error');
  const started = m.kw('started');
  return {
    test: String(m.kw('test')),
    seed: Number(m.kw('seed')),
    tier: word(m.kw('tier')) as Tier,
    expected: word(m.kw('expected')) as Expectation,
    actual: word(m.kw('actual')) as Actual,
    seconds: Number(m.kw('seconds')),
    ops: Number(m.kw('ops')),
    anomalies: Array.isArray(anomalies) ? anomalies.map(word) : [],
    dir: String(m.kw('dir') ?? ''),
    ...(typeof started === 'string' ? { started } : {}),
    ...(typeof error === 'string' ? { error } : {}),
  };
}

const runFile = (dir: string, index: number): string => join(dir, 'runs', `${String(index).padStart(4, '0')}.edn`);

/** Records run `index` of the plan as completed (atomically: a kill leaves it whole or absent). */
export function recordCompleted(dir: string, index: number, r: RunEntry): void {
  writeFileAtomicSync(runFile(dir, index), printEdn(entryEdn(r)) + '\n');
}

/** The completed runs of a suite run, by their index in its plan. */
export function completedRuns(dir: string): Map<number, RunEntry> {
  const out = new Map<number, RunEntry>();
  let names: string[];
  try {
    names = readdirSync(join(dir, 'runs'));
  } catch {
    return out;
  }
  for (const n of names) {
    const m = /^(\d{4,})\.edn$/.exec(n);
    if (m === null) continue;
    const v = parseEdn(readFileSync(join(dir, 'runs', n), 'utf8'));
    if (v instanceof EdnMap) out.set(Number(m[1]), entryFrom(v));
  }
  return out;
}

/** A run directory as `suite.edn` names it: relative to the store root. */
export const storeRelative = (store: string, runDir: string): string => relative(store, runDir);
