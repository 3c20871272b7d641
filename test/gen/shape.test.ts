/**
 * The benchmarks' knobs of the one generator (analyzer/gen/): `shape` (transactions' length,
 * key lifetime and refusals; the set's read rate) keeps the verdict known, and its defaults are
 * exactly `hindsight gen`'s; `faults` (list-append) makes reads wrong at random. Both are named
 * in the header only when given, so a plain run's bytes stay what they were.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { checkListAppend } from '../../analyzer/elle/check.js';
import { EdnSet, type EdnValue, type Keyword } from '../../analyzer/edn/values.js';
import { type GenOptions, expectedOf, genOps, generate, streamGenerated, validateGenOptions } from '../../analyzer/gen/index.js';
import type { OpInput } from '../../analyzer/history/op.js';

const txn: GenOptions = { workload: 'list-append', ops: 4000, concurrency: 5, keys: 4, seed: 7 };
const mops = (op: OpInput): EdnValue[][] => op.value as EdnValue[][];
const fname = (m: EdnValue[]): string => (m[0] as Keyword).name;

async function firstLine(o: GenOptions): Promise<string> {
  const s = new PassThrough();
  let text = '';
  s.on('data', (d: Buffer) => (text += d.toString()));
  await streamGenerated(o, s);
  return text.slice(0, text.indexOf('\n'));
}

test("shape: its defaults are hindsight gen's own, op for op", () => {
  for (const workload of ['list-append', 'rw-register', 'set'] as const) {
    const plain = [...genOps({ ...txn, workload })];
    const same = [...genOps({ ...txn, workload, shape: { writesPerKey: 32, maxMops: 4, failRate: 0.01 } })];
    assert.deepEqual(same, plain, workload);
  }
});

test('shape: transaction length, key lifetime and refusals follow it; the history stays valid', async () => {
  const o: GenOptions = { ...txn, shape: { writesPerKey: 3, maxMops: 1, failRate: 0 } };
  const ops = [...genOps(o)];
  const clients = ops.filter((op) => typeof op.process === 'number');
  assert.ok(clients.every((op) => mops(op).length === 1));
  assert.ok(clients.every((op) => op.type !== 'fail'));
  assert.ok(clients.every((op) => mops(op).every((m) => fname(m) !== 'append' || (m[2] as number) <= 3)));
  const all = generate({ ...o, shape: { failRate: 1 } }).history;
  assert.ok([...all.ops()].filter((op) => op.type === 'ok').length === 0, 'every transaction refused');
  const r = await checkListAppend(generate(o).history, { consistencyModels: ['strict-serializable'], workers: 1 });
  assert.equal(r['valid?'], true);
});

test('shape: the set workload reads at the rate given (its final reads apart)', () => {
  const reads = (readFraction: number): number =>
    [...genOps({ workload: 'set', ops: 2000, concurrency: 4, keys: 1, seed: 3, shape: { readFraction } })].filter((op) => op.type === 'invoke' && (op.f as Keyword).name === 'read').length;
  assert.equal(reads(0), 1);
  assert.ok(reads(1) > 900);
  const sets = [...genOps({ workload: 'set', ops: 400, concurrency: 2, keys: 1, seed: 3, shape: { readFraction: 0.5 } })].filter((op) => op.value instanceof EdnSet);
  assert.ok(sets.length > 50);
});

test('reads of an unchanged list share one array, as the reader shares equal vectors', () => {
  const seen = new Map<string, EdnValue>();
  let shared = 0;
  for (const op of genOps(txn)) {
    if (op.type !== 'ok') continue;
    for (const m of mops(op)) {
      if (fname(m) !== 'r') continue;
      const key = `${String(m[1])}:${JSON.stringify(m[2])}`;
      if (seen.get(key) === m[2]) shared++;
      seen.set(key, m[2]);
    }
  }
  assert.ok(shared > 100, `${shared} shared reads`);
});

test('faults: wrong reads at random, invalid under strict serializability; named in the header', async () => {
  const o: GenOptions = { ...txn, faults: { brokenReadRate: 0.05 } };
  assert.equal(expectedOf(o).valid, false);
  const r = await checkListAppend(generate(o).history, { consistencyModels: ['strict-serializable'], workers: 1 });
  assert.equal(r['valid?'], false);
  const stale = await checkListAppend(generate({ ...txn, shape: { writesPerKey: 256 }, faults: { staleRate: 0.05, staleBy: 50 } }).history, {
    consistencyModels: ['strict-serializable'],
    workers: 1,
  });
  assert.equal(stale['valid?'], false);
  assert.match(await firstLine(o), /:expected-valid\? false, .*:faults \{:broken-read-rate 0\.05\}\}$/);
  assert.match(await firstLine({ ...txn, shape: { maxMops: 2 } }), /:expected-valid\? true, .*:shape \{:max-mops 2\}\}$/);
  assert.doesNotMatch(await firstLine(txn), /:shape|:faults/);
});

test('knobs are judged: counts are integers ≥ 1, rates fractions, faults for list-append only', () => {
  assert.throws(() => validateGenOptions({ ...txn, shape: { writesPerKey: 0 } }), { message: 'writesPerKey must be an integer ≥ 1, got 0' });
  assert.throws(() => validateGenOptions({ ...txn, shape: { readFraction: 2 } }), { message: 'readFraction must be a fraction in [0, 1], got 2' });
  assert.throws(() => validateGenOptions({ ...txn, faults: { staleBy: 1.5 } }), { message: 'staleBy must be an integer ≥ 1, got 1.5' });
  assert.throws(() => validateGenOptions({ ...txn, workload: 'set', faults: { staleRate: 0.1 } }), { message: 'faults are for list-append only, not set' });
});
