/**
 * `sanity`: was anything really tested? After the Couchbase tests' sanity check, which turns a
 * broken run into `:unknown` instead of a verdict. Unknown when
 *
 *   - no client op succeeded at all;
 *   - `:read`, `:write` or `:add` ops were attempted but fewer than 1% of them succeeded (the
 *     Couchbase rule: "insufficient … ops returned :ok");
 *   - a nemesis operation failed: its completion is `:fail`, or carries an `:error` or an
 *     `:exception` (a failed rebalance or failover leaves the cluster in an unknown shape, so the
 *     run tested something else than intended — Couchbase aborts the test then).
 *
 * Never false: a broken run proves nothing either way. Keys: `:valid?`, `:error` (the first
 * reason), `:errors` (all), `:ok-count`, `:failed-nemesis-count`, `:failed-nemesis-ops` (up to 8).
 */
import type { EdnRecord } from '../edn/values.js';
import type { History } from '../history/history.js';
import { FAIL, INVOKE, OK } from '../history/op.js';
import { type CheckResult, type Checker, UNKNOWN } from '../check/checker.js';
import { opRecord } from '../check/results.js';

const CHECKED_FS = ['read', 'write', 'add'];

/** Whether anything was really tested (see this file's header): true, or unknown with every reason; never false. */
export function checkSanity(history: History): CheckResult {
  const errors: string[] = [];
  let ok = 0;
  const attempts = new Map<number, number>();
  const oks = new Map<number, number>();
  const failedNemesis: number[] = [];
  for (let i = 0; i < history.length; i++) {
    const t = history.type[i];
    if (history.isClient(i)) {
      if (t === INVOKE) attempts.set(history.f[i], (attempts.get(history.f[i]) ?? 0) + 1);
      else if (t === OK) {
        ok++;
        oks.set(history.f[i], (oks.get(history.f[i]) ?? 0) + 1);
      }
      continue;
    }
    // A nemesis completion: the second op of a pair (or a lone fail).
    if (t === INVOKE || (history.pair[i] >= 0 && history.pair[i] > i)) continue;
    const extra = history.extra.get(i);
    if (t === FAIL || history.error.has(i) || extra?.kw('exception') !== undefined) failedNemesis.push(i);
  }
  if (ok === 0) errors.push('No client operation returned :ok');
  for (const name of CHECKED_FS) {
    const f = history.fId(name);
    const n = attempts.get(f) ?? 0;
    if (f >= 0 && n > 0 && (oks.get(f) ?? 0) < 0.01 * n) errors.push(`Insufficient ${name} ops returned :ok (${oks.get(f) ?? 0} of ${n})`);
  }
  if (failedNemesis.length > 0) {
    const first = failedNemesis[0];
    errors.push(`${failedNemesis.length} nemesis operation(s) failed, first :${history.fName(first) ?? 'nil'} at ${history.where(first)}`);
  }
  const out: CheckResult = { 'valid?': errors.length === 0 ? true : UNKNOWN };
  if (errors.length > 0) {
    out.error = errors[0];
    out.errors = errors;
  }
  out['ok-count'] = ok;
  out['failed-nemesis-count'] = failedNemesis.length;
  out['failed-nemesis-ops'] = failedNemesis.slice(0, 8).map((i): EdnRecord => opRecord(history, i));
  return out;
}

/**
 * The `sanity` checker (`--checker sanity`): `checkSanity`; no options, any ops.
 *
 * @example
 * const result = await check(history, ['list-append', sanity]);
 */
export const sanity: Checker = {
  name: 'sanity',
  summary: 'unknown (never invalid) when nothing was really tested: no ok client op, <1% ok reads/writes/adds, or a failed nemesis op',
  check: (history) => checkSanity(history),
  describe: (r) => (r['valid?'] === true ? `${String(r['ok-count'])} ok client ops, no failed nemesis ops` : String(r.error)),
};
