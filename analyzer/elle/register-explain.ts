/**
 * Why an rw-register edge exists, in words: which write a read saw, or which proven pair of
 * versions puts one transaction's write or read before another's write.
 */
import { printEdn } from '../edn/print.js';
import { kw } from '../edn/values.js';
import { type ExplainedStep, mopsOf } from './explain.js';
import { RW, WR, WW } from './graph.js';
import type { RegisterOrders } from './register-orders.js';
import { NIL, READ, type Txns, WRITE } from './txns.js';

/**
 * Explains rw-register data edge a → b of kind `kind` (WW, WR or RW) between transactions
 * named `na` and `nb`; undefined when no pair of their micro-ops gives that edge.
 */
export function explainRegisterEdge(txns: Txns, o: RegisterOrders, a: number, b: number, kind: number, na: string, nb: string): ExplainedStep | undefined {
  const { mopKind, mopKey, mopValue } = txns;
  const key = (k: number) => printEdn(txns.keys[k]);
  const value = (v: number) => (v === NIL ? 'nil' : printEdn(txns.values[v]));
  if (kind === WR) {
    for (const mb of mopsOf(txns, b)) {
      if (mopKind[mb] !== READ || !o.external[mb] || mopValue[mb] < 0) continue;
      const w = o.writer.get(mopKey[mb], mopValue[mb]);
      if (w < 0 || txns.mopTxn[w] !== a) continue;
      const k = mopKey[mb];
      return {
        step: { type: kw('wr'), key: txns.keys[k], value: txns.values[mopValue[mb]] },
        sentence: `${na} < ${nb}: ${nb} read key ${key(k)} = ${value(mopValue[mb])}, which ${na} wrote.`,
      };
    }
  }
  if (kind === WW) {
    for (const ma of mopsOf(txns, a)) {
      if (mopKind[ma] !== WRITE || o.intermediate[ma]) continue;
      const mb = finalWrite(txns, b, mopKey[ma]);
      if (mb < 0 || !proven(o, mopKey[ma], mopValue[ma], mopValue[mb])) continue;
      const k = mopKey[ma];
      return {
        step: { type: kw('ww'), key: txns.keys[k], value: txns.values[mopValue[ma]], "value'": txns.values[mopValue[mb]] },
        sentence: `${na} < ${nb}: ${na} wrote key ${key(k)} = ${value(mopValue[ma])} and ${nb} wrote ${value(mopValue[mb])}, a later version of it.`,
      };
    }
  }
  if (kind === RW) {
    for (const ma of mopsOf(txns, a)) {
      if (mopKind[ma] !== READ || !o.external[ma] || mopValue[ma] < -1) continue;
      const mb = finalWrite(txns, b, mopKey[ma]);
      if (mb < 0 || !proven(o, mopKey[ma], mopValue[ma], mopValue[mb])) continue;
      const k = mopKey[ma];
      const why = mopValue[ma] === NIL ? 'every written version follows the initial nil' : 'a later version of it';
      return {
        step: { type: kw('rw'), key: txns.keys[k], value: mopValue[ma] === NIL ? null : txns.values[mopValue[ma]], "value'": txns.values[mopValue[mb]] },
        sentence: `${na} < ${nb}: ${na} read key ${key(k)} = ${value(mopValue[ma])}, and ${nb} wrote ${value(mopValue[mb])}, ${why}.`,
      };
    }
  }
  return undefined;
}

/** Transaction t's last write of key k, or -1. */
function finalWrite(txns: Txns, t: number, k: number): number {
  let w = -1;
  for (const m of mopsOf(txns, t)) if (txns.mopKind[m] === WRITE && txns.mopKey[m] === k) w = m;
  return w;
}

/** Whether v1 < v2 on key k was proven (a scan: only a few edges are ever explained). */
function proven(o: RegisterOrders, k: number, v1: number, v2: number): boolean {
  const p = o.pairs;
  for (let j = 0; j < p.length; j += 3) if (p[j] === k && p[j + 1] === v1 && p[j + 2] === v2) return true;
  return false;
}
