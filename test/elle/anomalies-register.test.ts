/** One hand-built rw-register history per anomaly: the exact type and the exact cycle or case. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRwRegister } from '../../analyzer/elle/check.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { type EdnRecord, type EdnValue, kw } from '../../analyzer/edn/values.js';
import { type History, historyOf } from '../../analyzer/history/history.js';
import { concurrent, cycleOf, names, r, serial, step, w } from './helpers.js';

const only = (anomalies: string, extra: Record<string, unknown> = {}) => ({ consistencyModels: 'none', anomalies, ...extra });

/**
 * The one case of `type` found. `emptyGraph`: the history relates no two transactions, so Elle's
 * `empty-transaction-graph` is reported beside it (and the verdict is still invalid).
 */
function onlyCase(res: EdnRecord, type: string, emptyGraph = false): EdnRecord {
  assert.deepEqual(names(res['anomaly-types']), emptyGraph ? [type, 'empty-transaction-graph'].sort() : [type]);
  assert.equal(res['valid?'], false);
  const list = (res.anomalies as EdnRecord)[type] as EdnRecord[];
  assert.equal(list.length, 1);
  return list[0];
}

test('G0 (with --sequential-keys): two processes see x and y overwritten in opposite orders', async () => {
  const h = concurrent(
    { mops: [w('x', 1), w('y', 1)] },
    { mops: [w('x', 2), w('y', 2)] },
    { mops: [r('x', 1)], process: 2 },
    { mops: [r('y', 2)], process: 3 },
  );
  // Process 2 then reads x = 2, process 3 then reads y = 1.
  const more = concurrent({ mops: [r('x', 2)], process: 2 }, { mops: [r('y', 1)], process: 3 });
  const all = serialJoin(h, more);
  const res = await checkRwRegister(all, only('G0', { sequentialKeys: true }));
  assert.deepEqual(names(res['anomaly-types']), ['G0']);
  assert.deepEqual(names(res.assumptions), ['sequential-keys']);
  const c = cycleOf(res, 'G0');
  assert.deepEqual(c.indices, [4, 5, 4]);
  assert.deepEqual(c.steps, [step('ww', 'x', 1, 2), step('ww', 'y', 2, 1)]);
  // Without the assumption nothing orders the two writes.
  assert.equal((await checkRwRegister(all, only('G0')))['valid?'], true);
});

/** Concatenates histories' ops (each after the one before). */
function serialJoin(...hs: History[]): History {
  return historyOf(hs.flatMap((h) => [...h.ops()].map(({ index: _i, ...op }) => op)));
}

test('G1c: each transaction reads the other one\'s write', async () => {
  const h = concurrent({ mops: [w('x', 1), r('y', 1)] }, { mops: [w('y', 1), r('x', 1)] });
  const res = await checkRwRegister(h, only('G1c'));
  assert.deepEqual(names(res['anomaly-types']), ['G1c']);
  const c = cycleOf(res, 'G1c');
  assert.deepEqual(c.indices, [2, 3, 2]);
  assert.deepEqual(c.steps, [step('wr', 'x', 1), step('wr', 'y', 1)]);
});

test('G-single-item: T1 reads T2\'s y but the initial x', async () => {
  const h = concurrent({ mops: [r('x', null), r('y', 1)] }, { mops: [w('x', 1), w('y', 1)] });
  const res = await checkRwRegister(h, { consistencyModels: 'serializable' });
  assert.deepEqual(names(res['anomaly-types']), ['G-single-item']);
  const c = cycleOf(res, 'G-single-item');
  assert.deepEqual(c.indices, [2, 3, 2]);
  assert.deepEqual(c.steps, [step('rw', 'x', null, 1), step('wr', 'y', 1)]);
  assert.match(c.explanation, /T1 read key "x" = nil, and T2 wrote 1, every written version follows the initial nil/);
});

test('G-nonadjacent-item: two rw edges separated by wr edges', async () => {
  const h = concurrent(
    { mops: [r('x', null), r('v', 1)] },
    { mops: [w('x', 1), w('y', 1)] },
    { mops: [r('y', 1), r('z', null)] },
    { mops: [w('z', 1), w('v', 1)] },
  );
  const res = await checkRwRegister(h, { consistencyModels: 'serializable' });
  assert.deepEqual(names(res['anomaly-types']), ['G-nonadjacent-item']);
  const c = cycleOf(res, 'G-nonadjacent-item');
  assert.deepEqual(c.indices, [4, 5, 6, 7, 4]);
  assert.deepEqual(c.steps, [step('rw', 'x', null, 1), step('wr', 'y', 1), step('rw', 'z', null, 1), step('wr', 'v', 1)]);
});

test('G2-item: write skew', async () => {
  const h = concurrent({ mops: [r('x', null), w('y', 1)] }, { mops: [r('y', null), w('x', 1)] });
  const res = await checkRwRegister(h, { consistencyModels: 'serializable' });
  assert.deepEqual(names(res['anomaly-types']), ['G2-item']);
  const c = cycleOf(res, 'G2-item');
  assert.deepEqual(c.indices, [2, 3, 2]);
  assert.deepEqual(c.steps, [step('rw', 'x', null, 1), step('rw', 'y', null, 1)]);
});

test('G-single-item-realtime: a read begun after a write completed sees the initial nil', async () => {
  const h = serial({ mops: [w('x', 1)], process: 0 }, { mops: [r('x', null)], process: 1 });
  const res = await checkRwRegister(h);
  assert.deepEqual(names(res['anomaly-types']), ['G-single-item-realtime']);
  assert.deepEqual(cycleOf(res, 'G-single-item-realtime').steps, [step('rw', 'x', null, 1), { type: kw('realtime'), "a'": 1, b: 2 }]);
});

test('G1a: reading a failed write', async () => {
  const h = concurrent({ mops: [w('x', 1)], type: 'fail' }, { mops: [r('x', 1)] });
  const c = onlyCase(await checkRwRegister(h), 'G1a', true);
  assert.deepEqual(c.mop, [kw('r'), 'x', 1]);
  assert.equal((c.writer as EdnRecord).index, 2);
});

test('G1b: reading an intermediate write', async () => {
  const h = concurrent({ mops: [w('x', 1), w('x', 2)] }, { mops: [r('x', 1)] });
  // As in Elle, the read of an intermediate write is no wr edge: the graph is empty.
  const c = onlyCase(await checkRwRegister(h, only('G1b')), 'G1b', true);
  assert.deepEqual(c.mop, [kw('r'), 'x', 1]);
});

test('internal: a read that disagrees with the transaction\'s own write', async () => {
  const h = concurrent({ mops: [w('x', 1), r('x', 2)] }, { mops: [w('x', 2)] });
  const c = onlyCase(await checkRwRegister(h, only('internal')), 'internal', true);
  assert.equal(c.expected, 1);
});

test('lost-update: two transactions read nil and both write', async () => {
  const h = concurrent({ mops: [r('x', null), w('x', 1)] }, { mops: [r('x', null), w('x', 2)] });
  const c = onlyCase(await checkRwRegister(h, only('lost-update')), 'lost-update');
  assert.equal(c.value, null);
  assert.deepEqual((c.txns as EdnRecord[]).map((t) => t.index), [2, 3]);
});

test('future-read: reading a value the transaction writes later', async () => {
  const h = concurrent({ mops: [r('x', 1), w('x', 1)] });
  const c = onlyCase(await checkRwRegister(h, only('future-read')), 'future-read', true);
  assert.equal(c.element, 1);
});

test('garbage-read: reading a value nobody wrote', async () => {
  const h = concurrent({ mops: [w('x', 1)] }, { mops: [r('x', 3)] });
  const c = onlyCase(await checkRwRegister(h), 'garbage-read', true);
  assert.equal(c.element, 3);
});

test('--wfr-keys orders a read before the same transaction\'s write; where that orders a key\'s versions in a cycle, it is cyclic-versions', async () => {
  // T1 reads x = 1 (T2's) and writes 3; T2 reads x = 3 (T1's) and writes 1: circular
  // information flow (G1c). With the assumption, 1 < 3 (T1) and 3 < 1 (T2): no version order of
  // x exists, which Elle reports as cyclic-versions, and x's order then proves nothing more.
  const h = concurrent({ mops: [r('x', 1), w('x', 3)] }, { mops: [r('x', 3), w('x', 1)] });
  const plain = await checkRwRegister(h, { consistencyModels: 'serializable' });
  assert.deepEqual(names(plain['anomaly-types']), ['G1c']);
  assert.equal(plain.assumptions, undefined);
  const wfr = await checkRwRegister(h, { consistencyModels: 'serializable', wfrKeys: true });
  assert.deepEqual(names(wfr.assumptions), ['wfr-keys']);
  assert.deepEqual(names(wfr['anomaly-types']), ['G1c', 'cyclic-versions']);
  assert.equal(printEdn((wfr.anomalies as EdnRecord)['cyclic-versions'] as EdnValue), '[{:key "x", :scc #{3 1}}]');
  // One transaction that read 1 and wrote 3 orders them without a cycle: a ww edge, as before.
  const ordered = concurrent({ mops: [w('x', 1)] }, { mops: [r('x', 1), w('x', 3)] }, { mops: [r('x', 3)] });
  const ok = await checkRwRegister(ordered, { consistencyModels: 'serializable', wfrKeys: true });
  assert.equal(ok['valid?'], true);
});

test('G-single-item-process: a process does not see its own earlier write', async () => {
  // Same process, one after the other, but the read returns the initial nil.
  const h = serial({ mops: [w('x', 1)], process: 0 }, { mops: [r('x', null)], process: 0 });
  const res = await checkRwRegister(h, { consistencyModels: 'strong-session-serializable' });
  assert.deepEqual(names(res['anomaly-types']), ['G-single-item-process']);
  const c = cycleOf(res, 'G-single-item-process');
  assert.deepEqual(c.indices, [3, 1, 3]);
  assert.deepEqual(c.steps, [step('rw', 'x', null, 1), { type: kw('process'), process: 0 }]);
  assert.match(c.explanation, /T2 < T1: both ran on process 0, and T1 began after T2 ended\./);
});

test(':info transactions: a read of one of its writes proves all of them happened', async () => {
  // T2 crashed, but T1 read its y = 1, so its x = 1 happened too, after the initial nil T1 read.
  const h = concurrent({ mops: [r('x', null), r('y', 1)] }, { mops: [w('x', 1), w('y', 1)], type: 'info' });
  const res = await checkRwRegister(h, { consistencyModels: 'serializable' });
  assert.deepEqual(names(res['anomaly-types']), ['G-single-item']);
  assert.deepEqual(cycleOf(res, 'G-single-item').steps, [step('rw', 'x', null, 1), step('wr', 'y', 1)]);
  const unseen = concurrent({ mops: [r('x', null), r('y', null)] }, { mops: [w('x', 1), w('y', 1)], type: 'info' });
  const nothing = await checkRwRegister(unseen);
  assert.equal(nothing['valid?'], kw('unknown'));
  assert.deepEqual(names(nothing['anomaly-types']), ['empty-transaction-graph']);
});
