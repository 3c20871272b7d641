/**
 * Turning a cycle of transaction ids into what a person can check by hand: Elle-style steps
 * (`{:type :rw, :key 9, :value 2, :value' 5}`) and one sentence per edge saying which reads and
 * writes force the order, e.g. "T1 < T2: T1 read key 9 = [1] without T2's append of 2, which
 * comes next in key 9's order (longest read [1 2 5])".
 *
 * Edges are stored without their reasons (one byte of kinds each), so the reason is found
 * again from the two transactions' micro-ops, which is cheap for the few cycles reported:
 * process and realtime edges here, data edges by the workload (append-explain.ts,
 * register-explain.ts).
 */
import { printEdn } from '../edn/print.js';
import { type EdnRecord, type EdnValue, kw } from '../edn/values.js';
import { txnRecord } from './anomalies.js';
import { KIND_NAMES, PROCESS, REALTIME } from './graph.js';
import type { Txns } from './txns.js';
import type { TxnWorkload } from './workload.js';

/** One edge of a cycle explained: Elle's step map and a sentence. */
export interface ExplainedStep {
  step: EdnRecord;
  sentence: string;
}

const show = (v: EdnValue): string => printEdn(v);

/** A list read's elements (`readElems[start ..]`, `n` of them) shown with at most its last `keep`. */
export function showTail(txns: Txns, start: number, n: number, keep = 6): string {
  const parts: string[] = [];
  for (let j = Math.max(0, n - keep); j < n; j++) parts.push(show(txns.values[txns.readElems[start + j]]));
  return `[${n > keep ? '… ' : ''}${parts.join(' ')}]`;
}

/** The micro-op ids of transaction t. */
export function mopsOf(txns: Txns, t: number): number[] {
  const out: number[] = [];
  for (let m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) out.push(m);
  return out;
}

/**
 * Why edge a → b of single kind `kind` exists, with the transactions named `na` and `nb`:
 * process and realtime edges here, data edges by the workload (from its `orders`).
 */
export function explainEdge<O>(txns: Txns, workload: TxnWorkload<O>, orders: O, a: number, b: number, kind: number, na: string, nb: string): ExplainedStep {
  const h = txns.history;
  if (kind === PROCESS) {
    const p = h.processValue(txns.invoke[b]) ?? null;
    return {
      step: { type: kw('process'), process: p },
      sentence: `${na} < ${nb}: both ran on process ${show(p)}, and ${nb} began after ${na} ended.`,
    };
  }
  if (kind === REALTIME) {
    const ca = txns.complete[a];
    const ib = txns.invoke[b];
    return {
      step: { type: kw('realtime'), "a'": h.index[ca], b: h.index[ib] },
      sentence: `${na} < ${nb}: ${na} completed (op ${h.index[ca]}) before ${nb} was invoked (op ${h.index[ib]}).`,
    };
  }
  const found = workload.explainEdge(txns, orders, a, b, kind, na, nb);
  return found ?? { step: { type: kw(KIND_NAMES[kind]) }, sentence: `${na} < ${nb} (${KIND_NAMES[kind]}).` };
}

/** A cycle with its explanation, as the checker reports and draws it. */
export interface ExplainedCycle {
  type: string;
  txns: number[];
  kinds: number[];
  record: EdnRecord;
  text: string;
}

const RULES: Record<string, string> = {
  G0: 'every edge is a write overwriting another (G0, write cycle)',
  G1c: 'writes and reads only, each transaction seeing or overwriting the next (G1c, circular information flow)',
  'G-single-item': 'exactly one read-then-overwritten (rw) edge (G-single-item, read skew)',
  'G-nonadjacent-item': 'several rw edges, no two in a row (G-nonadjacent-item)',
  'G2-item': 'rw edges, two of them in a row (G2-item, write skew)',
};

/**
 * A found cycle of class `type` (transaction ids `nodes`, edge i of single kind `kinds[i]` from
 * node i to node i+1) explained: its result record ({:type, :cycle, :steps, :explanation}) and text.
 */
export function explainCycle<O>(txns: Txns, workload: TxnWorkload<O>, orders: O, type: string, nodes: number[], kinds: number[]): ExplainedCycle {
  const names = nodes.map((_, i) => `T${i + 1}`);
  const steps: EdnRecord[] = [];
  const lines: string[] = [];
  const h = txns.history;
  for (let i = 0; i < nodes.length; i++) {
    const t = nodes[i];
    lines.push(`${names[i]} = op ${h.index[txns.complete[t] >= 0 ? txns.complete[t] : txns.invoke[t]]}: ${printEdn(txnRecord(txns, t).value ?? null)}`);
  }
  for (let i = 0; i < nodes.length; i++) {
    const j = (i + 1) % nodes.length;
    const e = explainEdge(txns, workload, orders, nodes[i], nodes[j], kinds[i], names[i], names[j]);
    steps.push(e.step);
    lines.push(e.sentence);
  }
  const base = type.replace(/-(process|realtime)$/, '');
  const suffix = type.endsWith('-realtime') ? ' It needs real-time order.' : type.endsWith('-process') ? ' It needs process order.' : '';
  lines.push(`So ${[...names, names[0]].join(' < ')}: a cycle, so no order of these transactions explains what they saw; ${RULES[base] ?? type}.${suffix}`);
  const cycleOps = [...nodes, nodes[0]].map((t) => txnRecord(txns, t));
  const text = lines.join('\n');
  return { type, txns: nodes, kinds, record: { type: kw(type), cycle: cycleOps, steps, explanation: text }, text };
}
