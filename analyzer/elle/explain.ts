/**
 * Turning a cycle of transaction ids into what a person can check by hand: Elle-style steps
 * (`{:type :rw, :key 9, :value 2, :value' 5}`) and one sentence per edge saying which reads and
 * writes force the order, e.g. "T1 < T2: T1 read key 9 = [1] without T2's append of 2, which
 * comes next in key 9's order (longest read [1 2 5])".
 *
 * Edges are stored without their reasons (one byte of kinds each), so the reason is found
 * again here from the two transactions' micro-ops, which is cheap for the few cycles reported.
 */
import { printEdn } from '../edn/print.js';
import { type EdnRecord, type EdnValue, kw } from '../edn/values.js';
import { txnRecord } from './anomalies.js';
import type { AppendOrders } from './append.js';
import { KIND_NAMES, PROCESS, REALTIME, RW, WR, WW } from './graph.js';
import type { RegisterOrders } from './register.js';
import { APPEND, NIL, READ, type Txns, WRITE } from './txns.js';

export interface Orders {
  append?: AppendOrders;
  register?: RegisterOrders;
}

export interface ExplainedStep {
  step: EdnRecord;
  sentence: string;
}

const show = (v: EdnValue): string => printEdn(v);

/** A list shown with at most its last `keep` elements. */
function showTail(txns: Txns, start: number, n: number, keep = 6): string {
  const parts: string[] = [];
  for (let j = Math.max(0, n - keep); j < n; j++) parts.push(show(txns.values[txns.readElems[start + j]]));
  return `[${n > keep ? '… ' : ''}${parts.join(' ')}]`;
}

function mops(txns: Txns, t: number): number[] {
  const out: number[] = [];
  for (let m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) out.push(m);
  return out;
}

export function explainEdge(txns: Txns, orders: Orders, a: number, b: number, kind: number, na: string, nb: string): ExplainedStep {
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
  const found = txns.workload === 'list-append' ? explainAppend(txns, orders.append!, a, b, kind, na, nb) : explainRegister(txns, orders.register!, a, b, kind, na, nb);
  return found ?? { step: { type: kw(KIND_NAMES[kind]) }, sentence: `${na} < ${nb} (${KIND_NAMES[kind]}).` };
}

function explainAppend(txns: Txns, o: AppendOrders, a: number, b: number, kind: number, na: string, nb: string): ExplainedStep | undefined {
  const { mopKind, mopKey, mopValue: val, mopLen, readElems: el } = txns;
  const key = (k: number) => show(txns.keys[k]);
  const value = (v: number) => show(txns.values[v]);
  const orderOf = (k: number): string => {
    const l = o.longest[k];
    return l < 0 ? '(no read of it is non-empty)' : `(longest read ${showTail(txns, val[l], mopLen[l])})`;
  };
  const isLast = (k: number, v: number) => {
    const l = o.longest[k];
    return l >= 0 && mopLen[l] > 0 && el[val[l] + mopLen[l] - 1] === v;
  };
  const unread = (k: number, v: number) => !o.pos.has(k, v);
  if (kind === WW) {
    for (const ma of mops(txns, a)) {
      if (mopKind[ma] !== APPEND) continue;
      const k = mopKey[ma];
      const pa = o.pos.get(k, val[ma]);
      for (const mb of mops(txns, b)) {
        if (mopKind[mb] !== APPEND || mopKey[mb] !== k) continue;
        const pb = o.pos.get(k, val[mb]);
        const direct = pa >= 0 && pb === pa + 1;
        const afterUnread = pb < 0 && isLast(k, val[ma]) && unread(k, val[mb]);
        if (!direct && !afterUnread) continue;
        return {
          step: { type: kw('ww'), key: txns.keys[k], value: txns.values[val[ma]], "value'": txns.values[val[mb]] },
          sentence: direct
            ? `${na} < ${nb}: ${na} appended ${value(val[ma])} to key ${key(k)}, and ${nb} appended ${value(val[mb])} right after it ${orderOf(k)}.`
            : `${na} < ${nb}: ${na} appended ${value(val[ma])} to key ${key(k)}, the last element any read saw ${orderOf(k)}; ${nb}'s append of ${value(val[mb])} committed but is in no read, so it comes later.`,
        };
      }
    }
  }
  if (kind === WR) {
    for (const mb of mops(txns, b)) {
      if (mopKind[mb] !== READ || mopLen[mb] <= 0) continue;
      const k = mopKey[mb];
      const last = el[val[mb] + mopLen[mb] - 1];
      const w = o.writer.get(k, last);
      if (w < 0 || txns.mopTxn[w] !== a) continue;
      return {
        step: { type: kw('wr'), key: txns.keys[k], value: txns.values[last] },
        sentence: `${na} < ${nb}: ${nb} read key ${key(k)} = ${showTail(txns, val[mb], mopLen[mb])}, ending with ${na}'s append of ${value(last)}.`,
      };
    }
  }
  if (kind === RW) {
    for (const ma of mops(txns, a)) {
      if (mopKind[ma] !== READ || mopLen[ma] < 0) continue;
      const k = mopKey[ma];
      const n = mopLen[ma];
      const l = o.longest[k];
      for (const mb of mops(txns, b)) {
        if (mopKind[mb] !== APPEND || mopKey[mb] !== k) continue;
        const pb = o.pos.get(k, val[mb]);
        const next = pb >= 0 && pb === n;
        const later = pb < 0 && unread(k, val[mb]) && n === (l < 0 ? 0 : mopLen[l]);
        if (!next && !later) continue;
        const readValue = n === 0 ? null : txns.values[el[val[ma] + n - 1]];
        return {
          step: { type: kw('rw'), key: txns.keys[k], value: readValue, "value'": txns.values[val[mb]] },
          sentence: next
            ? `${na} < ${nb}: ${na} read key ${key(k)} = ${showTail(txns, val[ma], n)} without ${nb}'s append of ${value(val[mb])}, which comes next in key ${key(k)}'s order ${orderOf(k)}.`
            : `${na} < ${nb}: ${na} read key ${key(k)} = ${showTail(txns, val[ma], n)}, everything any read of it saw, without ${nb}'s append of ${value(val[mb])}, which committed and so comes later.`,
        };
      }
    }
  }
  return undefined;
}

function explainRegister(txns: Txns, o: RegisterOrders, a: number, b: number, kind: number, na: string, nb: string): ExplainedStep | undefined {
  const { mopKind, mopKey, mopValue: val } = txns;
  const key = (k: number) => show(txns.keys[k]);
  const value = (v: number) => (v === NIL ? 'nil' : show(txns.values[v]));
  const finalWrite = (t: number, k: number): number => {
    let w = -1;
    for (const m of mops(txns, t)) if (mopKind[m] === WRITE && mopKey[m] === k) w = m;
    return w;
  };
  if (kind === WR) {
    for (const mb of mops(txns, b)) {
      if (mopKind[mb] !== READ || !o.external[mb] || val[mb] < 0) continue;
      const w = o.writer.get(mopKey[mb], val[mb]);
      if (w < 0 || txns.mopTxn[w] !== a) continue;
      const k = mopKey[mb];
      return {
        step: { type: kw('wr'), key: txns.keys[k], value: txns.values[val[mb]] },
        sentence: `${na} < ${nb}: ${nb} read key ${key(k)} = ${value(val[mb])}, which ${na} wrote.`,
      };
    }
  }
  /** Whether v1 < v2 on key k was proven (a scan: only a few edges are ever explained). */
  const proven = (k: number, v1: number, v2: number): boolean => {
    const p = o.pairs;
    for (let j = 0; j < p.length; j += 3) if (p[j] === k && p[j + 1] === v1 && p[j + 2] === v2) return true;
    return false;
  };
  if (kind === WW) {
    for (const ma of mops(txns, a)) {
      if (mopKind[ma] !== WRITE || o.intermediate[ma]) continue;
      const mb = finalWrite(b, mopKey[ma]);
      if (mb < 0 || !proven(mopKey[ma], val[ma], val[mb])) continue;
      const k = mopKey[ma];
      return {
        step: { type: kw('ww'), key: txns.keys[k], value: txns.values[val[ma]], "value'": txns.values[val[mb]] },
        sentence: `${na} < ${nb}: ${na} wrote key ${key(k)} = ${value(val[ma])} and ${nb} wrote ${value(val[mb])}, a later version of it.`,
      };
    }
  }
  if (kind === RW) {
    for (const ma of mops(txns, a)) {
      if (mopKind[ma] !== READ || !o.external[ma] || val[ma] < -1) continue;
      const mb = finalWrite(b, mopKey[ma]);
      if (mb < 0 || !proven(mopKey[ma], val[ma], val[mb])) continue;
      const k = mopKey[ma];
      const why = val[ma] === NIL ? 'every written version follows the initial nil' : 'a later version of it';
      return {
        step: { type: kw('rw'), key: txns.keys[k], value: val[ma] === NIL ? null : txns.values[val[ma]], "value'": txns.values[val[mb]] },
        sentence: `${na} < ${nb}: ${na} read key ${key(k)} = ${value(val[ma])}, and ${nb} wrote ${value(val[mb])}, ${why}.`,
      };
    }
  }
  return undefined;
}

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

export function explainCycle(txns: Txns, orders: Orders, type: string, nodes: number[], kinds: number[]): ExplainedCycle {
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
    const e = explainEdge(txns, orders, nodes[i], nodes[j], kinds[i], names[i], names[j]);
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
