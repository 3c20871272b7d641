/**
 * The coordinator's side of `recheck --queue`: an executor that puts each cache miss on the
 * BullMQ queue as one job, and resolves it when a `hindsight worker` (on any machine) has
 * checked it. Planning, the cache lookup and the rows stay in recheck/run.ts, so the table is
 * the local one.
 *
 * A job's id is its cache key: a history already queued — by this run, or by an earlier
 * coordinator that was killed — is not queued twice, and its result serves whoever waits for
 * it. Under `--force` or `--no-cache` the id carries this run's id as well, so old results
 * are not taken for fresh ones. Waiting is by polling, which survives anything a stream of
 * events would not (Redis restarting, this process starting late): every 0.25 s one MGET of
 * the pending jobs' summaries (workers write them beside the cache, see redis.ts), and every
 * 2 s a reconciliation of up to 1000 of them with BullMQ: a failed job becomes an `error` row
 * with its cause; a job Redis lost (it restarted without persistence) is queued again; a job
 * failed in an earlier run is retried once when this run asks for it.
 */
import { randomUUID } from 'node:crypto';
import { isAbsolute, relative, resolve } from 'node:path';
import { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { codeVersion } from '../recheck/cache.js';
import type { CheckExecutor, ExecutorResult } from '../recheck/run.js';
import type { RecheckTask } from '../recheck/worker.js';
import { type JobSource, type QueueJob, JOB_FORMAT, QUEUE_NAME, encodeOptions, shipHistory } from './job.js';
import { DONE_TTL_SECONDS, connect, doneKey, ready } from './redis.js';
import { parseOutcome } from './outcome.js';
import type { QueueAddress } from './url.js';

/** How the coordinator reaches its workers. */
export interface CoordinatorOptions {
  address: QueueAddress;
  /** The shared file system's root here: jobs name histories relative to it. */
  sharedRoot?: string;
  /** Ship histories in the jobs instead, up to this many compressed bytes each. */
  shipLimitBytes?: number;
  /** Let workers store cacheable verdicts in the Redis cache (false: `--no-cache`). */
  cache: boolean;
  /** A fresh check of everything (`--force`, `--no-cache`): job ids carry this run's id. */
  fresh: boolean;
  /** Seconds to wait for Redis to answer at the start. */
  connectSeconds?: number;
  /** Redis trouble while running (it is waited through); scrubbed of the password. */
  onRedisError?: (message: string) => void;
}

/** What the progress line shows of the queue. */
export interface QueueStatus {
  /** Jobs waiting in the whole queue (other coordinators' too), and being checked. */
  waiting: number;
  active: number;
  /** Per worker: histories it checked for this run, and the span of their finishing times (ms). */
  workers: Map<string, { checked: number; first: number; last: number }>;
  /** The last Redis error, while Redis is unreachable; undefined when it answers. */
  redisError?: string;
}

/** The queue executor, with its connection, for the cache in the same Redis. */
export interface QueueExecutor extends CheckExecutor {
  readonly client: Redis;
  status(): QueueStatus;
}

interface Pending {
  data: QueueJob;
  resolve: (s: ExecutorResult) => void;
}

const TICK_MS = 250;
const RECONCILE_EVERY = 8;
const RECONCILE_BATCH = 1000;

/** Opens the queue (waiting up to `connectSeconds` for Redis to answer: a one-line rejection otherwise). */
export async function openQueueExecutor(o: CoordinatorOptions): Promise<QueueExecutor> {
  let redisError: string | undefined;
  let started = false; // before Redis first answers, `ready` reports what goes wrong
  const onError = (m: string): void => {
    if (started && m !== redisError) o.onRedisError?.(m);
    redisError = m;
  };
  const client = connect(o.address, 'coordinator', onError);
  try {
    await ready(client, o.address, (o.connectSeconds ?? 10) * 1000);
  } catch (e) {
    client.disconnect();
    throw e;
  }
  redisError = undefined;
  started = true;
  const queue = new Queue(QUEUE_NAME, {
    connection: client,
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: 'fixed', delay: 1000 },
      removeOnComplete: { age: DONE_TTL_SECONDS },
      removeOnFail: { age: 7 * DONE_TTL_SECONDS },
    },
  });
  queue.on('error', (e: Error) => onError(e.message));
  const runId = randomUUID().slice(0, 8);
  const code = codeVersion();
  const root = o.sharedRoot === undefined ? undefined : resolve(o.sharedRoot);
  const pending = new Map<string, Pending>();
  const workers = new Map<string, { checked: number; first: number; last: number }>();
  let counts = { waiting: 0, active: 0 };
  let ticks = 0;
  let cursor = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const settle = (id: string, s: ExecutorResult & { worker?: string }): void => {
    const p = pending.get(id);
    if (p === undefined) return;
    pending.delete(id);
    if (s.worker !== undefined) {
      const now = Date.now();
      const w = workers.get(s.worker) ?? { checked: 0, first: now, last: now };
      w.checked++;
      w.last = now;
      workers.set(s.worker, w);
    }
    const { worker: _w, ...summary } = s;
    p.resolve(summary);
  };

  const enqueue = async (id: string, data: QueueJob): Promise<void> => {
    const state = await queue.getJobState(id);
    if (state === 'failed') {
      await (await Job.fromId(queue, id))?.retry('failed'); // failed in an earlier run: once more
    } else if (state === 'unknown') {
      await queue.add('check', data, { jobId: id });
    }
    // waiting, active, delayed, completed: someone queued it already; its summary serves us.
  };

  const failedSummary = (job: Job | undefined): ExecutorResult => {
    const tries = job?.attemptsMade ?? 0;
    const reason = job?.failedReason ?? 'no reason given';
    // BullMQ's words for a job whose workers died under it twice (maxStalledCount 1).
    const gloss = /stalled more than allowable limit/.test(reason) ? ' (the workers checking it died or stopped answering, twice)' : '';
    return { ops: null, verdict: 'error', detail: `failed on the queue${tries > 1 ? ` after ${tries} attempts` : ''}: ${reason}${gloss}`, seconds: null, warnings: 0, cacheable: false };
  };

  const reconcile = async (ids: string[]): Promise<void> => {
    const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const p = pending.get(id);
      if (p === undefined) continue;
      if (states[i] === 'failed') {
        settle(id, failedSummary(await Job.fromId(queue, id)));
      } else if (states[i] === 'completed') {
        // Its summary key expired or was never written: the job's return value says the same.
        const job = await Job.fromId(queue, id);
        const out = parseOutcome(job?.returnvalue);
        settle(id, out ?? { ...failedSummary(job), detail: 'completed on the queue without a result a coordinator can read' });
      } else if (states[i] === 'unknown') {
        await queue.add('check', p.data, { jobId: id }); // Redis lost it: queue it again
      }
    }
  };

  const tick = async (): Promise<void> => {
    ticks++;
    try {
      const ids = [...pending.keys()];
      for (let i = 0; i < ids.length; i += 1000) {
        const batch = ids.slice(i, i + 1000);
        const texts = await client.mget(batch.map(doneKey));
        texts.forEach((t, j) => {
          const out = t === null ? undefined : parseOutcome(safeJson(t));
          if (out !== undefined) settle(batch[j], out);
        });
      }
      if (ticks % 4 === 0) {
        const c = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
        counts = { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0), active: c.active ?? 0 };
      }
      if (ticks % RECONCILE_EVERY === 0 && pending.size > 0) {
        const all = [...pending.keys()];
        cursor %= all.length;
        const slice = all.slice(cursor, cursor + RECONCILE_BATCH);
        cursor += slice.length;
        await reconcile(slice);
      }
      redisError = undefined;
    } catch (e) {
      onError(e instanceof Error ? e.message : String(e));
    }
    if (!closed && pending.size > 0) timer = setTimeout(() => void tick(), TICK_MS);
    else timer = undefined;
  };

  const sourceOf = async (task: RecheckTask): Promise<JobSource | string> => {
    if (root !== undefined) {
      const rel = relative(root, resolve(task.file));
      if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return `${task.file} is not under --shared-root ${o.sharedRoot}`;
      return { path: rel.split('\\').join('/') };
    }
    try {
      return await shipHistory(task.file, task.file, o.shipLimitBytes ?? Infinity);
    } catch (e) {
      return e instanceof Error && (e as NodeJS.ErrnoException).code !== undefined ? `${task.file}: ${e.message}` : e instanceof Error ? e.message : String(e);
    }
  };

  return {
    client,
    capacity: Infinity,
    storesVerdicts: true,
    needsKey: true,
    async check(task, key, limitMs) {
      const fail = (detail: string): ExecutorResult => ({ ops: null, verdict: 'error', detail, seconds: null, warnings: 0, cacheable: false });
      if (key === undefined) return fail('no cache key'); // needsKey: recheck always gives one
      const source = await sourceOf(task);
      if (typeof source === 'string') return fail(source);
      let options;
      try {
        options = encodeOptions(task.options);
      } catch (e) {
        return fail(e instanceof Error ? e.message : String(e));
      }
      const data: QueueJob = { format: JOB_FORMAT, code, key, cache: o.cache, name: task.file, source, checkers: task.checkers, options, guessIndependent: task.guessIndependent, limitMs: limitMs ?? null };
      const id = o.fresh ? `${key}-${runId}` : key;
      const result = new Promise<ExecutorResult>((res) => pending.set(id, { data, resolve: res }));
      // Enqueueing waits through a Redis outage like every command; it fails only when closed.
      await enqueue(id, data).catch((e: unknown) => settle(id, fail(`cannot queue: ${e instanceof Error ? e.message : String(e)}`)));
      if (timer === undefined && !closed) timer = setTimeout(() => void tick(), TICK_MS);
      return result;
    },
    status: () => ({ ...counts, workers, redisError }),
    async close() {
      closed = true;
      clearTimeout(timer);
      await queue.close().catch(() => undefined);
      client.disconnect();
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
