/**
 * The list-append checker's certificate (`check --certificate`; docs/certificates.md): each
 * cycle it found, as the history's own op `:index`es (a transaction's completion, or its
 * invocation when it never completed) and the typed steps between them (`{:type :wr, :key 101,
 * :value 1}`, `{:type :ww … :value' …}`, `{:type :rw …}`, `{:type :process :process 3}`,
 * `{:type :realtime :a' 12 :b 14}`), for `verify` to derive again from the ops.
 *
 * A valid result checked for serializability (or anything stronger) carries an order instead:
 * the transactions in a topological order of the dependency graph (`:order`), which `verify`
 * replays as a serial execution — every read must see exactly the appends before it — and, when
 * real-time edges were part of the graph (strict serializability), checks against real time.
 * The non-cycle anomalies (G1a, G1b, internal, dirty-update, …) go under `:anomalies`, each
 * case as the result shows it but with its transactions as `:index`es (`{:op 12, :mop [:r 3 [1
 * 2]], :writer 9, :element 2}`), for `verify` to derive again from those transactions' micro-ops.
 */
import type { Validity } from '../check/checker.js';
import { type EdnRecord, type EdnValue, Keyword, isRecord } from '../edn/values.js';
import type { ExplainedCycle } from './explain.js';
import type { Csr } from './graph.js';
import { FAIL } from '../history/op.js';
import { type Txns, txnOpPosition } from './txns.js';

/** A topological order of `graph`'s nodes (Kahn's), or undefined when it has a cycle. */
export function topologicalOrder(graph: Csr): number[] | undefined {
  const indeg = new Int32Array(graph.n);
  for (let e = 0; e < graph.dst.length; e++) indeg[graph.dst[e]]++;
  const out: number[] = [];
  for (let u = 0; u < graph.n; u++) if (indeg[u] === 0) out.push(u);
  for (let i = 0; i < out.length; i++) {
    const u = out[i];
    for (let e = graph.off[u]; e < graph.off[u + 1]; e++) if (--indeg[graph.dst[e]] === 0) out.push(graph.dst[e]);
  }
  return out.length === graph.n ? out : undefined;
}

/** The evidence of a valid serializability check: its graph's order, and whether real time was in it; undefined when the graph has a cycle. */
export function elleOrderCertificate(txns: Txns, graph: Csr, realtime: boolean): EdnRecord | undefined {
  const order = topologicalOrder(graph);
  if (order === undefined) return undefined;
  // A failed transaction took no effect: it is in the graph (for aborted reads), not in an execution.
  const h = txns.history;
  const took = order.filter((t) => !(txns.complete[t] >= 0 && h.type[txns.complete[t]] === FAIL));
  return { 'valid?': true, order: took.map((t) => h.index[txnOpPosition(txns, t)]), realtime };
}

const isRealtime = (s: EdnRecord): boolean => s.type instanceof Keyword && s.type.name === 'realtime';

/** A transaction as a result shows it (an op record) → its `:index`. */
const indexOf = (v: EdnValue): EdnValue => (isRecord(v) && typeof v.index === 'number' ? v.index : v);

/** One non-cycle case as evidence: its transactions (`:op`, `:writer`, `:txns`) by `:index`, the rest as the result has it. */
export function caseEvidence(r: EdnRecord): EdnRecord {
  const out: EdnRecord = {};
  for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = k === 'op' || k === 'writer' ? indexOf(v) : k === 'txns' && Array.isArray(v) ? v.map(indexOf) : v;
  return out;
}

/**
 * The certificate of the cycles `explained` and the non-cycle cases `anomalies` (type → the
 * result's examples), or undefined when there are neither.
 */
export function elleCertificate(txns: Txns, explained: readonly ExplainedCycle[], verdict: Validity, anomalies: ReadonlyMap<string, readonly EdnRecord[]> = new Map()): EdnRecord | undefined {
  // A cycle with a data step no micro-op explained (its key's reads disagree) cannot be derived again: left out.
  const explainedFully = explained.filter((c) => ((c.record.steps ?? []) as EdnRecord[]).every((s) => 'key' in s || 'process' in s || isRealtime(s)));
  if (explainedFully.length === 0 && anomalies.size === 0) return undefined;
  const index = (t: number): number => txns.history.index[txnOpPosition(txns, t)];
  const cycles: EdnValue[] = explainedFully.map((c) => ({ type: c.record.type ?? null, cycle: [...c.txns, c.txns[0]].map(index), steps: c.record.steps ?? [] }));
  const out: EdnRecord = { 'valid?': verdict, cycles };
  if (anomalies.size > 0) {
    const cases: EdnRecord = {};
    for (const [type, examples] of anomalies) cases[type] = examples.map(caseEvidence);
    out.anomalies = cases;
  }
  return out;
}
