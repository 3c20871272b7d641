import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kw, type EdnValue } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import { checkSet } from '../../analyzer/checkers/set.js';
import { intervalSetString } from '../../analyzer/checkers/ranges.js';
import { op } from '../support/ops.js';

test('intervalSetString prints integer runs as Jepsen does', () => {
  assert.equal(intervalSetString([7, 3, 1, 2, 4, 5]), '#{1..5 7}');
  assert.equal(intervalSetString([]), '#{}');
  assert.equal(intervalSetString([1, 2, 2, 9]), '#{1..2 9}');
  assert.equal(intervalSetString([2, 'b', 'a']), '#{2 "a" "b"}');
});

test('set: lost, unexpected, recovered and ok, compactly', () => {
  const ops: OpInput[] = [];
  for (let x = 1; x <= 6; x++) ops.push(op(0, 'invoke', 'add', x), op(0, x === 6 ? 'info' : x === 5 ? 'fail' : 'ok', 'add', x));
  ops.push(op(1, 'invoke', 'read'), op(1, 'ok', 'read', [1, 2, 4, 6, 100]));
  const r = checkSet(historyOf(ops));
  assert.equal(r['valid?'], false);
  assert.equal(r['attempt-count'], 6);
  assert.equal(r['acknowledged-count'], 4);
  assert.equal(r['ok-count'], 4);
  assert.equal(r.ok, '#{1..2 4 6}');
  assert.equal(r['lost-count'], 1);
  assert.equal(r.lost, '#{3}');
  assert.equal(r['unexpected-count'], 1);
  assert.equal(r.unexpected, '#{100}');
  assert.equal(r['recovered-count'], 1);
  assert.equal(r.recovered, '#{6}');
});

test('set: valid when everything acknowledged is read; unknown when never read', () => {
  const ops = [op(0, 'invoke', 'add', 1), op(0, 'ok', 'add', 1), op(0, 'invoke', 'read'), op(0, 'ok', 'read', [1])];
  assert.equal(checkSet(historyOf(ops))['valid?'], true);
  const r = checkSet(historyOf(ops.slice(0, 2)));
  assert.equal(r['valid?'], kw('unknown'));
  assert.equal(r.error, 'Set was never read');
});

test('Interner: dense small integers, large and negative numbers, strings and structures', async () => {
  const { Interner } = await import('../../analyzer/util/interner.js');
  const ids = new Interner();
  const vs: EdnValue[] = [5, 0, 2 ** 30, -1, 1.5, 'a', [1, 2], kw('k'), 5, [1, 2], 'a'];
  const got = vs.map((v) => ids.id(v));
  assert.deepEqual(got, [0, 1, 2, 3, 4, 5, 6, 7, 0, 6, 5]);
  assert.equal(ids.find(2 ** 30), 2);
  assert.equal(ids.find(6), -1);
  assert.equal(ids.find(1 << 25), -1);
  assert.equal(ids.find([1, 2]), 6);
  assert.equal(ids.size, 8);
});
