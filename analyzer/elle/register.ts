/**
 * The rw-register workload: micro-ops `[:w k v]` and `[:r k v]`, and the ww / wr / rw edges its
 * version orders give. Its version orders are inferred in register-orders.ts, its non-cycle
 * anomalies found in register-anomalies.ts, its edges explained in register-explain.ts.
 *
 * A value read names its writer (writes are unique per key): wr from the writer to each
 * transaction whose first access of the key read it. Each proven pair v1 < v2 of key k gives
 * ww (writer of v1 -> writer of v2) and rw (every such reader of v1 -> writer of v2). Only a
 * transaction's final write of a key is a version others depend on.
 */
import { type EdnRecord, kw } from '../edn/values.js';
import { FAIL, OK } from '../history/op.js';
import { PairMap } from '../util/int-tables.js';
import { type EdgeList, RW, WR, WW } from './graph.js';
import { RW_REGISTER_ANOMALIES } from './register-anomalies.js';
import { explainRegisterEdge } from './register-explain.js';
import { registerCertificate } from './register-certificate.js';
import { type RegisterOrders, inferRegisterOrders } from './register-orders.js';
import { NIL, READ, type Txns, UNKNOWN_VALUE, WRITE } from './txns.js';
import type { TxnWorkload } from './workload.js';
import { RW_REGISTER } from './identities.js';

function nilKey(v: number): number {
  return v + 1; // NIL (-1) -> 0, so PairMap keys stay non-negative
}

/** Adds rw-register's ww / wr / rw edges (see the file header). */
export function addRegisterEdges(txns: Txns, o: RegisterOrders, edges: EdgeList): void {
  const { mopKind, mopKey, mopValue, mopTxn, status } = txns;
  const mopCount = mopKind.length;
  // Readers of each (key, value): linked lists threaded through `next`.
  const head = new PairMap(1024);
  const next = new Int32Array(mopCount).fill(-1);
  for (let m = 0; m < mopCount; m++) {
    if (mopKind[m] !== READ || !o.external[m] || mopValue[m] === UNKNOWN_VALUE) continue;
    const t = mopTxn[m];
    if (status[t] !== OK) continue;
    next[m] = head.set(mopKey[m], nilKey(mopValue[m]), m);
    const w = o.readFrom[m];
    if (w < 0) continue; // nil, or a garbage read
    const writerTxn = mopTxn[w];
    // As in Elle, no wr edge from an intermediate write (G1b): only a transaction's final write
    // of a key is a version others depend on (read committed forbids G1b anyway).
    if (status[writerTxn] === FAIL || writerTxn === t || o.intermediate[w]) continue;
    edges.add(writerTxn, t, WR);
  }
  const versionWriter = (k: number, v: number): number => {
    if (v === NIL) return -1;
    const w = o.writer.get(k, v);
    return w < 0 || o.intermediate[w] || status[mopTxn[w]] === FAIL ? -1 : mopTxn[w];
  };
  const p = o.pairs;
  for (let j = 0; j < p.length; j += 3) {
    const k = p[j];
    const w2 = versionWriter(k, p[j + 2]);
    if (w2 < 0) continue;
    const w1 = versionWriter(k, p[j + 1]);
    if (w1 >= 0) edges.add(w1, w2, WW);
    for (let r = head.get(k, nilKey(p[j + 1])); r >= 0; r = next[r]) edges.add(mopTxn[r], w2, RW);
  }
}

/** The rw-register workload (Elle's `elle.rw-register`). */
export const rwRegisterWorkload: TxnWorkload<RegisterOrders> = {
  ...RW_REGISTER,
  readMicroOp(name, mop, sink) {
    const x = mop.length > 2 ? mop[2] : null;
    if (name === 'w') sink.add(WRITE, x === null ? NIL : sink.valueId(x), 0);
    else if (name === 'r') sink.add(READ, !sink.fromCompletion ? UNKNOWN_VALUE : x === null ? NIL : sink.valueId(x), 0);
    else return false;
    return true;
  },
  readValue: (txns, m) => (txns.mopValue[m] < 0 ? null : txns.values[txns.mopValue[m]]),
  inferOrders: inferRegisterOrders,
  addEdges: addRegisterEdges,
  explainEdge: explainRegisterEdge,
  certifyInvalid: registerCertificate,
  anomalies: RW_REGISTER_ANOMALIES,
  resultNotes: (o): EdnRecord => (o.assumptions.length > 0 ? { assumptions: [...o.assumptions].sort().map((a) => kw(a)) } : {}),
};
