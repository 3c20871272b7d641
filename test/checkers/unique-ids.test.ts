import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kw, type EdnValue } from '../../analyzer/edn/values.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import { checkUniqueIds } from '../../analyzer/checkers/unique-ids.js';

const gen = (process: number, type: OpInput['type'], value: EdnValue = null): OpInput => ({ process, type, f: kw('generate'), value });

test('unique-ids: a duplicated id with its count, attempted / acknowledged counts and the range', () => {
  const h = historyOf([
    gen(0, 'invoke'), gen(0, 'ok', 5),
    gen(1, 'invoke'), gen(1, 'ok', 3),
    gen(0, 'invoke'), gen(0, 'ok', 5),
    gen(1, 'invoke'), gen(1, 'ok', 5),
    gen(2, 'invoke'), gen(2, 'info'),
    gen(1, 'invoke'), gen(1, 'ok', 9),
  ]);
  const r = checkUniqueIds(h);
  assert.equal(r['valid?'], false);
  assert.equal(r['attempted-count'], 6);
  assert.equal(r['acknowledged-count'], 5);
  assert.equal(r['duplicated-count'], 1);
  assert.equal(printEdn(r.duplicated!), '{5 3}');
  assert.equal(printEdn(r.range!), '[3 9]');
});

test('unique-ids: distinct ids are valid', () => {
  const r = checkUniqueIds(historyOf([gen(0, 'invoke'), gen(0, 'ok', 'a'), gen(0, 'invoke'), gen(0, 'ok', 'b')]));
  assert.equal(r['valid?'], true);
  assert.equal(printEdn(r.range!), '["a" "b"]');
  assert.equal(printEdn(r.duplicated!), '{}');
});
