/**
 * Anomaly scripts for the transactional workloads: a few transactions on fresh keys that no other
 * transaction touches, written while nothing else is in flight (clients.ts), so that the anomaly
 * is present for certain and nothing else is. When two transactions are "concurrent" below, both
 * are invoked before either completes (sequential if there is one process only). x, y are fresh
 * keys; `a` is an append (list-append) or a write (rw-register) and `r k v` a read that saw v.
 *
 *   G0           T1 [a x 1, a y 1] ‖ T2 [a x 2, a y 2], then a read of x = [1 2], y = [2 1]
 *                (list-append only: rw-register cannot show write order without reads)
 *   G1a          T1 [a x 1] fails, then T2 [r x 1]: a read of an aborted write
 *   G1b          T1 [a x 1, a x 2], then T2 [r x 1]: a read of an intermediate write
 *   G1c          T1 [a x 1, r y 1] ‖ T2 [a y 1, r x 1]: each reads the other's write
 *   G-single     T1 [a x 1, a y 1] ‖ T2 [r x (nothing), r y 1]: read skew
 *   G2-item      T1 [r x (nothing), a y 1] ‖ T2 [r y (nothing), a x 1]: write skew
 *   lost-update  T1 [r x (nothing), a x 1] ‖ T2 [r x (nothing), a x 2]
 *   internal     T1 [a x 1, r x (nothing)]: a transaction misses its own write
 *   incompatible-order (list-append) appends 1, 2 to x; one read [1 2], another [2 1]
 *
 * In list-append, a later read of the whole of each key (T3) pins the version order, since
 * Elle orders appends only by what reads show.
 */
import type { EdnValue } from '../edn/values.js';
import type { Script } from './clients.js';
import { ABORTED, APPEND, R, TXN, type TxnDb, type TxnGenWorkload, W } from './txn.js';

/** The anomalies list-append can script. */
export const LIST_APPEND_ANOMALIES = ['G0', 'G1a', 'G1b', 'G1c', 'G-single', 'G2-item', 'lost-update', 'internal', 'incompatible-order'] as const;
/** The anomalies rw-register can script: no G0 or incompatible-order, which need reads to show write order. */
export const RW_REGISTER_ANOMALIES = ['G1a', 'G1b', 'G1c', 'G-single', 'G2-item', 'lost-update', 'internal'] as const;
/** Any transactional anomaly. */
export type TxnAnomaly = (typeof LIST_APPEND_ANOMALIES)[number] | (typeof RW_REGISTER_ANOMALIES)[number];

/**
 * The weakest common consistency model each anomaly violates, for the checker's
 * `--consistency-models` (Elle's table: analyzer/elle/consistency/table.ts).
 */
export const TXN_ANOMALY_MODEL: Record<TxnAnomaly, string> = {
  G0: 'read-uncommitted',
  G1a: 'read-committed',
  G1b: 'read-committed',
  G1c: 'read-committed',
  'G-single': 'snapshot-isolation',
  'G2-item': 'repeatable-read',
  'lost-update': 'cursor-stability',
  internal: 'read-atomic',
  'incompatible-order': 'read-committed',
};

type Mop = EdnValue[];
interface Txn {
  /** Micro-ops as completed (reads with what they saw). */
  mops: Mop[];
  fail?: boolean;
}

function invokeValue(t: Txn): EdnValue[] {
  return t.mops.map((m) => (m[0] === R ? [R, m[1], null] : m));
}

function start(s: Script, slot: number, t: Txn): void {
  s.invoke(slot, TXN, invokeValue(t));
}
function finish(s: Script, slot: number, t: Txn): void {
  s.complete(slot, t.fail === true ? { type: 'fail', value: invokeValue(t), error: ABORTED } : { type: 'ok', value: t.mops });
}
function one(s: Script, t: Txn): void {
  start(s, 0, t);
  finish(s, 0, t);
}
/** Both in flight at once when there are two processes. */
function both(s: Script, t1: Txn, t2: Txn): void {
  if (s.slots < 2) {
    one(s, t1);
    one(s, t2);
    return;
  }
  start(s, 0, t1);
  start(s, 1, t2);
  finish(s, 0, t1);
  finish(s, 1, t2);
}

interface ScriptDef {
  /** History entries written. */
  ops: number;
  run: (db: TxnDb, s: Script) => void;
}

const la = (k: number, v: number): Mop => [APPEND, k, v];
const rl = (k: number, ...v: number[]): Mop => [R, k, v];
const rw = (k: number, v: number): Mop => [W, k, v];
const rr = (k: number, v: number | null): Mop => [R, k, v];

/** Records the keys' final states, so the database agrees with what the script showed. */
function settle(db: TxnDb, states: [number, number[] | number][]): void {
  for (const [k, v] of states) db.state.set(k, v);
}

const listAppend: Record<string, ScriptDef> = {
  G0: { ops: 6, run: (db, s) => {
    const x = db.freshKey(), y = db.freshKey();
    both(s, { mops: [la(x, 1), la(y, 1)] }, { mops: [la(x, 2), la(y, 2)] });
    one(s, { mops: [rl(x, 1, 2), rl(y, 2, 1)] });
    settle(db, [[x, [1, 2]], [y, [2, 1]]]);
  } },
  G1a: { ops: 4, run: (db, s) => {
    const x = db.freshKey();
    one(s, { mops: [la(x, 1)], fail: true });
    one(s, { mops: [rl(x, 1)] });
    settle(db, [[x, [1]]]);
  } },
  G1b: { ops: 6, run: (db, s) => {
    const x = db.freshKey();
    one(s, { mops: [la(x, 1), la(x, 2)] });
    one(s, { mops: [rl(x, 1)] });
    one(s, { mops: [rl(x, 1, 2)] });
    settle(db, [[x, [1, 2]]]);
  } },
  G1c: { ops: 4, run: (db, s) => {
    const x = db.freshKey(), y = db.freshKey();
    both(s, { mops: [la(x, 1), rl(y, 1)] }, { mops: [la(y, 1), rl(x, 1)] });
    settle(db, [[x, [1]], [y, [1]]]);
  } },
  'G-single': { ops: 6, run: (db, s) => {
    const x = db.freshKey(), y = db.freshKey();
    both(s, { mops: [la(x, 1), la(y, 1)] }, { mops: [rl(x), rl(y, 1)] });
    one(s, { mops: [rl(x, 1), rl(y, 1)] });
    settle(db, [[x, [1]], [y, [1]]]);
  } },
  'G2-item': { ops: 6, run: (db, s) => {
    const x = db.freshKey(), y = db.freshKey();
    both(s, { mops: [rl(x), la(y, 1)] }, { mops: [rl(y), la(x, 1)] });
    one(s, { mops: [rl(x, 1), rl(y, 1)] });
    settle(db, [[x, [1]], [y, [1]]]);
  } },
  'lost-update': { ops: 6, run: (db, s) => {
    const x = db.freshKey();
    both(s, { mops: [rl(x), la(x, 1)] }, { mops: [rl(x), la(x, 2)] });
    one(s, { mops: [rl(x, 1, 2)] });
    settle(db, [[x, [1, 2]]]);
  } },
  internal: { ops: 4, run: (db, s) => {
    const x = db.freshKey();
    one(s, { mops: [la(x, 1), rl(x)] });
    one(s, { mops: [rl(x, 1)] });
    settle(db, [[x, [1]]]);
  } },
  'incompatible-order': { ops: 8, run: (db, s) => {
    const x = db.freshKey();
    one(s, { mops: [la(x, 1)] });
    one(s, { mops: [la(x, 2)] });
    one(s, { mops: [rl(x, 1, 2)] });
    one(s, { mops: [rl(x, 2, 1)] });
    settle(db, [[x, [1, 2]]]);
  } },
};

const rwRegister: Record<string, ScriptDef> = {
  G1a: { ops: 4, run: (db, s) => {
    const x = db.freshKey();
    one(s, { mops: [rw(x, 1)], fail: true });
    one(s, { mops: [rr(x, 1)] });
    settle(db, [[x, 1]]);
  } },
  G1b: { ops: 4, run: (db, s) => {
    const x = db.freshKey();
    one(s, { mops: [rw(x, 1), rw(x, 2)] });
    one(s, { mops: [rr(x, 1)] });
    settle(db, [[x, 2]]);
  } },
  G1c: { ops: 4, run: (db, s) => {
    const x = db.freshKey(), y = db.freshKey();
    both(s, { mops: [rw(x, 1), rr(y, 1)] }, { mops: [rw(y, 1), rr(x, 1)] });
    settle(db, [[x, 1], [y, 1]]);
  } },
  'G-single': { ops: 4, run: (db, s) => {
    const x = db.freshKey(), y = db.freshKey();
    both(s, { mops: [rw(x, 1), rw(y, 1)] }, { mops: [rr(x, null), rr(y, 1)] });
    settle(db, [[x, 1], [y, 1]]);
  } },
  'G2-item': { ops: 4, run: (db, s) => {
    const x = db.freshKey(), y = db.freshKey();
    both(s, { mops: [rr(x, null), rw(y, 1)] }, { mops: [rr(y, null), rw(x, 1)] });
    settle(db, [[x, 1], [y, 1]]);
  } },
  'lost-update': { ops: 4, run: (db, s) => {
    const x = db.freshKey();
    both(s, { mops: [rr(x, null), rw(x, 1)] }, { mops: [rr(x, null), rw(x, 2)] });
    settle(db, [[x, 2]]);
  } },
  internal: { ops: 2, run: (db, s) => {
    const x = db.freshKey();
    one(s, { mops: [rw(x, 1), rr(x, null)] });
    settle(db, [[x, 1]]);
  } },
};

/** Each workload's scripts, by anomaly name (undefined: that workload cannot show it). */
export const TXN_SCRIPTS: Record<TxnGenWorkload, Record<string, ScriptDef | undefined>> = {
  'list-append': listAppend,
  'rw-register': rwRegister,
};
