import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkStats } from '../../analyzer/checkers/stats.js';
import { kw } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';

test('stats counts outcomes per :f and is valid when something succeeded', () => {
  const h = historyOf([
    { process: 0, type: 'invoke', f: kw('read'), value: null },
    { process: 0, type: 'ok', f: kw('read'), value: 1 },
    { process: 1, type: 'invoke', f: kw('write'), value: 2 },
    { process: 1, type: 'info', f: kw('write'), value: 2 },
    { process: 2, type: 'invoke', f: kw('write'), value: 3 },
  ]);
  const r = checkStats(h);
  assert.equal(r['valid?'], true);
  assert.equal(r.count, 3);
  assert.equal(r['ok-count'], 1);
  assert.equal(r['info-count'], 2);
  assert.deepEqual(r['by-f'], {
    read: { 'valid?': true, count: 1, 'ok-count': 1, 'fail-count': 0, 'info-count': 0 },
    write: { 'valid?': false, count: 2, 'ok-count': 0, 'fail-count': 0, 'info-count': 2 },
  });
});

test('stats is invalid when no client op succeeded', () => {
  const h = historyOf([
    { process: 0, type: 'invoke', f: kw('read'), value: null },
    { process: 0, type: 'fail', f: kw('read'), value: null },
  ]);
  assert.equal(checkStats(h)['valid?'], false);
});
