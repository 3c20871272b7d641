/** Interning `:f` values: equal values share an id, unequal ones never do, even when their hashes collide. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ednHash, kw } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';

test('structured :f values whose hashes collide keep their own ids', () => {
  // [0 31] and [1 0] hash alike (found by search); the test says so, so that a new hash keeps it meaningful.
  assert.equal(ednHash([0, 31]), ednHash([1, 0]));
  const h = historyOf([
    { process: 0, type: 'invoke', f: [0, 31], value: 1 },
    { process: 0, type: 'ok', f: [0, 31], value: 1 },
    { process: 1, type: 'invoke', f: [1, 0], value: 2 },
    { process: 1, type: 'ok', f: [1, 0], value: 2 },
    { process: 2, type: 'invoke', f: [0, 31], value: 3 },
    { process: 3, type: 'invoke', f: kw('read'), value: null },
  ]);
  assert.deepEqual(Array.from(h.f), [0, 0, 1, 1, 0, 2]);
  assert.deepEqual(h.fTable, [[0, 31], [1, 0], kw('read')]);
});
