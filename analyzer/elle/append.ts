/**
 * List-append inference: version orders, non-cycle anomalies and ww / wr / rw edges.
 *
 * Every append is unique, so an element names the transaction that appended it. A read of
 * key k returns a list; every list the database ever returned must be a prefix of k's final
 * list, so the longest read of k is the version order as far as anyone saw it. From it:
 *   ww  the writer of element i -> the writer of element i+1;
 *   wr  the writer of a read's last element -> the reader;
 *   rw  a reader of the first n elements -> the writer of element n+1.
 * A committed append (of an :ok transaction, or of an :info one some read proves happened)
 * that no read contains still happened, after everything any read saw: so
 * the writer of the longest read's last element -> it (ww), and every read of the whole known
 * list -> it (rw). Reads that are not prefixes of the longest are `incompatible-order`; that
 * key's order is then only its longest read's (ww edges, as Elle; no rw edges).
 */
import { type EdnValue, Sym } from '../edn/values.js';
import { FAIL, INFO, OK } from '../history/op.js';
import { type AnomalyLog, mopValue, txnRecord } from './anomalies.js';
import { type EdgeList, RW, WR, WW } from './graph.js';
import { PairMap } from '../util/int-tables.js';
import { APPEND, READ, type Txns } from './txns.js';

/** At most this many rw edges per read towards committed appends nobody read. */
const MAX_UNREAD_EDGES = 64;

export interface AppendOrders {
  /** (key, value) -> the micro-op that appended it. */
  writer: PairMap;
  /** key -> the micro-op of its longest read, or -1. */
  longest: Int32Array;
  /** (key, value) -> position in that key's longest read. */
  pos: PairMap;
  /** key -> 1 when its reads disagree (no order). */
  broken: Uint8Array;
  /** key -> committed appends that no read contains. */
  unread: Map<number, number[]>;
  /** Number of appends of a value already appended to the same key (ignored). */
  duplicateAppends: number;
}

/** Marks appends that are not their transaction's last append to that key. */
function intermediateAppends(txns: Txns): Uint8Array {
  const out = new Uint8Array(txns.mopKind.length);
  for (let t = 0; t < txns.count; t++) {
    const a = txns.mopStart[t];
    const b = txns.mopStart[t + 1];
    if (b - a < 2) continue;
    for (let m = a; m < b; m++) {
      if (txns.mopKind[m] !== APPEND) continue;
      for (let n = m + 1; n < b; n++) {
        if (txns.mopKind[n] === APPEND && txns.mopKey[n] === txns.mopKey[m]) {
          out[m] = 1;
          break;
        }
      }
    }
  }
  return out;
}

export function inferAppendOrders(txns: Txns, log: AnomalyLog): AppendOrders {
  const { mopKind, mopKey, mopValue: val, mopLen, readElems: el, mopTxn, status } = txns;
  const nk = txns.keys.length;
  const writer = new PairMap(mopKind.length);
  let duplicateAppends = 0;
  const longest = new Int32Array(nk).fill(-1);
  for (let m = 0; m < mopKind.length; m++) {
    if (mopKind[m] === APPEND) {
      if (writer.set(mopKey[m], val[m], m) !== -1) duplicateAppends++;
    } else if (mopKind[m] === READ && mopLen[m] >= 0 && status[mopTxn[m]] === OK) {
      const k = mopKey[m];
      if (longest[k] < 0 || mopLen[longest[k]] < mopLen[m]) longest[k] = m;
    }
  }
  let known = 0;
  for (let k = 0; k < nk; k++) if (longest[k] >= 0) known += mopLen[longest[k]];
  const pos = new PairMap(known);
  const broken = new Uint8Array(nk);
  for (let k = 0; k < nk; k++) {
    const m = longest[k];
    if (m < 0) continue;
    const s = val[m];
    for (let j = 0; j < mopLen[m]; j++) {
      if (pos.set(k, el[s + j], j) !== -1) {
        broken[k] = 1;
        log.add('duplicate-elements', () => ({ op: txnRecord(txns, mopTxn[m]), mop: mopValue(txns, m), element: txns.values[el[s + j]] }));
      }
    }
  }
  // Every read must be a prefix of its key's longest read.
  for (let m = 0; m < mopKind.length; m++) {
    if (mopKind[m] !== READ || mopLen[m] <= 0 || status[mopTxn[m]] !== OK) continue;
    const k = mopKey[m];
    const l = longest[k];
    if (l === m) continue;
    const s = val[m];
    const ls = val[l];
    let prefix = true;
    for (let j = 0; j < mopLen[m]; j++) {
      if (el[s + j] !== el[ls + j]) {
        prefix = false;
        break;
      }
    }
    if (prefix) continue;
    broken[k] = 1;
    log.add('incompatible-order', () => ({ key: txns.keys[k], values: [mopValue(txns, m)[2], mopValue(txns, l)[2]] }));
    const seen = new Set<number>();
    for (let j = 0; j < mopLen[m]; j++) {
      if (seen.has(el[s + j])) {
        log.add('duplicate-elements', () => ({ op: txnRecord(txns, mopTxn[m]), mop: mopValue(txns, m), element: txns.values[el[s + j]] }));
        break;
      }
      seen.add(el[s + j]);
    }
  }
  // A transaction committed if it is :ok, or :info with some append that a read saw (then all
  // its appends happened: transactions are atomic).
  const committed = new Uint8Array(txns.count);
  for (let t = 0; t < txns.count; t++) if (status[t] === OK) committed[t] = 1;
  for (let k = 0; k < nk; k++) {
    const m = longest[k];
    if (m < 0) continue;
    for (let j = 0; j < mopLen[m]; j++) {
      const w = writer.get(k, el[val[m] + j]);
      if (w >= 0 && status[mopTxn[w]] === INFO) committed[mopTxn[w]] = 1;
    }
  }
  const unread = new Map<number, number[]>();
  for (let m = 0; m < mopKind.length; m++) {
    if (mopKind[m] !== APPEND || !committed[mopTxn[m]] || pos.has(mopKey[m], val[m])) continue;
    if (writer.get(mopKey[m], val[m]) !== m) continue;
    let u = unread.get(mopKey[m]);
    if (u === undefined) unread.set(mopKey[m], (u = []));
    u.push(m);
  }
  return { writer, longest, pos, broken, unread, duplicateAppends };
}

/** Adds ww / wr / rw edges and reports the non-cycle anomalies of list-append. */
export function appendEdges(txns: Txns, o: AppendOrders, edges: EdgeList, log: AnomalyLog): void {
  const { mopKind, mopKey, mopValue: val, mopLen, readElems: el, mopTxn, status } = txns;
  const nk = txns.keys.length;
  const writerTxn = (k: number, v: number): number => {
    const w = o.writer.get(k, v);
    return w < 0 ? -1 : mopTxn[w];
  };
  // ww along each key's order, and dirty updates (a committed append after a failed one).
  for (let k = 0; k < nk; k++) {
    const l = o.longest[k];
    if (l < 0) continue;
    if (o.broken[k]) {
      brokenKeyOrder(txns, k, l, writerTxn, edges);
      continue;
    }
    const s = val[l];
    const n = mopLen[l];
    let failedAt = -1;
    for (let j = 0; j < n; j++) {
      const w = writerTxn(k, el[s + j]);
      if (w >= 0 && status[w] === FAIL && failedAt < 0) failedAt = j;
      else if (w >= 0 && status[w] !== FAIL && failedAt >= 0) {
        const f = failedAt;
        log.add('dirty-update', () => ({
          key: txns.keys[k],
          values: [txns.values[el[s + f]], txns.values[el[s + j]]],
          txns: [txnRecord(txns, writerTxn(k, el[s + f])), txnRecord(txns, w)],
        }));
        failedAt = -2;
      }
      if (j > 0) {
        const p = writerTxn(k, el[s + j - 1]);
        if (p >= 0 && w >= 0 && status[p] !== FAIL && status[w] !== FAIL) edges.add(p, w, WW);
      }
    }
    const unread = o.unread.get(k);
    if (unread !== undefined && n > 0) {
      const p = writerTxn(k, el[s + n - 1]);
      if (p >= 0 && status[p] !== FAIL) for (const u of unread) edges.add(p, mopTxn[u], WW);
    }
  }
  // Reads that are prefixes of the longest read can only show aborted or unknown elements
  // where it does: firstBad[k] is the first such position in it (or its length).
  const firstBad = new Int32Array(nk);
  for (let k = 0; k < nk; k++) {
    const l = o.longest[k];
    if (l < 0) continue;
    let j = 0;
    for (; j < mopLen[l]; j++) {
      const w = o.writer.get(k, el[val[l] + j]);
      if (w < 0 || status[mopTxn[w]] === FAIL) break;
    }
    firstBad[k] = j;
  }
  const intermediate = intermediateAppends(txns);
  for (let m = 0; m < mopKind.length; m++) {
    if (mopKind[m] !== READ || mopLen[m] < 0) continue;
    const t = mopTxn[m];
    if (status[t] !== OK) continue;
    const k = mopKey[m];
    const s = val[m];
    const n = mopLen[m];
    for (let j = o.broken[k] ? 0 : firstBad[k]; j < n; j++) {
      const w = o.writer.get(k, el[s + j]);
      if (w < 0) {
        log.add('garbage-read', () => ({ op: txnRecord(txns, t), mop: mopValue(txns, m), element: txns.values[el[s + j]] }));
      } else if (status[mopTxn[w]] === FAIL) {
        log.add('G1a', () => ({ op: txnRecord(txns, t), mop: mopValue(txns, m), writer: txnRecord(txns, mopTxn[w]), element: txns.values[el[s + j]] }));
      }
    }
    if (n > 0) {
      const w = o.writer.get(k, el[s + n - 1]);
      if (w >= 0 && status[mopTxn[w]] !== FAIL) {
        edges.add(mopTxn[w], t, WR);
        if (intermediate[w] && mopTxn[w] !== t) {
          log.add('G1b', () => ({ op: txnRecord(txns, t), mop: mopValue(txns, m), writer: txnRecord(txns, mopTxn[w]), element: txns.values[el[s + n - 1]] }));
        }
      }
    }
    if (o.broken[k]) continue;
    const l = o.longest[k];
    const total = l < 0 ? 0 : mopLen[l];
    if (n < total) {
      const w = writerTxn(k, el[val[l] + n]);
      if (w >= 0 && status[w] !== FAIL) edges.add(t, w, RW);
    } else {
      const unread = o.unread.get(k);
      if (unread !== undefined) {
        for (let j = 0; j < unread.length && j < MAX_UNREAD_EDGES; j++) edges.add(t, mopTxn[unread[j]], RW);
      }
    }
  }
  internalAndFutureReads(txns, log);
  lostUpdates(txns, log);
}

/**
 * A key whose reads disagree (incompatible-order, duplicate-elements) has no version order
 * every read agrees with. As Elle does, its longest read still orders its elements (each at
 * its first place) for ww edges; its reads give no rw edges, since "the prefix a read saw" is
 * not defined when reads are not prefixes of one list.
 */
function brokenKeyOrder(txns: Txns, k: number, l: number, writerTxn: (k: number, v: number) => number, edges: EdgeList): void {
  const { mopValue: val, mopLen, readElems: el, status } = txns;
  const seen = new Set<number>();
  let prev = -1;
  for (let j = 0; j < mopLen[l]; j++) {
    const e = el[val[l] + j];
    if (seen.has(e)) continue;
    seen.add(e);
    const w = writerTxn(k, e);
    if (w < 0 || status[w] === FAIL) continue;
    if (prev >= 0) edges.add(prev, w, WW);
    prev = w;
  }
}

/**
 * internal: a read disagrees with the transaction's own earlier read or appends of that key;
 * future-read: a read contains an element the same transaction appends only later.
 */
function internalAndFutureReads(txns: Txns, log: AnomalyLog): void {
  const { mopKind, mopKey, mopValue: val, mopLen, readElems: el, status } = txns;
  for (let t = 0; t < txns.count; t++) {
    if (status[t] !== OK) continue;
    const a = txns.mopStart[t];
    const b = txns.mopStart[t + 1];
    if (b - a < 2 || !repeatsKey(mopKey, a, b)) continue;
    for (let m = a; m < b; m++) {
      if (mopKind[m] !== READ || mopLen[m] < 0) continue;
      const k = mopKey[m];
      const s = val[m];
      const n = mopLen[m];
      for (let f = m + 1; f < b; f++) {
        if (mopKind[f] !== APPEND || mopKey[f] !== k || !contains(el, s, n, val[f])) continue;
        const fm = f;
        log.add('future-read', () => ({ op: txnRecord(txns, t), mop: mopValue(txns, m), element: txns.values[val[fm]] }));
        break;
      }
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
      if (!known && appended === 0) continue;
      const expectedLen = (known ? mopLen[p] : 0) + appended;
      let ok = known ? n === expectedLen : n >= expectedLen;
      if (ok && known) for (let j = 0; j < mopLen[p] && ok; j++) ok = el[s + j] === el[val[p] + j];
      // The appends since, in order, must end the read.
      for (let q = known ? p + 1 : a, j = n - appended; q < m && ok; q++) {
        if (mopKey[q] === k && mopKind[q] === APPEND) ok = el[s + j++] === val[q];
      }
      if (ok) continue;
      const expected: EdnValue[] = known ? [] : [Sym.of('...')];
      if (known) for (let j = 0; j < mopLen[p]; j++) expected.push(txns.values[el[val[p] + j]]);
      for (let q = known ? p + 1 : a; q < m; q++) if (mopKey[q] === k && mopKind[q] === APPEND) expected.push(txns.values[val[q]]);
      log.add('internal', () => ({ op: txnRecord(txns, t), mop: mopValue(txns, m), expected }));
    }
  }
}

function contains(el: Int32Array, start: number, n: number, x: number): boolean {
  for (let j = 0; j < n; j++) if (el[start + j] === x) return true;
  return false;
}

/** True if some key occurs twice among micro-ops a..b-1 (transactions are short). */
function repeatsKey(keys: Int32Array, a: number, b: number): boolean {
  for (let m = a + 1; m < b; m++) for (let n = a; n < m; n++) if (keys[n] === keys[m]) return true;
  return false;
}

/** lost-update: two committed transactions read the same version of a key and both append to it. */
function lostUpdates(txns: Txns, log: AnomalyLog): void {
  const { mopKind, mopKey, mopValue: val, mopLen, readElems: el, status } = txns;
  const first = new PairMap(txns.count);
  const groups = new Map<string, { k: number; m: number; txns: number[] }>();
  for (let t = 0; t < txns.count; t++) {
    if (status[t] !== OK) continue;
    const a = txns.mopStart[t];
    const b = txns.mopStart[t + 1];
    if (b - a < 2 || !repeatsKey(mopKey, a, b)) continue;
    for (let m = a; m < b; m++) {
      if (mopKind[m] !== READ || mopLen[m] < 0) continue;
      const k = mopKey[m];
      let appends = false;
      for (let f = m + 1; f < b && !appends; f++) appends = mopKind[f] === APPEND && mopKey[f] === k;
      if (!appends) continue;
      const version = mopLen[m] === 0 ? 0 : el[val[m] + mopLen[m] - 1] + 1;
      const prev = first.set(k, version, m);
      if (prev === -1) continue;
      const id = `${k}:${version}`;
      let g = groups.get(id);
      if (g === undefined) groups.set(id, (g = { k, m: prev, txns: [txns.mopTxn[prev]] }));
      if (g.txns[g.txns.length - 1] !== t) g.txns.push(t);
      first.set(k, version, prev);
    }
  }
  for (const g of groups.values()) {
    if (g.txns.length < 2) continue;
    const read = mopValue(txns, g.m)[2];
    log.add('lost-update', () => ({ key: txns.keys[g.k], value: read, txns: g.txns.map((t) => txnRecord(txns, t)) }));
  }
}
