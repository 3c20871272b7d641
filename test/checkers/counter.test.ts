import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printEdn } from '../../analyzer/edn/print.js';
import { historyOf } from '../../analyzer/history/history.js';
import { checkCounter } from '../../analyzer/checkers/counter.js';
import { op } from '../support/ops.js';

test('counter: reads within [acknowledged at start, attempted at end]; an out-of-bounds read is an error', () => {
  const h = historyOf([
    op(0, 'invoke', 'add', 1),
    op(0, 'ok', 'add', 1), // lower 1, upper 1
    op(1, 'invoke', 'read'), // read starts: lower 1
    op(0, 'invoke', 'add', 5), // upper 6
    op(1, 'ok', 'read', 6), // [1 6 6] ok
    op(0, 'info', 'add', 5), // indeterminate: upper stays 6
    op(2, 'invoke', 'add', 10),
    op(2, 'fail', 'add', 10), // failed: never counts
    op(1, 'invoke', 'read'),
    op(1, 'ok', 'read', 7), // [1 7 6]: too high
    op(1, 'invoke', 'read'),
    op(1, 'ok', 'read', 0), // [1 0 6]: too low
  ]);
  const r = checkCounter(h);
  assert.equal(r['valid?'], false);
  assert.equal(printEdn(r.reads!), '[[1 6 6] [1 7 6] [1 0 6]]');
  assert.equal(printEdn(r.errors!), '[[1 7 6] [1 0 6]]');
  assert.equal(printEdn(r['first-error']!), '{:index 9, :type :ok, :process 1, :f :read, :value 7}');
});

test('counter: a read concurrent with an increment may or may not see it', () => {
  const h = historyOf([op(1, 'invoke', 'read'), op(0, 'invoke', 'add', 2), op(1, 'ok', 'read', 2), op(0, 'ok', 'add', 2), op(1, 'invoke', 'read'), op(1, 'ok', 'read', 2)]);
  const r = checkCounter(h);
  assert.equal(r['valid?'], true);
  assert.equal(printEdn(r.reads!), '[[0 2 2] [2 2 2]]');
});

test('counter: a decrement acknowledged while a read was open may have come after it; one invoked while it was open, before it', () => {
  // add 5 ok; a read opens; add -2 is invoked and acknowledged; the read returns 5 (it may have come first).
  const before = historyOf([op(0, 'invoke', 'add', 5), op(0, 'ok', 'add', 5), op(1, 'invoke', 'read'), op(0, 'invoke', 'add', -2), op(0, 'ok', 'add', -2), op(1, 'ok', 'read', 5)]);
  const r = checkCounter(before);
  assert.equal(r['valid?'], true);
  assert.equal(printEdn(r.reads!), '[[3 5 5]]');
  // Returning 3 is as good (the decrement came first); 2 and 6 are not.
  for (const [v, ok] of [[3, true], [2, false], [6, false]] as const) {
    const h = historyOf([op(0, 'invoke', 'add', 5), op(0, 'ok', 'add', 5), op(1, 'invoke', 'read'), op(0, 'invoke', 'add', -2), op(0, 'ok', 'add', -2), op(1, 'ok', 'read', v)]);
    assert.equal(checkCounter(h)['valid?'], ok, `read of ${v}`);
  }
  // A decrement acknowledged before the read began must be seen: 5 is then too high.
  const after = historyOf([op(0, 'invoke', 'add', 5), op(0, 'ok', 'add', 5), op(0, 'invoke', 'add', -2), op(0, 'ok', 'add', -2), op(1, 'invoke', 'read'), op(1, 'ok', 'read', 5)]);
  assert.equal(printEdn(checkCounter(after).errors!), '[[3 5 3]]');
});
