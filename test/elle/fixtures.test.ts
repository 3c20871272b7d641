import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkListAppend, checkRwRegister } from '../../analyzer/elle/check.js';
import { kw } from '../../analyzer/edn/values.js';
import type { EdnRecord, EdnSet } from '../../analyzer/edn/values.js';
import { readHistory } from '../../analyzer/history/read.js';
import { cycleOf, names, step } from './helpers.js';

const read = (file: string) => readHistory(file, { format: 'auto', strict: false, onWarning: () => {} });
const setNames = (s: unknown) => (s as EdnSet).items.map((k) => (k as { name: string }).name).sort();

test('si-without-g-single: for snapshot-isolation and repeatable-read, exactly G2-item, ruling out repeatable-read', async () => {
  const r = await checkListAppend(await read('fixtures/elle/si-without-g-single.edn'), { consistencyModels: 'snapshot-isolation,repeatable-read' });
  assert.equal(r['valid?'], false);
  assert.deepEqual(names(r['anomaly-types']), ['G2-item']);
  assert.deepEqual(setNames(r.not), ['repeatable-read']);
  const c = cycleOf(r, 'G2-item');
  // T3 (op 31) did not see T4's append of 2 to key 6; T4 (op 41) read key 9 = [2] without T3's 5.
  assert.deepEqual(c.indices, [31, 41, 31]);
  assert.deepEqual(c.steps, [step('rw', 6, null, 2), step('rw', 9, 2, 5)]);
});

for (const file of ['fixtures/elle/paper-example.edn', 'fixtures/elle-cli/paper-example.json']) {
  test(`${file}: the paper's G-single-item cycle, edge by edge`, async () => {
    const r = await checkListAppend(await read(file));
    assert.equal(r['valid?'], false);
    assert.deepEqual(names(r['anomaly-types']), ['G-single-item']);
    const c = cycleOf(r, 'G-single-item');
    // T1 (op 7) < T2 (op 3): T1 read 255 = [2 3 4 5] without T2's 8, which comes next.
    // T2 < T3 (op 5): T3 read 255 = [2 3 4 5 8].
    // T3 < T1: T3 appended 4 to 256; T1's 3 is in no read, so it comes after [1 2 4].
    assert.deepEqual(c.indices, [7, 3, 5, 7]);
    assert.deepEqual(c.steps, [step('rw', 255, 5, 8), step('wr', 255, 8), step('ww', 256, 4, 3)]);
    assert.match(c.explanation, /T1 < T2: T1 read key 255 = \[2 3 4 5\] without T2's append of 8/);
    assert.match(c.explanation, /So T1 < T2 < T3 < T1/);
  });
}

test('list-append-gh-30 is not serializable', async () => {
  const r = await checkListAppend(await read('fixtures/elle-cli/list-append-gh-30.edn'), { consistencyModels: 'serializable' });
  assert.equal(r['valid?'], false);
  assert.deepEqual(names(r['anomaly-types']), ['G2-item']);
  const c = cycleOf(r, 'G2-item');
  assert.deepEqual(c.indices, [8, 6, 8]);
  assert.deepEqual(c.steps, [step('rw', 2, null, 4), step('rw', 4, null, 0)]);
});

for (const file of ['fixtures/elle-cli/rw-register.edn', 'fixtures/elle-cli/rw-register.json']) {
  test(`${file}: reading x = 3, which nobody wrote, is a garbage read`, async () => {
    const r = await checkRwRegister(await read(file));
    assert.equal(r['valid?'], false);
    assert.deepEqual(names(r['anomaly-types']), ['garbage-read']);
    const g = (r.anomalies as EdnRecord)['garbage-read'] as EdnRecord[];
    assert.equal(g.length, 1);
    assert.deepEqual(g[0].mop, [kw('r'), kw('x'), 3]);
    assert.equal((g[0].op as EdnRecord).index, 4);
  });
}
