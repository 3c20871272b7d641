/**
 * Checking a unique-ids certificate (analyzer/checkers/evidence.ts) against the history, with
 * none of the checker's code. Each `[first again]` of `:duplicated` names two `:ok` `:generate`
 * ops that returned the same id; a valid verdict: the `:acknowledged` `:ok` generates returned
 * distinct ids (one pass, a set of the ids seen).
 */
import type { EdnMap } from '../edn/values.js';
import { printEdn } from '../edn/print.js';
import type { History } from '../history/history.js';
import { OK } from '../history/op.js';
import type { Check } from './linear.js';
import { OpIndex, count, fault, textOf } from './ops.js';

/** Checks the unique-ids evidence `cert` against `h` (see this file's header). */
export function verifyUniqueIds(h: History, cert: EdnMap): Check {
  const ops = new OpIndex(h);
  const valid = cert.kw('valid?');
  if (valid === true) {
    const seen = new Map<string, number>();
    for (let i = 0; i < h.length; i++) {
      if (!ops.is(i, 'generate', OK)) continue;
      const t = textOf(h.value[i]);
      const first = seen.get(t);
      if (first !== undefined) return fault(`unique-ids: ops ${h.index[first]} and ${h.index[i]} both returned ${t}, yet the verdict is valid`);
      seen.set(t, i);
    }
    if (seen.size !== cert.kw('acknowledged')) return fault(`unique-ids: ${seen.size} generates completed :ok, not ${printEdn(cert.kw('acknowledged') ?? null)}`);
    if (seen.size === 0) return fault('unique-ids: the verdict is valid, but no generate completed :ok');
    return { holds: true, what: `unique-ids: ${count(seen.size, 'id')}, all distinct` };
  }
  if (valid !== false) return fault('unique-ids: the evidence has no verdict');
  const dups = cert.kw('duplicated');
  if (!Array.isArray(dups) || dups.length === 0) return fault('unique-ids: the verdict is invalid, but no id is shown returned twice');
  for (const [j, pair] of dups.entries()) {
    const [a, b] = Array.isArray(pair) && pair.length === 2 ? pair.map((x) => ops.position(x)) : [-1, -1];
    if (!ops.is(a, 'generate', OK) || !ops.is(b, 'generate', OK) || a === b) return fault(`unique-ids: duplicate ${j} does not name two :ok generates`);
    if (textOf(h.value[a]) !== textOf(h.value[b])) return fault(`unique-ids, duplicate ${j}: op ${h.index[a]} returned ${printEdn(h.value[a])}, op ${h.index[b]} ${printEdn(h.value[b])}`);
  }
  return { holds: true, what: `unique-ids: ${count(dups.length, 'id')} returned again, shown by the ops` };
}
