/**
 * The wrong checker, said in one place: a history whose client ops are none of the kinds a
 * checker judges (`Checker.accepts`) gets no verdict from it — set-full on a key-value history
 * would report "0 elements lost" as if that meant something. `compose` refuses such a pair
 * with a UsageError naming what the history holds and which checker its ops call for.
 *
 * A history with no client ops at all is not a misfit, nor is one with an op that has no `:f`
 * (Elle's tests write bare transactions): each checker says for itself that it had
 * nothing to judge. A history holding some accepted ops among others fits: Jepsen's checkers
 * judge their own `:f`s and pass over the rest.
 */
import type { History } from '../history/history.js';
import type { Checker } from './checker.js';
import { chooseChecker, choiceFlags } from './choose.js';

/** Why `checker` cannot judge `history`, as one line; undefined when it can. */
export function misfitOf(checker: Pick<Checker<never>, 'name' | 'accepts'>, history: History): string | undefined {
  const accepts = checker.accepts;
  if (accepts === undefined) return undefined;
  const counts = new Map<string, number>();
  let client = 0;
  for (let i = 0; i < history.length; i++) {
    if (!history.isClient(i)) continue;
    client++;
    const f = history.fName(i);
    // An op with no :f (Elle's own histories are bare transactions) could be any kind: it fits.
    if (f === undefined || accepts.includes(f)) return undefined;
    counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  if (client === 0) return undefined;
  const held = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([f, n]) => `:${f} ×${n}`).join(', ');
  const more = counts.size > 4 ? `, ${counts.size - 4} more kinds` : '';
  const choice = chooseChecker(history);
  const fits = 'checkers' in choice ? `; these ops call for --checker ${choiceFlags(choice)}` : '';
  const wanted = accepts.map((f) => `:${f}`).join(', ');
  return `${history.file}: ${checker.name} judges ${wanted} ops, and this history's client ops are ${held}${more}${fits}`;
}
