/**
 * The threads recheck checks on: a piscina pool of `worker.ts`, one history per task, with the
 * backstop deadline and the retry of a thread that failed to start. Local `recheck` and the
 * queue's `hindsight worker` both check through it, so a history is checked the same way
 * wherever it is checked.
 *
 * Budget: the checkers that search (linearizable, list-append, rw-register) honour
 * `--time-limit` themselves and return `:unknown` when it runs out. As a backstop for any
 * check that does not, a task still running `limit + max(5 s, limit)` after its thread started
 * it (the slack covers reading the file) is stopped — piscina terminates its thread — and reported
 * `unknown`. Such a verdict, like a crash, says more about this run than about the history, so
 * it is not cacheable.
 */
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { workerModule } from '../util/workers.js';
import type { CheckSummary, RecheckTask } from './worker.js';

/** The backstop deadline of a check with these options: `limit + max(5 s, limit)`, or none without `--time-limit`. */
export function hardLimitMs(options: Record<string, unknown>): number | undefined {
  const t = Number(options.timeLimit);
  if (options.timeLimit === undefined || !(t > 0)) return undefined;
  return (t + Math.max(5, t)) * 1000;
}

/** A pool of `threads` checking threads, started up front. */
export class CheckPool {
  private readonly pool: Piscina;

  constructor(readonly threads: number) {
    const { filename, execArgv } = workerModule(import.meta.url, 'worker');
    // Every thread is started up front: piscina replaces a thread that dies after it was
    // started that way, but gives up on threads that fail while starting later. A thread
    // can fail to load the worker at all (now and then tsx's hooks are not ready in a new
    // thread: ERR_UNKNOWN_FILE_EXTENSION); its task is then run again (`check` retries).
    this.pool = new Piscina({ filename, execArgv, maxThreads: threads, minThreads: threads, maxQueue: 'auto', idleTimeout: 1000 });
    this.pool.on('error', () => {
      // A thread died with no task of ours on it; piscina has already replaced it.
    });
  }

  /**
   * Checks one task; past `limitMs` (after its thread started it) the thread is stopped and the
   * verdict is `unknown`. Never rejects: a thread that fails three times gives an `unknown`
   * row saying so, not cacheable.
   */
  async check(task: RecheckTask, limitMs: number | undefined): Promise<CheckSummary> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.runTask(task, limitMs);
      } catch (e) {
        if (attempt >= 3) {
          return { ops: null, verdict: 'unknown', detail: `worker failed: ${e instanceof Error ? e.message : String(e)}`, seconds: 0, warnings: 0, cacheable: false };
        }
      }
    }
  }

  /** Stops every thread. */
  async close(): Promise<void> {
    await this.pool.destroy();
  }

  private async runTask(task: RecheckTask, limitMs: number | undefined): Promise<CheckSummary> {
    if (limitMs === undefined) return (await this.pool.run(task)) as CheckSummary;
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let t0 = performance.now();
    // The clock starts when the thread starts the task: a new thread's start-up (loading every
    // checker, seconds under tsx on a busy machine) is not the history's fault.
    const { port1, port2 } = new MessageChannel();
    port1.once('message', () => {
      t0 = performance.now();
      timer = setTimeout(() => abort.abort(), limitMs);
      port1.close();
    });
    try {
      return (await this.pool.run({ ...task, started: port2 }, { signal: abort.signal, transferList: [port2] })) as CheckSummary;
    } catch (e) {
      if (!abort.signal.aborted) throw e;
      const seconds = Math.round(performance.now() - t0) / 1000;
      return {
        ops: null,
        verdict: 'unknown',
        detail: `stopped after ${seconds} s: past the time budget (--time-limit plus slack for reading)`,
        seconds,
        warnings: 0,
        cacheable: false,
      };
    } finally {
      clearTimeout(timer);
      port1.close();
    }
  }
}
