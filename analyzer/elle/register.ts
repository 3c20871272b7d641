/**
 * Read-write register inference: version orders, non-cycle anomalies and ww / wr / rw edges.
 *
 * Writes are unique per key, so a value read names its writer (wr). Unlike list-append, a
 * register read shows only the latest version, not the history before it, so the version order
 * is known only where something proves it:
 *   - the initial version nil precedes every written version (always);
 *   - `--wfr-keys`: a transaction that read v1 and then wrote v2 puts v1 before v2;
 *   - `--sequential-keys`: each process sees a key's versions in order;
 *   - `--linearizable-keys`: a transaction that began after another completed sees a version at
 *     least as new.
 * The last three are assumptions about the database, named in the result when used. Each
 * proven pair v1 < v2 of key k gives ww (writer of v1 -> writer of v2) and rw (every reader of
 * v1 -> writer of v2).
 */
import { FAIL, OK } from '../history/op.js';
import { type AnomalyLog, mopValue, txnRecord } from './anomalies.js';
import { EdnSet } from '../edn/values.js';
import { EdgeList, RW, WR, WW, buildCsr } from './graph.js';
import { tarjan } from './scc.js';
import { IntVec, PairMap } from '../util/int-tables.js';
import { NIL, READ, type Txns, UNKNOWN_VALUE, WRITE } from './txns.js';

export interface RegisterAssumptions {
  wfrKeys?: boolean;
  sequentialKeys?: boolean;
  linearizableKeys?: boolean;
  /** A known commit order: completion :index -> position (Elle's :transaction-order). */
  transactionOrder?: ReadonlyMap<number, number>;
}

export interface RegisterOrders {
  /** (key, value) -> the write micro-op. */
  writer: PairMap;
  /** Micro-op -> 1 if it is an external read (the transaction's first access of that key). */
  external: Uint8Array;
  /** Micro-op -> 1 if a later write of the same key in the same transaction supersedes it. */
  intermediate: Uint8Array;
  /** Proven version pairs: key, earlier value (NIL for nil), later value, as triples. */
  pairs: Int32Array;
}

function nilKey(v: number): number {
  return v + 1; // NIL (-1) -> 0, so PairMap keys stay non-negative
}

export function inferRegisterOrders(txns: Txns, log: AnomalyLog, assume: RegisterAssumptions): RegisterOrders {
  const { mopKind, mopKey, mopValue: val, mopTxn, status } = txns;
  const nm = mopKind.length;
  const writer = new PairMap(nm);
  const external = new Uint8Array(nm);
  const intermediate = new Uint8Array(nm);
  // Per transaction: first access of each key, intermediate writes, internal consistency.
  for (let t = 0; t < txns.count; t++) {
    const a = txns.mopStart[t];
    const b = txns.mopStart[t + 1];
    const seen = new Map<number, number>(); // key -> last known value in this txn
    for (let m = a; m < b; m++) {
      const k = mopKey[m];
      if (mopKind[m] === WRITE) {
        if (val[m] !== NIL) writer.set(k, val[m], m);
        for (let n = m + 1; n < b; n++) {
          if (mopKind[n] === WRITE && mopKey[n] === k) {
            intermediate[m] = 1;
            break;
          }
        }
        seen.set(k, val[m]);
        continue;
      }
      if (val[m] === UNKNOWN_VALUE) continue;
      const before = seen.get(k);
      if (before === undefined) external[m] = 1;
      else if (before !== val[m] && status[t] === OK) {
        log.add('internal', () => ({ op: txnRecord(txns, t), mop: mopValue(txns, m), expected: before === NIL ? null : txns.values[before] }));
      }
      seen.set(k, val[m]);
      if (status[t] === OK && val[m] !== NIL) {
        for (let n = m + 1; n < b; n++) {
          if (mopKind[n] === WRITE && mopKey[n] === k && val[n] === val[m]) {
            log.add('future-read', () => ({ op: txnRecord(txns, t), mop: mopValue(txns, m), element: txns.values[val[m]] }));
            break;
          }
        }
      }
    }
  }
  const pairs = new IntVec(1024);
  const addPair = (k: number, v1: number, v2: number): void => {
    if (v1 === v2 || v2 === NIL) return;
    pairs.push(k);
    pairs.push(v1);
    pairs.push(v2);
  };
  // Which writes happened: ok ones, and info ones somebody read.
  const happened = new Uint8Array(nm);
  for (let m = 0; m < nm; m++) {
    if (mopKind[m] === WRITE && status[mopTxn[m]] === OK) happened[m] = 1;
  }
  // An :info transaction one of whose writes was read committed, so all its writes happened.
  const committed = new Uint8Array(txns.count);
  for (let m = 0; m < nm; m++) {
    if (mopKind[m] !== READ || !external[m] || status[mopTxn[m]] !== OK || val[m] < 0) continue;
    const w = writer.get(mopKey[m], val[m]);
    if (w >= 0 && status[mopTxn[w]] !== FAIL) committed[mopTxn[w]] = 1;
  }
  for (let m = 0; m < nm; m++) if (mopKind[m] === WRITE && committed[mopTxn[m]]) happened[m] = 1;
  for (let m = 0; m < nm; m++) {
    if (happened[m] && !intermediate[m] && val[m] !== NIL) addPair(mopKey[m], NIL, val[m]);
  }
  if (assume.wfrKeys || assume.sequentialKeys) {
    const lastByProcess = new Map<number, Map<number, number>>();
    for (let t = 0; t < txns.count; t++) {
      if (status[t] !== OK) continue;
      const a = txns.mopStart[t];
      const b = txns.mopStart[t + 1];
      let last = lastByProcess.get(txns.process[t]);
      if (last === undefined) lastByProcess.set(txns.process[t], (last = new Map()));
      const readHere = new Map<number, number>();
      for (let m = a; m < b; m++) {
        const k = mopKey[m];
        if (mopKind[m] === READ && external[m] && val[m] !== UNKNOWN_VALUE) readHere.set(k, val[m]);
        if (mopKind[m] === WRITE && !intermediate[m]) {
          const r = readHere.get(k);
          if (assume.wfrKeys && r !== undefined) addPair(k, r, val[m]);
        }
        if (assume.sequentialKeys && ((mopKind[m] === READ && external[m] && val[m] !== UNKNOWN_VALUE) || (mopKind[m] === WRITE && !intermediate[m]))) {
          const p = last.get(k);
          if (p !== undefined) addPair(k, p, val[m]);
          last.set(k, val[m]);
        }
      }
    }
  }
  if (assume.linearizableKeys) linearizablePairs(txns, external, intermediate, addPair);
  if (assume.transactionOrder) transactionOrderPairs(txns, assume.transactionOrder, intermediate, addPair);
  return { writer, external, intermediate, pairs: withoutCyclicVersions(txns, pairs.toArray(), log) };
}

/**
 * A known commit order (`--transaction-order`): each key's versions go in the order of the
 * transactions that wrote them (their last write of the key). Transactions the map does not
 * name come first, as Elle sorts them (nil before any number).
 */
function transactionOrderPairs(txns: Txns, order: ReadonlyMap<number, number>, intermediate: Uint8Array, addPair: (k: number, a: number, b: number) => void): void {
  const { mopKind, mopKey, mopValue: val, status } = txns;
  const byKey = new Map<number, { v: number; at: number }[]>();
  for (let t = 0; t < txns.count; t++) {
    const c = txns.complete[t];
    if (status[t] === FAIL || c < 0) continue;
    const at = order.get(txns.history.index[c]) ?? -Infinity;
    for (let m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
      if (mopKind[m] !== WRITE || intermediate[m] || val[m] === NIL) continue;
      let list = byKey.get(mopKey[m]);
      if (list === undefined) byKey.set(mopKey[m], (list = []));
      list.push({ v: val[m], at });
    }
  }
  for (const [k, list] of byKey) {
    list.sort((a, b) => (a.at === b.at ? 0 : a.at < b.at ? -1 : 1));
    for (let j = 1; j < list.length; j++) addPair(k, list[j - 1].v, list[j].v);
  }
}

/**
 * Elle's `cyclic-versions`: where the proven pairs of a key order its versions in a cycle
 * (v1 < v2 < v1), no version order of that key exists, which is itself an anomaly (the
 * assumptions the pairs came from do not hold). That key's pairs then prove nothing, so they
 * are dropped, and no cycle of transactions is derived from them.
 */
function withoutCyclicVersions(txns: Txns, pairs: Int32Array, log: AnomalyLog): Int32Array {
  const node = new PairMap(pairs.length / 3); // (key, version) -> node id
  const nodeKey: number[] = [];
  const nodeValue: number[] = [];
  const id = (k: number, v: number): number => {
    let n = node.get(k, v);
    if (n < 0) {
      node.set(k, v, (n = nodeKey.length));
      nodeKey.push(k);
      nodeValue.push(v);
    }
    return n;
  };
  const edges = new EdgeList(pairs.length / 3);
  for (let j = 0; j < pairs.length; j += 3) edges.add(id(pairs[j], pairs[j + 1]), id(pairs[j], pairs[j + 2]), WW);
  const sccs = tarjan(buildCsr(nodeKey.length, edges), WW);
  const cyclic = new Map<number, number[]>(); // key -> the versions of its first cycle
  for (let n = 0; n < nodeKey.length; n++) {
    if (sccs.size[sccs.comp[n]] < 2) continue;
    const k = nodeKey[n];
    const c = sccs.comp[n];
    let vs = cyclic.get(k);
    if (vs === undefined) cyclic.set(k, (vs = [c]));
    if (vs[0] === c) vs.push(nodeValue[n]);
  }
  if (cyclic.size === 0) return pairs;
  for (const [k, [, ...vs]] of cyclic) {
    const shown = vs.map((v) => (v === NIL ? null : txns.values[v]));
    log.add('cyclic-versions', () => ({ key: txns.keys[k], scc: new EdnSet(shown) }));
  }
  const kept = new IntVec(pairs.length);
  for (let j = 0; j < pairs.length; j += 3) if (!cyclic.has(pairs[j])) for (let d = 0; d < 3; d++) kept.push(pairs[j + d]);
  return kept.toArray();
}

/**
 * For each transaction and key, the version seen by the transaction that most recently
 * completed (before this one began) touching that key precedes or equals the version this one
 * sees.
 */
function linearizablePairs(txns: Txns, external: Uint8Array, intermediate: Uint8Array, addPair: (k: number, a: number, b: number) => void): void {
  const { mopKind, mopKey, mopValue: val, status } = txns;
  const h = txns.history;
  const event = new Int32Array(h.length);
  for (let t = 0; t < txns.count; t++) {
    if (status[t] !== OK) continue;
    event[txns.invoke[t]] = t + 1;
    if (txns.complete[t] >= 0) event[txns.complete[t]] = -(t + 1);
  }
  const latest = new Map<number, number>(); // key -> version of the last completed txn
  const snapshot = new Map<number, Map<number, number>>(); // txn -> its keys' predecessors
  const versionsOf = (t: number): Map<number, number> => {
    const out = new Map<number, number>();
    for (let m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
      if (mopKind[m] === READ && external[m] && val[m] !== UNKNOWN_VALUE && !out.has(mopKey[m])) out.set(mopKey[m], val[m]);
      if (mopKind[m] === WRITE && !intermediate[m]) out.set(mopKey[m], val[m]);
    }
    return out;
  };
  for (let i = 0; i < h.length; i++) {
    const e = event[i];
    if (e > 0) {
      const t = e - 1;
      const pre = new Map<number, number>();
      for (let m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
        const v = latest.get(mopKey[m]);
        if (v !== undefined) pre.set(mopKey[m], v);
      }
      snapshot.set(t, pre);
    } else if (e < 0) {
      const t = -e - 1;
      const mine = versionsOf(t);
      const pre = snapshot.get(t);
      snapshot.delete(t);
      for (const [k, v] of mine) {
        // The first version this txn saw of k is at least the predecessor's.
        let firstSeen = v;
        for (let m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
          if (mopKey[m] === k && ((mopKind[m] === READ && external[m]) || mopKind[m] === WRITE)) {
            firstSeen = val[m];
            break;
          }
        }
        const p = pre?.get(k);
        if (p !== undefined) addPair(k, p, firstSeen);
        latest.set(k, v);
      }
    }
  }
}

export function registerEdges(txns: Txns, o: RegisterOrders, edges: EdgeList, log: AnomalyLog): void {
  const { mopKind, mopKey, mopValue: val, mopTxn, status } = txns;
  const nm = mopKind.length;
  // Readers of each (key, value): linked lists threaded through `next`.
  const head = new PairMap(1024);
  const next = new Int32Array(nm).fill(-1);
  for (let m = 0; m < nm; m++) {
    if (mopKind[m] !== READ || !o.external[m] || val[m] === UNKNOWN_VALUE) continue;
    const t = mopTxn[m];
    if (status[t] !== OK) continue;
    const k = mopKey[m];
    next[m] = head.set(k, nilKey(val[m]), m);
    if (val[m] === NIL) continue;
    const w = o.writer.get(k, val[m]);
    if (w < 0) {
      log.add('garbage-read', () => ({ op: txnRecord(txns, t), mop: mopValue(txns, m), element: txns.values[val[m]] }));
      continue;
    }
    const wt = mopTxn[w];
    if (status[wt] === FAIL) {
      log.add('G1a', () => ({ op: txnRecord(txns, t), mop: mopValue(txns, m), writer: txnRecord(txns, wt), element: txns.values[val[m]] }));
      continue;
    }
    if (wt === t) continue;
    if (o.intermediate[w]) {
      // G1b; and as in Elle, no wr edge: only a transaction's final write of a key is a version
      // others depend on (read committed forbids G1b anyway, and every cycle a wr edge closes).
      log.add('G1b', () => ({ op: txnRecord(txns, t), mop: mopValue(txns, m), writer: txnRecord(txns, wt), element: txns.values[val[m]] }));
      continue;
    }
    edges.add(wt, t, WR);
  }
  const writerTxn = (k: number, v: number): number => {
    if (v === NIL) return -1;
    const w = o.writer.get(k, v);
    return w < 0 || o.intermediate[w] || status[mopTxn[w]] === FAIL ? -1 : mopTxn[w];
  };
  const p = o.pairs;
  for (let j = 0; j < p.length; j += 3) {
    const k = p[j];
    const w2 = writerTxn(k, p[j + 2]);
    if (w2 < 0) continue;
    const w1 = writerTxn(k, p[j + 1]);
    if (w1 >= 0) edges.add(w1, w2, WW);
    for (let r = head.get(k, nilKey(p[j + 1])); r >= 0; r = next[r]) edges.add(mopTxn[r], w2, RW);
  }
  lostUpdates(txns, o, log);
}

function lostUpdates(txns: Txns, o: RegisterOrders, log: AnomalyLog): void {
  const { mopKind, mopKey, mopValue: val, status } = txns;
  const groups = new Map<string, { k: number; v: number; txns: number[] }>();
  for (let t = 0; t < txns.count; t++) {
    if (status[t] !== OK) continue;
    for (let m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
      if (mopKind[m] !== READ || !o.external[m] || val[m] === UNKNOWN_VALUE) continue;
      let writes = false;
      for (let n = m + 1; n < txns.mopStart[t + 1] && !writes; n++) writes = mopKind[n] === WRITE && mopKey[n] === mopKey[m];
      if (!writes) continue;
      const id = `${mopKey[m]}:${val[m]}`;
      let g = groups.get(id);
      if (g === undefined) groups.set(id, (g = { k: mopKey[m], v: val[m], txns: [] }));
      g.txns.push(t);
    }
  }
  for (const g of groups.values()) {
    if (g.txns.length < 2) continue;
    log.add('lost-update', () => ({ key: txns.keys[g.k], value: g.v < 0 ? null : txns.values[g.v], txns: g.txns.map((t) => txnRecord(txns, t)) }));
  }
}
