/**
 * Redis connections and the keys recheck keeps beside BullMQ's: the verdict cache, keyed as the
 * local cache is (`hindsight:recheck:<cache key>`), and each job's summary for its coordinator
 * (`hindsight:recheck:done:<job id>`, kept a day), which a coordinator reads in batches instead
 * of asking BullMQ about every job.
 */
import { Redis } from 'ioredis';
import type { VerdictCache } from '../recheck/cache.js';
import { type QueueAddress, scrub } from './url.js';

const CACHE_PREFIX = 'hindsight:recheck:';
const DONE_PREFIX = 'hindsight:recheck:done:';
/** How long a job's summary waits for its coordinator: a day. */
export const DONE_TTL_SECONDS = 86_400;

/** The Redis key of the cached verdict under cache key `key`. */
export const cacheEntryKey = (key: string): string => CACHE_PREFIX + key;
/** The Redis key of job `jobId`'s summary. */
export const doneKey = (jobId: string): string => DONE_PREFIX + jobId;

/**
 * A connection to `address` once Redis answers it (`ready`); the connection is closed and the
 * rejection passed on when it does not.
 */
export async function connected(address: QueueAddress, role: string, onError: (message: string) => void, timeoutMs: number): Promise<Redis> {
  const client = connect(address, role, onError);
  try {
    await ready(client, address, timeoutMs);
  } catch (e) {
    client.disconnect();
    throw e;
  }
  return client;
}

/**
 * A connection to `address`, connected lazily (see `ready`). Commands wait through outages
 * (`maxRetriesPerRequest: null`, as BullMQ requires) and it reconnects every 0.2–2 s, so a
 * Redis restart costs time, not work; errors go to `onError`, scrubbed of the password.
 */
function connect(address: QueueAddress, role: string, onError: (message: string) => void): Redis {
  const client = new Redis(address.url, {
    lazyConnect: true,
    maxRetriesPerRequest: null,
    connectionName: `hindsight-${role}`,
    retryStrategy: (times) => Math.min(200 * times, 2000),
  });
  client.on('error', (e: Error) => onError(scrub(e.message, address)));
  return client;
}

const isAuthError = (m: string): boolean => /WRONGPASS|NOAUTH|invalid password|AUTH/i.test(m);

/**
 * Connects `client` and resolves once Redis answers; rejects with a one-line message naming the
 * address (without its password) when it refuses the password at once, or does not answer
 * within `timeoutMs`.
 */
async function ready(client: Redis, address: QueueAddress, timeoutMs: number): Promise<void> {
  let last = '';
  const onError = (e: Error): void => {
    last = scrub(e.message, address);
  };
  client.on('error', onError);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`cannot reach ${address.redacted} within ${timeoutMs / 1000} s${last === '' ? '' : `: ${last}`}`)), timeoutMs);
      const fail = (e: Error): void => {
        const m = scrub(e.message, address);
        if (!isAuthError(m)) return; // not yet reachable: ioredis tries again
        clearTimeout(timer);
        reject(new Error(`${address.redacted}: ${m}`));
      };
      client.on('error', fail);
      client.connect().catch(() => {
        // reported through 'error'
      });
      client
        .ping()
        .then(() => {
          clearTimeout(timer);
          client.off('error', fail);
          resolve();
        })
        .catch((e: unknown) => {
          clearTimeout(timer);
          reject(new Error(`${address.redacted}: ${scrub(e instanceof Error ? e.message : String(e), address)}`));
        });
    });
  } finally {
    client.off('error', onError);
  }
}

/** Recheck's verdict cache in Redis (see this file's header); values as the file cache keeps them. */
export class RedisVerdictCache<T> implements VerdictCache<T> {
  constructor(
    private readonly client: Redis,
    readonly where: string,
  ) {}

  async get(key: string): Promise<T | undefined> {
    const text = await this.client.get(cacheEntryKey(key));
    if (text === null) return undefined;
    try {
      const entry = JSON.parse(text) as { key?: string; value?: T };
      return entry.key === key ? entry.value : undefined;
    } catch {
      return undefined; // damaged: check again
    }
  }

  async put(key: string, value: T): Promise<void> {
    await this.client.set(cacheEntryKey(key), JSON.stringify({ key, value }));
  }
}
