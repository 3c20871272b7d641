/**
 * `bank`: Jepsen's `tests/bank` checker. Transfers move money between accounts; every ok `:read`
 * returns a map account → balance and must show the whole amount (`--total-amount`), only known
 * accounts (`--accounts`, when given), no nil balances, and — unless `--negative-balances-ok` —
 * no negative balance. Bad reads are grouped by type (`:unexpected-key`, `:nil-balance`,
 * `:wrong-total`, `:negative-value`) with their count and the first, worst and last example.
 *
 * Without `--total-amount` the total is inferred as the most common total among the reads
 * (reported as `:total-amount` with `:total-inferred? true`): every other total is then wrong.
 */
import { EdnMap, type EdnRecord, type EdnValue, isRecord, kw, mapEntries } from '../edn/values.js';
import type { History } from '../history/history.js';
import { OK } from '../history/op.js';
import { type CheckResult, type Checker, UNKNOWN, UsageError } from '../check/checker.js';
import { Interner } from '../util/interner.js';
import { opRecord } from '../check/results.js';
import { bankEvidence } from './evidence.js';

/** Options for `checkBank`: what a good read shows. */
export interface BankOptions {
  /** The sum every read must show (default: the commonest total among the reads, marked `:total-inferred? true`). */
  totalAmount?: number;
  /** Account ids; EDN-read values compare structurally. Numbers given as strings are numbers. */
  accounts?: EdnValue[];
  /** Negative balances are fine. */
  negativeBalancesOk?: boolean;
}

interface BankError {
  type: 'unexpected-key' | 'nil-balance' | 'wrong-total' | 'negative-value';
  record: EdnRecord;
  pos: number;
  badness: number;
  total?: number;
}

function parseTotal(raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new UsageError(`--total-amount wants a number, got ${JSON.stringify(raw)}`);
  return n;
}

function parseAccounts(raw: string): EdnValue[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => (/^-?\d+$/.test(s) ? Number(s) : s));
}

function entriesOf(v: EdnValue): [EdnValue, EdnValue][] | undefined {
  if (v instanceof EdnMap || isRecord(v)) return [...mapEntries(v)];
  return undefined;
}

/**
 * Checks a bank history (see this file's header): false if any ok `:read` is bad, unknown when no
 * `:read` completed ok. A read whose value is not a map counts as showing no accounts.
 */
export function checkBank(history: History, options: BankOptions = {}, certify?: (evidence: EdnRecord) => void): CheckResult {
  const readF = history.fId('read');
  const reads: number[] = [];
  for (let i = 0; i < history.length; i++) {
    if (readF >= 0 && history.f[i] === readF && history.type[i] === OK && history.isClient(i)) reads.push(i);
  }
  const sumOf = (es: [EdnValue, EdnValue][]) => es.reduce((s, [, b]) => s + (typeof b === 'number' ? b : 0), 0);
  let total = options.totalAmount;
  let inferred = false;
  if (total === undefined) {
    const freq = new Map<number, number>();
    for (const i of reads) {
      const es = entriesOf(history.value[i]);
      if (es) freq.set(sumOf(es), (freq.get(sumOf(es)) ?? 0) + 1);
    }
    let best = -1;
    for (const [t, n] of freq) if (n > best) [total, best] = [t, n];
    inferred = true;
  }
  let accounts: Interner | undefined;
  if (options.accounts) {
    accounts = new Interner();
    for (const a of options.accounts) accounts.id(a);
  }
  const errors: BankError[] = [];
  for (const i of reads) {
    const es = entriesOf(history.value[i]) ?? [];
    const op = opRecord(history, i);
    const unexpected = accounts ? es.filter(([k]) => accounts.find(k) < 0).map(([k]) => k) : [];
    if (unexpected.length > 0) {
      errors.push({ type: 'unexpected-key', record: { type: kw('unexpected-key'), unexpected, op }, pos: i, badness: unexpected.length });
      continue;
    }
    const nils = es.filter(([, b]) => typeof b !== 'number');
    if (nils.length > 0) {
      const m = new EdnMap(nils.map(([k]) => k), nils.map(([, b]) => b));
      errors.push({ type: 'nil-balance', record: { type: kw('nil-balance'), nils: m, op }, pos: i, badness: nils.length });
      continue;
    }
    const sum = sumOf(es);
    if (total !== undefined && sum !== total) {
      const badness = total === 0 ? Math.abs(sum) : Math.abs((sum - total) / total);
      errors.push({ type: 'wrong-total', record: { type: kw('wrong-total'), total: sum, op }, pos: i, badness, total: sum });
      continue;
    }
    const negative = es.map(([, b]) => b as number).filter((b) => b < 0);
    if (!options.negativeBalancesOk && negative.length > 0) {
      errors.push({ type: 'negative-value', record: { type: kw('negative-value'), negative, op }, pos: i, badness: -negative.reduce((a, b) => a + b, 0) });
    }
  }
  const byType = new Map<string, BankError[]>();
  for (const e of errors) {
    let g = byType.get(e.type);
    if (!g) byType.set(e.type, (g = []));
    g.push(e);
  }
  const grouped: EdnRecord = {};
  for (const [type, errs] of byType) {
    const worst = errs.reduce((w, e) => (e.badness > w.badness ? e : w));
    const g: EdnRecord = { count: errs.length, first: errs[0].record, worst: worst.record, last: errs[errs.length - 1].record };
    if (type === 'wrong-total') {
      g.lowest = errs.reduce((w, e) => (e.total! < w.total! ? e : w)).record;
      g.highest = errs.reduce((w, e) => (e.total! > w.total! ? e : w)).record;
    }
    grouped[type] = g;
  }
  const first = errors.length > 0 ? errors.reduce((a, b) => (b.pos < a.pos ? b : a)).record : null;
  const out: CheckResult = {
    'valid?': reads.length === 0 ? UNKNOWN : errors.length === 0,
    'read-count': reads.length,
    'error-count': errors.length,
    'first-error': first,
    errors: grouped,
    'total-amount': total ?? null,
  };
  if (inferred) out['total-inferred?'] = true;
  if (reads.length === 0) out.error = 'no :read completed :ok, so no balance was checked';
  else if (certify !== undefined) certify(bankEvidence(history, { total: total ?? null, inferred, options, reads: reads.length, errors }));
  return out;
}

/**
 * The `bank` checker (`--checker bank`): `checkBank` with `--total-amount`, `--accounts` and
 * `--negative-balances-ok`. On the command line, a `--total-amount` that is not a number is a
 * `UsageError`; a library caller passes the parsed values.
 *
 * @example
 * const result = await check(history, [bank], { totalAmount: 100, accounts: [0, 1, 2] });
 */
export const bank: Checker<{ totalAmount?: number; accounts?: EdnValue[]; negativeBalancesOk?: boolean }> = {
  name: 'bank',
  summary: 'transfers between accounts: every read shows the total amount and no negative balance (Jepsen bank)',
  accepts: ['transfer', 'read'],
  options: [
    { flags: '--total-amount <n>', description: 'bank: the sum every read must show (default: the most common read total)', parse: parseTotal },
    { flags: '--accounts <ids>', description: 'bank: comma-separated account ids a read may show (default: any)', parse: parseAccounts },
    { flags: '--negative-balances-ok', description: 'bank: allow negative balances' },
  ],
  check: (history, o, ctx) =>
    checkBank(history, { totalAmount: o.totalAmount, accounts: o.accounts, negativeBalancesOk: o.negativeBalancesOk === true }, ctx?.certify === undefined ? undefined : (e) => ctx.certify!('bank', e)),
  describe: (r) => `${String(r['read-count'])} reads, ${String(r['error-count'])} bad`,
};
