/**
 * Checking a total-queue certificate (analyzer/checkers/evidence.ts) against the history, with
 * none of the checker's code: per value, the enqueues invoked (offered), those acknowledged
 * (`:ok`), and the times it was dequeued (each `:ok` `:dequeue`, and each element of an `:ok`
 * `:drain`), counted again here. A lost value was acknowledged more often than dequeued (the
 * certificate's two counts must be these); an unexpected one was dequeued by the op named and
 * never offered. A verdict that rests on losses alone needs every drain to have completed: a
 * crashed one may have taken them. Valid: no value is acknowledged more often than dequeued, and
 * every value dequeued was offered.
 */
import type { EdnMap, EdnValue } from '../edn/values.js';
import { printEdn } from '../edn/print.js';
import type { History } from '../history/history.js';
import { INFO, INVOKE, OK } from '../history/op.js';
import type { Check } from './linear.js';
import { OpIndex, count, elementsOf, fault, mapsOf, textOf } from './ops.js';

/** The counts per value (text), and whether a drain never completed. */
function tally(ops: OpIndex): { offered: Map<string, number>; acked: Map<string, number>; taken: Map<string, number>; crashedDrain: number } {
  const h = ops.h;
  const offered = new Map<string, number>();
  const acked = new Map<string, number>();
  const taken = new Map<string, number>();
  const up = (m: Map<string, number>, v: EdnValue): void => void m.set(textOf(v), (m.get(textOf(v)) ?? 0) + 1);
  let crashedDrain = -1;
  for (let i = 0; i < h.length; i++) {
    if (ops.is(i, 'enqueue', INVOKE)) up(offered, h.value[i]);
    else if (ops.is(i, 'enqueue', OK)) up(acked, ops.askedValue(i));
    else if (ops.is(i, 'dequeue', OK)) up(taken, h.value[i]);
    else if (ops.is(i, 'drain', OK)) for (const v of elementsOf(h.value[i]) ?? []) up(taken, v);
    else if (ops.is(i, 'drain', INVOKE) && (h.pair[i] < 0 || h.type[h.pair[i]] === INFO) && crashedDrain < 0) crashedDrain = i;
  }
  return { offered, acked, taken, crashedDrain };
}

/** Checks the total-queue evidence `cert` against `h` (see this file's header). */
export function verifyTotalQueue(h: History, cert: EdnMap): Check {
  const ops = new OpIndex(h);
  const { offered, acked, taken, crashedDrain } = tally(ops);
  const valid = cert.kw('valid?');
  if (valid === true) {
    for (const [t, n] of acked) if (n > (taken.get(t) ?? 0)) return fault(`total-queue: ${t} was enqueued ${n} times and dequeued ${taken.get(t) ?? 0}: lost, yet the verdict is valid`);
    for (const t of taken.keys()) if (!offered.has(t)) return fault(`total-queue: ${t} was dequeued and never enqueued, yet the verdict is valid`);
    const n = [...acked.values()].reduce((a, b) => a + b, 0);
    if (n !== cert.kw('acknowledged')) return fault(`total-queue: ${n} enqueues were acknowledged, not ${printEdn(cert.kw('acknowledged') ?? null)}`);
    return { holds: true, what: `total-queue: all ${count(n, 'acknowledged enqueue')} dequeued, nothing unexpected` };
  }
  if (valid !== false) return fault('total-queue: the evidence has no verdict');
  const lost = mapsOf(cert.kw('lost'));
  const unexpected = mapsOf(cert.kw('unexpected'));
  if (typeof lost === 'number' || typeof unexpected === 'number') return fault('total-queue: an entry of :lost or :unexpected is not a map');
  for (const e of lost) {
    const t = textOf(e.kw('element') ?? null);
    const [n, m] = [acked.get(t) ?? 0, taken.get(t) ?? 0];
    if (n !== e.kw('enqueued') || m !== e.kw('dequeued')) return fault(`total-queue, lost ${t}: enqueued ${n} times and dequeued ${m}, not ${printEdn(e.kw('enqueued') ?? null)} and ${printEdn(e.kw('dequeued') ?? null)}`);
    if (n <= m) return fault(`total-queue, lost ${t}: enqueued ${n} times and dequeued ${m}: nothing lost`);
  }
  for (const e of unexpected) {
    const x = e.kw('element') ?? null;
    const t = textOf(x);
    const d = ops.position(e.kw('dequeue'));
    const shows = ops.is(d, 'dequeue', OK) ? textOf(h.value[d]) === t : ops.is(d, 'drain', OK) && (elementsOf(h.value[d]) ?? []).some((y) => textOf(y) === t);
    if (!shows) return fault(`total-queue, unexpected ${t}: op ${printEdn(e.kw('dequeue') ?? null)} is no :ok dequeue or drain of it`);
    if (offered.has(t)) return fault(`total-queue, unexpected ${t}: it was enqueued`);
  }
  if (lost.length + unexpected.length === 0) return fault('total-queue: the verdict is invalid, but the evidence shows nothing lost or unexpected');
  if (unexpected.length === 0 && crashedDrain >= 0) return fault(`total-queue: drain op ${h.index[crashedDrain]} crashed and may have taken what looks lost, so losses alone do not make the verdict invalid`);
  return { holds: true, what: `total-queue: ${lost.length} lost, ${unexpected.length} unexpected, counted again from the ops` };
}
