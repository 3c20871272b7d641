/**
 * `recheck --queue`: the flags that send a recheck's cache misses to `hindsight worker`s through
 * Redis instead of this machine's threads (see docs/recheck.md, "On many machines"). Loaded
 * only when `--queue` is given: BullMQ and ioredis cost start-up time no local recheck pays.
 */
import { existsSync, statSync } from 'node:fs';
import { UsageError } from '../check/checker.js';
import { type QueueExecutor, openQueueExecutor } from '../queue/coordinator.js';
import { RedisVerdictCache } from '../queue/redis.js';
import { queueStatusText } from '../queue/status.js';
import { parseQueueAddress } from '../queue/url.js';
import type { VerdictCache } from '../recheck/cache.js';
import type { StoredVerdict } from '../recheck/run.js';
import { positiveNumber } from '../util/options.js';

/** The queue flags of `recheck`, as commander gives them. */
export interface QueueFlags {
  queue?: string;
  sharedRoot?: string;
  ship?: boolean;
  shipLimit?: string;
  splitOver?: string;
  workers?: string;
  force?: boolean;
  /** False for `--no-cache`. */
  cache?: string | false;
}

/** What `recheck` checks through when `--queue` is given. */
export interface QueueSetup {
  executor: QueueExecutor;
  /** The Redis cache; undefined under `--no-cache`. */
  cache?: VerdictCache<StoredVerdict>;
  /** The progress line's queue part. */
  suffix: (done: number, total: number, at: number) => string;
  /** recheck.json's `queue`: the address without its password, and what each worker checked. */
  report: () => { address: string; workers: Record<string, number> };
}

/** Default `--ship-limit`, in MB of compressed history. */
export const DEFAULT_SHIP_LIMIT_MB = 64;
/** Default `--split-over`, in MB of history file. */
export const DEFAULT_SPLIT_OVER_MB = 64;

/**
 * Validates the queue flags (UsageError: one of --shared-root and --ship, not --workers or
 * --cache DIR) and opens the queue; rejects with a one-line Error when Redis cannot be reached.
 */
export async function openQueue(flags: QueueFlags & { queue: string }, onRedisError: (m: string) => void): Promise<QueueSetup> {
  const address = parseQueueAddress(flags.queue);
  if ((flags.sharedRoot === undefined) === (flags.ship !== true)) {
    throw new UsageError('--queue needs one of --shared-root DIR (every worker mounts the archive) and --ship (histories travel in the jobs)');
  }
  if (flags.workers !== undefined) throw new UsageError('--workers is this machine\'s thread budget and has no effect with --queue: give each `hindsight worker` its --concurrency');
  if (typeof flags.cache === 'string') throw new UsageError('--cache DIR is the local cache; with --queue the cache is in Redis (--no-cache to leave it out)');
  if (flags.shipLimit !== undefined && flags.ship !== true) throw new UsageError('--ship-limit goes with --ship');
  if (flags.sharedRoot !== undefined && !(existsSync(flags.sharedRoot) && statSync(flags.sharedRoot).isDirectory())) {
    throw new UsageError(`--shared-root ${flags.sharedRoot} is not a directory`);
  }
  const shipLimitMb = positiveNumber('--ship-limit', flags.shipLimit ?? String(DEFAULT_SHIP_LIMIT_MB), 'MB');
  const splitOverMb = positiveNumber('--split-over', flags.splitOver ?? String(DEFAULT_SPLIT_OVER_MB), 'MB');
  const useCache = flags.cache !== false;
  const executor = await openQueueExecutor({
    address,
    sharedRoot: flags.sharedRoot,
    shipLimitBytes: flags.ship === true ? shipLimitMb * 1048576 : undefined,
    splitOverBytes: splitOverMb * 1048576,
    cache: useCache,
    fresh: flags.force === true || !useCache,
    onRedisError,
  });
  const startedAt = Date.now();
  return {
    executor,
    cache: useCache ? new RedisVerdictCache<StoredVerdict>(executor.client, address.redacted) : undefined,
    suffix: (done, total, at) => queueStatusText(executor.status(), done, total, startedAt, at),
    report: () => ({ address: address.redacted, workers: Object.fromEntries([...executor.status().workers].map(([n, w]) => [n, w.checked])) }),
  };
}
