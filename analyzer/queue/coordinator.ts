/**
 * The coordinator's side of `recheck --queue`: an executor that puts each cache miss on the
 * BullMQ queue as one job, and resolves it when a `hindsight worker` (on any machine) has
 * checked it. Planning, the cache lookup and the rows stay in recheck/run.ts, so the table is
 * the local one; waiting is queue/waiter.ts's.
 *
 * A job's id is its cache key: a history already queued — by this run, or by an earlier
 * coordinator that was killed — is not queued twice, and its result serves whoever waits for
 * it; one that failed in an earlier run is tried once more. Under `--force` or `--no-cache`
 * the id carries this run's id as well, so old results are not taken for fresh ones.
 *
 * A history at least `splitOverBytes` long that is checked per key by the linearizable checker
 * alone is not one job: the coordinator checks it itself and sends its undecided keys to the
 * workers as search jobs (queue/search-pool.ts), so one huge history uses every worker.
 */
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { codeVersion } from '../recheck/cache.js';
import type { CheckExecutor, ExecutorResult } from '../recheck/run.js';
import recheckOne, { type RecheckTask } from '../recheck/worker.js';
import { type JobSource, type QueueJob, JOB_FORMAT, QUEUE_NAME, encodeOptions, shipHistory } from './job.js';
import { parseOutcome } from './outcome.js';
import { DONE_TTL_SECONDS, cacheEntryKey, connected } from './redis.js';
import { QueueSearchPool } from './search-pool.js';
import type { QueueAddress } from './url.js';
import { JobWaiter } from './waiter.js';

/** How the coordinator reaches its workers. */
export interface CoordinatorOptions {
  address: QueueAddress;
  /** The shared file system's root here: jobs name histories relative to it. */
  sharedRoot?: string;
  /** Ship histories in the jobs instead, up to this many compressed bytes each. */
  shipLimitBytes?: number;
  /** Histories this long or longer, checked per key by `linearizable`, are split into search jobs; undefined: none. */
  splitOverBytes?: number;
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
  /** Jobs waiting in the whole queue (other coordinators' too), and being worked on. */
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

/** What a job that failed on the queue is as a row. */
function failedRow(job: Job | undefined, why?: string): ExecutorResult {
  const tries = job?.attemptsMade ?? 0;
  const reason = why ?? job?.failedReason ?? 'no reason given';
  // BullMQ's words for a job whose workers died under it twice (maxStalledCount 1).
  const gloss = /stalled more than allowable limit/.test(reason) ? ' (the workers checking it died or stopped answering, twice)' : '';
  return { ops: null, verdict: 'error', detail: `${why !== undefined ? '' : `failed on the queue${tries > 1 ? ` after ${tries} attempts` : ''}: `}${reason}${gloss}`, seconds: null, warnings: 0, cacheable: false };
}

/** How the history of `task` travels: a path under the shared root `root`, or shipped; a string says why it cannot. */
async function jobSource(task: RecheckTask, root: string | undefined, o: CoordinatorOptions): Promise<JobSource | string> {
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
}

/** Whether `task` is a history to split into search jobs: per-key linearizability, and at least `splitOverBytes` long. */
function isHuge(task: RecheckTask, splitOverBytes: number | undefined): boolean {
  if (splitOverBytes === undefined || !splitsByKey(task)) return false;
  try {
    return statSync(task.file).size >= splitOverBytes;
  } catch {
    return false; // the check reports a file that cannot be read
  }
}

const splitsByKey = (task: RecheckTask): boolean => task.checkers.length === 1 && task.checkers[0] === 'linearizable' && (task.options.independent === true || task.guessIndependent);

/** Opens the queue (waiting up to `connectSeconds` for Redis to answer: a one-line rejection otherwise). */
export async function openQueueExecutor(o: CoordinatorOptions): Promise<QueueExecutor> {
  let redisError: string | undefined;
  let started = false; // before Redis first answers, `ready` reports what goes wrong
  const onError = (m: string): void => {
    if (started && m !== redisError) o.onRedisError?.(m);
    redisError = m;
  };
  const client = await connected(o.address, 'coordinator', onError, (o.connectSeconds ?? 10) * 1000);
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
  const waiter = new JobWaiter(queue, client, onError, () => (redisError = undefined));
  const workers = new Map<string, { checked: number; first: number; last: number }>();
  waiter.onOutcome = (raw, name) => {
    const worker = name === 'check' && raw !== null && typeof raw === 'object' ? (raw as { worker?: unknown }).worker : undefined;
    if (typeof worker !== 'string') return;
    const now = Date.now();
    const w = workers.get(worker) ?? { checked: 0, first: now, last: now };
    w.checked++;
    w.last = now;
    workers.set(worker, w);
  };
  const runId = randomUUID().slice(0, 8);
  const code = codeVersion();
  const root = o.sharedRoot === undefined ? undefined : resolve(o.sharedRoot);

  /** Checks a huge keyed history here, its undecided keys on the workers; stores a cacheable verdict as a worker would. */
  const checkSplit = async (task: RecheckTask, key: string): Promise<ExecutorResult> => {
    const pool = new QueueSearchPool(waiter, `search-${runId}-${key.slice(0, 16)}`, code, task.file);
    const summary = await recheckOne(task, { keyPool: pool });
    const { cacheable, ...stored } = summary;
    if (o.cache && cacheable) await client.set(cacheEntryKey(key), JSON.stringify({ key, value: stored })).catch((e: unknown) => onError(e instanceof Error ? e.message : String(e)));
    return summary;
  };

  return {
    client,
    capacity: Infinity,
    storesVerdicts: true,
    needsKey: true,
    async check(task, key, limitMs) {
      const fail = (detail: string): ExecutorResult => failedRow(undefined, detail);
      if (key === undefined) return fail('no cache key'); // needsKey: recheck always gives one
      if (isHuge(task, o.splitOverBytes)) return checkSplit(task, key);
      const source = await jobSource(task, root, o);
      if (typeof source === 'string') return fail(source);
      let options;
      try {
        options = encodeOptions(task.options);
      } catch (e) {
        return fail(e instanceof Error ? e.message : String(e));
      }
      const data: QueueJob = { format: JOB_FORMAT, code, key, cache: o.cache, name: task.file, source, checkers: task.checkers, options, guessIndependent: task.guessIndependent, limitMs: limitMs ?? null };
      return waiter.want<ExecutorResult>(o.fresh ? `${key}-${runId}` : key, { name: 'check', data, parse: parseOutcome, failed: failedRow, retryEarlierFailure: true });
    },
    status: () => ({ ...waiter.counts, workers, redisError }),
    async close() {
      waiter.close();
      await queue.close().catch(() => undefined);
      client.disconnect();
    },
  };
}
