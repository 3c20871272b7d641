/**
 * etcd's own workloads, after Jepsen's etcd analysis:
 *
 * - `lock`: `acquire` / `release` of one lock through etcd's Lock API, each holder keeping its
 *   lease alive on a stream → `linearizable` with the `mutex` model. A lock in etcd is a key tied
 *   to a lease: if keep-alives stop reaching the leader (a paused or partitioned member, a slow
 *   client) the lease expires and someone else acquires the lock while the first holder still
 *   believes it holds it. So etcd locks are not mutexes, and this workload shows it.
 * - `lock-set`: `add x` acquires the lock, reads a set kept in this recorder's memory (shared by
 *   all clients), waits a little, writes the set with x added, and releases; a final `read`
 *   returns the set. If two clients ever hold the lock at once, one's write overwrites the other's
 *   and an acknowledged add is lost → `lock-set`.
 * - `lock-fenced-set` (lock-fenced.ts): the same with the set in etcd and its write fenced by
 *   the lock key: what lock-set loses, it refuses.
 * - `watch`: a few threads `write` unique integers to one key; the others `watch` it from the
 *   revision where they stopped, for a random while, completing with `{:revision r :log [values]}`;
 *   at the end each watcher does a `final-watch` until it has caught up with the key's last
 *   revision. Every watcher must see the same sequence of values → `watch`. Watch ops only ever
 *   complete `ok` or `fail` (never `info`): a fresh process would restart its log.
 */
import { kw } from '../../analyzer/edn/values.js';
import { clients, cycle, eachThread, fromFn, once, reserve, stagger } from '../generator/combinators.js';
import type { Generator } from '../generator/core.js';
import { standardWorkload } from '../workloads/index.js';
import { counted } from '../workloads/counted.js';
import type { Completion, Invocation, TestContext, Workload } from '../core/types.js';
import type { EtcdClient } from './client.js';
import { completionFor } from './errors.js';
import { errorCompletion, type KvOptions } from './kv-ops.js';

/** `append` is the etcd analysis's name for the standard list-append workload. */
export const CUSTOM_WORKLOADS = ['append', 'lock', 'lock-set', 'lock-fenced-set', 'watch'] as const;

const LOCK_NAME = 'hindsight-lock';
const WATCH_KEY = 'w';

/** How the lock workloads hold their locks. */
export interface LockOptions {
  /** Lease TTL in seconds (short TTLs make expiries under pauses likely). */
  readonly ttlSeconds: number;
  /** Deadline of each lock RPC (ms). */
  readonly timeoutMs: number;
  /** Longest time a lock-set holder spends between reading and writing the set (ms). */
  readonly holdMs?: number;
  /**
   * The wait inside lock-set's critical section, between reading and writing the set (default: a
   * random time up to `holdMs`). A test that must order two holders exactly passes its own.
   */
  readonly hold?: (op: Invocation) => Promise<void>;
}

/** What one client process holds: its lease, keep-alive stream and lock key. */
export class LockClientState {
  /** The lease held (granted by `acquire`, revoked by `release`). */
  lease: string | undefined;
  /** The lock's ownership key while held. */
  key: string | undefined;
  /** Why the keep-alive lost the lease while held, if it did. */
  lostLease: string | undefined;
  private stopKeepAlive: (() => void) | undefined;

  /**
   * Grants a lease, keeps it alive and takes the lock under it; `:fail :already-held` if this process holds it.
   */
  async acquire(c: EtcdClient, o: LockOptions): Promise<Completion> {
    if (this.key) return { type: 'fail', error: kw('already-held') };
    try {
      this.lease = await c.leaseGrant(o.ttlSeconds, o.timeoutMs);
    } catch (e) {
      // No lock was requested yet: whatever happened to the lease, the lock is not held.
      return { type: 'fail', error: [kw('lease-grant'), completionFor(e, true).message] };
    }
    this.lostLease = undefined;
    this.stopKeepAlive = c.keepAlive(this.lease, Math.max(100, (o.ttlSeconds * 1000) / 3), (why) => {
      this.lostLease = why;
    });
    try {
      this.key = await c.lock(LOCK_NAME, this.lease, o.timeoutMs);
      return { type: 'ok' };
    } catch (e) {
      const r = errorCompletion(e, false);
      await this.release(c);
      return r;
    }
  }

  /** Unlocks (if held), stops the keep-alive and revokes the lease; errors are swallowed. */
  async release(c: EtcdClient): Promise<void> {
    this.stopKeepAlive?.();
    this.stopKeepAlive = undefined;
    const key = this.key;
    const lease = this.lease;
    this.key = undefined;
    this.lease = undefined;
    if (key) await c.unlock(key, 2000).catch(() => undefined);
    if (lease) await c.leaseRevoke(lease, 2000).catch(() => undefined);
  }
}

/** One lock op (`acquire`/`release`); throws only for an unknown `f`. */
export async function lockOp(c: EtcdClient, s: LockClientState, op: Invocation, o: LockOptions): Promise<Completion> {
  if (op.f === 'acquire') return s.acquire(c, o);
  if (op.f !== 'release') throw new Error(`lock: unknown f ${op.f}`);
  if (!s.key) return { type: 'fail', error: kw('not-held') };
  const key = s.key;
  try {
    await c.unlock(key, o.timeoutMs);
  } catch (e) {
    const r = errorCompletion(e, false);
    s.key = undefined;
    await s.release(c);
    return r;
  }
  s.key = undefined;
  await s.release(c);
  return { type: 'ok' };
}

/** The set that lock-set clients protect with the lock; one per test run. */
const sharedSets = new WeakMap<TestContext, Set<number>>();

function sharedSet(test: TestContext): Set<number> {
  let s = sharedSets.get(test);
  if (!s) sharedSets.set(test, (s = new Set()));
  return s;
}

/** One lock-set op: `add x` under the lock (see the module doc) or `read`; throws only for an unknown `f`. */
export async function lockSetOp(c: EtcdClient, s: LockClientState, op: Invocation, o: LockOptions, test: TestContext): Promise<Completion> {
  const shared = sharedSet(test);
  if (op.f === 'read') return { type: 'ok', value: [...shared].sort((a, b) => a - b) };
  if (op.f !== 'add') throw new Error(`lock-set: unknown f ${op.f}`);
  const got = await s.acquire(c, o);
  if (got.type !== 'ok') return got;
  // The critical section: a non-atomic read-modify-write that only the lock protects.
  const before = [...shared];
  await (o.hold ? o.hold(op) : new Promise((r) => setTimeout(r, Math.floor(Math.random() * (o.holdMs ?? 1000)))));
  shared.clear();
  for (const x of before) shared.add(x);
  shared.add(op.value as number);
  const lost = s.lostLease;
  await s.release(c);
  return lost ? { type: 'ok', value: op.value, error: [kw('lease-lost-while-held'), lost] } : { type: 'ok' };
}

/** Per-process watch position: the highest revision whose events this process has seen. */
export class WatchState {
  /** The highest revision seen. */
  revision = 0;
  /**
   * `watchFrom` 0 (`--watch-from 0`): a watch that has seen nothing yet asks etcd for revision 0,
   * which etcd takes as "the current revision plus one" (the etcd analysis's finding): the events
   * before it are never delivered. 1, the default, asks for every event from the first.
   */
  constructor(readonly watchFrom: 0 | 1 = 1) {}
}

/** Watches from `start` (default `from + 1`) until `until()` is true or `ms` passed; resolves with what was seen. */
export function watchFor(c: EtcdClient, from: number, ms: number, signal: AbortSignal, until?: (rev: number) => boolean, start = from + 1): Promise<{ revision: number; log: number[] }> {
  return new Promise((resolve, reject) => {
    let revision = from;
    const log: number[] = [];
    let done = false;
    const finish = (err?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      stop();
      if (err) reject(err);
      else resolve({ revision, log });
    };
    const onAbort = (): void => finish();
    const timer = setTimeout(() => finish(), ms);
    signal.addEventListener('abort', onAbort);
    const stop = c.watch(
      WATCH_KEY,
      start,
      (events) => {
        for (const e of events) {
          if (e.kv.modRevision <= revision) return finish(new Error(`nonmonotonic watch: revision ${e.kv.modRevision} after ${revision}`));
          revision = e.kv.modRevision;
          if (e.type === 'PUT') log.push(Number(e.kv.value));
        }
        if (until?.(revision)) finish();
      },
      (why) => finish(why === 'stopped' ? undefined : new Error(why)),
    );
  });
}

/**
 * One watch-workload op. `maxWatchMs` bounds a `watch`; `finalWatchMs` a `final-watch` (both must
 * stay under the recorder's op timeout, or the op would be recorded `info`).
 */
export async function watchOp(c: EtcdClient, w: WatchState, op: Invocation, kv: KvOptions, signal: AbortSignal, maxWatchMs: number, finalWatchMs: number, watchMs?: number): Promise<Completion> {
  switch (op.f) {
    case 'write':
      try {
        await c.put(WATCH_KEY, String(op.value));
        return { type: 'ok' };
      } catch (e) {
        return errorCompletion(e, false);
      }
    case 'watch':
    case 'final-watch': {
      let until: ((rev: number) => boolean) | undefined;
      // A watch lasts a random while, or exactly `watchMs` (a scenario that must order it).
      let ms = watchMs ?? Math.floor(Math.random() * maxWatchMs);
      if (op.f === 'final-watch') {
        try {
          const target = (await c.get(WATCH_KEY, { serializable: kv.serializable })).kv?.modRevision ?? 0;
          if (target <= w.revision) return { type: 'ok', value: { revision: w.revision, log: [] } };
          until = (rev) => rev >= target;
          ms = finalWatchMs;
        } catch (e) {
          return errorCompletion(e, true);
        }
      }
      try {
        const fromZero = w.watchFrom === 0 && w.revision === 0;
        const r = await watchFor(c, w.revision, ms, signal, until, fromZero ? 0 : w.revision + 1);
        if (until && !until(r.revision)) return { type: 'fail', error: [kw('not-caught-up'), r.revision] };
        w.revision = r.revision;
        return { type: 'ok', value: { revision: r.revision, log: r.log, ...(fromZero ? { from: 0 } : {}) } };
      } catch (e) {
        // Definite: this process's revision does not advance, so it re-reads these events next
        // time. Pause a little first: against a dead node every watch fails at once.
        await new Promise((r) => setTimeout(r, 200));
        const message = (e as Error).message;
        return { type: 'fail', error: [kw(message.startsWith('nonmonotonic') ? 'nonmonotonic-watch' : 'watch-error'), message] };
      }
    }
    default:
      throw new Error(`watch: unknown f ${op.f}`);
  }
}

function must(g: Generator | null): Generator {
  if (g === null) throw new Error('etcd workload: empty generator');
  return g;
}

/** The generators and checks of the custom workloads, or undefined for a standard workload. */
export function customWorkload(test: TestContext): Workload | undefined {
  const gap = test.opts.rate > 0 ? 1 / test.opts.rate : 0.05;
  switch (test.opts.workload) {
    case 'append':
      return standardWorkload('list-append');
    case 'lock':
      // Each thread alternates acquire, release; a process that crashed mid-acquire just gets a failing release.
      return {
        name: 'lock',
        generator: must(eachThread(must(stagger(gap, must(cycle([{ f: 'acquire', value: null }, { f: 'release', value: null }])))))),
        check: { checkers: ['linearizable'], options: { model: 'mutex' } },
      };
    case 'lock-set':
    case 'lock-fenced-set':
      return {
        name: test.opts.workload,
        generator: must(stagger(gap, counted((i) => ({ f: 'add', value: i })))),
        finalGenerator: must(clients(must(once({ f: 'read', value: null })))),
        check: { checkers: ['lock-set'], options: {} },
      };
    case 'watch': {
      const writers = Math.max(1, Math.min(test.opts.nodes.length, test.opts.concurrency - 1));
      return {
        name: 'watch',
        generator: must(reserve(writers, must(stagger(gap, counted((i) => ({ f: 'write', value: i })))), fromFn(() => ({ f: 'watch', value: null })))),
        finalGenerator: must(reserve(writers, [], must(eachThread(must(once({ f: 'final-watch', value: null })))))),
        check: { checkers: ['watch'], options: {} },
      };
    }
    default:
      return undefined;
  }
}
