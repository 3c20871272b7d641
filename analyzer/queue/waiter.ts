/**
 * Waiting for jobs on the queue: `want` puts a job on it (unless it is there already) and
 * resolves with its outcome once a worker has made it, whatever happened meanwhile.
 *
 * Waiting is by polling, which survives anything a stream of events would not (Redis
 * restarting, this process starting late): every 0.25 s one MGET of the pending jobs' outcomes
 * (workers write them beside the cache, see redis.ts), and every 2 s a reconciliation of up to
 * 1000 of them with BullMQ: a failed job resolves with what `failed` makes of it; a job Redis
 * lost (it restarted without persistence) is queued again; a completed one whose outcome key is
 * gone is read from its return value.
 */
import { Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { doneKey } from './redis.js';

/** One job to wait for: its name and data, and how to read its outcome. */
export interface Wanted<T> {
  name: 'check' | 'search';
  data: object;
  /** The outcome from what the worker stored; undefined when it is not one. */
  parse(v: unknown): T | undefined;
  /** The outcome of a job that failed (or completed with nothing readable: `job` undefined then). */
  failed(job: Job | undefined, why?: string): T;
  /** A job of an earlier run that failed is tried again (histories: true; a search task is this run's alone). */
  retryEarlierFailure: boolean;
}

interface Pending {
  wanted: Wanted<unknown>;
  resolve: (v: unknown) => void;
}

const TICK_MS = 250;
const RECONCILE_EVERY = 8;
const RECONCILE_BATCH = 1000;

/** Jobs on one queue being waited for (see this file's header). */
export class JobWaiter {
  private readonly pending = new Map<string, Pending>();
  private ticks = 0;
  private cursor = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Jobs waiting in the whole queue (other coordinators' too) and being worked on, as last read. */
  counts = { waiting: 0, active: 0 };
  /** Raw outcomes as they arrive, before `parse` (the progress line counts workers from them). */
  onOutcome?: (raw: unknown, name: Wanted<unknown>['name']) => void;

  constructor(
    private readonly queue: Queue,
    private readonly client: Redis,
    private readonly onError: (message: string) => void,
    private readonly onHealthy: () => void,
  ) {}

  /** Queues job `id` unless it is there already, and resolves with its outcome; never rejects. */
  want<T>(id: string, wanted: Wanted<T>): Promise<T> {
    const result = new Promise<T>((resolve) => this.pending.set(id, { wanted: wanted as Wanted<unknown>, resolve: resolve as (v: unknown) => void }));
    this.enqueue(id, wanted).catch((e: unknown) => this.settle(id, wanted.failed(undefined, `cannot queue: ${e instanceof Error ? e.message : String(e)}`)));
    this.schedule();
    return result;
  }

  /** Stops waiting for `id`, resolving it with `value`, and takes the job off the queue if no worker has it yet. */
  async drop(id: string, value: unknown): Promise<void> {
    this.settle(id, value);
    await this.queue.remove(id).catch(() => 0); // active (locked) or gone: nothing to do
  }

  /** Stops polling; what is pending stays pending. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private async enqueue(id: string, w: Wanted<unknown>): Promise<void> {
    const state = await this.queue.getJobState(id);
    if (state === 'failed' && w.retryEarlierFailure) {
      await (await Job.fromId(this.queue, id))?.retry('failed'); // failed in an earlier run: once more
    } else if (state === 'unknown') {
      await this.queue.add(w.name, w.data, { jobId: id });
    }
    // waiting, active, delayed, completed: queued already (by an earlier run); its outcome serves.
  }

  private settle(id: string, value: unknown): void {
    const p = this.pending.get(id);
    if (p === undefined) return;
    this.pending.delete(id);
    p.resolve(value);
  }

  private arrived(id: string, raw: unknown): boolean {
    const p = this.pending.get(id);
    if (p === undefined) return false;
    const v = p.wanted.parse(raw);
    if (v === undefined) return false;
    this.onOutcome?.(raw, p.wanted.name);
    this.settle(id, v);
    return true;
  }

  private schedule(): void {
    if (this.timer === undefined && !this.closed && this.pending.size > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.tick();
      }, TICK_MS);
    }
  }

  private async reconcile(ids: string[]): Promise<void> {
    const states = await Promise.all(ids.map((id) => this.queue.getJobState(id)));
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const p = this.pending.get(id);
      if (p === undefined) continue;
      if (states[i] === 'failed') {
        this.settle(id, p.wanted.failed(await Job.fromId(this.queue, id)));
      } else if (states[i] === 'completed') {
        // Its outcome key expired or was never written: the job's return value says the same.
        const job = await Job.fromId(this.queue, id);
        if (!this.arrived(id, job?.returnvalue)) this.settle(id, p.wanted.failed(undefined, 'completed on the queue without a result a coordinator can read'));
      } else if (states[i] === 'unknown') {
        await this.queue.add(p.wanted.name, p.wanted.data, { jobId: id }); // Redis lost it: queue it again
      }
    }
  }

  private async tick(): Promise<void> {
    this.ticks++;
    try {
      const ids = [...this.pending.keys()];
      for (let i = 0; i < ids.length; i += 1000) {
        const batch = ids.slice(i, i + 1000);
        const texts = await this.client.mget(batch.map(doneKey));
        texts.forEach((t, j) => {
          if (t !== null) this.arrived(batch[j], safeJson(t));
        });
      }
      if (this.ticks % 4 === 0) {
        const c = await this.queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
        this.counts = { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0), active: c.active ?? 0 };
      }
      if (this.ticks % RECONCILE_EVERY === 0 && this.pending.size > 0) {
        const all = [...this.pending.keys()];
        this.cursor %= all.length;
        const slice = all.slice(this.cursor, this.cursor + RECONCILE_BATCH);
        this.cursor += slice.length;
        await this.reconcile(slice);
      }
      this.onHealthy();
    } catch (e) {
      this.onError(e instanceof Error ? e.message : String(e));
    }
    this.schedule();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
