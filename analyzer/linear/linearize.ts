/**
 * `checkLinearizable(history, options)`: split the history by key, search each key, and build
 * a Knossos-compatible result (`:valid?`, `:op`, `:previous-ok`, `:final-paths`, per-key
 * failures). A valid key's witness (the linearization order) is kept on the returned runs.
 * The round-robin rounds and the result building are exported for parallel.ts, which runs the
 * same scheme on worker threads.
 */
import { type EdnRecord, type EdnValue, kw } from '../edn/values.js';
import type { History } from '../history/history.js';
import { type CheckResult, UNKNOWN, UsageError, mergeValid, type Validity } from '../check/checker.js';
import { opRecord } from '../check/results.js';
import { type Model, isInconsistent } from './models/model.js';
import { type KeyProblem, problemsOf } from './problem.js';
import { type SearchOutcome, searchLinearizable } from './search.js';
import { type NilReads, isAbsent } from './nil-reads.js';
import { decideUniqueValues } from './unique-search.js';
import { printEdn } from '../edn/print.js';

/** `--algorithm`: how keys are decided (docs/linearizability.md). */
export type LinearAlgorithm = 'auto' | 'wgl' | 'unique-values';

/** Every `--algorithm`, the default first. */
export const LINEAR_ALGORITHMS: readonly LinearAlgorithm[] = ['auto', 'wgl', 'unique-values'];

/** Options for `checkLinearizable` (and, through `ParallelOptions`, the parallel search). */
export interface LinearOptions {
  /** The model every key's ops are replayed against. */
  model: Model;
  /** The initial state as EDN (`--init`); undefined: the model's default. */
  init?: EdnValue;
  /** Split `[k v]` values by k. */
  independent?: boolean;
  /** What an `:ok` read of nil means (nil-reads.ts; default `any`, Knossos's rule). */
  nil?: NilReads;
  /** Give up (`valid?` unknown) after this many milliseconds, all keys together. */
  timeLimitMs?: number;
  /** Give up on a key (`valid?` unknown) after this many configurations (default `DEFAULT_MAX_STATES`). */
  maxStates?: number;
  /** Check every key even after one fails. */
  allKeys?: boolean;
  /** Aborting it ends the search: the keys left are unknown (`:cause "cancelled"`). */
  signal?: AbortSignal;
  /**
   * `auto` (the default): a register or cas-register key whose values are unique is decided by
   * the unique-values procedure (unique-values.ts), any other by the search; `wgl`: the search
   * always; `unique-values`: the procedure always, a key that does not qualify a `UsageError`.
   */
  algorithm?: LinearAlgorithm;
  /** Called each time a key's search ends (decided, or out of the user's budget), with how many have and how many keys there are. */
  onKeyDone?: (done: number, keyCount: number) => void;
}

/** A function to call as each key's search ends: counts them for `onKeyDone`. */
export function keyTicker(options: LinearOptions, keyCount: number): () => void {
  let done = 0;
  const report = options.onKeyDone;
  return report === undefined ? () => {} : () => report(++done, keyCount);
}

/** One key's search: its problem, and how the search ended. */
export interface KeyRun {
  problem: KeyProblem;
  outcome: SearchOutcome;
  /** Set when the unique-values procedure decided the key (else the search did). */
  algorithm?: 'unique-values';
  /** The procedure's own account of an invalid key, when it decided one. */
  contradiction?: string;
  /** Set when the search could not explain that key within its budget: the contradiction is the reason. */
  unexplained?: true;
}

/**
 * What the linearizability check returns: the Knossos-style result map, and the runs behind it in
 * key order (a valid key's `outcome.order` is its linearization).
 */
export interface LinearReport {
  result: CheckResult;
  runs: KeyRun[];
}

const MAX_PATH_STEPS = 8;

/**
 * Checks a history for linearizability against `options.model`, key by key (see this file's
 * header), in the calling thread. `valid?` is false when some key cannot be linearized (with
 * that key's `:op`, `:previous-ok`, `:reason` and `:final-paths`), else unknown when a key's
 * budget ran out or the signal aborted, else true. It does not check that the ops are
 * ones the model takes (an op it does not take is simply never linearized; see `misfit` in
 * fit.ts), nor that any op completed :ok (with none, every history linearizes): the
 * `linearizable` checker and `checkModel` do both first.
 *
 * @example
 * const history = await readHistory('register.edn');
 * const { result } = checkLinearizable(history, { model: casRegister, init: 0, timeLimitMs: 10_000 });
 * if (result['valid?'] === false) console.log(printEdn(result.op ?? null), result.reason);
 */
export function checkLinearizable(history: History, options: LinearOptions): LinearReport {
  const problems = problemsOf(history, options.independent ?? false, options.nil);
  const runs = searchKeys(history, problems, options);
  return reportOf(history, options, runs, problems.length);
}

/** The result map for these runs (of `keyCount` keys in all). */
export function reportOf(history: History, options: LinearOptions, runs: KeyRun[], keyCount: number): LinearReport {
  return { result: resultOf(history, options, runs, keyCount), runs };
}

/**
 * Keys round-robin under a growing state budget (×8 a round), so that when one key is hard and
 * another fails quickly the failure is found without finishing the hard one first (what
 * Porcupine gets from checking keys in parallel). A key re-searched under a bigger budget
 * repeats its earlier work, at most a seventh more in total. Returns runs in key order.
 */
function searchKeys(history: History, problems: KeyProblem[], options: LinearOptions): KeyRun[] {
  const started = performance.now();
  const userMax = options.maxStates ?? DEFAULT_MAX_STATES;
  const done: (KeyRun | undefined)[] = problems.map(() => undefined);
  const tick = keyTicker(options, problems.length);
  const unique = uniqueRound(history, problems, options, started, done, tick);
  let pending = unique.undecided;
  if (unique.failed) pending = [];
  let budget = problems.length > 1 ? Math.min(FIRST_ROUND_STATES, userMax) : userMax;
  while (pending.length > 0) {
    const round = searchRound(problems, pending, options, budget, started, done, tick);
    if (round.failed) break;
    pending = round.undecided;
    budget = Math.min(userMax, budget * 8);
  }
  return done.filter((r): r is KeyRun => r !== undefined);
}

/**
 * One round in-process: each pending key searched under `budget` configurations, its run
 * stored in `done` unless it ran out of that budget (below the user's) and goes on to the next
 * round. Stops at the first invalid key unless `allKeys`.
 */
export function searchRound(problems: KeyProblem[], pending: number[], options: LinearOptions, budget: number, started: number, done: (KeyRun | undefined)[], tick: () => void): { undecided: number[]; failed: boolean } {
  const userMax = options.maxStates ?? DEFAULT_MAX_STATES;
  const undecided: number[] = [];
  for (const i of pending) {
    const left = options.timeLimitMs === undefined ? undefined : Math.max(0, options.timeLimitMs - (performance.now() - started));
    const problem = problems[i];
    const outcome = searchLinearizable(problem, options.model, options.model.init(options.init), { maxStates: budget, timeLimitMs: left, signal: options.signal });
    if (outcome.valid === 'unknown' && outcome.exhausted === 'states' && budget < userMax) {
      undecided.push(i);
      continue;
    }
    done[i] = { problem, outcome };
    tick();
    if (outcome.valid === false && !options.allKeys) return { undecided, failed: true };
  }
  return { undecided, failed: false };
}

/**
 * The keys the unique-values procedure can decide (all, or none, as `options.algorithm` says),
 * decided in-process: it takes O(n log n), less than starting a worker. Stops at the first
 * invalid key unless `allKeys`; the rest are left `undecided` for the search. Throws
 * `UsageError` when `--algorithm unique-values` meets a key that does not qualify.
 */
export function uniqueRound(history: History, problems: KeyProblem[], options: LinearOptions, started: number, done: (KeyRun | undefined)[], tick: () => void): { undecided: number[]; failed: boolean } {
  const algorithm = options.algorithm ?? 'auto';
  const all = problems.map((_, i) => i);
  if (algorithm === 'wgl') return { undecided: all, failed: false };
  const undecided: number[] = [];
  for (const i of all) {
    const problem = problems[i];
    const left = options.timeLimitMs === undefined ? undefined : Math.max(0, options.timeLimitMs - (performance.now() - started));
    const outcome = decideUniqueValues(problem, options.model, options.model.init(options.init) as EdnValue, (id) => opPhrase(history, problem, id), { timeLimitMs: left, signal: options.signal });
    if (typeof outcome === 'string') {
      if (algorithm === 'unique-values') throw new UsageError(`--algorithm unique-values cannot decide ${problem.key === undefined ? 'this history' : `key ${printEdn(problem.key)}`}: ${outcome}`);
      undecided.push(i);
      continue;
    }
    const { algorithm: _, contradiction, unexplained, ...searchOutcome } = outcome;
    done[i] = { problem, outcome: searchOutcome as SearchOutcome, algorithm: 'unique-values', ...(contradiction === undefined ? {} : { contradiction }), ...(unexplained === undefined ? {} : { unexplained }) };
    tick();
    if (outcome.valid === false && !options.allKeys) return { undecided: [], failed: true };
  }
  return { undecided, failed: false };
}

/** An op of a key's problem in words: "process 3's read of 4 (index 17)". */
function opPhrase(history: History, problem: KeyProblem, id: number): string {
  const pos = problem.complete[id] >= 0 ? problem.complete[id] : problem.invoke[id];
  const op = opRecord(history, pos);
  const value = isAbsent(problem.ops[id].value) ? null : problem.ops[id].value;
  return `process ${printEdn(op.process ?? null)}'s ${problem.ops[id].f} of ${printEdn(value)} (index ${printEdn(op.index ?? null)})`;
}

/** Each key's budget in the first round when there are several keys; each later round allows 8× more. */
export const FIRST_ROUND_STATES = 2048;
/** A key's configuration budget when `maxStates` is not given. */
export const DEFAULT_MAX_STATES = 10_000_000;

function resultOf(history: History, options: LinearOptions, runs: KeyRun[], keyCount: number): CheckResult {
  const valid: Validity = runs.length < keyCount && runs.every((r) => r.outcome.valid !== false) ? UNKNOWN : mergeValid(runs.map((r) => (r.outcome.valid === 'unknown' ? UNKNOWN : r.outcome.valid)));
  const states = runs.reduce((s, r) => s + r.outcome.states, 0);
  const keyed = keyCount > 1 || runs[0]?.problem.key !== undefined;
  if (!keyed) {
    const one = keyResult(history, options, runs[0] ?? { problem: undefined, outcome: { valid: true, order: [], states: 0 } });
    return { ...one, model: options.model.name };
  }
  const bad = runs.filter((r) => r.outcome.valid !== true);
  const result: CheckResult = { 'valid?': valid, model: options.model.name, 'key-count': keyCount, 'checked-key-count': runs.length, 'state-count': states, ...algorithmOf(runs) };
  if (bad.length > 0) {
    result.failures = bad.filter((r) => r.outcome.valid === false).map((r) => r.problem.key ?? null);
    result.results = bad.map((r) => ({ key: r.problem.key ?? null, ...keyResult(history, options, r) }));
    const first = bad.find((r) => r.outcome.valid === false);
    if (first !== undefined) {
      const fr = keyResult(history, options, first);
      result.op = fr.op ?? null;
      result['previous-ok'] = fr['previous-ok'] ?? null;
      result.reason = fr.reason ?? null;
    }
  }
  return result;
}

/**
 * `:algorithm` of these runs: `:unique-values` or `:wgl` when every key was decided the same
 * way; with both, `:algorithm :mixed` and how many keys each decided (`:algorithm-keys`).
 */
function algorithmOf(runs: readonly KeyRun[]): EdnRecord {
  const unique = runs.filter((r) => r.algorithm === 'unique-values').length;
  if (unique === 0 || unique === runs.length) return { algorithm: kw(unique === 0 ? 'wgl' : 'unique-values') };
  return { algorithm: kw('mixed'), 'algorithm-keys': { 'unique-values': unique, wgl: runs.length - unique } };
}

function keyResult(history: History, options: LinearOptions, run: KeyRun | { problem?: KeyProblem; outcome: SearchOutcome }): CheckResult {
  const { problem, outcome } = run;
  const how = { algorithm: kw('algorithm' in run && run.algorithm !== undefined ? run.algorithm : 'wgl') };
  if (outcome.valid === true || problem === undefined) {
    return { 'valid?': true, 'op-count': problem?.n ?? 0, 'state-count': outcome.states, 'linearization-length': outcome.valid === true ? outcome.order.length : 0, ...how };
  }
  if (outcome.valid === 'unknown') {
    return { 'valid?': UNKNOWN, cause: outcome.reason, 'op-count': problem.n, 'state-count': outcome.states, 'ok-ops-linearized': outcome.reached, 'ok-op-count': problem.determinate };
  }
  const k = outcome.failing;
  const comp = problem.complete[k];
  let prev = -1;
  for (let j = comp - 1; j >= 0 && prev < 0; j--) if (history.type[j] === 1 && history.isClient(j) && inProblem(problem, j)) prev = j;
  // Failing at the very first op leaves no longer path: the empty path still explains why.
  const paths = outcome.paths.length > 0 ? outcome.paths : [[]];
  const finalPaths = paths.map((path) => pathRecord(history, options, problem, path, k));
  const lastStep = (finalPaths[0] as EdnRecord[])[(finalPaths[0] as EdnRecord[]).length - 1];
  const contradiction = 'contradiction' in run ? run.contradiction : undefined;
  const unexplained = 'unexplained' in run && run.unexplained === true;
  return {
    'valid?': false,
    op: opRecord(history, comp),
    // No paths: the unique-values procedure's contradiction says why, not a step from the initial state.
    reason: unexplained && contradiction !== undefined ? contradiction : (lastStep.model ?? null),
    ...how,
    ...(contradiction === undefined ? {} : { contradiction }),
    'previous-ok': prev >= 0 ? opRecord(history, prev) : null,
    'last-op': prev >= 0 ? opRecord(history, prev) : null,
    'final-paths': finalPaths,
    'op-count': problem.n,
    'state-count': outcome.states,
  };
}

function inProblem(problem: KeyProblem, pos: number): boolean {
  if (problem.key === undefined) return true;
  for (let k = 0; k < problem.determinate; k++) if (problem.complete[k] === pos) return true;
  return false;
}

function opAt(history: History, problem: KeyProblem, k: number): EdnRecord {
  return opRecord(history, problem.complete[k] >= 0 ? problem.complete[k] : problem.invoke[k]);
}

/** The last steps of one longest path, then the failing op with the model's reason. */
function pathRecord(history: History, options: LinearOptions, problem: KeyProblem, path: number[], failing: number): EdnValue {
  const model = options.model;
  let s = model.init(options.init);
  const steps: EdnRecord[] = [];
  for (const k of path) {
    const s2 = model.step(s, problem.ops[k]);
    if (isInconsistent(s2)) break; // cannot happen: the path was accepted
    s = s2;
    steps.push({ op: opAt(history, problem, k), model: model.toEdn(s) });
  }
  const end = model.step(s, problem.ops[failing]);
  const reason = isInconsistent(end) ? end.reason : `its completion came before another op it depends on could be linearized`;
  return [...steps.slice(-MAX_PATH_STEPS), { op: opAt(history, problem, failing), model: reason }];
}
