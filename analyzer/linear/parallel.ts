/**
 * `checkLinearizableParallel`: the keys of a history searched on a piscina worker pool, with
 * the same round-robin budget scheme as the in-process search (check.ts). Each round sends
 * every undecided key to the pool; the first invalid key cancels the rest unless `allKeys`.
 *
 * The pool is started only when it pays off: starting a worker costs tens of milliseconds
 * from dist/ (and far more under tsx), while most keys are decided in a few thousand
 * configurations, about a millisecond. So the first round runs in-process; only keys still
 * undecided after it go to the pool.
 */
import { Piscina } from 'piscina';
import { printEdn } from '../edn/print.js';
import type { History } from '../history/history.js';
import { defaultWorkers, workerModule } from '../util/workers.js';
import { DEFAULT_MAX_STATES, FIRST_ROUND_STATES, type KeyRun, type LinearOptions, type LinearReport, checkLinearizable, reportOf, searchRound } from './check.js';
import { problemsOf } from './problem.js';
import type { SearchOutcome } from './search.js';
import type { SearchTask } from './search-worker.js';
import { toWire, transferables } from './wire.js';

export interface ParallelOptions extends LinearOptions {
  workers?: number;
  /** Configurations per key searched in-process before the pool is started (default 2048; 0: the pool from the start). */
  inProcessStates?: number;
}

export async function checkLinearizableParallel(history: History, options: ParallelOptions): Promise<LinearReport> {
  const problems = problemsOf(history, options.independent ?? false);
  const workers = options.workers ?? defaultWorkers();
  if (workers <= 1 || problems.length <= 1) return checkLinearizable(history, options);
  const started = performance.now();
  const userMax = options.maxStates ?? DEFAULT_MAX_STATES;
  const done: (KeyRun | undefined)[] = problems.map(() => undefined);
  let pending = problems.map((_, i) => i);
  let budget = Math.min(options.inProcessStates ?? FIRST_ROUND_STATES, userMax);
  if (budget > 0) {
    const first = searchRound(problems, pending, options, budget, started, done);
    pending = first.undecided;
    if (first.failed || pending.length === 0) return reportOf(history, options, done.filter((r): r is KeyRun => r !== undefined), problems.length);
    budget = Math.min(userMax, budget * 8);
  } else budget = Math.min(FIRST_ROUND_STATES, userMax);
  const { filename, execArgv } = workerModule(import.meta.url, 'search-worker');
  const pool = new Piscina({ filename, execArgv, maxThreads: workers, minThreads: 1 });
  const cancel = new AbortController();
  let failed = false;
  try {
    while (pending.length > 0 && !failed) {
      const still: number[] = [];
      await Promise.all(
        pending.map(async (i) => {
          const wire = toWire(problems[i]);
          const left = options.timeLimitMs === undefined ? undefined : Math.max(0, options.timeLimitMs - (performance.now() - started));
          const task: SearchTask = { problem: wire, model: options.model.name, init: options.init === undefined ? undefined : printEdn(options.init), maxStates: budget, timeLimitMs: left };
          let outcome: SearchOutcome;
          try {
            outcome = (await pool.run(task, { transferList: transferables(wire), signal: cancel.signal })) as SearchOutcome;
          } catch (e) {
            if (cancel.signal.aborted) return;
            throw e;
          }
          if (outcome.valid === 'unknown' && outcome.exhausted === 'states' && budget < userMax) {
            still.push(i);
            return;
          }
          done[i] = { problem: problems[i], outcome };
          if (outcome.valid === false && !options.allKeys) {
            failed = true;
            cancel.abort();
          }
        }),
      );
      pending = still.sort((a, b) => a - b);
      budget = Math.min(userMax, budget * 8);
    }
  } finally {
    await pool.destroy();
  }
  const runs = done.filter((r): r is KeyRun => r !== undefined);
  return reportOf(history, options, runs, problems.length);
}
