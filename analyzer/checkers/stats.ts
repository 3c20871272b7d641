/**
 * `stats`: counts of ok / fail / info outcomes per `:f` over client operations, as Jepsen's
 * `checker/stats`. Valid unless no client operation succeeded (then nothing was really tested).
 */
import { type EdnRecord, Keyword } from '../edn/values.js';
import type { History } from '../history/history.js';
import { FAIL, INFO, INVOKE, OK } from '../history/op.js';
import type { CheckResult, Checker } from '../check/checker.js';

interface Counts {
  count: number;
  'ok-count': number;
  'fail-count': number;
  'info-count': number;
}

function emptyCounts(): Counts {
  return { count: 0, 'ok-count': 0, 'fail-count': 0, 'info-count': 0 };
}

function countOutcome(c: Counts, outcome: number): void {
  c.count++;
  if (outcome === OK) c['ok-count']++;
  else if (outcome === FAIL) c['fail-count']++;
  else if (outcome === INFO) c['info-count']++;
}

/** Outcome counts of the client ops (see this file's header), overall and per :f under `:by-f`; an op never completed counts as info. */
export function checkStats(history: History): CheckResult {
  const total = emptyCounts();
  const byF = new Map<number, Counts>();
  for (let i = 0; i < history.length; i++) {
    // One count per operation: the invocation's outcome (completion, or info if never completed).
    if (history.type[i] !== INVOKE || !history.isClient(i)) continue;
    const outcome = history.outcome(i);
    countOutcome(total, outcome);
    let c = byF.get(history.f[i]);
    if (c === undefined) byF.set(history.f[i], (c = emptyCounts()));
    countOutcome(c, outcome);
  }
  const byFRecord: EdnRecord = {};
  const fs = [...byF.keys()].sort((a, b) => String(history.fTable[a] ?? '').localeCompare(String(history.fTable[b] ?? '')));
  for (const f of fs) {
    const c = byF.get(f)!;
    const fv = f < 0 ? 'nil' : history.fTable[f];
    const name = fv instanceof Keyword ? fv.name : String(fv);
    byFRecord[name] = { 'valid?': c['ok-count'] > 0, ...c };
  }
  return { 'valid?': total['ok-count'] > 0, ...total, 'by-f': byFRecord };
}

/**
 * The `stats` checker (`--checker stats`): `checkStats`; no options, any ops.
 *
 * @example
 * const result = await check(history, [stats]);
 */
export const stats: Checker = {
  name: 'stats',
  summary: 'counts of ok / fail / info per :f; valid unless no client operation succeeded',
  check: (history) => checkStats(history),
  describe: (r) =>
    `${String(r.count)} ops: ${String(r['ok-count'])} ok, ${String(r['fail-count'])} fail, ${String(r['info-count'])} info`,
};
