/**
 * A piscina pool for work that can also be done in-process: a worker that fails costs speed,
 * never the verdict. piscina leaves queued tasks pending forever once its threads fail to
 * start, so the first task that fails marks the pool broken and aborts every task still out;
 * `run` then answers `undefined` and the caller does that task itself. Errors outside any task
 * (a thread that failed to start) are caught rather than taking the process down.
 */
import { setMaxListeners } from 'node:events';
import { Piscina } from 'piscina';

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
  private readonly pool: Piscina<T, R>;
  private readonly cancel = new AbortController();
  /** True once a task failed or was aborted: run no more tasks here. */
  broken = false;

  constructor(options: FallbackPoolOptions) {
    this.pool = new Piscina({ filename: options.filename, execArgv: options.execArgv, maxThreads: options.maxThreads, minThreads: 1 });
    this.pool.on('error', () => {
      // A thread that failed outside any task; the tasks it held fail and fall back.
    });
    // Every task listens on the one signal: hundreds of tasks are not a leak.
    setMaxListeners(0, this.cancel.signal);
  }

  /** The task's result, or undefined if it failed or was aborted (the pool is then broken). */
  async run(task: T, transferList?: ArrayBuffer[]): Promise<R | undefined> {
    try {
      return (await this.pool.run(task, { transferList, signal: this.cancel.signal })) as R;
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
  destroy(): Promise<void> {
    return this.pool.destroy();
  }
}
