import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EdnMap, kw, type EdnValue } from '../../analyzer/edn/values.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import { checkBank } from '../../analyzer/checkers/bank.js';
import { UsageError } from '../../analyzer/check/checker.js';
import { checkerNamed } from '../../analyzer/checkers/registry.js';

const balances = (...kv: [EdnValue, EdnValue][]) => new EdnMap(kv.map(([k]) => k), kv.map(([, v]) => v));
const read = (process: number, value: EdnValue): OpInput[] => [
  { process, type: 'invoke', f: kw('read'), value: null },
  { process, type: 'ok', f: kw('read'), value },
];

const history = historyOf([
  ...read(0, balances([0, 50], [1, 50])),
  { process: 1, type: 'invoke', f: kw('transfer'), value: null },
  { process: 1, type: 'ok', f: kw('transfer'), value: null },
  ...read(0, balances([0, 60], [1, 50])), // wrong total 110
  ...read(0, balances([0, 110], [1, -10])), // negative
  ...read(0, balances([0, 30], [1, 50])), // wrong total 80
  ...read(0, balances([0, 50], [1, null])), // nil balance
  ...read(0, balances([0, 50], [7, 50])), // unexpected account 7
]);

test('bank: wrong totals, negative values, nil balances and unexpected accounts, with first/worst/last', () => {
  const r = checkBank(history, { totalAmount: 100, accounts: [0, 1] });
  assert.equal(r['valid?'], false);
  assert.equal(r['read-count'], 6);
  assert.equal(r['error-count'], 5);
  const errors = r.errors as Record<string, Record<string, EdnValue>>;
  assert.deepEqual(Object.keys(errors).sort(), ['negative-value', 'nil-balance', 'unexpected-key', 'wrong-total']);
  const wrong = errors['wrong-total'];
  assert.equal(wrong.count, 2);
  assert.equal(printEdn((wrong.first as Record<string, EdnValue>).total), '110');
  assert.equal(printEdn((wrong.worst as Record<string, EdnValue>).total), '80');
  assert.equal(printEdn((wrong.lowest as Record<string, EdnValue>).total), '80');
  assert.equal(printEdn((wrong.highest as Record<string, EdnValue>).total), '110');
  assert.equal(printEdn((errors['negative-value'].first as Record<string, EdnValue>).negative), '[-10]');
  assert.equal(printEdn((errors['unexpected-key'].first as Record<string, EdnValue>).unexpected), '[7]');
  assert.equal(printEdn((errors['nil-balance'].first as Record<string, EdnValue>).nils), '{1 nil}');
  assert.equal(printEdn(r['first-error']!), '{:type :wrong-total, :total 110, :op {:index 5, :type :ok, :process 0, :f :read, :value {0 60, 1 50}}}');
});

test('bank: --negative-balances-ok, and the total inferred when not given', () => {
  const h = historyOf([...read(0, balances([0, 110], [1, -10])), ...read(0, balances([0, 100], [1, 0])), ...read(0, balances([0, 99], [1, 0]))]);
  const r = checkBank(h, { negativeBalancesOk: true });
  assert.equal(r['total-amount'], 100);
  assert.equal(r['total-inferred?'], true);
  assert.equal(r['error-count'], 1);
  assert.deepEqual(Object.keys(r.errors as object), ['wrong-total']);
});

test('bank: option parsing', () => {
  const c = checkerNamed('bank')!;
  const total = c.options!.find((o) => o.flags.startsWith('--total-amount'))!;
  assert.equal(total.parse!('100', undefined), 100);
  assert.throws(() => total.parse!('lots', undefined), (e: unknown) => e instanceof UsageError && e.message === '--total-amount wants a number, got "lots"');
  const accounts = c.options!.find((o) => o.flags.startsWith('--accounts'))!;
  assert.deepEqual(accounts.parse!('0,1,x', undefined), [0, 1, 'x']);
});
