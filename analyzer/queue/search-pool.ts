/**
 * The linearizable search's per-key tasks on the queue: a `TaskPool` (util/fallback-pool.ts)
 * whose `run` is a search job for some `hindsight worker`. The coordinator checks a huge keyed
 * history itself — reading it, splitting it by key, the first cheap round of every key — and
 * the keys that round leaves undecided go to the workers (linear/parallel.ts), so one history's
 * keys are searched on many machines.
 *
 * A search job that fails (its workers died twice, say) answers undefined and breaks the pool,
 * and linear/parallel.ts then searches the remaining keys in-process, as it does when a thread
 * fails: a lost worker costs time, never the verdict. `abort` (a key was found invalid) takes
 * the jobs no worker has started off the queue.
 */
import type { SearchOutcome } from '../linear/search.js';
import type { SearchTask } from '../linear/search-worker.js';
import type { TaskPool } from '../util/fallback-pool.js';
import { JOB_FORMAT } from './job.js';
import { type SearchJob, encodeSearchTask, parseSearchOutcome } from './search-job.js';
import type { JobWaiter } from './waiter.js';

/** Search tasks as jobs named `<prefix>-<n>` (see this file's header). */
export class QueueSearchPool implements TaskPool<SearchTask, SearchOutcome> {
  broken = false;
  private readonly out = new Set<string>();
  private next = 0;

  constructor(
    private readonly waiter: JobWaiter,
    private readonly prefix: string,
    private readonly code: string,
    /** The history, as named in messages. */
    private readonly name: string,
  ) {}

  async run(task: SearchTask): Promise<SearchOutcome | undefined> {
    if (this.broken) return undefined;
    const id = `${this.prefix}-${this.next++}`;
    const data: SearchJob = { format: JOB_FORMAT, kind: 'search', code: this.code, name: this.name, task: encodeSearchTask(task) };
    this.out.add(id);
    const outcome = await this.waiter.want<SearchOutcome | undefined>(id, { name: 'search', data, parse: parseSearchOutcome, failed: () => undefined, retryEarlierFailure: false });
    this.out.delete(id);
    if (outcome === undefined) this.abort();
    return outcome;
  }

  abort(): void {
    this.broken = true;
    for (const id of this.out) void this.waiter.drop(id, undefined);
    this.out.clear();
  }
}
