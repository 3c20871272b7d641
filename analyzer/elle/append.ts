/**
 * The list-append workload: micro-ops `[:append k v]` and `[:r k [v…]]`, version orders and the
 * ww / wr / rw edges they give (its non-cycle anomalies are in append-anomalies.ts, its edge
 * explanations in append-explain.ts).
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
import { printEdn } from '../edn/print.js';
import type { EdnValue } from '../edn/values.js';
import { FAIL, INFO, OK } from '../history/op.js';
import { PairMap } from '../util/int-tables.js';
import { LIST_APPEND_ANOMALIES } from './append-anomalies.js';
import { explainAppendEdge } from './append-explain.js';
import { type EdgeList, RW, WR, WW } from './graph.js';
import { APPEND, READ, type Txns } from './txns.js';
import type { TxnWorkload } from './workload.js';
import { LIST_APPEND } from './identities.js';

/** At most this many rw edges per read towards committed appends nobody read. */
const MAX_UNREAD_EDGES = 64;

/** What list-append infers: each key's version order (its longest read) and where it breaks down. */
export interface AppendOrders {
  /** (key, value) -> the micro-op that appended it. */
  writer: PairMap;
  /** key -> the micro-op of its longest read, or -1. */
  longest: Int32Array;
  /** (key, value) -> position in that key's longest read. */
  pos: PairMap;
  /** key -> 1 when its reads disagree (no order). */
  broken: Uint8Array;
  /** Committed reads that are not a prefix of their key's longest read, in micro-op order. */
  incompatible: Int32Array;
  /** Committed non-empty read -> the micro-op that appended its last element (the version it read); -1 for none, or another micro-op. */
  lastWriter: Int32Array;
  /** key -> how many of its longest read's first elements were appended by transactions that did not fail. */
  committedPrefix: Int32Array;
  /** key -> committed appends that no read contains. */
  unread: Map<number, number[]>;
  /** Number of appends of a value already appended to the same key (ignored). */
  duplicateAppends: number;
}

/** Whether read m's elements are the first elements of read l's (same key). */
function isPrefixOf(txns: Txns, m: number, l: number): boolean {
  const { mopValue, mopLen, readElems } = txns;
  const s = mopValue[m];
  const ls = mopValue[l];
  for (let j = 0; j < mopLen[m]; j++) if (readElems[s + j] !== readElems[ls + j]) return false;
  return true;
}

/** Each key's longest committed read (the version order), and every appended value's writer. */
function longestReads(txns: Txns): { writer: PairMap; longest: Int32Array; duplicateAppends: number } {
  const { mopKind, mopKey, mopValue, mopLen, mopTxn, status } = txns;
  const writer = new PairMap(mopKind.length);
  const longest = new Int32Array(txns.keys.length).fill(-1);
  let duplicateAppends = 0;
  for (let m = 0; m < mopKind.length; m++) {
    if (mopKind[m] === APPEND) {
      if (writer.set(mopKey[m], mopValue[m], m) !== -1) duplicateAppends++;
    } else if (mopKind[m] === READ && mopLen[m] >= 0 && status[mopTxn[m]] === OK) {
      const k = mopKey[m];
      if (longest[k] < 0 || mopLen[longest[k]] < mopLen[m]) longest[k] = m;
    }
  }
  return { writer, longest, duplicateAppends };
}

/**
 * Infers list-append's version orders: each key's longest read, the position of every element
 * in it, which keys' reads disagree (an element twice, or a read that is not a prefix), which
 * transactions committed, and the committed appends no read saw.
 */
export function inferAppendOrders(txns: Txns): AppendOrders {
  const { mopKind, mopKey, mopValue, mopLen, readElems, mopTxn, status } = txns;
  const keyCount = txns.keys.length;
  const { writer, longest, duplicateAppends } = longestReads(txns);
  let known = 0;
  for (let k = 0; k < keyCount; k++) if (longest[k] >= 0) known += mopLen[longest[k]];
  const pos = new PairMap(known);
  const broken = new Uint8Array(keyCount);
  for (let k = 0; k < keyCount; k++) {
    const m = longest[k];
    if (m < 0) continue;
    const start = mopValue[m];
    for (let j = 0; j < mopLen[m]; j++) if (pos.set(k, readElems[start + j], j) !== -1) broken[k] = 1; // an element twice
  }
  // Every read must be a prefix of its key's longest read.
  const incompatible: number[] = [];
  const lastWriter = new Int32Array(mopKind.length).fill(-1);
  for (let m = 0; m < mopKind.length; m++) {
    if (mopKind[m] !== READ || mopLen[m] <= 0 || status[mopTxn[m]] !== OK) continue;
    lastWriter[m] = writer.get(mopKey[m], readElems[mopValue[m] + mopLen[m] - 1]);
    const l = longest[mopKey[m]];
    if (l === m || isPrefixOf(txns, m, l)) continue;
    broken[mopKey[m]] = 1;
    incompatible.push(m);
  }
  // A transaction committed if it is :ok, or :info with some append that a read saw (then all
  // its appends happened: transactions are atomic).
  const committed = new Uint8Array(txns.count);
  for (let t = 0; t < txns.count; t++) if (status[t] === OK) committed[t] = 1;
  const committedPrefix = new Int32Array(keyCount);
  for (let k = 0; k < keyCount; k++) {
    const m = longest[k];
    if (m < 0) continue;
    let prefix = -1;
    for (let j = 0; j < mopLen[m]; j++) {
      const w = writer.get(k, readElems[mopValue[m] + j]);
      if (prefix < 0 && (w < 0 || status[mopTxn[w]] === FAIL)) prefix = j;
      if (w >= 0 && status[mopTxn[w]] === INFO) committed[mopTxn[w]] = 1;
    }
    committedPrefix[k] = prefix < 0 ? mopLen[m] : prefix;
  }
  const unread = new Map<number, number[]>();
  for (let m = 0; m < mopKind.length; m++) {
    if (mopKind[m] !== APPEND || !committed[mopTxn[m]] || pos.has(mopKey[m], mopValue[m])) continue;
    if (writer.get(mopKey[m], mopValue[m]) !== m) continue;
    let u = unread.get(mopKey[m]);
    if (u === undefined) unread.set(mopKey[m], (u = []));
    u.push(m);
  }
  return { writer, longest, pos, broken, incompatible: Int32Array.from(incompatible), lastWriter, committedPrefix, unread, duplicateAppends };
}

/** The transaction that appended value v to key k, or -1. */
function writerTxnOf(txns: Txns, o: AppendOrders, k: number, v: number): number {
  const w = o.writer.get(k, v);
  return w < 0 ? -1 : txns.mopTxn[w];
}

/** ww edges along each key's order, and from its last element's writer to the committed appends nobody read. */
function addWwEdges(txns: Txns, o: AppendOrders, edges: EdgeList): void {
  const { mopValue, mopLen, readElems, mopTxn, status } = txns;
  for (let k = 0; k < txns.keys.length; k++) {
    const l = o.longest[k];
    if (l < 0) continue;
    if (o.broken[k]) {
      brokenKeyOrder(txns, o, k, l, edges);
      continue;
    }
    const start = mopValue[l];
    const n = mopLen[l];
    let previous = -1;
    for (let j = 0; j < n; j++) {
      const w = writerTxnOf(txns, o, k, readElems[start + j]);
      if (j > 0 && previous >= 0 && w >= 0 && status[previous] !== FAIL && status[w] !== FAIL) edges.add(previous, w, WW);
      previous = w;
    }
    const unread = o.unread.get(k);
    if (unread !== undefined && n > 0 && previous >= 0 && status[previous] !== FAIL) for (const u of unread) edges.add(previous, mopTxn[u], WW);
  }
}

/** Adds list-append's ww / wr / rw edges (see the file header). */
export function addAppendEdges(txns: Txns, o: AppendOrders, edges: EdgeList): void {
  const { mopKind, mopKey, mopValue, mopLen, readElems, mopTxn, status } = txns;
  addWwEdges(txns, o, edges);
  for (let m = 0; m < mopKind.length; m++) {
    if (mopKind[m] !== READ || mopLen[m] < 0) continue;
    const t = mopTxn[m];
    if (status[t] !== OK) continue;
    const k = mopKey[m];
    const n = mopLen[m];
    const w = o.lastWriter[m];
    if (w >= 0 && status[mopTxn[w]] !== FAIL) edges.add(mopTxn[w], t, WR);
    if (o.broken[k]) continue;
    const l = o.longest[k];
    const total = l < 0 ? 0 : mopLen[l];
    if (n < total) {
      const w = writerTxnOf(txns, o, k, readElems[mopValue[l] + n]);
      if (w >= 0 && status[w] !== FAIL) edges.add(t, w, RW);
    } else {
      const unread = o.unread.get(k);
      if (unread !== undefined) {
        for (let j = 0; j < unread.length && j < MAX_UNREAD_EDGES; j++) edges.add(t, mopTxn[unread[j]], RW);
      }
    }
  }
}

/**
 * A key whose reads disagree (incompatible-order, duplicate-elements) has no version order
 * every read agrees with. As Elle does, its longest read still orders its elements (each at
 * its first place) for ww edges; its reads give no rw edges, since "the prefix a read saw" is
 * not defined when reads are not prefixes of one list.
 */
function brokenKeyOrder(txns: Txns, o: AppendOrders, k: number, l: number, edges: EdgeList): void {
  const { mopValue, mopLen, readElems, status } = txns;
  const seen = new Set<number>();
  let previous = -1;
  for (let j = 0; j < mopLen[l]; j++) {
    const element = readElems[mopValue[l] + j];
    if (seen.has(element)) continue;
    seen.add(element);
    const w = writerTxnOf(txns, o, k, element);
    if (w < 0 || status[w] === FAIL) continue;
    if (previous >= 0) edges.add(previous, w, WW);
    previous = w;
  }
}

/** A list read's value as the history wrote it: its elements, or nil when unknown. */
function readList(txns: Txns, m: number): EdnValue {
  const n = txns.mopLen[m];
  if (n < 0) return null;
  const out: EdnValue[] = [];
  for (let j = 0; j < n; j++) out.push(txns.values[txns.readElems[txns.mopValue[m] + j]]);
  return out;
}

/** The list-append workload (Elle's `elle.list-append`). */
export const listAppendWorkload: TxnWorkload<AppendOrders> = {
  ...LIST_APPEND,
  readMicroOp(name, mop, sink) {
    const x = mop.length > 2 ? mop[2] : null;
    if (name === 'append') {
      sink.add(APPEND, sink.valueId(x), 0);
      return true;
    }
    if (name !== 'r') return false;
    if (!sink.fromCompletion) sink.add(READ, 0, -1);
    else if (x !== null && !Array.isArray(x)) sink.bad(`a list-append read returns a list; found ${printEdn(mop).slice(0, 80)}`);
    else {
      const xs = x ?? [];
      sink.add(READ, sink.elements(xs), xs.length);
    }
    return true;
  },
  readValue: readList,
  inferOrders: (txns) => inferAppendOrders(txns),
  addEdges: addAppendEdges,
  explainEdge: explainAppendEdge,
  anomalies: LIST_APPEND_ANOMALIES,
  // Elle gives up (:unknown) on these; we keep one append of each value and say so.
  resultNotes: (o) => (o.duplicateAppends > 0 ? { 'duplicate-appends': o.duplicateAppends } : {}),
};
