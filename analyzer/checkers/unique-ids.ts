/**
 * `unique-ids`: Jepsen's `checker/unique-ids`. `:generate` ops return ids; every acknowledged id
 * must be distinct. `:duplicated` maps the (up to 48) most duplicated ids to how often each was
 * returned; `:range` is `[lowest highest]` of the returned ids.
 */
import { EdnMap, type EdnRecord, type EdnValue, ednCompare } from '../edn/values.js';
import { uniqueIdsEvidence } from './evidence.js';
import type { History } from '../history/history.js';
import { INVOKE, OK } from '../history/op.js';
import type { CheckResult, Checker } from '../check/checker.js';
import { Interner } from '../util/interner.js';
import { nothingToJudge } from '../check/results.js';

/** Checks a unique-ids history (see this file's header): false if an id was returned twice; unknown when no `:generate` completed ok. */
export function checkUniqueIds(history: History, certify?: (evidence: EdnRecord) => void): CheckResult {
  const gen = history.fId('generate');
  const ids = new Interner();
  const counts: number[] = [];
  // For a certificate: the first :ok returning each id, and each later one returning it again.
  const firstAt: number[] = [];
  const again: [number, number][] = [];
  let attempted = 0;
  let acknowledged = 0;
  let lo: EdnValue | undefined;
  let hi: EdnValue | undefined;
  for (let i = 0; i < history.length; i++) {
    if (gen < 0 || history.f[i] !== gen || !history.isClient(i)) continue;
    if (history.type[i] === INVOKE) attempted++;
    else if (history.type[i] === OK) {
      acknowledged++;
      const v = history.value[i];
      const k = ids.id(v);
      counts[k] = (counts[k] ?? 0) + 1;
      if (certify !== undefined) {
        if (counts[k] === 1) firstAt[k] = i;
        else again.push([firstAt[k], i]);
      }
      if (lo === undefined || ednCompare(v, lo) < 0) lo = v;
      if (hi === undefined || ednCompare(v, hi) > 0) hi = v;
    }
  }
  const dups: number[] = [];
  for (let k = 0; k < counts.length; k++) if (counts[k] > 1) dups.push(k);
  const top = dups.sort((a, b) => counts[b] - counts[a] || ednCompare(ids.values[a], ids.values[b])).slice(0, 48);
  top.sort((a, b) => ednCompare(ids.values[a], ids.values[b]));
  if (acknowledged === 0) return nothingToJudge('no :generate completed :ok, so no id was checked', { 'attempted-count': attempted, 'acknowledged-count': 0 });
  certify?.(uniqueIdsEvidence(history, acknowledged, again));
  return {
    'valid?': dups.length === 0,
    'attempted-count': attempted,
    'acknowledged-count': acknowledged,
    'duplicated-count': dups.length,
    duplicated: new EdnMap(top.map((k) => ids.values[k]), top.map((k) => counts[k])),
    range: lo === undefined ? null : [lo, hi!],
  };
}

/**
 * The `unique-ids` checker (`--checker unique-ids`): `checkUniqueIds`; no options.
 *
 * @example
 * const result = await check(history, [uniqueIds]);
 */
export const uniqueIds: Checker = {
  name: 'unique-ids',
  summary: 'generated ids (:generate) must be distinct (Jepsen unique-ids)',
  accepts: ['generate'],
  check: (history, _o, ctx) => checkUniqueIds(history, ctx?.certify === undefined ? undefined : (e) => ctx.certify!('unique-ids', e)),
  describe: (r) => `${String(r['acknowledged-count'])} ids, ${String(r['duplicated-count'])} duplicated`,
};
