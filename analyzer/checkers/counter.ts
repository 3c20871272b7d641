/**
 * `counter`: Jepsen's `checker/counter`. The counter starts at 0; `:add d` increments it, `:read`
 * returns its value. A read may see every add that could have happened before it and must see
 * every add that surely did, so it must return a value within
 *
 *   lower  increments acknowledged before it was invoked + decrements attempted before it completed
 *   upper  increments attempted before it completed + decrements acknowledged before it was invoked
 *
 * ("attempted": invoked and not `:fail`). With increments only this is Jepsen's [acknowledged at
 * the read's invocation, attempted at its completion]; a decrement (negative `d`) moves the bounds
 * the other way: a decrement acknowledged while the read was open may have come after it.
 * Result: `:reads` and `:errors`, each a vector of `[lower value upper]`; valid iff no errors
 * (unknown when no read completed ok).
 */
import { type EdnRecord, type EdnValue, numberValue } from '../edn/values.js';
import type { History } from '../history/history.js';
import { FAIL, INVOKE, OK } from '../history/op.js';
import type { CheckResult, Checker } from '../check/checker.js';
import { nothingToJudge, opRecord } from '../check/results.js';
import { counterEvidence } from './evidence.js';

function amount(v: EdnValue): number | undefined {
  const n = numberValue(v);
  return n !== undefined && Number.isFinite(n) ? n : undefined;
}

/** Checks a counter history (see this file's header); unknown when no `:read` completed ok. */
export function checkCounter(history: History, certify?: (evidence: EdnRecord) => void): CheckResult {
  const addF = history.fId('add');
  const readF = history.fId('read');
  // Sums so far of increments and decrements, acknowledged and attempted.
  let incAcked = 0;
  let incTried = 0;
  let decAcked = 0;
  let decTried = 0;
  // Per open read, what was acknowledged when it was invoked.
  const atInvoke = new Map<number, [number, number]>();
  const reads: EdnValue[] = [];
  const errors: EdnValue[] = [];
  let firstError: EdnRecord | undefined;
  // Each read's completion with its bounds, for a certificate.
  const bounded: EdnValue[] = [];
  for (let i = 0; i < history.length; i++) {
    const f = history.f[i];
    if (f < 0 || !history.isClient(i)) continue;
    const t = history.type[i];
    if (f === addF) {
      const inv = t === INVOKE ? i : history.pair[i];
      if (inv < 0) continue;
      const d = amount(history.value[inv]);
      if (d === undefined || history.outcome(inv) === FAIL) continue;
      if (t === INVOKE) {
        if (d >= 0) incTried += d;
        else decTried += d;
      } else if (t === OK) {
        if (d >= 0) incAcked += d;
        else decAcked += d;
      }
    } else if (f === readF) {
      if (t === INVOKE) atInvoke.set(i, [incAcked, decAcked]);
      else if (t === OK && history.pair[i] >= 0) {
        const [inc, dec] = atInvoke.get(history.pair[i]) ?? [0, 0];
        atInvoke.delete(history.pair[i]);
        const lo = inc + decTried;
        const upper = incTried + dec;
        const v = history.value[i];
        const triple: EdnValue[] = [lo, v, upper];
        reads.push(triple);
        const n = amount(v);
        const bad = n === undefined || n < lo || n > upper;
        if (certify !== undefined) bounded.push([history.index[i], lo, upper, bad]);
        if (bad) {
          errors.push(triple);
          firstError ??= opRecord(history, i);
        }
      } else if (history.pair[i] >= 0) atInvoke.delete(history.pair[i]);
    }
  }
  if (reads.length === 0 && errors.length === 0) return nothingToJudge('the counter was never read: no :read completed :ok', { reads, errors });
  const out: CheckResult = { 'valid?': errors.length === 0, reads, errors };
  if (certify !== undefined) certify(counterEvidence(errors.length === 0, bounded as [number, number, number, boolean][]));
  if (firstError) out['first-error'] = firstError;
  return out;
}

/**
 * The `counter` checker (`--checker counter`): `checkCounter`; no options.
 *
 * @example
 * const result = await check(history, [counter]);
 */
export const counter: Checker = {
  name: 'counter',
  summary: 'increments and reads: every read within [acknowledged at its start, attempted at its end] (Jepsen counter)',
  accepts: ['add', 'read'],
  check: (history, _o, ctx) => checkCounter(history, ctx?.certify === undefined ? undefined : (e) => ctx.certify!('counter', e)),
  describe: (r) => `${(r.reads as unknown[]).length} reads, ${(r.errors as unknown[]).length} out of bounds`,
};
