/**
 * A checker that judged nothing never says valid: on an empty history, and on one whose client
 * ops all failed or crashed, every checker answers :unknown (with what was missing) or, for stats,
 * false. Only the pictures (perf, timeline) and unhandled-exceptions, which judge no property,
 * stay valid once there is an op to show.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UNKNOWN } from '../../analyzer/check/checker.js';
import { checkers } from '../../analyzer/checkers/registry.js';
import { kw } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';

const OPTIONS: Record<string, Record<string, unknown>> = { linearizable: { model: 'cas-register' } };
const DESCRIPTIVE = new Set(['perf', 'timeline', 'unhandled-exceptions']);

// One failed or crashed op of each shape a checker reads.
const failedOnly: OpInput[] = [
  ['txn', [[kw('append'), 1, 1]]],
  ['txn', [[kw('w'), 1, 1]]],
  ['write', 1],
  ['cas', [1, 2]],
  ['add', 1],
  ['enqueue', 1],
  ['transfer', { from: 0, to: 1, amount: 1 }],
  ['generate', null],
  ['acquire', null],
  ['watch', null],
].flatMap(([f, value], p): OpInput[] => [
  { process: p, type: 'invoke', f: kw(f as string), value: value as never },
  { process: p, type: p % 2 === 0 ? 'fail' : 'info', f: kw(f as string), value: value as never },
]);

/** The failed ops a checker reads: Elle's checkers take only their own workload's micro-ops. */
function failedFor(name: string): OpInput[] {
  // linearizable refuses ops its model does not take (a usage error): give it the register's.
  if (name === 'linearizable') return failedOnly.filter((o) => ['write', 'cas'].includes((o.f as { name: string }).name));
  const other = name === 'list-append' ? 'w' : name === 'rw-register' ? 'append' : undefined;
  return failedOnly.filter((o) => other === undefined || !(Array.isArray(o.value) && Array.isArray(o.value[0]) && (o.value[0][0] as { name?: string }).name === other));
}

for (const [name, c] of checkers) {
  test(`${name}: an empty history and one with only failed or crashed ops are never valid`, async () => {
    const empty = await c.check(historyOf([]), OPTIONS[name] ?? {}, {});
    assert.notEqual(empty['valid?'], true, `${name} on an empty history`);
    if (empty['valid?'] === UNKNOWN) assert.ok(typeof empty.error === 'string' || typeof empty['unknown-reason'] === 'string' || Array.isArray(empty['anomaly-types']), `${name} says why`);
    const failed = await c.check(historyOf(failedFor(name)), OPTIONS[name] ?? {}, {});
    if (DESCRIPTIVE.has(name)) assert.equal(failed['valid?'], true);
    else assert.notEqual(failed['valid?'], true, `${name} on failed and crashed ops only`);
  });
}

test('Elle: nothing to judge is :unknown with Elle\'s empty-transaction-graph, and says why', async () => {
  const r = await checkers.get('list-append')!.check(historyOf([]), {}, {});
  assert.equal(r['valid?'], UNKNOWN);
  assert.deepEqual(r['anomaly-types'], [kw('empty-transaction-graph')]);
  assert.equal(r['unknown-reason'], 'no transaction completed :ok or :info, so there was nothing to check');
  const one = await checkers.get('rw-register')!.check(historyOf([{ process: 0, type: 'ok', f: kw('txn'), value: [[kw('w'), 1, 1]] }]), {}, {});
  assert.equal(one['valid?'], UNKNOWN);
  assert.equal(one['unknown-reason'], 'no dependency or order between any two of the 1 transactions, so nothing could be judged');
});

test('linearizable and counter name what was missing', async () => {
  const lin = await checkers.get('linearizable')!.check(historyOf(failedFor('linearizable')), { model: 'cas-register' }, {});
  assert.equal(lin.error, 'no client operation completed :ok, so nothing was checked');
  const counter = await checkers.get('counter')!.check(historyOf([]), {}, {});
  assert.equal(counter.error, 'the counter was never read: no :read completed :ok');
});
