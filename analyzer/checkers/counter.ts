/**
 * `counter`: Jepsen's `checker/counter`. The counter starts at 0; `:add d` increments it, `:read`
 * returns its value. Walking the history in order we keep two bounds:
 *
 *   lower  the sum of acknowledged increments (raised at each `:ok` add)
 *   upper  the sum of attempted increments (raised at each add invocation that did not `:fail`)
 *
 * A read must return a value within [lower when it was invoked, upper when it completed].
 * (A negative `d` moves the bounds the other way: lower at the invocation, upper at the ok.)
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
  let lower = 0;
  let upper = 0;
  const pendingLower = new Map<number, number>();
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
        if (d >= 0) upper += d;
        else lower += d;
      } else if (t === OK) {
        if (d >= 0) lower += d;
        else upper += d;
      }
    } else if (f === readF) {
      if (t === INVOKE) pendingLower.set(i, lower);
      else if (t === OK && history.pair[i] >= 0) {
        const lo = pendingLower.get(history.pair[i]) ?? 0;
        pendingLower.delete(history.pair[i]);
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
      } else if (history.pair[i] >= 0) pendingLower.delete(history.pair[i]);
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
