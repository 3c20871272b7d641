/**
 * Progress of long checks: the linearizability checker counts keys searched, the Elle checker
 * components searched, and the phase line draws even while a synchronous search holds the
 * event loop (its timer could not fire then).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkListAppend } from '../../analyzer/elle/check.js';
import { kw } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import { linearizable } from '../../analyzer/linear/checker.js';
import { modelNamed } from '../../analyzer/linear/models/index.js';
import { checkLinearizableParallel } from '../../analyzer/linear/parallel.js';
import { announced, phaseLine } from '../../analyzer/report/phases.js';
import { a, concurrent, r } from '../elle/helpers.js';

type Call = [string, number | undefined, number | undefined];

function recorder(): { calls: Call[]; progress: (m: string, done?: number, total?: number) => void } {
  const calls: Call[] = [];
  return { calls, progress: (m, done, total) => calls.push([m, done, total]) };
}

/** Three keys written and read back, the last one read wrong. */
function threeKeys(): OpInput[] {
  const ops: OpInput[] = [];
  for (const k of [1, 2, 3]) {
    ops.push({ process: 0, type: 'invoke', f: kw('write'), value: [k, k] }, { process: 0, type: 'ok', f: kw('write'), value: [k, k] });
    ops.push({ process: 1, type: 'invoke', f: kw('read'), value: [k, null] }, { process: 1, type: 'ok', f: kw('read'), value: [k, k === 3 ? 9 : k] });
  }
  return ops;
}

test('linearizable reports each key searched as done/total, in-process and on the pool', async () => {
  for (const workers of ['1', '2']) {
    const { calls, progress } = recorder();
    const result = await linearizable.check(historyOf(threeKeys()), { model: 'register', init: '0', independent: true, allKeys: true, workers }, { progress });
    assert.equal(result['valid?'], false);
    assert.deepEqual(calls, [['keys searched', 1, 3], ['keys searched', 2, 3], ['keys searched', 3, 3]], `workers ${workers}`);
  }
  // Every key on the pool (the checker's first round is in-process, and decides keys this small).
  const counts: [number, number][] = [];
  const model = modelNamed('register')!;
  const { result } = await checkLinearizableParallel(historyOf(threeKeys()), { model, init: 0, independent: true, allKeys: true, workers: 2, inProcessStates: 0, onKeyDone: (done, n) => counts.push([done, n]) });
  assert.equal(result['valid?'], false);
  assert.deepEqual(counts, [[1, 3], [2, 3], [3, 3]]);
});

test('linearizable on one key reports no key count', async () => {
  const { calls, progress } = recorder();
  const ops = threeKeys().slice(0, 4).map((o) => ({ ...o, value: (o.value as number[])[1] }));
  const result = await linearizable.check(historyOf(ops), { model: 'register', init: '0' }, { progress });
  assert.equal(result['valid?'], true);
  assert.deepEqual(calls, []);
});

test('list-append reports the components searched for cycles', async () => {
  const { calls, progress } = recorder();
  // Two separate G0 cycles (keys x,y and u,v): two strongly connected components.
  const h = concurrent(
    { mops: [a('x', 1), a('y', 2)] }, { mops: [a('x', 2), a('y', 1)] }, { mops: [r('x', [1, 2]), r('y', [1, 2])] },
    { mops: [a('u', 1), a('v', 2)] }, { mops: [a('u', 2), a('v', 1)] }, { mops: [r('u', [1, 2]), r('v', [1, 2])] },
  );
  const result = await checkListAppend(h, { consistencyModels: 'none', anomalies: 'G0' }, { progress });
  assert.equal(result['valid?'], false);
  const components = calls.filter(([m]) => m === 'components searched for cycles');
  assert.deepEqual(components, [['components searched for cycles', 1, 2], ['components searched for cycles', 2, 2]]);
});

test('an announced checker puts its progress on the phase line, drawn even though no timer can fire during a synchronous search', async () => {
  let t = 0;
  const written: string[] = [];
  const stream = { isTTY: true, columns: 80, write: (s: string) => (written.push(s), true) } as unknown as NodeJS.WriteStream;
  // Each look at the clock is a second later, as if each step of the search were slow.
  const phases = phaseLine({ stream, delayMs: 300, now: () => (t += 1000) });
  const [checker] = announced([linearizable as never], phases);
  await checker.check(historyOf(threeKeys()), { model: 'register', init: '0', independent: true, allKeys: true, workers: '1' }, {});
  phases.clear();
  const lines = written.map((w) => w.replace(/ \([\d.]+ s\)/, '').replace(/\x1b\[K/g, ''));
  assert.deepEqual(lines, ['\rchecking linearizable: keys searched 1/3', '\rchecking linearizable: keys searched 2/3', '\rchecking linearizable: keys searched 3/3', '\r']);
});
