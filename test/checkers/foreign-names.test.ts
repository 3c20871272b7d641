/**
 * The catalogue of foreign names (Jepsen workloads, elle-cli models) names only checkers the
 * registry has, with options those checkers define, and each is the one table its users read.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ELLE_CLI_MODELS, ELLE_CLI_UNSUPPORTED, type ForeignName, JEPSEN_WORKLOADS } from '../../analyzer/checkers/foreign-names.js';
import { checkerNamed } from '../../analyzer/checkers/registry.js';
import { optionKey } from '../../analyzer/check/flags.js';
import { modelNamed } from '../../analyzer/linear/models/index.js';
import { planFromElleCli } from '../../analyzer/cli/elle-cli.js';
import { workloadCheckSpec } from '../../analyzer/recheck/workloads.js';

function assertNames(table: ReadonlyMap<string, ForeignName>): void {
  for (const [name, target] of table) {
    const checker = checkerNamed(target.checker);
    assert.ok(checker !== undefined, `${name} names no checker: ${target.checker}`);
    const defined = new Set((checker.options ?? []).map((o) => optionKey(o)));
    for (const key of Object.keys(target.options ?? {})) assert.ok(defined.has(key), `${name}: ${target.checker} has no option ${key}`);
    const model = target.options?.model;
    if (model !== undefined) assert.ok(modelNamed(String(model)) !== undefined, `${name}: no model ${String(model)}`);
  }
}

test('every Jepsen workload name maps to a registered checker with options it defines', () => {
  assertNames(JEPSEN_WORKLOADS);
  assert.deepEqual(workloadCheckSpec('etcd-register'), undefined);
  assert.deepEqual(workloadCheckSpec('cas-register'), { checkers: ['linearizable'], options: { model: 'cas-register' }, guessIndependent: true });
  assert.deepEqual(workloadCheckSpec('append'), { checkers: ['list-append'], options: {} });
  // A copy each time: a caller adding options does not change the table.
  workloadCheckSpec('mutex')!.options.extra = 1;
  assert.deepEqual(workloadCheckSpec('mutex'), { checkers: ['linearizable'], options: { model: 'mutex' } });
});

test('every elle-cli model maps to a registered checker, and the plan takes it from the table', () => {
  assertNames(ELLE_CLI_MODELS);
  for (const [model, target] of ELLE_CLI_MODELS) assert.equal(planFromElleCli({ model }).checker, target.checker);
  assert.deepEqual(planFromElleCli({ model: 'mutex' }).options, { model: 'mutex' });
  assert.deepEqual(planFromElleCli({ model: 'rw-register' }).options, { consistencyModels: 'strict-serializable', anomalies: 'G0' });
  assert.deepEqual(planFromElleCli({ model: 'bank', allowNegativeBalances: true, totalAmount: '100' }).options, { negativeBalancesOk: true, totalAmount: 100 });
  for (const model of ELLE_CLI_UNSUPPORTED.keys()) assert.throws(() => planFromElleCli({ model }), new RegExp(`^UsageError: elle-cli model ${model} is not supported: `));
});
