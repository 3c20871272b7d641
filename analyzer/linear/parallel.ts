/**
 * `checkLinearizableParallel`: the keys of a history searched on a piscina worker pool, with
 * the same round-robin budget scheme as the in-process search (linearize.ts). Each round sends
 * every undecided key to the pool; the first invalid key cancels the rest unless `allKeys`.
 *
 * The pool is started only when it pays off: starting a worker costs tens of milliseconds
 * from dist/ (and far more under tsx), while most keys are decided in a few thousand
 * configurations, about a millisecond. So the first round runs in-process; only keys still
 * undecided after it go to the pool.
 *
 * A worker that fails (it could not start, or died) costs speed, not the verdict: its key is
 * searched in-process instead, and the pool's own `error` event is caught so that an uncaught
 * error in a worker never takes the process down.
 */
import { printEdn } from '../edn/print.js';
import type { History } from '../history/history.js';
import { modelNamed } from './models/index.js';
import { FallbackPool, type TaskPool } from '../util/fallback-pool.js';
import { type WorkerLocation, defaultWorkers, workerModule } from '../util/workers.js';
import { DEFAULT_MAX_STATES, FIRST_ROUND_STATES, type KeyRun, type LinearOptions, type LinearReport, checkLinearizable, keyTicker, reportOf, searchRound, uniqueRound } from './linearize.js';
import { problemsOf } from './problem.js';
import type { SearchOutcome } from './search.js';
import type { SearchTask } from './search-worker.js';
import { toWire, transferables } from './wire.js';

/** `LinearOptions`, and how the keys are spread over worker threads. */
export interface ParallelOptions extends LinearOptions {
  /** Worker threads (default: the core count); 1 or fewer searches in-process. */
  workers?: number;
  /** Configurations per key searched in-process before the pool is started (default 2048; 0: the pool from the start). */
  inProcessStates?: number;
  /** The worker module (default search-worker next to this file); tests point it at one that fails. */
  workerFilename?: string;
  /**
   * Where to search the keys the first round leaves undecided, instead of a pool of threads
   * started here (a job queue's workers); the caller owns it. `workers` is then not consulted.
   */
  pool?: TaskPool<SearchTask, SearchOutcome>;
}

/** The search-worker module and the Node flags its threads need (a queue worker starts a pool of them too). */
export const searchWorkerModule = (): WorkerLocation => workerModule(import.meta.url, 'search-worker');

/**
 * `checkLinearizable` with the keys searched on a pool of worker threads, as this file's header
 * says: a result of the same shape, and the runs in key order. With one key, or `workers` ≤ 1,
 * it is `checkLinearizable` itself, and so it is for a model that is not the one `models` holds
 * under its name (workers look models up by name). Resolves once the pool's threads are gone.
 *
 * @example
 * const { result, runs } = await checkLinearizableParallel(history, { model: casRegister, independent: true, workers: 4 });
 * console.log(result['valid?'], `${runs.length} of ${String(result['key-count'])} keys searched`);
 */
export async function checkLinearizableParallel(history: History, options: ParallelOptions): Promise<LinearReport> {
  const problems = problemsOf(history, options.independent ?? false, options.nil);
  const workers = options.workers ?? defaultWorkers();
  // Workers can only look a model up by name: one that is not the registered model of its name
  // (a caller's own, even one called `register`) is searched here, or they would use another.
  if ((workers <= 1 && options.pool === undefined) || problems.length <= 1 || modelNamed(options.model.name) !== options.model) return checkLinearizable(history, options);
  const started = performance.now();
  const userMax = options.maxStates ?? DEFAULT_MAX_STATES;
  const done: (KeyRun | undefined)[] = problems.map(() => undefined);
  const tick = keyTicker(options, problems.length);
  // Keys with unique values are decided here at once; the search takes the rest.
  const unique = uniqueRound(history, problems, options, started, done, tick);
  let pending = unique.undecided;
  if (unique.failed || pending.length === 0) return reportOf(history, options, done.filter((r): r is KeyRun => r !== undefined), problems.length);
  let budget = Math.min(options.inProcessStates ?? FIRST_ROUND_STATES, userMax);
  if (budget > 0) {
    const first = searchRound(problems, pending, options, budget, started, done, tick);
    pending = first.undecided;
    if (first.failed || pending.length === 0) return reportOf(history, options, done.filter((r): r is KeyRun => r !== undefined), problems.length);
    budget = Math.min(userMax, budget * 8);
  } else budget = Math.min(FIRST_ROUND_STATES, userMax);
  const module = searchWorkerModule();
  const own = options.pool === undefined ? new FallbackPool<SearchTask, SearchOutcome>({ filename: options.workerFilename ?? module.filename, execArgv: module.execArgv, maxThreads: workers }) : undefined;
  const pool: TaskPool<SearchTask, SearchOutcome> = own ?? options.pool!;
  const stopOnUserAbort = (): void => pool.abort();
  options.signal?.addEventListener('abort', stopOnUserAbort, { once: true });
  let failed = false;
  try {
    while (pending.length > 0 && !failed) {
      if (pool.broken) {
        // A worker failed (or the caller aborted): the rest of the search runs in-process.
        const round = searchRound(problems, pending, options, budget, started, done, tick);
        failed = round.failed;
        pending = round.undecided;
        budget = Math.min(userMax, budget * 8);
        continue;
      }
      const still: number[] = [];
      await Promise.all(
        pending.map(async (i) => {
          const wire = toWire(problems[i]);
          const left = options.timeLimitMs === undefined ? undefined : Math.max(0, options.timeLimitMs - (performance.now() - started));
          const task: SearchTask = { problem: wire, model: options.model.name, init: options.init === undefined ? undefined : printEdn(options.init), maxStates: budget, timeLimitMs: left };
          const outcome = await pool.run(task, transferables(wire));
          if (outcome === undefined) {
            if (!failed) still.push(i); // else cancelled: another key is already invalid
            return;
          }
          if (outcome.valid === 'unknown' && outcome.exhausted === 'states' && budget < userMax) {
            still.push(i);
            return;
          }
          done[i] = { problem: problems[i], outcome };
          tick();
          if (outcome.valid === false && !options.allKeys) {
            failed = true;
            pool.abort();
          }
        }),
      );
      pending = still.sort((a, b) => a - b);
      if (!pool.broken) budget = Math.min(userMax, budget * 8);
    }
  } finally {
    options.signal?.removeEventListener('abort', stopOnUserAbort);
    await own?.destroy();
  }
  const runs = done.filter((r): r is KeyRun => r !== undefined);
  return reportOf(history, options, runs, problems.length);
}
