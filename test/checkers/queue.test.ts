import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kw } from '../../analyzer/edn/values.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { historyOf } from '../../analyzer/history/history.js';
import { checkQueue, checkTotalQueue } from '../../analyzer/checkers/queue.js';
import { op } from '../support/ops.js';

test('queue: a dequeue of something never enqueued (so far) is invalid', () => {
  const ok = checkQueue(historyOf([op(0, 'invoke', 'enqueue', 1), op(0, 'ok', 'enqueue', 1), op(0, 'invoke', 'enqueue', 2), op(0, 'info', 'enqueue', 2), op(1, 'invoke', 'dequeue'), op(1, 'ok', 'dequeue', 2)]));
  assert.equal(ok['valid?'], true);
  assert.equal(ok['final-queue'], '#{1}');
  const bad = checkQueue(historyOf([op(1, 'invoke', 'dequeue'), op(1, 'ok', 'dequeue', 7), op(0, 'invoke', 'enqueue', 7), op(0, 'ok', 'enqueue', 7)]));
  assert.equal(bad['valid?'], false);
  assert.equal(bad.error, "can't dequeue 7");
});

test('total-queue: lost, unexpected, duplicated, recovered; drains expand', () => {
  const h = historyOf([
    op(0, 'invoke', 'enqueue', 1), op(0, 'ok', 'enqueue', 1),
    op(0, 'invoke', 'enqueue', 2), op(0, 'ok', 'enqueue', 2), // lost
    op(0, 'invoke', 'enqueue', 3), op(0, 'info', 'enqueue', 3), // recovered
    op(0, 'invoke', 'enqueue', 4), op(0, 'ok', 'enqueue', 4),
    op(1, 'invoke', 'dequeue'), op(1, 'ok', 'dequeue', 1),
    op(1, 'invoke', 'dequeue'), op(1, 'ok', 'dequeue', 1), // duplicated
    op(1, 'invoke', 'dequeue'), op(1, 'ok', 'dequeue', 99), // unexpected
    op(1, 'invoke', 'drain'), op(1, 'ok', 'drain', [3, 4]),
  ]);
  const r = checkTotalQueue(h);
  assert.equal(r['valid?'], false);
  assert.equal(r['attempt-count'], 4);
  assert.equal(r['acknowledged-count'], 3);
  assert.equal(r['ok-count'], 3);
  assert.equal(printEdn(r.lost!), '[2]');
  assert.equal(printEdn(r.unexpected!), '[99]');
  assert.equal(printEdn(r.duplicated!), '[1]');
  assert.equal(printEdn(r.recovered!), '[3]');
  assert.deepEqual([r['lost-count'], r['unexpected-count'], r['duplicated-count'], r['recovered-count']], [1, 1, 1, 1]);
});

test('total-queue: a crashed drain makes losses unknown, not invalid', () => {
  const h = historyOf([op(0, 'invoke', 'enqueue', 1), op(0, 'ok', 'enqueue', 1), op(1, 'invoke', 'drain'), op(1, 'info', 'drain')]);
  const r = checkTotalQueue(h);
  assert.equal(r['valid?'], kw('unknown'));
  assert.equal(r['crashed-drain-count'], 1);
  const drained = historyOf([op(0, 'invoke', 'enqueue', 1), op(0, 'ok', 'enqueue', 1), op(1, 'invoke', 'drain'), op(1, 'ok', 'drain', [1])]);
  assert.equal(checkTotalQueue(drained)['valid?'], true);
});
