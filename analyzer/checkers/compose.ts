/**
 * `compose`: runs several checkers on one history and merges their results under their names,
 * as Jepsen's `checker/compose`; the composed `:valid?` is the worst (false over unknown over
 * true). A lone checker's result is returned as it is.
 *
 * As Jepsen's `check-safe` does, a checker that crashes while others run becomes
 * `{:valid? :unknown, :error "…"}` under its name instead of losing every other result; a
 * `UsageError` (a bad option) still stops the run, since it is the user's to fix.
 */
import type { History } from '../history/history.js';
import { type CheckContext, type CheckResult, type Checker, UNKNOWN, UsageError, mergeValid } from './checker.js';

export async function compose(
  named: ReadonlyArray<Checker<Record<string, unknown>>>,
  history: History,
  options: Record<string, unknown>,
  ctx: CheckContext,
): Promise<CheckResult> {
  if (named.length === 1) return named[0].check(history, options, ctx);
  const seen = new Set<string>();
  for (const c of named) {
    if (seen.has(c.name)) throw new UsageError(`checker ${c.name} named twice`);
    seen.add(c.name);
  }
  const parts: Record<string, CheckResult> = {};
  for (const c of named) {
    try {
      parts[c.name] = await c.check(history, options, ctx);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      parts[c.name] = { 'valid?': UNKNOWN, error: `${c.name} crashed: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  return { 'valid?': mergeValid(Object.values(parts).map((r) => r['valid?'])), ...parts };
}

/**
 * One line for a composed result: each checker's verdict, and why for each that is not valid,
 * e.g. `set-full invalid (2 lost: #{3 4}), perf valid`.
 */
export function describeComposed(named: ReadonlyArray<Checker<Record<string, unknown>>>, result: CheckResult): string {
  if (named.length === 1) return named[0].describe?.(result) ?? '';
  return named
    .map((c) => {
      const r = result[c.name] as CheckResult | undefined;
      const v = r?.['valid?'];
      const word = v === true ? 'valid' : v === false ? 'invalid' : 'unknown';
      if (v === true || r === undefined) return `${c.name} ${word}`;
      const why = c.describe?.(r) ?? (typeof r.error === 'string' ? r.error : '');
      return why === '' ? `${c.name} ${word}` : `${c.name} ${word} (${why})`;
    })
    .join(', ');
}
