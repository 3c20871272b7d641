/** One hand-built list-append history per anomaly: the exact type and the exact cycle or case. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkListAppend } from '../../analyzer/elle/check.js';
import { type EdnRecord, type EdnValue, Sym, kw } from '../../analyzer/edn/values.js';
import { HistoryError } from '../../analyzer/history/diagnostics.js';
import { historyOf } from '../../analyzer/history/history.js';
import { a, concurrent, cycleOf, names, r, serial, step } from './helpers.js';

const only = (anomalies: string) => ({ consistencyModels: 'none', anomalies });

test('G0: two transactions append to x and y in opposite orders', async () => {
  const h = concurrent({ mops: [a('x', 1), a('y', 2)] }, { mops: [a('x', 2), a('y', 1)] }, { mops: [r('x', [1, 2]), r('y', [1, 2])] });
  const res = await checkListAppend(h, only('G0'));
  assert.equal(res['valid?'], false);
  assert.deepEqual(names(res['anomaly-types']), ['G0']);
  const c = cycleOf(res, 'G0');
  assert.deepEqual(c.indices, [3, 4, 3]);
  assert.deepEqual(c.steps, [step('ww', 'x', 1, 2), step('ww', 'y', 1, 2)]);
});

test('G1c: each transaction reads the other one\'s append', async () => {
  const h = concurrent({ mops: [a('x', 1), r('y', [1])] }, { mops: [a('y', 1), r('x', [1])] });
  const res = await checkListAppend(h, only('G1c'));
  assert.deepEqual(names(res['anomaly-types']), ['G1c']);
  const c = cycleOf(res, 'G1c');
  assert.deepEqual(c.indices, [2, 3, 2]);
  assert.deepEqual(c.steps, [step('wr', 'x', 1), step('wr', 'y', 1)]);
});

test('G-single-item: T1 sees T2\'s append to y but not its append to x', async () => {
  const h = concurrent({ mops: [r('x', []), r('y', [1])] }, { mops: [a('x', 1), a('y', 1)] });
  const res = await checkListAppend(h, { consistencyModels: 'serializable' });
  assert.deepEqual(names(res['anomaly-types']), ['G-single-item']);
  const c = cycleOf(res, 'G-single-item');
  assert.deepEqual(c.indices, [2, 3, 2]);
  assert.deepEqual(c.steps, [step('rw', 'x', null, 1), step('wr', 'y', 1)]);
});

test('G-nonadjacent-item: two rw edges separated by wr edges', async () => {
  const h = concurrent(
    { mops: [r('x', []), r('w', [1])] },
    { mops: [a('x', 1), a('y', 1)] },
    { mops: [r('y', [1]), r('z', [])] },
    { mops: [a('z', 1), a('w', 1)] },
  );
  const res = await checkListAppend(h, { consistencyModels: 'serializable' });
  assert.deepEqual(names(res['anomaly-types']), ['G-nonadjacent-item']);
  const c = cycleOf(res, 'G-nonadjacent-item');
  assert.deepEqual(c.indices, [4, 5, 6, 7, 4]);
  assert.deepEqual(c.steps, [step('rw', 'x', null, 1), step('wr', 'y', 1), step('rw', 'z', null, 1), step('wr', 'w', 1)]);
});

test('G2-item: write skew, each reads what the other appends to', async () => {
  const h = concurrent({ mops: [r('x', []), a('y', 1)] }, { mops: [r('y', []), a('x', 1)] });
  const res = await checkListAppend(h, { consistencyModels: 'serializable' });
  assert.deepEqual(names(res['anomaly-types']), ['G2-item']);
  const c = cycleOf(res, 'G2-item');
  assert.deepEqual(c.indices, [2, 3, 2]);
  assert.deepEqual(c.steps, [step('rw', 'x', null, 1), step('rw', 'y', null, 1)]);
  // Snapshot isolation allows write skew.
  const si = await checkListAppend(h, { consistencyModels: 'snapshot-isolation' });
  assert.equal(si['valid?'], true);
});

test('G0-process: a process\'s second append lands before its first', async () => {
  const h = serial({ mops: [a('x', 1)], process: 0 }, { mops: [a('x', 2)], process: 0 }, { mops: [r('x', [2, 1])], process: 1 });
  const res = await checkListAppend(h, only('G0-process'));
  assert.deepEqual(names(res['anomaly-types']), ['G0-process']);
  const c = cycleOf(res, 'G0-process');
  assert.deepEqual(c.indices, [3, 1, 3]);
  assert.deepEqual(c.steps, [step('ww', 'x', 2, 1), { type: kw('process'), process: 0 }]);
});

test('G-single-item-realtime: a read begun after an append completed does not see it', async () => {
  const h = serial({ mops: [a('x', 1)], process: 0 }, { mops: [r('x', [])], process: 1 });
  const res = await checkListAppend(h);
  assert.deepEqual(names(res['anomaly-types']), ['G-single-item-realtime']);
  const c = cycleOf(res, 'G-single-item-realtime');
  assert.deepEqual(c.indices, [3, 1, 3]);
  assert.deepEqual(c.steps, [step('rw', 'x', null, 1), { type: kw('realtime'), "a'": 1, b: 2 }]);
  assert.match(c.explanation, /T2 completed \(op 1\) before T1 was invoked \(op 2\)/);
  // Plain serializability does not care about real time.
  assert.equal((await checkListAppend(h, { consistencyModels: 'serializable' }))['valid?'], true);
});

test('G1c-process: a process reads its own later append', async () => {
  const h = serial({ mops: [r('x', [1])], process: 0 }, { mops: [a('x', 1)], process: 0 });
  const res = await checkListAppend(h, only('G1c-process'));
  assert.deepEqual(names(res['anomaly-types']), ['G1c-process']);
  assert.deepEqual(cycleOf(res, 'G1c-process').steps, [step('wr', 'x', 1), { type: kw('process'), process: 0 }]);
});

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

test('G1a: reading an append of a failed transaction', async () => {
  const h = concurrent({ mops: [a('x', 1)], type: 'fail' }, { mops: [r('x', [1])] });
  const c = onlyCase(await checkListAppend(h), 'G1a', true);
  assert.deepEqual(c.mop, [kw('r'), 'x', [1]]);
  assert.equal(c.element, 1);
  assert.equal((c.writer as EdnRecord).index, 2);
  assert.equal((c.op as EdnRecord).index, 3);
});

test('G1b: reading an intermediate append', async () => {
  const h = concurrent({ mops: [a('x', 1), a('x', 2)] }, { mops: [r('x', [1])] });
  const c = onlyCase(await checkListAppend(h, only('G1b')), 'G1b');
  assert.deepEqual(c.mop, [kw('r'), 'x', [1]]);
  assert.equal(c.element, 1);
});

test('internal: a read that misses the transaction\'s own append', async () => {
  const h = concurrent({ mops: [a('x', 1), r('x', [])] });
  const c = onlyCase(await checkListAppend(h), 'internal', true);
  assert.deepEqual(c.expected, [Sym.of('...'), 1]);
});

test('dirty-update: a committed append after a failed one', async () => {
  const h = concurrent({ mops: [a('x', 1)], type: 'fail' }, { mops: [a('x', 2)] }, { mops: [r('x', [1, 2])] });
  const c = onlyCase(await checkListAppend(h, only('dirty-update')), 'dirty-update');
  assert.equal(c.key, 'x');
  assert.deepEqual(c.values, [1, 2]);
});

test('duplicate-elements: an element read twice', async () => {
  const h = concurrent({ mops: [a('x', 1)] }, { mops: [r('x', [1, 1])] });
  const c = onlyCase(await checkListAppend(h, only('duplicate-elements')), 'duplicate-elements');
  assert.deepEqual(c.mop, [kw('r'), 'x', [1, 1]]);
});

test('incompatible-order: two reads that are not prefixes of one another', async () => {
  const h = concurrent({ mops: [a('x', 1)] }, { mops: [a('x', 2)] }, { mops: [r('x', [1, 2])] }, { mops: [r('x', [2, 1])] });
  const c = onlyCase(await checkListAppend(h), 'incompatible-order');
  assert.deepEqual(c.values, [[2, 1], [1, 2]]);
});

test('lost-update: two transactions read the same version and both append', async () => {
  const h = concurrent({ mops: [a('x', 0)] }, { mops: [r('x', [0]), a('x', 1)] }, { mops: [r('x', [0]), a('x', 2)] }, { mops: [r('x', [0, 1, 2])] });
  const c = onlyCase(await checkListAppend(h, only('lost-update')), 'lost-update');
  assert.equal(c.key, 'x');
  assert.deepEqual(c.value, [0]);
  assert.deepEqual((c.txns as EdnRecord[]).map((t) => t.index), [5, 6]);
});

test('future-read: reading an element the transaction appends later', async () => {
  const h = concurrent({ mops: [r('x', [1]), a('x', 1)] });
  const c = onlyCase(await checkListAppend(h, only('future-read')), 'future-read', true);
  assert.equal(c.element, 1);
});

test('garbage-read: reading an element nobody appended', async () => {
  const h = concurrent({ mops: [a('x', 1)] }, { mops: [r('x', [1, 7])] });
  const c = onlyCase(await checkListAppend(h), 'garbage-read', true);
  assert.equal(c.element, 7);
});

test('a serial history is valid, and reports nothing', async () => {
  const h = serial({ mops: [a('x', 1)] }, { mops: [r('x', [1]), a('x', 2)] }, { mops: [r('x', [1, 2])] });
  const res = await checkListAppend(h);
  assert.equal(res['valid?'], true);
  assert.deepEqual(names(res['anomaly-types']), []);
});

test(':info transactions: a read of one of its appends proves all of them happened', async () => {
  // T2 crashed (:info), but T1 read its append to y, so its append to x happened too, after
  // everything read of x: T1 read x = [] without it (rw) and y = [1] with it (wr).
  const h = concurrent({ mops: [r('x', []), r('y', [1])] }, { mops: [a('x', 1), a('y', 1)], type: 'info' });
  const res = await checkListAppend(h, { consistencyModels: 'serializable' });
  assert.deepEqual(names(res['anomaly-types']), ['G-single-item']);
  assert.deepEqual(cycleOf(res, 'G-single-item').steps, [step('rw', 'x', null, 1), step('wr', 'y', 1)]);
  // Nobody saw anything of an :info transaction: it may not have happened, no edges, so nothing is judged: Elle's :unknown empty graph.
  const unseen = concurrent({ mops: [r('x', []), r('y', [])] }, { mops: [a('x', 1), a('y', 1)], type: 'info' });
  const nothing = await checkListAppend(unseen);
  assert.equal(nothing['valid?'], kw('unknown'));
  assert.deepEqual(names(nothing['anomaly-types']), ['empty-transaction-graph']);
});

test('internal: after a read, the transaction expects exactly that list plus its own appends', async () => {
  const fine = concurrent({ mops: [a('x', 1)] }, { mops: [r('x', [1]), a('x', 2), r('x', [1, 2]), a('x', 3), r('x', [1, 2, 3])] });
  assert.equal((await checkListAppend(fine, only('internal')))['valid?'], true);
  const stale = concurrent({ mops: [a('x', 1)] }, { mops: [r('x', [1]), a('x', 2), r('x', [1])] });
  const c = onlyCase(await checkListAppend(stale, only('internal')), 'internal');
  assert.deepEqual(c.expected, [1, 2]);
  assert.deepEqual(c.mop, [kw('r'), 'x', [1]]);
  // Without an earlier read only the suffix is known: [… 5] ends with the append.
  const suffix = concurrent({ mops: [a('x', 4)] }, { mops: [a('x', 5), r('x', [4, 5])] });
  assert.equal((await checkListAppend(suffix, only('internal')))['valid?'], true);
});

test('a micro-op of the other workload, an unknown one, a txn value that is not micro-ops, a read that is not a list: bad input at its line', async () => {
  const bad = async (mops: EdnValue, message: string) =>
    assert.rejects(checkListAppend(historyOf([{ process: 0, type: 'invoke', f: kw('txn'), value: mops }, { process: 0, type: 'ok', f: kw('txn'), value: mops }], 'h.edn')), (e: unknown) => {
      assert.ok(e instanceof HistoryError);
      assert.equal(e.message, message);
      return true;
    });
  await bad([a('x', 1), [kw('w'), 'y', 2]], 'h.edn:2: unknown micro-op [:w "y" 2] for list-append; expected [:append k v] or [:r k list] (an rw-register micro-op: try --checker rw-register)');
  await bad([[kw('inc'), 'y', 2]], 'h.edn:2: unknown micro-op [:inc "y" 2] for list-append; expected [:append k v] or [:r k list]');
  await bad(5, 'h.edn:2: expected a :txn value, a vector of micro-ops like [:append k v] or [:r k list]; found 5');
  await bad([r('x', 3 as never)], 'h.edn:2: a list-append read returns a list; found [:r "x" 3]');
});

test('duplicate appends are counted', async () => {
  const h = concurrent({ mops: [a('x', 1)] }, { mops: [a('x', 1)] }, { mops: [r('x', [1])] });
  const res = await checkListAppend(h);
  assert.equal(res['duplicate-appends'], 1);
});

test('a spent --time-limit makes the verdict :unknown, naming the class and the component size', async () => {
  // A G-single-item between two transactions, after 3,000 unrelated ones: reading them alone takes
  // longer than the microsecond budget, so the search starts with no time left.
  const filler = Array.from({ length: 3000 }, (_, i) => ({ mops: [a(`f${i}`, 1), r(`f${i}`, [1])] }));
  const h = concurrent(...filler, { mops: [r('x', []), r('y', [1])] }, { mops: [a('x', 1), a('y', 1)] });
  const res = await checkListAppend(h, { consistencyModels: 'serializable', timeLimit: 0.000001 });
  assert.equal(res['valid?'], kw('unknown'));
  assert.deepEqual(names(res['anomaly-types']), []);
  // Every rw class whose seed lies in the component is left undecided (G0 / G1c need no search:
  // no ww or wr edge closes a cycle).
  const sizes = { 'component-sizes': [2] };
  assert.deepEqual(res.unknown, { 'G-single-item': sizes, 'G-nonadjacent-item': sizes, 'G2-item': sizes });
  assert.match(res['unknown-reason'] as string, /--time-limit/);
  // With time, the same history is invalid.
  assert.deepEqual(names((await checkListAppend(h, { consistencyModels: 'serializable' }))['anomaly-types']), ['G-single-item']);
});
