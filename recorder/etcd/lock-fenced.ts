/**
 * `lock-fenced-set`: the third lock test of Jepsen's etcd analysis, and the fix it recommends.
 * Like `lock-set`, `add x` takes the lock, reads the set, waits, and writes the set with x added;
 * but the set lives in etcd (one key), and the write is a Txn guarded by the holder's lock key
 * still existing. The lock key is tied to the holder's lease, so once the lease has expired (the
 * holder was cut off, paused, slow) the key is gone, the guard fails and the write is refused:
 * `:fail :lock-lost`, certainly not applied. A holder can no longer overwrite what the next
 * holder wrote, so no acknowledged add is lost, in exactly the conditions where lock-set loses
 * one. Checked by `lock-set` (lost acknowledged adds) against a final linearizable read.
 */
import { kw } from '../../analyzer/edn/values.js';
import type { Completion, Invocation } from '../core/types.js';
import type { EtcdClient } from './client.js';
import { errorCompletion } from './kv-ops.js';
import type { LockClientState, LockOptions } from './lock-watch.js';

/** The etcd key holding the fenced set (a JSON array of integers). */
export const FENCED_SET_KEY = 'fenced-set';

async function readSet(c: EtcdClient, timeoutMs: number): Promise<number[]> {
  const { kv } = await c.get(FENCED_SET_KEY, { timeoutMs });
  return kv === undefined ? [] : (JSON.parse(kv.value) as number[]);
}

/** One lock-fenced-set op: `add x` under the lock with a fenced write, or a linearizable `read`; throws only for an unknown `f`. */
export async function lockFencedSetOp(c: EtcdClient, s: LockClientState, op: Invocation, o: LockOptions): Promise<Completion> {
  if (op.f === 'read') {
    try {
      return { type: 'ok', value: (await readSet(c, o.timeoutMs)).sort((a, b) => a - b) };
    } catch (e) {
      return errorCompletion(e, true);
    }
  }
  if (op.f !== 'add') throw new Error(`lock-fenced-set: unknown f ${op.f}`);
  const got = await s.acquire(c, o);
  if (got.type !== 'ok') return got;
  try {
    let before: number[];
    try {
      before = await readSet(c, o.timeoutMs);
    } catch (e) {
      // Nothing was written: the add certainly did not happen.
      return { type: 'fail', error: [kw('read'), (e as Error).message] };
    }
    await (o.hold ? o.hold(op) : new Promise((r) => setTimeout(r, Math.floor(Math.random() * (o.holdMs ?? 1000)))));
    const fence = s.key!;
    try {
      const r = await c.txn([{ key: fence, target: 'VERSION', result: 'GREATER', operand: 0 }], [{ put: FENCED_SET_KEY, value: JSON.stringify([...before, op.value as number]) }], [], o.timeoutMs);
      return r.succeeded ? { type: 'ok' } : { type: 'fail', error: [kw('lock-lost'), s.lostLease ?? 'the lock key is gone (its lease expired)'] };
    } catch (e) {
      return errorCompletion(e, false);
    }
  } finally {
    await s.release(c);
  }
}
