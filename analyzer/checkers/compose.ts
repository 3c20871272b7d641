/**
 * `compose`: runs several checkers on one history and merges their results under their names,
 * as Jepsen's `checker/compose`; the composed `:valid?` is the worst (false over unknown over true).
 */
import type { History } from '../history/history.js';
import { type CheckContext, type CheckResult, type Checker, UsageError, mergeValid } from './checker.js';

export async function compose(
  named: ReadonlyArray<Checker<Record<string, unknown>>>,
  history: History,
  options: Record<string, unknown>,
  ctx: CheckContext,
): Promise<CheckResult> {
  if (named.length === 1) return named[0].check(history, options, ctx);
  const parts: Record<string, CheckResult> = {};
  for (const c of named) {
    if (c.name in parts) throw new UsageError(`checker ${c.name} named twice`);
    parts[c.name] = await c.check(history, options, ctx);
  }
  return { 'valid?': mergeValid(Object.values(parts).map((r) => r['valid?'])), ...parts };
}
