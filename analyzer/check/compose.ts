/**
 * `compose`: runs several checkers on one history and merges their results under their names,
 * as Jepsen's `checker/compose`; the composed `:valid?` is the worst (false over unknown over
 * true). A lone checker's result is returned as it is.
 *
 * As Jepsen's `check-safe` does, a checker that crashes while others run becomes
 * `{:valid? :unknown, :error "…"}` under its name instead of losing every other result; a
 * `UsageError` (a bad option) still stops the run, since it is the user's to fix. So does a
 * checker named for ops it does not judge (`misfitOf`): every path to a checker passes here.
 * Option values given as strings are parsed by the option's own `parse`, as the CLI does.
 */
import type { History } from '../history/history.js';
import { type CheckContext, type CheckResult, type Checker, UNKNOWN, UsageError, mergeValid, verdictWord } from './checker.js';
import { misfitOf } from './fit.js';
import { parseStringOptions } from './flags.js';

/**
 * Runs `named` on `history` with `options` and `ctx`, as this file's header says, and returns
 * the lone result or the merged one. Rejects with `UsageError` when a checker does not fit the
 * history's ops, when one is named twice, or when one throws a `UsageError`; a lone checker's
 * other errors reject too (only beside others is a crash turned into `valid?` unknown).
 */
export async function compose(
  named: ReadonlyArray<Checker<Record<string, unknown>>>,
  history: History,
  options: Record<string, unknown>,
  ctx: CheckContext,
): Promise<CheckResult> {
  for (const c of named) {
    const wrong = misfitOf(c, history);
    if (wrong !== undefined) throw new UsageError(wrong);
  }
  if (named.length === 1) return named[0].check(history, parseStringOptions(named[0], options), ctx);
  const seen = new Set<string>();
  for (const c of named) {
    if (seen.has(c.name)) throw new UsageError(`checker ${c.name} named twice`);
    seen.add(c.name);
  }
  const parts: Record<string, CheckResult> = {};
  for (const c of named) {
    try {
      parts[c.name] = await c.check(history, parseStringOptions(c, options), ctx);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      parts[c.name] = { 'valid?': UNKNOWN, error: `${c.name} crashed: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  return { 'valid?': mergeValid(Object.values(parts).map((r) => r['valid?'])), ...parts };
}

/**
 * One line for one checker's result: for an unknown result that says why (`error`: nothing to
 * judge, a crash, a spent budget), that reason; else the checker's `describe`. A `describe`
 * that throws on a result it did not expect gives the verdict word instead of a crash.
 */
export function describeResult(c: Pick<Checker<Record<string, unknown>>, 'describe'>, r: CheckResult): string {
  const v = r['valid?'];
  if (v !== true && v !== false && typeof r.error === 'string') return r.error;
  try {
    return c.describe?.(r) ?? '';
  } catch {
    return verdictWord(v);
  }
}

/**
 * One line for a composed result: each checker's verdict, and why for each that is not valid,
 * e.g. `set-full invalid (2 lost: #{3 4}), perf valid`.
 */
export function describeComposed(named: ReadonlyArray<Checker<Record<string, unknown>>>, result: CheckResult): string {
  if (named.length === 1) return describeResult(named[0], result);
  return named
    .map((c) => {
      const r = result[c.name] as CheckResult | undefined;
      const v = r?.['valid?'];
      const word = verdictWord(v);
      if (v === true || r === undefined) return `${c.name} ${word}`;
      const why = describeResult(c, r);
      return why === '' ? `${c.name} ${word}` : `${c.name} ${word} (${why})`;
    })
    .join(', ');
}
