/**
 * list-append's non-cycle anomalies, one finder each (it adds every case it finds to the
 * `Cases` it is given), and their table of contents (`LIST_APPEND_ANOMALIES`). These need no
 * dependency graph: each is one read, one transaction, one key's version order, or two
 * transactions that read alike, that no serial execution could produce. The definitions are
 * Adya's (Adya, Liskov & O'Neil, "Generalized Isolation Level Definitions", 2000) where he has
 * one, Berenson et al.'s for lost update, and Elle's (Kingsbury & Alvaro, "Elle", VLDB 2020)
 * otherwise.
 */
import { type EdnRecord, type EdnValue, Sym } from '../edn/values.js';
import { FAIL, OK } from '../history/op.js';
import { PairMap } from '../util/int-tables.js';
import { type AnomalyContents, Cases, mopAsWritten, txnRecord } from './anomalies.js';
import type { AppendOrders } from './append.js';
import { APPEND, READ, type Txns } from './txns.js';

/**
 * incompatible-order: two committed reads of one key, neither a prefix of the other. Lists only
 * grow by appending, so every read of a key is a prefix of its final value: no version order
 * of the key agrees with both. Each case shows the read and its key's longest read.
 */
export function incompatibleOrders(cases: Cases, txns: Txns, o: AppendOrders): void {
  for (const m of o.incompatible) {
    const l = o.longest[txns.mopKey[m]];
    cases.add(m, 0, () => ({ key: txns.keys[txns.mopKey[m]], values: [mopAsWritten(txns, m)[2], mopAsWritten(txns, l)[2]] }));
  }
}

/**
 * duplicate-elements: a read that shows one element twice. Every append is of a distinct value,
 * so no sequence of appends yields such a list. Each key's longest read comes first (every
 * repeat in it), then each incompatible read with its first repeat.
 */
export function duplicateElements(cases: Cases, txns: Txns, o: AppendOrders): void {
  const { mopValue, mopLen, readElems, mopTxn } = txns;
  const found = (m: number, element: number) => (): EdnRecord => ({ op: txnRecord(txns, mopTxn[m]), mop: mopAsWritten(txns, m), element: txns.values[element] });
  for (let k = 0; k < txns.keys.length; k++) {
    if (!o.broken[k]) continue; // a repeat in the longest read breaks its key
    const m = o.longest[k];
    const seen = new Set<number>();
    for (let j = 0; j < mopLen[m]; j++) {
      const element = readElems[mopValue[m] + j];
      if (seen.has(element)) cases.add(-1, 0, found(m, element));
      else seen.add(element);
    }
  }
  for (const m of o.incompatible) {
    const seen = new Set<number>();
    for (let j = 0; j < mopLen[m]; j++) {
      const element = readElems[mopValue[m] + j];
      if (seen.has(element)) {
        cases.add(m, j, found(m, element));
        break;
      }
      seen.add(element);
    }
  }
}

/**
 * dirty-update (Elle): in a key's version order, a committed append follows one of a failed
 * transaction. The committed transaction then wrote over a state that should never have
 * existed, a write-side relative of G1a. Keys whose reads disagree have no order to judge.
 */
export function dirtyUpdates(cases: Cases, txns: Txns, o: AppendOrders): void {
  const { mopValue, mopLen, readElems, status } = txns;
  for (let k = 0; k < txns.keys.length; k++) {
    const l = o.longest[k];
    if (l < 0 || o.broken[k]) continue;
    const start = mopValue[l];
    let failedAt = -1; // the failed append not yet followed by a committed one; -2 once reported
    // Before committedPrefix every appender is known and did not fail: nothing to see there.
    for (let j = o.committedPrefix[k]; j < mopLen[l]; j++) {
      const w = writerTxnOf(txns, o, k, readElems[start + j]);
      if (w >= 0 && status[w] === FAIL && failedAt < 0) failedAt = j;
      else if (w >= 0 && status[w] !== FAIL && failedAt >= 0) {
        const failed = readElems[start + failedAt];
        const committed = readElems[start + j];
        cases.add(l, j, () => ({
          key: txns.keys[k],
          values: [txns.values[failed], txns.values[committed]],
          txns: [txnRecord(txns, writerTxnOf(txns, o, k, failed)), txnRecord(txns, w)],
        }));
        failedAt = -2;
      }
    }
  }
}

/**
 * garbage-read: a committed read shows an element no transaction appended. No model, however
 * weak, lets a database return data nobody wrote.
 */
export function garbageReads(cases: Cases, txns: Txns, o: AppendOrders): void {
  eachSuspectElement(txns, o, (m, j, w, element) => {
    if (w < 0) cases.add(m, j, () => ({ op: txnRecord(txns, txns.mopTxn[m]), mop: mopAsWritten(txns, m), element: txns.values[element] }));
  });
}

/**
 * G1a, aborted read (Adya): a committed transaction reads a version written by an aborted one.
 * Here aborted means :fail (an :info transaction may have committed, and a read of its append
 * says it did).
 */
export function abortedReads(cases: Cases, txns: Txns, o: AppendOrders): void {
  eachSuspectElement(txns, o, (m, j, w, element) => {
    if (w < 0 || txns.status[txns.mopTxn[w]] !== FAIL) return;
    cases.add(m, j, () => ({ op: txnRecord(txns, txns.mopTxn[m]), mop: mopAsWritten(txns, m), writer: txnRecord(txns, txns.mopTxn[w]), element: txns.values[element] }));
  });
}

/**
 * Calls `visit(m, j, w, element)` for every element j of a committed read m that may not come
 * from a committed append (w its appending micro-op, -1 for none). In a read that is a prefix
 * of its key's longest read these sit where they do in the longest read, from its first
 * element whose writer failed or is unknown (`committedPrefix`); a broken key's reads are
 * scanned whole.
 */
function eachSuspectElement(txns: Txns, o: AppendOrders, visit: (m: number, j: number, w: number, element: number) => void): void {
  const { mopKind, mopKey, mopValue, mopLen, readElems, mopTxn, status } = txns;
  for (let m = 0; m < mopKind.length; m++) {
    if (mopKind[m] !== READ || mopLen[m] < 0 || status[mopTxn[m]] !== OK) continue;
    const k = mopKey[m];
    for (let j = o.broken[k] ? 0 : o.committedPrefix[k]; j < mopLen[m]; j++) {
      const element = readElems[mopValue[m] + j];
      const w = o.writer.get(k, element);
      if (w < 0 || status[mopTxn[w]] === FAIL) visit(m, j, w, element);
    }
  }
}

/**
 * G1b, intermediate read (Adya): a committed transaction reads a version of a key that another
 * transaction wrote but then overwrote itself: not that writer's final modification of the key.
 * For lists: the read ends with an element whose appender appended to that key again.
 */
export function intermediateReads(cases: Cases, txns: Txns, o: AppendOrders): void {
  const { mopKind, mopValue, mopLen, readElems, mopTxn, status } = txns;
  const intermediate = intermediateAppends(txns);
  if (intermediate === undefined) return;
  for (let m = 0; m < mopKind.length; m++) {
    if (mopKind[m] !== READ || mopLen[m] <= 0 || status[mopTxn[m]] !== OK) continue;
    const w = o.lastWriter[m];
    if (w < 0 || status[mopTxn[w]] === FAIL || !intermediate[w] || mopTxn[w] === mopTxn[m]) continue;
    const last = readElems[mopValue[m] + mopLen[m] - 1];
    cases.add(m, mopLen[m], () => ({ op: txnRecord(txns, mopTxn[m]), mop: mopAsWritten(txns, m), writer: txnRecord(txns, mopTxn[w]), element: txns.values[last] }));
  }
}

/** Marks appends that are not their transaction's last append to that key; undefined when there are none. */
function intermediateAppends(txns: Txns): Uint8Array | undefined {
  const { mopKind, mopKey, mopStart } = txns;
  let out: Uint8Array | undefined;
  for (let t = 0; t < txns.count; t++) {
    const a = mopStart[t];
    const b = mopStart[t + 1];
    if (b - a < 2) continue;
    for (let m = a; m < b; m++) {
      if (mopKind[m] !== APPEND) continue;
      for (let n = m + 1; n < b; n++) {
        if (mopKind[n] === APPEND && mopKey[n] === mopKey[m]) {
          (out ??= new Uint8Array(mopKind.length))[m] = 1;
          break;
        }
      }
    }
  }
  return out;
}

/**
 * future-read: a read shows an element the same transaction appends only later, as if it saw
 * its own future.
 */
export function futureReads(cases: Cases, txns: Txns): void {
  const { mopKind, mopKey, mopValue, mopLen, readElems } = txns;
  eachRepeatingTxn(txns, (t, a, b) => {
    for (let m = a; m < b; m++) {
      if (mopKind[m] !== READ || mopLen[m] < 0) continue;
      for (let f = m + 1; f < b; f++) {
        if (mopKind[f] !== APPEND || mopKey[f] !== mopKey[m] || !contains(readElems, mopValue[m], mopLen[m], mopValue[f])) continue;
        cases.add(m, 0, () => ({ op: txnRecord(txns, t), mop: mopAsWritten(txns, m), element: txns.values[mopValue[f]] }));
        break;
      }
    }
  });
}

/**
 * internal (Adya's and Cerone et al.'s internal consistency): a read disagrees with what its
 * own transaction did before: it must show the transaction's previous read of that key
 * followed by the appends since, or, with no previous read, end with its appends so far.
 */
export function internalReads(cases: Cases, txns: Txns): void {
  const { mopKind, mopLen } = txns;
  eachRepeatingTxn(txns, (t, a, b) => {
    for (let m = a; m < b; m++) {
      if (mopKind[m] !== READ || mopLen[m] < 0) continue;
      const expected = internalMismatch(txns, a, m);
      if (expected !== undefined) cases.add(m, 0, () => ({ op: txnRecord(txns, t), mop: mopAsWritten(txns, m), expected: expected() }));
    }
  });
}

/** For read m of a transaction starting at micro-op a: undefined if it agrees with the transaction's own earlier micro-ops, else what was expected (`...` for an unknown prefix). */
function internalMismatch(txns: Txns, a: number, m: number): (() => EdnValue[]) | undefined {
  const { mopKind, mopKey, mopValue, mopLen, readElems } = txns;
  const k = mopKey[m];
  const start = mopValue[m];
  const n = mopLen[m];
  // Expected: the previous read of k in this txn (if any) followed by the appends of k
  // since; without a previous read only those appends, at the end (prefix unknown).
  let p = m - 1;
  let appended = 0;
  for (; p >= a; p--) {
    if (mopKey[p] !== k) continue;
    if (mopKind[p] === APPEND) appended++;
    else if (mopKind[p] === READ && mopLen[p] >= 0) break;
  }
  const known = p >= a;
  if (!known && appended === 0) return undefined;
  const expectedLen = (known ? mopLen[p] : 0) + appended;
  let ok = known ? n === expectedLen : n >= expectedLen;
  if (ok && known) for (let j = 0; j < mopLen[p] && ok; j++) ok = readElems[start + j] === readElems[mopValue[p] + j];
  // The appends since, in order, must end the read.
  for (let q = known ? p + 1 : a, j = n - appended; q < m && ok; q++) {
    if (mopKey[q] === k && mopKind[q] === APPEND) ok = readElems[start + j++] === mopValue[q];
  }
  if (ok) return undefined;
  return () => {
    const expected: EdnValue[] = known ? [] : [Sym.of('...')];
    if (known) for (let j = 0; j < mopLen[p]; j++) expected.push(txns.values[readElems[mopValue[p] + j]]);
    for (let q = known ? p + 1 : a; q < m; q++) if (mopKey[q] === k && mopKind[q] === APPEND) expected.push(txns.values[mopValue[q]]);
    return expected;
  };
}

/**
 * lost-update (Berenson et al.'s P4): two committed transactions read the same version of a key
 * and both append to it; in any serial order the second would have seen the first's append.
 */
export function lostUpdates(cases: Cases, txns: Txns): void {
  const { mopKind, mopKey, mopValue, mopLen, readElems } = txns;
  const first = new PairMap(txns.count);
  const groups = new Map<string, { k: number; m: number; txns: number[] }>();
  eachRepeatingTxn(txns, (t, a, b) => {
    for (let m = a; m < b; m++) {
      if (mopKind[m] !== READ || mopLen[m] < 0) continue;
      const k = mopKey[m];
      let appends = false;
      for (let f = m + 1; f < b && !appends; f++) appends = mopKind[f] === APPEND && mopKey[f] === k;
      if (!appends) continue;
      const version = mopLen[m] === 0 ? 0 : readElems[mopValue[m] + mopLen[m] - 1] + 1;
      const previous = first.set(k, version, m);
      if (previous === -1) continue;
      const id = `${k}:${version}`;
      let g = groups.get(id);
      if (g === undefined) groups.set(id, (g = { k, m: previous, txns: [txns.mopTxn[previous]] }));
      if (g.txns[g.txns.length - 1] !== t) g.txns.push(t);
      first.set(k, version, previous);
    }
  });
  for (const g of groups.values()) {
    if (g.txns.length < 2) continue;
    const read = mopAsWritten(txns, g.m)[2];
    cases.add(g.m, 0, () => ({ key: txns.keys[g.k], value: read, txns: g.txns.map((t) => txnRecord(txns, t)) }));
  }
}

/** Calls `visit(t, a, b)` for each committed transaction t (micro-ops a..b-1) that touches some key twice. */
function eachRepeatingTxn(txns: Txns, visit: (t: number, a: number, b: number) => void): void {
  for (let t = 0; t < txns.count; t++) {
    if (txns.status[t] !== OK) continue;
    const a = txns.mopStart[t];
    const b = txns.mopStart[t + 1];
    if (b - a >= 2 && repeatsKey(txns.mopKey, a, b)) visit(t, a, b);
  }
}

/** True if some key occurs twice among micro-ops a..b-1 (transactions are short). */
function repeatsKey(keys: Int32Array, a: number, b: number): boolean {
  for (let m = a + 1; m < b; m++) for (let n = a; n < m; n++) if (keys[n] === keys[m]) return true;
  return false;
}

function contains(elements: Int32Array, start: number, n: number, x: number): boolean {
  for (let j = 0; j < n; j++) if (elements[start + j] === x) return true;
  return false;
}

/** The transaction that appended value v to key k, or -1. */
function writerTxnOf(txns: Txns, o: AppendOrders, k: number, v: number): number {
  const w = o.writer.get(k, v);
  return w < 0 ? -1 : txns.mopTxn[w];
}

/**
 * list-append's non-cycle anomalies, as the result lists them: the version order itself, then
 * along each key's order, then what each read saw, then within one transaction, then between
 * transactions that read alike.
 */
export const LIST_APPEND_ANOMALIES: AnomalyContents<AppendOrders> = [
  [
    { type: 'incompatible-order', find: incompatibleOrders },
    { type: 'duplicate-elements', find: duplicateElements },
  ],
  [{ type: 'dirty-update', find: dirtyUpdates }],
  [
    { type: 'garbage-read', find: garbageReads },
    { type: 'G1a', find: abortedReads },
    { type: 'G1b', find: intermediateReads },
  ],
  [
    { type: 'future-read', find: futureReads },
    { type: 'internal', find: internalReads },
  ],
  [{ type: 'lost-update', find: lostUpdates }],
];
