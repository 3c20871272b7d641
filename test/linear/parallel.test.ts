/** Keys on the worker pool: the same verdicts as in-process, values intact through the wire format. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { EdnSet, kw } from '../../analyzer/edn/values.js';
import { ednEquals } from '../../analyzer/edn/values.js';
import { readHistory } from '../../analyzer/history/read.js';
import { modelNamed } from '../../analyzer/linear/models/index.js';
import { Inconsistent, type Model } from '../../analyzer/linear/models/model.js';
import { checkLinearizableParallel } from '../../analyzer/linear/parallel.js';
import { fromWire, toWire } from '../../analyzer/linear/wire.js';

test('wire format round-trips ops', () => {
  const ops = [
    { f: 'txn', value: [[kw('read'), kw('x'), 1]] },
    { f: 'read', value: new EdnSet([1, 'a']), key: 'k' },
    { f: 'write', value: null },
  ];
  const back = fromWire(toWire({ n: 3, determinate: 2, call: Float64Array.of(0, 1, 2), ret: Float64Array.of(3, 4, Infinity), ops }));
  assert.equal(back.ret[2], Infinity);
  back.ops.forEach((op, k) => {
    assert.equal(op.f, ops[k].f);
    assert.ok(ednEquals(op.value, ops[k].value));
    assert.equal(op.key, ops[k].key);
  });
});

test('porcupine c50 kv on two workers: ok is linearizable, bad is not (in-process first, and straight to the pool)', async () => {
  const kvModel = modelNamed('kv')!;
  for (const [f, want] of [['c50-ok.txt', true], ['c50-bad.txt', false]] as const) {
    const h = await readHistory(join(import.meta.dirname, '../../fixtures/porcupine-kv', f), {});
    for (const inProcessStates of [undefined, 0]) {
      const { result } = await checkLinearizableParallel(h, { model: kvModel, workers: 2, inProcessStates });
      assert.equal(result['valid?'], want, `${f} ${String(inProcessStates)}`);
      assert.equal(result['key-count'], 10);
      if (!want) assert.equal((result.failures as unknown[]).length, 1);
    }
  }
});

test('workers that cannot start cost speed, not the verdict: each key is searched in-process instead', async () => {
  const kvModel = modelNamed('kv')!;
  const workerFilename = join(import.meta.dirname, 'support/broken-worker.mjs');
  for (const [f, want] of [['c50-ok.txt', true], ['c50-bad.txt', false]] as const) {
    const h = await readHistory(join(import.meta.dirname, '../../fixtures/porcupine-kv', f), {});
    const { result } = await checkLinearizableParallel(h, { model: kvModel, workers: 2, inProcessStates: 0, workerFilename });
    assert.equal(result['valid?'], want, f);
    assert.equal(result['key-count'], 10);
  }
});

test("a caller's own model named like a built-in is not swapped for the built-in on the workers", async () => {
  const kvModel = modelNamed('kv')!;
  // Same name, other rules: no :get fits (and no compiled form to stand in for `step`).
  const strict: Model = { ...kvModel, compile: undefined, step: (s, op) => (op.f === 'get' ? new Inconsistent(() => 'no reads here') : kvModel.step(s, op)) };
  const h = await readHistory(join(import.meta.dirname, '../../fixtures/porcupine-kv/c50-ok.txt'), {});
  assert.equal((await checkLinearizableParallel(h, { model: kvModel, workers: 2, inProcessStates: 0 })).result['valid?'], true);
  const { result } = await checkLinearizableParallel(h, { model: strict, workers: 2, inProcessStates: 0 });
  assert.equal(result['valid?'], false);
});
