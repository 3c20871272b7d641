/**
 * rw-register's non-cycle anomalies, one finder each (it adds every case it finds to the
 * `Cases` it is given), and their table of contents (`RW_REGISTER_ANOMALIES`). Each is one read,
 * one transaction, one key's versions, or two transactions that read alike, that no serial
 * execution could produce; the definitions are Adya's where he has one, Elle's otherwise (see
 * append-anomalies.ts for the list-append forms).
 */
import { EdnSet } from '../edn/values.js';
import { FAIL, OK } from '../history/op.js';
import { type AnomalyContents, Cases, mopAsWritten, txnRecord } from './anomalies.js';
import type { RegisterOrders } from './register-orders.js';
import { NIL, READ, type Txns, UNKNOWN_VALUE, WRITE } from './txns.js';

/**
 * internal (Adya's and Cerone et al.'s internal consistency): a committed transaction reads a
 * key it already wrote or read, and sees a different value than it wrote or saw last.
 */
export function internalReads(cases: Cases, txns: Txns, o: RegisterOrders): void {
  const { mopKind, mopKey, mopValue, mopTxn, status } = txns;
  for (let m = 0; m < mopKind.length; m++) {
    if (mopKind[m] !== READ || o.external[m] || mopValue[m] === UNKNOWN_VALUE || status[mopTxn[m]] !== OK) continue;
    // Not the first access: the last earlier one with a known value is what it should show.
    let p = m - 1;
    while (mopKey[p] !== mopKey[m] || (mopKind[p] === READ && mopValue[p] === UNKNOWN_VALUE)) p--;
    const before = mopValue[p];
    if (before === mopValue[m]) continue;
    cases.add(m, 0, () => ({ op: txnRecord(txns, mopTxn[m]), mop: mopAsWritten(txns, m), expected: before === NIL ? null : txns.values[before] }));
  }
}

/** future-read: a committed transaction reads a value that it writes itself only later. */
export function futureReads(cases: Cases, txns: Txns): void {
  const { mopKind, mopKey, mopValue, mopTxn, status } = txns;
  for (let t = 0; t < txns.count; t++) {
    const b = txns.mopStart[t + 1];
    if (status[t] !== OK || b - txns.mopStart[t] < 2) continue;
    for (let m = txns.mopStart[t]; m < b; m++) {
      if (mopKind[m] !== READ || mopValue[m] < 0) continue;
      for (let n = m + 1; n < b; n++) {
        if (mopKind[n] === WRITE && mopKey[n] === mopKey[m] && mopValue[n] === mopValue[m]) {
          cases.add(m, 0, () => ({ op: txnRecord(txns, mopTxn[m]), mop: mopAsWritten(txns, m), element: txns.values[mopValue[m]] }));
          break;
        }
      }
    }
  }
}

/**
 * cyclic-versions (Elle): the version pairs proven for a key (by the history and the assumptions
 * asked for) order its versions in a cycle, so no version order of the key exists. Each case
 * shows the key and the versions of one such cycle.
 */
export function cyclicVersions(cases: Cases, txns: Txns, o: RegisterOrders): void {
  for (const [k, vs] of o.cyclic) {
    const shown = vs.map((v) => (v === NIL ? null : txns.values[v]));
    cases.add(k, 0, () => ({ key: txns.keys[k], scc: new EdnSet(shown) }));
  }
}

/** Calls `visit(m, w)` for each external committed read m of a written value (not nil), w the write it read or -1. */
function eachValueRead(txns: Txns, o: RegisterOrders, visit: (m: number, w: number) => void): void {
  const { mopKind, mopValue, mopTxn, status } = txns;
  for (let m = 0; m < mopKind.length; m++) {
    if (mopKind[m] !== READ || !o.external[m] || mopValue[m] < 0 || status[mopTxn[m]] !== OK) continue;
    visit(m, o.readFrom[m]);
  }
}

/** garbage-read: a committed read of a value no transaction wrote (not even a failed one). */
export function garbageReads(cases: Cases, txns: Txns, o: RegisterOrders): void {
  eachValueRead(txns, o, (m, w) => {
    if (w < 0) cases.add(m, 0, () => ({ op: txnRecord(txns, txns.mopTxn[m]), mop: mopAsWritten(txns, m), element: txns.values[txns.mopValue[m]] }));
  });
}

/** G1a, aborted read (Adya): a committed transaction reads a value a failed transaction wrote. */
export function abortedReads(cases: Cases, txns: Txns, o: RegisterOrders): void {
  eachValueRead(txns, o, (m, w) => {
    if (w < 0 || txns.status[txns.mopTxn[w]] !== FAIL) return;
    cases.add(m, 0, () => ({ op: txnRecord(txns, txns.mopTxn[m]), mop: mopAsWritten(txns, m), writer: txnRecord(txns, txns.mopTxn[w]), element: txns.values[txns.mopValue[m]] }));
  });
}

/**
 * G1b, intermediate read (Adya): a committed transaction reads a value another transaction
 * wrote and then overwrote itself, not its final write of that key.
 */
export function intermediateReads(cases: Cases, txns: Txns, o: RegisterOrders): void {
  const { mopTxn, status } = txns;
  eachValueRead(txns, o, (m, w) => {
    if (w < 0 || status[mopTxn[w]] === FAIL || mopTxn[w] === mopTxn[m] || !o.intermediate[w]) return;
    cases.add(m, 0, () => ({ op: txnRecord(txns, mopTxn[m]), mop: mopAsWritten(txns, m), writer: txnRecord(txns, mopTxn[w]), element: txns.values[txns.mopValue[m]] }));
  });
}

/**
 * lost-update (Berenson et al.'s P4): two committed transactions read the same version of a key
 * and both write it; in any serial order the second would have read the first's write.
 */
export function lostUpdates(cases: Cases, txns: Txns, o: RegisterOrders): void {
  const { mopKind, mopKey, mopValue, status } = txns;
  const groups = new Map<string, { k: number; v: number; m: number; txns: number[] }>();
  for (let t = 0; t < txns.count; t++) {
    if (status[t] !== OK) continue;
    const b = txns.mopStart[t + 1];
    for (let m = txns.mopStart[t]; m < b; m++) {
      if (mopKind[m] !== READ || !o.external[m] || mopValue[m] === UNKNOWN_VALUE) continue;
      let writes = false;
      for (let n = m + 1; n < b && !writes; n++) writes = mopKind[n] === WRITE && mopKey[n] === mopKey[m];
      if (!writes) continue;
      const id = `${mopKey[m]}:${mopValue[m]}`;
      let g = groups.get(id);
      if (g === undefined) groups.set(id, (g = { k: mopKey[m], v: mopValue[m], m, txns: [] }));
      g.txns.push(t);
    }
  }
  for (const g of groups.values()) {
    if (g.txns.length < 2) continue;
    cases.add(g.m, 0, () => ({ key: txns.keys[g.k], value: g.v < 0 ? null : txns.values[g.v], txns: g.txns.map((t) => txnRecord(txns, t)) }));
  }
}

/**
 * rw-register's non-cycle anomalies, as the result lists them: within one transaction, then
 * each key's versions, then what each read saw, then between transactions that read alike.
 */
export const RW_REGISTER_ANOMALIES: AnomalyContents<RegisterOrders> = [
  [
    { type: 'internal', find: internalReads },
    { type: 'future-read', find: futureReads },
  ],
  [{ type: 'cyclic-versions', find: cyclicVersions }],
  [
    { type: 'garbage-read', find: garbageReads },
    { type: 'G1a', find: abortedReads },
    { type: 'G1b', find: intermediateReads },
  ],
  [{ type: 'lost-update', find: lostUpdates }],
];
