/**
 * Checking a bank certificate (analyzer/checkers/evidence.ts) against the history, with none of
 * the checker's code. Each `:ok` `:read` is a map account → balance (anything else shows no
 * accounts). A read is bad when it shows an account not in `:accounts` (when given), a balance
 * that is not a number, a sum of balances other than `:total-amount`, or (unless
 * `:negative-balances-ok`) a negative balance. An invalid verdict's `:errors` name bad reads,
 * each with a reason that holds; a valid one's `:reads` are every `:ok` read, none bad. A total
 * marked `:total-inferred?` must be the commonest sum among the reads.
 */
import { EdnMap, type EdnValue, isRecord, mapEntries } from '../edn/values.js';
import { printEdn } from '../edn/print.js';
import type { History } from '../history/history.js';
import { OK } from '../history/op.js';
import type { Check } from './linear.js';
import { OpIndex, count, fault, mapsOf, textOf } from './ops.js';

const balancesOf = (v: EdnValue): [EdnValue, EdnValue][] => (v instanceof EdnMap || isRecord(v) ? [...mapEntries(v)] : []);
const sumOf = (bs: [EdnValue, EdnValue][]): number => bs.reduce((s, [, b]) => s + (typeof b === 'number' ? b : 0), 0);

/** What is wrong with one read's balances, by reason; empty when nothing is. */
function reasons(bs: [EdnValue, EdnValue][], total: EdnValue | undefined, accounts: Set<string> | undefined, negativeOk: boolean): Map<string, string> {
  const out = new Map<string, string>();
  const stranger = accounts === undefined ? undefined : bs.find(([k]) => !accounts.has(textOf(k)));
  if (stranger !== undefined) out.set('unexpected-key', `shows account ${printEdn(stranger[0])}, not one of :accounts`);
  const nil = bs.find(([, b]) => typeof b !== 'number');
  if (nil !== undefined) out.set('nil-balance', `shows account ${printEdn(nil[0])} with balance ${printEdn(nil[1])}`);
  if (typeof total === 'number' && sumOf(bs) !== total) out.set('wrong-total', `sums to ${sumOf(bs)}, not ${total}`);
  const negative = bs.find(([, b]) => typeof b === 'number' && b < 0);
  if (!negativeOk && negative !== undefined) out.set('negative-value', `shows account ${printEdn(negative[0])} with balance ${printEdn(negative[1])}`);
  return out;
}

/** Checks the bank evidence `cert` against `h` (see this file's header). */
export function verifyBank(h: History, cert: EdnMap): Check {
  const ops = new OpIndex(h);
  const reads: number[] = [];
  for (let i = 0; i < h.length; i++) if (ops.is(i, 'read', OK)) reads.push(i);
  const total = cert.kw('total-amount');
  const given = cert.kw('accounts');
  const accounts = Array.isArray(given) ? new Set(given.map(textOf)) : undefined;
  const negativeOk = cert.kw('negative-balances-ok') === true;
  if (cert.kw('total-inferred?') === true) {
    const freq = new Map<number, number>();
    for (const i of reads) if (h.value[i] instanceof EdnMap || isRecord(h.value[i])) freq.set(sumOf(balancesOf(h.value[i])), (freq.get(sumOf(balancesOf(h.value[i]))) ?? 0) + 1);
    const mine = typeof total === 'number' ? (freq.get(total) ?? 0) : 0;
    const commonest = [...freq].reduce<[number, number] | undefined>((best, e) => (best === undefined || e[1] > best[1] ? e : best), undefined);
    const commoner = commonest !== undefined && commonest[1] > mine ? commonest : undefined;
    if (commoner !== undefined) return fault(`bank: the inferred total ${printEdn(total ?? null)} is read ${mine} times, ${commoner[0]} ${commoner[1]} times`);
  }
  if (reads.length !== cert.kw('reads')) return fault(`bank: ${reads.length} reads completed :ok, not ${printEdn(cert.kw('reads') ?? null)}`);
  const valid = cert.kw('valid?');
  if (valid === true) {
    for (const i of reads) {
      const [why] = [...reasons(balancesOf(h.value[i]), total, accounts, negativeOk).values()];
      if (why !== undefined) return fault(`bank: read op ${h.index[i]} ${why}, yet the verdict is valid`);
    }
    return { holds: true, what: `bank: ${count(reads.length, 'read')}, each showing ${printEdn(total ?? null)} in all` };
  }
  if (valid !== false) return fault('bank: the evidence has no verdict');
  const errors = mapsOf(cert.kw('errors'));
  if (typeof errors === 'number') return fault(`bank: error ${errors} is not a map`);
  if (errors.length === 0) return fault('bank: the verdict is invalid, but no read is shown bad');
  for (const e of errors) {
    const r = ops.position(e.kw('read'));
    const type = e.kw('type');
    const name = type !== null && typeof type === 'object' && 'name' in type ? String(type.name) : printEdn(type ?? null);
    if (!ops.is(r, 'read', OK)) return fault(`bank: op ${printEdn(e.kw('read') ?? null)} is no :ok read`);
    if (!reasons(balancesOf(h.value[r]), total, accounts, negativeOk).has(name)) return fault(`bank, read op ${h.index[r]}: not ${name} (${printEdn(h.value[r])})`);
  }
  return { holds: true, what: `bank: ${count(errors.length, 'bad read')}, each derived again from its balances` };
}
