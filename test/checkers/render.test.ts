import assert from 'node:assert/strict';
import { test } from 'node:test';
import { printEdn } from '../../analyzer/edn/print.js';
import { EdnMap, EdnSet, kw, markList } from '../../analyzer/edn/values.js';
import { printEdnBounded } from '../../analyzer/render/edn-text.js';
import { formatTick, linearTicks, logTicks, niceStep } from '../../analyzer/render/svg.js';

test('bounded EDN text equals printEdn below the limit and is cut with … above it', () => {
  const v = [kw('r'), new EdnSet([1, 2, 3]), markList(['a"b', null]), new EdnMap([kw('k')], [1.5]), { 'valid?': true }];
  assert.equal(printEdnBounded(v, 1000), printEdn(v));
  const cut = printEdnBounded(v, 10);
  assert.equal(cut, printEdn(v).slice(0, 10) + '…');
  const big = new EdnSet(Array.from({ length: 1e5 }, (_, k) => k));
  assert.equal(printEdnBounded(big, 12), '#{0 1 2 3 4 …');
});

test('nice ticks', () => {
  assert.deepEqual([0.7, 1, 3, 7, 12].map(niceStep), [1, 1, 5, 10, 20]);
  assert.deepEqual(linearTicks(0, 72.5, 8), [0, 10, 20, 30, 40, 50, 60, 70]);
  assert.deepEqual(logTicks(0.1, 100), [0.1, 1, 10, 100]);
  assert.deepEqual([0, 0.5, 1234, 2e6].map(formatTick), ['0', '0.5', '1234', '2e6']);
});
