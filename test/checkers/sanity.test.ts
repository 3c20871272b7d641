import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EdnMap, kw, type EdnValue } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import { checkSanity } from '../../analyzer/checkers/sanity.js';
import { op } from '../support/ops.js';
import { composeCheck } from './sanity-compose.js';

const nem = kw('nemesis');

const client = [op(0, 'invoke', 'write', 1), op(0, 'ok', 'write', 1), op(1, 'invoke', 'read'), op(1, 'ok', 'read', 1)];

test('sanity: ok client ops and a nemesis that did its job: valid', () => {
  const r = checkSanity(historyOf([op(nem, 'info', 'rebalance'), ...client, op(nem, 'info', 'rebalance', 'done')]));
  assert.equal(r['valid?'], true);
  assert.equal(r['ok-count'], 2);
  assert.equal(r['failed-nemesis-count'], 0);
});

test('sanity: a failed cluster operation makes the verdict unknown, not invalid', () => {
  const h = historyOf([op(nem, 'info', 'failover'), ...client, op(nem, 'info', 'failover', null, 'rebalance failed: node n2 unreachable')]);
  const r = checkSanity(h);
  assert.equal(r['valid?'], kw('unknown'));
  assert.equal(r['failed-nemesis-count'], 1);
  assert.equal(r.error, '1 nemesis operation(s) failed, first :failover at <memory>:6');
  assert.equal((r['failed-nemesis-ops'] as { f: EdnValue }[])[0].f, kw('failover'));
  const ex = checkSanity(historyOf([...client, { process: nem, type: 'info', f: kw('kill'), value: null, extra: new EdnMap([kw('exception')], [new EdnMap([], [])]) }]));
  assert.equal(ex['valid?'], kw('unknown'));
});

test('sanity: no ok client op, or under 1% of reads ok: unknown', () => {
  assert.equal(checkSanity(historyOf([op(0, 'invoke', 'read'), op(0, 'fail', 'read')])).error, 'No client operation returned :ok');
  const ops: OpInput[] = [op(0, 'invoke', 'write', 1), op(0, 'ok', 'write', 1)];
  for (let k = 0; k < 101; k++) ops.push(op(1, 'invoke', 'read'), op(1, 'fail', 'read'));
  const r = checkSanity(historyOf(ops));
  assert.equal(r['valid?'], kw('unknown'));
  assert.equal(r.error, 'Insufficient read ops returned :ok (0 of 101)');
});

test('sanity composed with a checker that passes: the composition is unknown', async () => {
  const h = historyOf([op(nem, 'invoke', 'rebalance'), ...client, op(nem, 'fail', 'rebalance')]);
  assert.equal(await composeCheck(h, ['stats', 'sanity']), kw('unknown'));
});
