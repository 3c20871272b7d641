/**
 * A piscina pool for work that can also be done in-process: a worker that fails costs speed,
 * never the verdict. piscina leaves queued tasks pending forever once its threads fail to
 * start, so the first task that fails marks the pool broken and aborts every task still out;
 * `run` then answers `undefined` and the caller does that task itself. Errors outside any task
 * (a thread that failed to start) are caught rather than taking the process down.
 */
import { setMaxListeners } from 'node:events';
import type { Piscina } from 'piscina';
import { lazy } from './lazy.js';

/** piscina, loaded by a process that starts threads (util/lazy.ts). */
export const piscinaModule = lazy(() => import('piscina'));

/** Where the pool's worker module is and how many threads it may start. */
export interface FallbackPoolOptions {
  /** The worker module (see `workerModule`). */
  filename: string;
  /** Node flags for each thread (`--import tsx` from sources). */
  execArgv: string[];
  maxThreads: number;
}

/**
 * Where tasks `T` run to results `R` when they can also run in-process: a pool of threads here
 * (`FallbackPool`), or a job queue's workers (queue/search-pool.ts). `run` answers undefined when
 * the task failed or was aborted, and the caller then does it itself.
 */
export interface TaskPool<T, R> {
  /** The task's result, or undefined if it failed or was aborted (the pool is then broken). */
  run(task: T, transferList?: ArrayBuffer[]): Promise<R | undefined>;
  /** Aborts every task still out (their `run` answers undefined) and marks the pool broken. */
  abort(): void;
  /** True once a task failed or was aborted: run no more tasks here. */
  readonly broken: boolean;
}

/** A pool of worker threads running tasks `T` to results `R`, which gives up rather than fails (this file's header). */
export class FallbackPool<T, R> implements TaskPool<T, R> {
  /** The pool, started at the first task: piscina is loaded only by a process that uses threads. */
  private pool: Promise<Piscina<T, R>> | undefined;
  private readonly cancel = new AbortController();
  /** True once a task failed or was aborted: run no more tasks here. */
  broken = false;

  constructor(private readonly options: FallbackPoolOptions) {
    // Every task listens on the one signal: hundreds of tasks are not a leak.
    setMaxListeners(0, this.cancel.signal);
  }

  private started(): Promise<Piscina<T, R>> {
    this.pool ??= piscinaModule().then(({ Piscina }) => {
      const o = this.options;
      const pool = new Piscina<T, R>({ filename: o.filename, execArgv: o.execArgv, maxThreads: o.maxThreads, minThreads: 1 });
      pool.on('error', () => {
        // A thread that failed outside any task; the tasks it held fail and fall back.
      });
      return pool;
    });
    return this.pool;
  }

  /** The task's result, or undefined if it failed or was aborted (the pool is then broken). */
  async run(task: T, transferList?: ArrayBuffer[]): Promise<R | undefined> {
    try {
      const pool = await this.started();
      return (await pool.run(task, { transferList, signal: this.cancel.signal })) as R;
    } catch {
      this.abort();
      return undefined;
    }
  }

  /** Aborts every task still out (their `run` answers undefined) and marks the pool broken. */
  abort(): void {
    this.broken = true;
    this.cancel.abort();
  }

  /** Ends the threads; resolves once they are gone. */
  async destroy(): Promise<void> {
    if (this.pool === undefined) return;
    // A pool that never started (piscina failed to load) has nothing to end.
    const pool = await this.pool.catch(() => undefined);
    await pool?.destroy();
  }
}
