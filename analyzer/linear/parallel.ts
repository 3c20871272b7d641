/**
 * `checkLinearizableParallel`: the keys of a history searched on a piscina worker pool, with
 * the same round-robin budget scheme as the in-process search (check.ts). Each round sends
 * every undecided key to the pool; the first invalid key cancels the rest unless `allKeys`.
 * Small inputs (one key, or few ops) stay in-process: starting workers costs more than that.
 */
import { Piscina } from 'piscina';
import { printEdn } from '../edn/print.js';
import type { History } from '../history/history.js';
import { defaultWorkers, workerModule } from '../util/workers.js';
import { type KeyRun, type LinearOptions, type LinearReport, checkLinearizable, reportOf } from './check.js';
import { problemsOf } from './problem.js';
import type { SearchOutcome } from './search.js';
import type { SearchTask } from './search-worker.js';
import { toWire, transferables } from './wire.js';

/** Below this many ops in all, the pool is not worth starting. */
const MIN_PARALLEL_OPS = 2000;
const FIRST_ROUND_STATES = 16_384;
const DEFAULT_MAX_STATES = 10_000_000;

export async function checkLinearizableParallel(history: History, options: LinearOptions & { workers?: number }): Promise<LinearReport> {
  const problems = problemsOf(history, options.independent ?? false);
  const workers = options.workers ?? defaultWorkers();
  const total = problems.reduce((s, p) => s + p.n, 0);
  if (workers <= 1 || problems.length <= 1 || total < MIN_PARALLEL_OPS) return checkLinearizable(history, options);
  const { filename, execArgv } = workerModule(import.meta.url, 'search-worker');
  const pool = new Piscina({ filename, execArgv, maxThreads: workers, minThreads: 1 });
  const started = performance.now();
  const userMax = options.maxStates ?? DEFAULT_MAX_STATES;
  const done: (KeyRun | undefined)[] = problems.map(() => undefined);
  const cancel = new AbortController();
  let budget = Math.min(FIRST_ROUND_STATES, userMax);
  let pending = problems.map((_, i) => i);
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
