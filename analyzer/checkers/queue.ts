/**
 * Queues, after Jepsen's `checker/queue` and `checker/total-queue`.
 *
 * `queue`: every dequeue must come from somewhere. Walking the history in order, each
 * `:enqueue` invocation puts its value in a multiset (every enqueue is assumed to succeed, even
 * one that completes :fail — an unordered-queue model, as Jepsen uses it) and each `:ok :dequeue`
 * takes its value out; a dequeue of a value not there is an error (`"can't dequeue 5"`).
 *
 * `total-queue`: what goes in must come out, counted as multisets over the whole history
 * (`:drain` ok ops count as one dequeue per element of their value):
 *
 *   unexpected  dequeued but never attempted
 *   duplicated  dequeued more often than attempted
 *   lost        acknowledged enqueues never dequeued
 *   recovered   dequeued although the enqueue was indeterminate
 *
 * Valid iff nothing is lost or unexpected. A crashed (`:info`) drain may have taken what looks
 * lost, so with one the verdict is unknown rather than false when only losses are found.
 */
import { type EdnValue, ednCompare } from '../edn/values.js';
import { printEdn } from '../edn/print.js';
import type { History } from '../history/history.js';
import { INFO, INVOKE, OK } from '../history/op.js';
import { type CheckResult, type Checker, UNKNOWN } from '../check/checker.js';
import { intervalSetString } from './ranges.js';
import { Interner } from '../util/interner.js';
import { itemsOf, nothingToJudge, okCount, opRecord } from '../check/results.js';
import type { EdnRecord } from '../edn/values.js';
import { queueEvidence, totalQueueEvidence } from './evidence.js';

type Multiset = Map<number, number>;

function bump(m: Multiset, k: number, by = 1): void {
  m.set(k, (m.get(k) ?? 0) + by);
}

/**
 * Checks a queue history (see this file's header): false at the first ok dequeue of a value not
 * in the queue; else true with what is left (`:final-queue`); unknown when no dequeue completed ok.
 */
export function checkQueue(history: History, certify?: (evidence: EdnRecord) => void): CheckResult {
  const enq = history.fId('enqueue');
  const deq = history.fId('dequeue');
  const ids = new Interner();
  const pending: Multiset = new Map();
  // For a certificate: each value's enqueues not yet taken (positions), and each dequeue's match.
  const offered = certify === undefined ? undefined : new Map<number, number[]>();
  const matches: [number, number][] = [];
  for (let i = 0; i < history.length; i++) {
    const f = history.f[i];
    if (f < 0 || !history.isClient(i)) continue;
    if (f === enq && history.type[i] === INVOKE) {
      const k = ids.id(history.value[i]);
      bump(pending, k);
      if (offered !== undefined) (offered.get(k) ?? offered.set(k, []).get(k)!).push(i);
    } else if (f === deq && history.type[i] === OK) {
      const k = ids.id(history.value[i]);
      const n = pending.get(k) ?? 0;
      if (n === 0) {
        certify?.(queueEvidence(history, { dequeue: i }));
        return { 'valid?': false, error: `can't dequeue ${printEdn(history.value[i])}`, op: opRecord(history, i) };
      }
      if (offered !== undefined) matches.push([i, offered.get(k)!.shift()!]);
      if (n === 1) pending.delete(k);
      else pending.set(k, n - 1);
    }
  }
  const remaining = [...pending.keys()].map((k) => ids.values[k]);
  if (deq < 0 || okCount(history, deq) === 0) return nothingToJudge('no :dequeue completed :ok, so nothing was checked');
  certify?.(queueEvidence(history, { matches }));
  return { 'valid?': true, 'final-queue': intervalSetString(remaining), 'final-queue-count': [...pending.values()].reduce((a, b) => a + b, 0) };
}

/** A multiset as a sorted vector with repeats. */
function expand(ids: Interner, m: Multiset): EdnValue[] {
  const out: EdnValue[] = [];
  for (const [k, n] of m) for (let c = 0; c < n; c++) out.push(ids.values[k]);
  return out.sort(ednCompare);
}

function size(m: Multiset): number {
  let s = 0;
  for (const n of m.values()) s += n;
  return s;
}

/**
 * Checks a total-queue history (see this file's header): counts and elements unexpected,
 * duplicated, lost and recovered; unknown when no enqueue, dequeue or drain completed ok, or
 * when only losses are found after a crashed drain.
 */
export function checkTotalQueue(history: History, certify?: (evidence: EdnRecord) => void): CheckResult {
  const enq = history.fId('enqueue');
  const deq = history.fId('dequeue');
  const drain = history.fId('drain');
  const ids = new Interner();
  const attempts: Multiset = new Map();
  const enqueues: Multiset = new Map();
  const dequeues: Multiset = new Map();
  let crashedDrains = 0;
  // For a certificate: an op that dequeued each value (a dequeue or a drain).
  const dequeuedAt = new Map<number, number>();
  const took = (k: number, i: number): void => {
    bump(dequeues, k);
    if (certify !== undefined && !dequeuedAt.has(k)) dequeuedAt.set(k, i);
  };
  for (let i = 0; i < history.length; i++) {
    const f = history.f[i];
    if (f < 0 || !history.isClient(i)) continue;
    const t = history.type[i];
    if (f === enq) {
      if (t === INVOKE) bump(attempts, ids.id(history.value[i]));
      else if (t === OK) bump(enqueues, ids.id(history.value[history.pair[i] >= 0 ? history.pair[i] : i]));
    } else if (f === deq && t === OK) took(ids.id(history.value[i]), i);
    else if (f === drain) {
      if (t === OK) for (const v of itemsOf(history.value[i]) ?? []) took(ids.id(v), i);
      else if (t === INVOKE && history.outcome(i) === INFO) crashedDrains++;
    }
  }
  if (enqueues.size === 0 && dequeues.size === 0) return nothingToJudge('no :enqueue, :dequeue or :drain completed :ok, so nothing was checked', { 'attempt-count': size(attempts) });
  const ok: Multiset = new Map();
  const unexpected: Multiset = new Map();
  const duplicated: Multiset = new Map();
  for (const [k, n] of dequeues) {
    const a = attempts.get(k) ?? 0;
    if (a === 0) unexpected.set(k, n);
    else {
      ok.set(k, Math.min(n, a));
      if (n > a) duplicated.set(k, n - a);
    }
  }
  const lost: Multiset = new Map();
  for (const [k, n] of enqueues) {
    const d = dequeues.get(k) ?? 0;
    if (n > d) lost.set(k, n - d);
  }
  const recovered: Multiset = new Map();
  for (const [k, n] of ok) {
    const e = enqueues.get(k) ?? 0;
    if (n > e) recovered.set(k, n - e);
  }
  const valid = unexpected.size > 0 ? false : lost.size === 0 ? true : crashedDrains > 0 ? UNKNOWN : false;
  const out: CheckResult = {
    'valid?': valid,
    'attempt-count': size(attempts),
    'acknowledged-count': size(enqueues),
    'ok-count': size(ok),
    'unexpected-count': size(unexpected),
    'duplicated-count': size(duplicated),
    'lost-count': size(lost),
    'recovered-count': size(recovered),
    lost: expand(ids, lost),
    unexpected: expand(ids, unexpected),
    duplicated: expand(ids, duplicated),
    recovered: expand(ids, recovered),
  };
  if (crashedDrains > 0) out['crashed-drain-count'] = crashedDrains;
  if (certify !== undefined && valid !== UNKNOWN) {
    certify(
      totalQueueEvidence(history, {
        acknowledged: size(enqueues),
        lost: [...lost.keys()].map((k) => ({ element: ids.values[k], enqueued: enqueues.get(k)!, dequeued: dequeues.get(k) ?? 0 })),
        unexpected: [...unexpected.keys()].map((k) => ({ element: ids.values[k], dequeue: dequeuedAt.get(k)! })),
      }),
    );
  }
  return out;
}

/**
 * The `queue` checker (`--checker queue`): `checkQueue`; no options.
 *
 * @example
 * const result = await check(history, [queue]);
 */
export const queue: Checker = {
  name: 'queue',
  summary: 'every ok :dequeue takes a value some earlier :enqueue offered (Jepsen queue, unordered)',
  accepts: ['enqueue', 'dequeue', 'drain'],
  check: (history, _o, ctx) => checkQueue(history, ctx?.certify === undefined ? undefined : (e) => ctx.certify!('queue', e)),
  describe: (r) => (r['valid?'] === true ? `${String(r['final-queue-count'])} left in the queue` : String(r.error)),
};

/**
 * The `total-queue` checker (`--checker total-queue`): `checkTotalQueue`; no options.
 *
 * @example
 * const result = await check(history, [totalQueue]);
 */
export const totalQueue: Checker = {
  name: 'total-queue',
  summary: 'every acknowledged :enqueue is dequeued exactly once (:drain expands): lost, unexpected, duplicated, recovered (Jepsen total-queue)',
  accepts: ['enqueue', 'dequeue', 'drain'],
  check: (history, _o, ctx) => checkTotalQueue(history, ctx?.certify === undefined ? undefined : (e) => ctx.certify!('total-queue', e)),
  describe: (r) =>
    `${String(r['acknowledged-count'])} acknowledged: ${String(r['lost-count'])} lost, ${String(r['duplicated-count'])} duplicated, ${String(r['unexpected-count'])} unexpected, ${String(r['recovered-count'])} recovered`,
};


