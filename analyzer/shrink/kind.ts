/**
 * "Fails the same way": what a shrunk history must keep of the original's failure. For Elle's
 * checkers, every anomaly type the original shows (or the one `--anomaly` names); for a check
 * per key (linearizable with `--independent`), not valid on the same key; where the checker names
 * the op that failed (linearizable's `:op`), failing at that same op; otherwise, not valid.
 */
import type { CheckResult } from '../check/checker.js';
import { printEdn } from '../edn/print.js';
import { EdnMap, type EdnRecord, type EdnValue, Keyword, ednEquals, kw } from '../edn/values.js';

/** The failure a shrink keeps, and the test of whether a result still shows it. */
export interface FailureKind {
  /** For people: `G1c`, `not linearizable on key 3`, `not valid`. */
  readonly describe: string;
  /** For the written history's header. */
  readonly edn: EdnRecord;
  holds(r: CheckResult): boolean;
}

const names = (v: EdnValue | undefined): string[] => (Array.isArray(v) ? v.map((x) => (x instanceof Keyword ? x.name : String(x))) : []);

/**
 * The failure of `r` to keep, or why there is none to shrink toward: the result is not invalid,
 * or `anomaly` names a type it does not show.
 */
export function failureKind(r: CheckResult, anomaly?: string): FailureKind | string {
  if (r['valid?'] !== false) return `the history is ${r['valid?'] === true ? 'valid' : 'of unknown validity'}: there is no failure to shrink toward`;
  const types = names(r['anomaly-types']);
  if (types.length > 0 || anomaly !== undefined) {
    // Every type the original shows, unless one is asked for: an injected lost-update also shows G-single-item.
    const targets = anomaly === undefined ? types : [anomaly];
    if (anomaly !== undefined && !types.includes(anomaly)) return `the history shows no ${anomaly} (it shows ${types.length === 0 ? 'no anomaly types' : types.join(', ')})`;
    return {
      describe: targets.join(', '),
      edn: { anomalies: targets.map((t) => kw(t)) },
      holds: (x) => {
        const have = names(x['anomaly-types']);
        return x['valid?'] === false && targets.every((t) => have.includes(t));
      },
    };
  }
  // The linearizable checker names the op no order could place: keep that op failing (by its
  // original :index, which sub-histories keep), and on the same key.
  const index = failingIndex(r);
  const failures = Array.isArray(r.failures) && r.failures.length > 0 ? r.failures : undefined;
  const key = failures?.[0];
  const sameOp = (x: CheckResult): boolean => index === undefined || failingIndex(x) === index;
  const sameKey = (x: CheckResult): boolean => key === undefined || (Array.isArray(x.failures) && x.failures.some((k) => ednEquals(k, key)));
  // The kinds of loss the collection checkers count (set-full, set, queues, bank…), on that key.
  const counts = failureCounts(r, key);
  const sameCounts = (x: CheckResult): boolean => {
    const have = failureCounts(x, key);
    return counts.every((c) => have.includes(c));
  };
  const edn: EdnRecord = { 'valid?': false };
  if (key !== undefined) edn['failing-key'] = key;
  if (index !== undefined) edn['failing-op'] = index;
  if (counts.length > 0) edn.counts = counts.map((c) => kw(c));
  const what = [key === undefined ? '' : ` on key ${printEdn(key)}`, index === undefined ? '' : ` at op ${index}`, counts.length === 0 ? '' : ` (${counts.join(', ')} > 0)`].join('');
  return { describe: `not valid${what}`, edn, holds: (x) => x['valid?'] === false && sameKey(x) && sameOp(x) && sameCounts(x) };
}

/** The `:index` of a result's failing `:op`, when it names one. */
function failingIndex(r: CheckResult): number | undefined {
  const op = r.op;
  if (op === null || typeof op !== 'object' || Array.isArray(op) || !('index' in op)) return undefined;
  const i = (op as Record<string, EdnValue>).index;
  return typeof i === 'number' ? i : undefined;
}

/** Counts of what went wrong, as the collection checkers name them. */
const FAILURE_COUNTS = ['lost-count', 'unexpected-count', 'duplicated-count', 'stale-count', 'error-count', 'divergent-pair-count'];

/** Which FAILURE_COUNTS are above 0 in `r` — in its per-key result for `key`, when it has one. */
function failureCounts(r: CheckResult, key: EdnValue | undefined): string[] {
  let at: unknown = r;
  if (key !== undefined && r.results instanceof EdnMap) at = r.results.get(key) ?? r;
  if (at === null || typeof at !== 'object') return [];
  const rec = at as Record<string, unknown>;
  return FAILURE_COUNTS.filter((c) => typeof rec[c] === 'number' && (rec[c] as number) > 0);
}
