/**
 * The benchmark's history generator (bench/gen/list-append.ts) must produce what the
 * benchmark claims: strict-serializable histories when no anomaly is injected, and histories
 * the checker rejects when some are; its EDN output must read back to the same history.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateListAppend, writeListAppendEdn } from '../../bench/gen/list-append.js';
import { ednEquals, type Keyword } from '../../analyzer/edn/values.js';
import { readHistory } from '../../analyzer/history/read.js';
import { checkListAppend } from '../../analyzer/elle/check.js';

const names = (v: unknown): string[] => (v as Keyword[]).map((k) => k.name);

test('generated list-append histories are strict-serializable', async () => {
  for (const seed of [1, 2, 3]) {
    const h = generateListAppend({ txns: 3000, seed, concurrency: 5, activeKeys: 4, writesPerKey: 8 });
    assert.equal(h.invocations().length, 3000);
    const r = await checkListAppend(h, { consistencyModels: ['strict-serializable'], workers: 1 });
    assert.equal(r['valid?'], true, `seed ${seed}: ${names(r['anomaly-types']).join(', ')}`);
  }
});

test('injected anomalies are found', async () => {
  const h = generateListAppend({ txns: 3000, seed: 5, anomalyRate: 0.01 });
  const r = await checkListAppend(h, { consistencyModels: ['strict-serializable'], workers: 1 });
  assert.equal(r['valid?'], false);
  const types = names(r['anomaly-types']);
  assert.ok(types.some((t) => /^G(-single|2-item|-nonadjacent)/.test(t)), types.join(', '));
});

test('lagging-replica reads are found, also with process and real-time order', async () => {
  const h = generateListAppend({ txns: 3000, seed: 6, staleRate: 0.05, staleBy: 200, writesPerKey: 256 });
  const r = await checkListAppend(h, { consistencyModels: ['strict-serializable'], workers: 1 });
  assert.equal(r['valid?'], false);
  const types = names(r['anomaly-types']);
  assert.ok(types.includes('G-single-item') || types.includes('G2-item'), types.join(', '));
  assert.ok(types.some((t) => t.endsWith('-realtime')), types.join(', '));
});

test('the EDN form reads back as the same history', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hindsight-gen-'));
  try {
    const file = join(dir, 'history.edn');
    await writeListAppendEdn(file, { txns: 200, seed: 9 });
    const fromFile = await readHistory(file);
    const inMemory = generateListAppend({ txns: 200, seed: 9 });
    assert.equal(fromFile.length, inMemory.length);
    for (let i = 0; i < inMemory.length; i++) {
      const a = inMemory.op(i);
      const b = fromFile.op(i);
      assert.deepEqual([b.index, b.time, b.type, b.process], [a.index, a.time, a.type, a.process]);
      assert.ok(ednEquals(a.value, b.value), `op ${i}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
