import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kw } from '../../analyzer/edn/values.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { historyOf } from '../../analyzer/history/history.js';
import { checkLockSet } from '../../analyzer/checkers/lock-set.js';
import { op } from '../support/ops.js';

test('lock-set: a lost update under the lock, with the overlapping holders', () => {
  // Process 0 holds the lock for 1 (its lease expires mid-section); process 1 takes it, adds 2
  // from the set read before 1 went in, and wins. 3 is added afterwards, alone.
  const h = historyOf([
    op(0, 'invoke', 'add', 1),
    op(1, 'invoke', 'add', 2),
    op(0, 'ok', 'add', 1, [kw('lease-lost-while-held'), 'expired']),
    op(1, 'ok', 'add', 2),
    op(2, 'invoke', 'add', 3),
    op(2, 'ok', 'add', 3),
    op(3, 'invoke', 'add', 4),
    op(3, 'fail', 'add', 4),
    op(0, 'invoke', 'read'),
    op(0, 'ok', 'read', [2, 3]),
  ]);
  const r = checkLockSet(h);
  assert.equal(r['valid?'], false);
  assert.equal(r['attempt-count'], 4);
  assert.equal(r['acknowledged-count'], 3);
  assert.equal(r['lost-count'], 1);
  assert.equal(r.lost, '#{1}');
  assert.equal(r['acknowledged-with-error-count'], 1);
  assert.equal(
    printEdn(r['lost-updates']!),
    '[{:element 1, :add {:index 2, :type :ok, :process 0, :f :add, :value 1, :error [:lease-lost-while-held "expired"]}, ' +
      ':concurrent [{:index 3, :type :ok, :process 1, :f :add, :value 2, :survived? true}]}]',
  );
});

test('lock-set: nothing lost is valid; no final read is unknown', () => {
  const ops = [op(0, 'invoke', 'add', 1), op(0, 'ok', 'add', 1), op(0, 'invoke', 'read'), op(0, 'ok', 'read', [1])];
  assert.equal(checkLockSet(historyOf(ops))['valid?'], true);
  assert.equal(checkLockSet(historyOf(ops.slice(0, 2)))['valid?'], kw('unknown'));
});
