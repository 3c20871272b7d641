/**
 * rw-register's version orders: what the history (and the assumptions asked for) proves about
 * the order of each key's versions.
 *
 * Writes are unique per key, so a value read names its writer. Unlike list-append, a register
 * read shows only the latest version, not the history before it, so the version order is known
 * only where something proves it:
 *   - the initial version nil precedes every written version (always);
 *   - `--wfr-keys`: a transaction that read v1 and then wrote v2 puts v1 before v2;
 *   - `--sequential-keys`: each process sees a key's versions in order;
 *   - `--linearizable-keys`: a transaction that began after another completed sees a version at
 *     least as new;
 *   - `--transaction-order`: a commit order known from outside the history.
 * The last four are assumptions about the database, named in the result when used. Where the
 * proven pairs of a key order its versions in a cycle, that key has no version order
 * (`cyclic-versions`) and its pairs are dropped.
 */
import { EdnMap } from '../edn/values.js';
import { parseEdn } from '../edn/scanner.js';
import { UsageError } from '../check/checker.js';
import { FAIL, OK } from '../history/op.js';
import { IntVec, PairMap } from '../util/int-tables.js';
import { EdgeList, WW, buildCsr } from './graph.js';
import { tarjan } from './scc.js';
import { NIL, READ, type Txns, UNKNOWN_VALUE, WRITE } from './txns.js';
import type { ElleOptions } from './workload.js';

/** What rw-register infers: who wrote what, which reads count, and the proven version pairs. */
export interface RegisterOrders {
  /** (key, value) -> the write micro-op. */
  writer: PairMap;
  /** Micro-op -> 1 if it is an external read (the transaction's first access of that key). */
  external: Uint8Array;
  /** Micro-op -> 1 if a later write of the same key in the same transaction supersedes it. */
  intermediate: Uint8Array;
  /** External committed read of a written value -> the write micro-op it read; -1 otherwise. */
  readFrom: Int32Array;
  /** Proven version pairs: key, earlier value (NIL for nil), later value, as triples. */
  pairs: Int32Array;
  /** Keys whose proven pairs form a cycle -> the versions of its first cycle (their pairs are not in `pairs`). */
  cyclic: Map<number, number[]>;
  /** The assumptions the pairs rest on, by option name (e.g. wfr-keys). */
  assumptions: string[];
}

/** The assumptions about the database that `--wfr-keys` and friends ask for. */
interface Assumptions {
  wfrKeys: boolean;
  sequentialKeys: boolean;
  linearizableKeys: boolean;
  /** A known commit order: completion :index -> position (Elle's :transaction-order). */
  transactionOrder?: ReadonlyMap<number, number>;
}

/** Adds a proven pair: key k's version v1 precedes v2. */
type AddPair = (k: number, v1: number, v2: number) => void;

/**
 * Infers rw-register's version orders from `txns` and the assumptions `opts` asks for. Throws
 * a UsageError when `--transaction-order` is not a map from :index to position.
 */
export function inferRegisterOrders(txns: Txns, opts: ElleOptions): RegisterOrders {
  const transactionOrder = transactionOrderOf(opts.transactionOrder);
  const assume: Assumptions = { wfrKeys: opts.wfrKeys === true, sequentialKeys: opts.sequentialKeys === true, linearizableKeys: opts.linearizableKeys === true, transactionOrder };
  const assumptions: string[] = [];
  if (transactionOrder !== undefined) assumptions.push('transaction-order');
  if (assume.wfrKeys) assumptions.push('wfr-keys');
  if (assume.sequentialKeys) assumptions.push('sequential-keys');
  if (assume.linearizableKeys) assumptions.push('linearizable-keys');
  const { writer, external, intermediate } = accesses(txns);
  const readFrom = readsFrom(txns, writer, external);
  const pairs = new IntVec(1024);
  const addPair: AddPair = (k, v1, v2) => {
    if (v1 === v2 || v2 === NIL) return;
    pairs.push(k);
    pairs.push(v1);
    pairs.push(v2);
  };
  initialVersionPairs(txns, readFrom, intermediate, addPair);
  if (assume.wfrKeys || assume.sequentialKeys) sessionPairs(txns, external, intermediate, assume, addPair);
  if (assume.linearizableKeys) linearizablePairs(txns, external, intermediate, addPair);
  if (assume.transactionOrder) transactionOrderPairs(txns, assume.transactionOrder, intermediate, addPair);
  const { kept, cyclic } = withoutCyclicVersions(pairs.toArray());
  return { writer, external, intermediate, readFrom, pairs: kept, cyclic, assumptions };
}

/** Per transaction: each write's key and value, each key's first access, and intermediate writes. */
function accesses(txns: Txns): { writer: PairMap; external: Uint8Array; intermediate: Uint8Array } {
  const { mopKind, mopKey, mopValue } = txns;
  const mopCount = mopKind.length;
  const writer = new PairMap(mopCount);
  const external = new Uint8Array(mopCount);
  const intermediate = new Uint8Array(mopCount);
  for (let t = 0; t < txns.count; t++) {
    const a = txns.mopStart[t];
    const b = txns.mopStart[t + 1];
    const seen = new Set<number>(); // keys this txn wrote or read a known value of
    for (let m = a; m < b; m++) {
      const k = mopKey[m];
      if (mopKind[m] === WRITE) {
        if (mopValue[m] !== NIL) writer.set(k, mopValue[m], m);
        for (let n = m + 1; n < b; n++) {
          if (mopKind[n] === WRITE && mopKey[n] === k) {
            intermediate[m] = 1;
            break;
          }
        }
        seen.add(k);
        continue;
      }
      if (mopValue[m] === UNKNOWN_VALUE) continue;
      if (!seen.has(k)) external[m] = 1;
      seen.add(k);
    }
  }
  return { writer, external, intermediate };
}

/** For each external committed read of a written value, the write micro-op it read (-1: none, or not such a read). */
function readsFrom(txns: Txns, writer: PairMap, external: Uint8Array): Int32Array {
  const { mopKind, mopKey, mopValue, mopTxn, status } = txns;
  const readFrom = new Int32Array(mopKind.length).fill(-1);
  for (let m = 0; m < mopKind.length; m++) {
    if (mopKind[m] !== READ || !external[m] || status[mopTxn[m]] !== OK || mopValue[m] < 0) continue;
    readFrom[m] = writer.get(mopKey[m], mopValue[m]);
  }
  return readFrom;
}

/**
 * nil precedes every version that happened: every write of an :ok transaction, and of an
 * :info one that some read saw (it committed, so all its writes happened). Intermediate
 * writes are no version others see.
 */
function initialVersionPairs(txns: Txns, readFrom: Int32Array, intermediate: Uint8Array, addPair: AddPair): void {
  const { mopKind, mopKey, mopValue, mopTxn, status } = txns;
  const committed = new Uint8Array(txns.count);
  for (let m = 0; m < mopKind.length; m++) {
    const w = readFrom[m];
    if (w >= 0 && status[mopTxn[w]] !== FAIL) committed[mopTxn[w]] = 1;
  }
  for (let m = 0; m < mopKind.length; m++) {
    if (mopKind[m] !== WRITE || (status[mopTxn[m]] !== OK && !committed[mopTxn[m]])) continue;
    if (!intermediate[m] && mopValue[m] !== NIL) addPair(mopKey[m], NIL, mopValue[m]);
  }
}

/** `--wfr-keys` (a write follows the same transaction's read) and `--sequential-keys` (each process sees versions in order). */
function sessionPairs(txns: Txns, external: Uint8Array, intermediate: Uint8Array, assume: Assumptions, addPair: AddPair): void {
  const { mopKind, mopKey, mopValue, status } = txns;
  const lastByProcess = new Map<number, Map<number, number>>();
  for (let t = 0; t < txns.count; t++) {
    if (status[t] !== OK) continue;
    let last = lastByProcess.get(txns.process[t]);
    if (last === undefined) lastByProcess.set(txns.process[t], (last = new Map()));
    const readHere = new Map<number, number>();
    for (let m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
      const k = mopKey[m];
      const seenRead = mopKind[m] === READ && external[m] === 1 && mopValue[m] !== UNKNOWN_VALUE;
      const finalWrite = mopKind[m] === WRITE && !intermediate[m];
      if (seenRead) readHere.set(k, mopValue[m]);
      if (finalWrite && assume.wfrKeys) {
        const r = readHere.get(k);
        if (r !== undefined) addPair(k, r, mopValue[m]);
      }
      if (assume.sequentialKeys && (seenRead || finalWrite)) {
        const p = last.get(k);
        if (p !== undefined) addPair(k, p, mopValue[m]);
        last.set(k, mopValue[m]);
      }
    }
  }
}

/**
 * A known commit order (`--transaction-order`): each key's versions go in the order of the
 * transactions that wrote them (their last write of the key). Transactions the map does not
 * name come first, as Elle sorts them (nil before any number).
 */
function transactionOrderPairs(txns: Txns, order: ReadonlyMap<number, number>, intermediate: Uint8Array, addPair: AddPair): void {
  const { mopKind, mopKey, mopValue, status } = txns;
  const byKey = new Map<number, { v: number; at: number }[]>();
  for (let t = 0; t < txns.count; t++) {
    const c = txns.complete[t];
    if (status[t] === FAIL || c < 0) continue;
    const at = order.get(txns.history.index[c]) ?? -Infinity;
    for (let m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
      if (mopKind[m] !== WRITE || intermediate[m] || mopValue[m] === NIL) continue;
      let list = byKey.get(mopKey[m]);
      if (list === undefined) byKey.set(mopKey[m], (list = []));
      list.push({ v: mopValue[m], at });
    }
  }
  for (const [k, list] of byKey) {
    list.sort((a, b) => (a.at === b.at ? 0 : a.at < b.at ? -1 : 1));
    for (let j = 1; j < list.length; j++) addPair(k, list[j - 1].v, list[j].v);
  }
}

/**
 * `--linearizable-keys`: for each transaction and key, the version seen by the transaction that
 * most recently completed (before this one began) touching that key precedes or equals the
 * version this one sees.
 */
function linearizablePairs(txns: Txns, external: Uint8Array, intermediate: Uint8Array, addPair: AddPair): void {
  const { mopKind, mopKey, mopValue, status } = txns;
  const h = txns.history;
  const event = new Int32Array(h.length);
  for (let t = 0; t < txns.count; t++) {
    if (status[t] !== OK) continue;
    event[txns.invoke[t]] = t + 1;
    if (txns.complete[t] >= 0) event[txns.complete[t]] = -(t + 1);
  }
  const latest = new Map<number, number>(); // key -> version of the last completed txn
  const snapshot = new Map<number, Map<number, number>>(); // txn -> its keys' predecessors
  for (let i = 0; i < h.length; i++) {
    const e = event[i];
    if (e > 0) {
      const t = e - 1;
      const before = new Map<number, number>();
      for (let m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
        const v = latest.get(mopKey[m]);
        if (v !== undefined) before.set(mopKey[m], v);
      }
      snapshot.set(t, before);
    } else if (e < 0) {
      const t = -e - 1;
      const before = snapshot.get(t);
      snapshot.delete(t);
      for (const [k, v] of versionsSeen(txns, t, external, intermediate)) {
        // The first version this txn saw of k is at least the predecessor's.
        let firstSeen = v;
        for (let m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
          if (mopKey[m] === k && ((mopKind[m] === READ && external[m]) || mopKind[m] === WRITE)) {
            firstSeen = mopValue[m];
            break;
          }
        }
        const p = before?.get(k);
        if (p !== undefined) addPair(k, p, firstSeen);
        latest.set(k, v);
      }
    }
  }
}

/** Key -> the last version transaction t saw or wrote of it (its first external read, else its final write). */
function versionsSeen(txns: Txns, t: number, external: Uint8Array, intermediate: Uint8Array): Map<number, number> {
  const { mopKind, mopKey, mopValue } = txns;
  const out = new Map<number, number>();
  for (let m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
    if (mopKind[m] === READ && external[m] && mopValue[m] !== UNKNOWN_VALUE && !out.has(mopKey[m])) out.set(mopKey[m], mopValue[m]);
    if (mopKind[m] === WRITE && !intermediate[m]) out.set(mopKey[m], mopValue[m]);
  }
  return out;
}

/**
 * Elle's `cyclic-versions`: where the proven pairs of a key order its versions in a cycle
 * (v1 < v2 < v1), no version order of that key exists, which is itself an anomaly (the
 * assumptions the pairs came from do not hold). That key's pairs then prove nothing, so they
 * are dropped, and no cycle of transactions is derived from them.
 */
function withoutCyclicVersions(pairs: Int32Array): { kept: Int32Array; cyclic: Map<number, number[]> } {
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
  const cyclic = new Map<number, number[]>(); // key -> [its first cycle's component, its versions…]
  for (let n = 0; n < nodeKey.length; n++) {
    if (sccs.size[sccs.comp[n]] < 2) continue;
    const k = nodeKey[n];
    const c = sccs.comp[n];
    let vs = cyclic.get(k);
    if (vs === undefined) cyclic.set(k, (vs = [c]));
    if (vs[0] === c) vs.push(nodeValue[n]);
  }
  for (const [k, vs] of cyclic) cyclic.set(k, vs.slice(1));
  if (cyclic.size === 0) return { kept: pairs, cyclic };
  const kept = new IntVec(pairs.length);
  for (let j = 0; j < pairs.length; j += 3) if (!cyclic.has(pairs[j])) for (let d = 0; d < 3; d++) kept.push(pairs[j + d]);
  return { kept: kept.toArray(), cyclic };
}

/** `--transaction-order` as a map from completion :index to position; a usage error if it is not one. */
function transactionOrderOf(v: string | Record<string, number> | undefined): Map<number, number> | undefined {
  if (v === undefined) return undefined;
  let entries: [unknown, unknown][];
  if (typeof v === 'string') {
    const notMap = new UsageError(`--transaction-order must be a map like '{0 2, 1 1}', not ${v.slice(0, 80)}`);
    let parsed: unknown;
    try {
      parsed = v.trimStart().startsWith('{"') ? JSON.parse(v) : parseEdn(v);
    } catch {
      throw notMap;
    }
    if (parsed instanceof EdnMap) entries = parsed.keys.map((k, i) => [k, parsed.vals[i]]);
    else if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) entries = Object.entries(parsed);
    else throw notMap;
  } else entries = Object.entries(v);
  const out = new Map<number, number>();
  for (const [k, pos] of entries) {
    const index = Number(k);
    if (!Number.isInteger(index) || typeof pos !== 'number') throw new UsageError(`--transaction-order maps a completion's :index to a number; found ${String(k)} → ${String(pos)}`);
    out.set(index, pos);
  }
  return out;
}
