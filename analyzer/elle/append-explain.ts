/**
 * Why a list-append edge exists, in words: which append or read of which key, and where in the
 * key's version order (its longest read), puts one transaction before the other.
 */
import { printEdn } from '../edn/print.js';
import { type EdnValue, kw } from '../edn/values.js';
import type { AppendOrders } from './append.js';
import { type ExplainedStep, mopsOf, showTail } from './explain.js';
import { RW, WR, WW } from './graph.js';
import { APPEND, READ, type Txns } from './txns.js';

/**
 * Explains list-append data edge a → b of kind `kind` (WW, WR or RW) between transactions
 * named `na` and `nb`; undefined when no pair of their micro-ops gives that edge.
 */
export function explainAppendEdge(txns: Txns, o: AppendOrders, a: number, b: number, kind: number, na: string, nb: string): ExplainedStep | undefined {
  if (kind === WW) return explainWw(txns, o, a, b, na, nb);
  if (kind === WR) return explainWr(txns, o, a, b, na, nb);
  if (kind === RW) return explainRw(txns, o, a, b, na, nb);
  return undefined;
}

const show = (v: EdnValue): string => printEdn(v);

/** "(longest read [… 4 5])": key k's version order as the sentences cite it. */
function orderOf(txns: Txns, o: AppendOrders, k: number): string {
  const l = o.longest[k];
  return l < 0 ? '(no read of it is non-empty)' : `(longest read ${showTail(txns, txns.mopValue[l], txns.mopLen[l])})`;
}

/** Whether v is the last element of key k's longest read. */
function isLast(txns: Txns, o: AppendOrders, k: number, v: number): boolean {
  const l = o.longest[k];
  return l >= 0 && txns.mopLen[l] > 0 && txns.readElems[txns.mopValue[l] + txns.mopLen[l] - 1] === v;
}

function explainWw(txns: Txns, o: AppendOrders, a: number, b: number, na: string, nb: string): ExplainedStep | undefined {
  const { mopKind, mopKey, mopValue } = txns;
  for (const ma of mopsOf(txns, a)) {
    if (mopKind[ma] !== APPEND) continue;
    const k = mopKey[ma];
    const pa = o.pos.get(k, mopValue[ma]);
    for (const mb of mopsOf(txns, b)) {
      if (mopKind[mb] !== APPEND || mopKey[mb] !== k) continue;
      const pb = o.pos.get(k, mopValue[mb]);
      const direct = pa >= 0 && pb === pa + 1;
      const afterUnread = pb < 0 && isLast(txns, o, k, mopValue[ma]) && !o.pos.has(k, mopValue[mb]);
      if (!direct && !afterUnread) continue;
      const key = show(txns.keys[k]);
      const va = show(txns.values[mopValue[ma]]);
      const vb = show(txns.values[mopValue[mb]]);
      return {
        step: { type: kw('ww'), key: txns.keys[k], value: txns.values[mopValue[ma]], "value'": txns.values[mopValue[mb]] },
        sentence: direct
          ? `${na} < ${nb}: ${na} appended ${va} to key ${key}, and ${nb} appended ${vb} right after it ${orderOf(txns, o, k)}.`
          : `${na} < ${nb}: ${na} appended ${va} to key ${key}, the last element any read saw ${orderOf(txns, o, k)}; ${nb}'s append of ${vb} committed but is in no read, so it comes later.`,
      };
    }
  }
  return undefined;
}

function explainWr(txns: Txns, o: AppendOrders, a: number, b: number, na: string, nb: string): ExplainedStep | undefined {
  const { mopKind, mopKey, mopValue, mopLen, readElems } = txns;
  for (const mb of mopsOf(txns, b)) {
    if (mopKind[mb] !== READ || mopLen[mb] <= 0) continue;
    const k = mopKey[mb];
    const last = readElems[mopValue[mb] + mopLen[mb] - 1];
    const w = o.writer.get(k, last);
    if (w < 0 || txns.mopTxn[w] !== a) continue;
    return {
      step: { type: kw('wr'), key: txns.keys[k], value: txns.values[last] },
      sentence: `${na} < ${nb}: ${nb} read key ${show(txns.keys[k])} = ${showTail(txns, mopValue[mb], mopLen[mb])}, ending with ${na}'s append of ${show(txns.values[last])}.`,
    };
  }
  return undefined;
}

function explainRw(txns: Txns, o: AppendOrders, a: number, b: number, na: string, nb: string): ExplainedStep | undefined {
  const { mopKind, mopKey, mopValue, mopLen, readElems } = txns;
  for (const ma of mopsOf(txns, a)) {
    if (mopKind[ma] !== READ || mopLen[ma] < 0) continue;
    const k = mopKey[ma];
    const n = mopLen[ma];
    const l = o.longest[k];
    for (const mb of mopsOf(txns, b)) {
      if (mopKind[mb] !== APPEND || mopKey[mb] !== k) continue;
      const pb = o.pos.get(k, mopValue[mb]);
      const next = pb >= 0 && pb === n;
      const later = pb < 0 && !o.pos.has(k, mopValue[mb]) && n === (l < 0 ? 0 : mopLen[l]);
      if (!next && !later) continue;
      const readValue = n === 0 ? null : txns.values[readElems[mopValue[ma] + n - 1]];
      const key = show(txns.keys[k]);
      const read = showTail(txns, mopValue[ma], n);
      const vb = show(txns.values[mopValue[mb]]);
      return {
        step: { type: kw('rw'), key: txns.keys[k], value: readValue, "value'": txns.values[mopValue[mb]] },
        sentence: next
          ? `${na} < ${nb}: ${na} read key ${key} = ${read} without ${nb}'s append of ${vb}, which comes next in key ${key}'s order ${orderOf(txns, o, k)}.`
          : `${na} < ${nb}: ${na} read key ${key} = ${read}, everything any read of it saw, without ${nb}'s append of ${vb}, which committed and so comes later.`,
      };
    }
  }
  return undefined;
}
