/**
 * `set`: Jepsen's `checker/set`. Clients `:add` unique elements; one final `:read` (the last
 * ok `:read` in the history) returns the whole set. Then:
 *
 *   ok         = read ∩ attempted        (attempted: every `:add` invocation's value)
 *   unexpected = read − attempted        (never tried, yet there)
 *   lost       = acknowledged − read     (an `:ok` add that is gone)
 *   recovered  = ok − acknowledged       (an indeterminate add that did happen)
 *
 * Valid iff nothing is lost or unexpected; unknown if the set was never read. Element sets
 * print compactly as Jepsen does: the string `"#{1..5 7}"`.
 */
import { INVOKE, OK } from '../history/op.js';
import type { History } from '../history/history.js';
import { type CheckResult, type Checker, UNKNOWN, type Words } from '../check/checker.js';
import { firstFew } from '../check/words.js';
import { intervalSetString } from './ranges.js';
import { Interner } from '../util/interner.js';
import { itemsOf } from '../check/results.js';
import { INDEPENDENT_OPTION, checkByKey } from './independent.js';
import { EdnMap, type EdnRecord } from '../edn/values.js';
import { keyedEvidence, setEvidence } from './evidence.js';

/** Checks a set history (see this file's header); unknown when no `:read` of a collection completed ok. */
export function checkSet(history: History, certify?: (evidence: EdnRecord) => void): CheckResult {
  const add = history.fId('add');
  const read = history.fId('read');
  const ids = new Interner();
  const attempted = new Set<number>();
  const acknowledged = new Set<number>();
  // An :ok add of each acknowledged element (its latest), for a certificate.
  const ackAt = new Map<number, number>();
  let finalRead = -1;
  for (let i = 0; i < history.length; i++) {
    if (!history.isClient(i)) continue;
    const f = history.f[i];
    const t = history.type[i];
    if (f === add && add >= 0) {
      if (t === INVOKE) attempted.add(ids.id(history.value[i]));
      else if (t === OK) {
        const e = ids.id(history.value[history.pair[i] >= 0 ? history.pair[i] : i]);
        acknowledged.add(e);
        if (certify !== undefined) ackAt.set(e, i);
      }
    } else if (f === read && read >= 0 && t === OK && itemsOf(history.value[i]) !== undefined) {
      finalRead = i;
    }
  }
  if (finalRead < 0) return { 'valid?': UNKNOWN, error: 'Set was never read' };
  const readSet = new Set<number>();
  for (const v of itemsOf(history.value[finalRead])!) readSet.add(ids.id(v));
  const ok: number[] = [];
  const unexpected: number[] = [];
  for (const e of readSet) (attempted.has(e) ? ok : unexpected).push(e);
  const lost = [...acknowledged].filter((e) => !readSet.has(e));
  const recovered = ok.filter((e) => !acknowledged.has(e));
  const str = (es: number[]) => intervalSetString(es.map((e) => ids.values[e]));
  if (certify !== undefined) certify(setEvidence(history, finalRead, lost.map((e) => ({ element: ids.values[e], add: ackAt.get(e)! })), unexpected.map((e) => ids.values[e])));
  return {
    'valid?': lost.length === 0 && unexpected.length === 0,
    'attempt-count': attempted.size,
    'acknowledged-count': acknowledged.size,
    'ok-count': ok.length,
    'lost-count': lost.length,
    'recovered-count': recovered.length,
    'unexpected-count': unexpected.length,
    ok: str(ok),
    lost: str(lost),
    unexpected: str(unexpected),
    recovered: str(recovered),
  };
}

/** The report's words: how many acknowledged adds were lost, and the first few. */
export function setWords(r: EdnRecord): Words | undefined {
  if (typeof r['acknowledged-count'] !== 'number' || typeof r['lost-count'] !== 'number') return undefined;
  const parts = [`${r['lost-count']} of ${r['acknowledged-count']} acknowledged adds lost${firstFew(r.lost)}`];
  if (typeof r['unexpected-count'] === 'number' && r['unexpected-count'] > 0) parts.push(`${r['unexpected-count']} unexpected${firstFew(r.unexpected)}`);
  return { sentence: parts.join(', ') };
}


/**
 * The `set` checker (`--checker set`): `checkSet`, per key with `--independent`.
 *
 * @example
 * const result = await check(history, [set], { independent: true });
 */
export const set: Checker<{ independent?: boolean }> = {
  name: 'set',
  summary: 'adds of unique elements and one final read: lost, unexpected and recovered elements (Jepsen set)',
  options: [INDEPENDENT_OPTION],
  accepts: ['add', 'read'],
  recognizes: (r) => 'acknowledged-count' in r && 'unexpected-count' in r,
  words: setWords,
  check: (history, o, ctx) => {
    const certify = ctx?.certify === undefined ? undefined : (e: EdnRecord) => ctx.certify!('set', e);
    if (!o.independent) return checkSet(history, certify);
    const keyed = keyedEvidence(certify);
    return keyed.done(checkByKey(history, (h, key) => checkSet(h, keyed.of(key))));
  },
  describe: (r) =>
    r.results !== undefined
      ? `${r.results instanceof EdnMap ? r.results.size : 0} keys, ${(r.failures as unknown[]).length} not valid`
      : r['valid?'] === true || r['valid?'] === false
      ? `${String(r['acknowledged-count'])} acknowledged adds: ${String(r['lost-count'])} lost, ${String(r['unexpected-count'])} unexpected, ${String(r['recovered-count'])} recovered`
      : String(r.error),
};
