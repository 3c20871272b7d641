/** Budgets: a hard history ends in :unknown with the reason, not in a crash or an OOM. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kw } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import { checkLinearizable } from '../../analyzer/linear/linearize.js';
import { UNKNOWN } from '../../analyzer/check/checker.js';
import { describeLinear } from '../../analyzer/linear/checker.js';
import { casRegister } from '../../analyzer/linear/models/registers.js';

/** n concurrent writes of distinct values, then a read of a value nobody wrote: every subset of writes is a state. */
function hard(n: number): OpInput[] {
  const ops: OpInput[] = [];
  for (let p = 0; p < n; p++) ops.push({ process: p, type: 'invoke', f: kw('write'), value: p + 1 });
  // The read overlaps every write, so the search tries it after each subset of them.
  ops.push({ process: n, type: 'invoke', f: kw('read'), value: null });
  for (let p = 0; p < n; p++) ops.push({ process: p, type: 'ok', f: kw('write'), value: p + 1 });
  ops.push({ process: n, type: 'ok', f: kw('read'), value: 999 });
  return ops;
}

test('--max-states: unknown with the cause and how far the search got', () => {
  const { result } = checkLinearizable(historyOf(hard(22)), { model: casRegister, init: 0, maxStates: 5000, algorithm: 'wgl' });
  assert.equal(result['valid?'], UNKNOWN);
  assert.equal(result.cause, 'state limit of 5000 configurations reached');
  assert.equal(result['state-count'], 5000);
  assert.equal(typeof result['ok-ops-linearized'], 'number');
  assert.equal(describeLinear(result), 'unknown: state limit of 5000 configurations reached with 22 of 23 ok ops linearized');
});

test('--time-limit: unknown once the time is spent', () => {
  const { result } = checkLinearizable(historyOf(hard(24)), { model: casRegister, init: 0, timeLimitMs: 30, algorithm: 'wgl' });
  assert.equal(result['valid?'], UNKNOWN);
  assert.equal(result.cause, 'time limit reached');
});

test('the hard history decided without search (its writes are unique): the read no op writes is named, the search\'s budget spent on explaining it', () => {
  const { result } = checkLinearizable(historyOf(hard(22)), { model: casRegister, init: 0 });
  assert.equal(result['valid?'], false);
  assert.equal(result.algorithm, kw('unique-values'));
  assert.equal((result.op as { value: unknown }).value, 999);
  assert.equal(result.reason, "process 22's read of 999 (index 45) needs the register to hold 999, which no op sets");
});

test('the same history, small enough, is decided: not linearizable', () => {
  const { result } = checkLinearizable(historyOf(hard(6)), { model: casRegister, init: 0 });
  assert.equal(result['valid?'], false);
  assert.equal((result.op as { value: unknown }).value, 999);
});

test('keys share the budget round-robin: a quick failure is found while another key is hard', () => {
  const tuple = (k: number, ops: OpInput[]): OpInput[] => ops.map((o) => ({ ...o, value: [k, o.value ?? null] }));
  const easyBad: OpInput[] = [
    { process: 100, type: 'invoke', f: kw('read'), value: null },
    { process: 100, type: 'ok', f: kw('read'), value: 5 },
  ];
  const ops = [...tuple(1, hard(22)), ...tuple(2, easyBad)];
  const { result } = checkLinearizable(historyOf(ops), { model: casRegister, init: 0, independent: true, algorithm: 'wgl' });
  assert.equal(result['valid?'], false);
  assert.deepEqual(result.failures, [2]);
  assert.equal(result['key-count'], 2);
});
