/**
 * `lock-set`: the etcd analysis's locked set. Each `:add x` acquires a lock, reads a set, waits,
 * writes the set back with x, and releases the lock; a final `:read` returns the set (the last
 * ok `:read`, a vector or set). If the lock is a mutex no update is lost. An acknowledged add
 * missing from the final read means another client wrote a copy of the set read before x went
 * in — it held the lock while x's adder did. For each lost element we report its add and the
 * adds whose invocation–completion intervals overlap it (the only ones that can have held the
 * lock at the same time), each marked with whether its own element survived (the survivor
 * is the likely overwriter). Ok adds carrying an `:error` (the recorder notes
 * `[:lease-lost-while-held …]` when the holder's lease expired mid-section) are counted.
 *
 * Valid: false if an acknowledged add is lost or an element was never added; unknown without a
 * final read.
 */
import type { EdnRecord } from '../edn/values.js';
import type { History } from '../history/history.js';
import { FAIL, INVOKE, OK } from '../history/op.js';
import { type CheckResult, type Checker, UNKNOWN } from '../check/checker.js';
import { intervalSetString } from './ranges.js';
import { Interner } from '../util/interner.js';
import { itemsOf, opRecord } from '../check/results.js';
import { setEvidence } from './evidence.js';

const MAX_REPORTED = 32;

/**
 * Checks a lock-set history (see this file's header): the lost acknowledged adds (the first 32
 * with the adds that overlapped each) and the elements read that were never added.
 */
export function checkLockSet(history: History, certify?: (evidence: EdnRecord) => void): CheckResult {
  const addF = history.fId('add');
  const readF = history.fId('read');
  const ids = new Interner();
  const adds: number[] = [];
  let finalRead = -1;
  for (let i = 0; i < history.length; i++) {
    const f = history.f[i];
    if (f < 0 || !history.isClient(i)) continue;
    if (f === addF && history.type[i] === INVOKE) adds.push(i);
    else if (f === readF && history.type[i] === OK && itemsOf(history.value[i]) !== undefined) finalRead = i;
  }
  const attempted = new Set<number>();
  const acknowledged: number[] = [];
  let errorAcks = 0;
  for (const i of adds) {
    const e = ids.id(history.value[i]);
    attempted.add(e);
    if (history.outcome(i) === OK) {
      acknowledged.push(i);
      if (history.error.has(history.pair[i])) errorAcks++;
    }
  }
  if (finalRead < 0) return { 'valid?': UNKNOWN, error: 'Set was never read', 'attempt-count': attempted.size, 'acknowledged-count': acknowledged.length };
  const present = new Set<number>();
  for (const v of itemsOf(history.value[finalRead])!) present.add(ids.id(v));
  const unexpected = [...present].filter((e) => !attempted.has(e));
  const lostAdds = acknowledged.filter((i) => !present.has(ids.find(history.value[i])));
  const end = (i: number) => (history.pair[i] >= 0 ? history.pair[i] : Infinity);
  const lostUpdates: EdnRecord[] = [];
  for (const x of lostAdds.slice(0, MAX_REPORTED)) {
    const concurrent: EdnRecord[] = [];
    for (const j of adds) {
      if (j >= end(x)) break;
      if (j === x || end(j) <= x || history.outcome(j) === FAIL) continue;
      const shown = history.pair[j] >= 0 ? history.pair[j] : j;
      concurrent.push({ ...opRecord(history, shown), 'survived?': present.has(ids.find(history.value[j])) });
    }
    lostUpdates.push({ element: history.value[x], add: opRecord(history, history.pair[x]), concurrent });
  }
  const lostValues = lostAdds.map((i) => history.value[i]);
  // The same evidence as set's: the verdict is the same function of the final read.
  certify?.(setEvidence(history, finalRead, lostAdds.map((i) => ({ element: history.value[i], add: history.pair[i] })), unexpected.map((e) => ids.values[e])));
  return {
    'valid?': lostAdds.length === 0 && unexpected.length === 0,
    'attempt-count': attempted.size,
    'acknowledged-count': acknowledged.length,
    'lost-count': lostAdds.length,
    lost: intervalSetString(lostValues),
    'unexpected-count': unexpected.length,
    unexpected: intervalSetString(unexpected.map((e) => ids.values[e])),
    'acknowledged-with-error-count': errorAcks,
    'lost-updates': lostUpdates,
  };
}

/**
 * The `lock-set` checker (`--checker lock-set`): `checkLockSet`; no options.
 *
 * @example
 * const result = await check(history, [lockSet]);
 */
export const lockSet: Checker = {
  name: 'lock-set',
  summary: 'etcd lock-set: a set updated under a lock loses no acknowledged add; lost ones with the overlapping holders',
  accepts: ['add', 'read'],
  check: (history, _o, ctx) => checkLockSet(history, ctx?.certify === undefined ? undefined : (e) => ctx.certify!('lock-set', e)),
  describe: (r) => `${String(r['acknowledged-count'])} acknowledged adds, ${String(r['lost-count'])} lost`,
};
