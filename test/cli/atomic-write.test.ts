/**
 * writeFileAtomic / writeFileAtomicSync: a reader sees the old file or a whole new one. A write
 * that fails midway (a chunk source that throws after some bytes are on disk) must leave the
 * old content and no temporary file; so must a rename that fails.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isTempName, tempPathFor, writeFileAtomic, writeFileAtomicSync } from '../../analyzer/util/atomic-write.js';
import { tempDir } from '../support/tmp.js';

const fresh = (): string => tempDir('hindsight-atomic-');

test('writeFileAtomic replaces the file and leaves nothing else in the directory', async () => {
  const dir = fresh();
  const file = join(dir, 'results.edn');
  writeFileSync(file, 'old\n');
  await writeFileAtomic(file, 'new\n');
  assert.equal(readFileSync(file, 'utf8'), 'new\n');
  writeFileAtomicSync(file, Buffer.from('newer\n'));
  assert.equal(readFileSync(file, 'utf8'), 'newer\n');
  assert.deepEqual(readdirSync(dir), ['results.edn']);
});

test('a write that fails midway leaves the old content and no temporary file', async () => {
  const dir = fresh();
  const file = join(dir, 'timeline.html');
  writeFileSync(file, '<html>old</html>\n');
  let sawPartial = false;
  async function* chunks(): AsyncGenerator<string> {
    yield '<html>'.padEnd(100_000, 'x');
    // The first chunk is on disk by now, under a temporary name beside the target.
    const temps = readdirSync(dir).filter(isTempName);
    assert.equal(temps.length, 1, readdirSync(dir).join(' '));
    sawPartial = readFileSync(join(dir, temps[0]), 'utf8').startsWith('<html>xxx');
    throw new Error('disk full (simulated)');
  }
  await assert.rejects(writeFileAtomic(file, chunks()), /disk full \(simulated\)/);
  assert.ok(sawPartial, 'the failure came after part of the file was written');
  assert.equal(readFileSync(file, 'utf8'), '<html>old</html>\n');
  assert.deepEqual(readdirSync(dir), ['timeline.html']);
});

test('a rename that fails removes the temporary file (sync and async)', async () => {
  const dir = fresh();
  // A non-empty directory where the file should go: the data is written, the rename fails.
  const target = join(dir, 'linear.svg');
  mkdirSync(target);
  writeFileSync(join(target, 'keep'), 'x');
  assert.throws(() => writeFileAtomicSync(target, '<svg/>'), (e: NodeJS.ErrnoException) => e.code !== undefined);
  await assert.rejects(writeFileAtomic(target, '<svg/>'), (e: NodeJS.ErrnoException) => e.code !== undefined);
  assert.deepEqual(readdirSync(dir), ['linear.svg']);
  assert.deepEqual(readdirSync(target), ['keep']);
});

test('concurrent writers of one path each land whole; the last rename wins', async () => {
  const dir = fresh();
  const file = join(dir, 'rate.svg');
  // Each writer yields its file in pieces, pausing between them, so the writes interleave for
  // certain: written in place, the file would end as pieces of several writers.
  const pieces = (i: number): string[] => ['<svg>', ...Array.from({ length: 6 }, () => String(i).repeat(10_000 + i)), '</svg>\n'];
  async function* slowly(i: number): AsyncGenerator<string> {
    for (const p of pieces(i)) {
      yield p;
      await new Promise((r) => setImmediate(r));
    }
  }
  await Promise.all([0, 1, 2, 3].map((i) => writeFileAtomic(file, slowly(i))));
  const text = readFileSync(file, 'utf8');
  assert.ok([0, 1, 2, 3].some((i) => pieces(i).join('') === text), `the file (${text.length} bytes) is no single writer's output`);
  assert.deepEqual(readdirSync(dir), ['rate.svg']);
});

test('temporary names are hidden, per process and per call, and recognised', () => {
  const a = tempPathFor('/out/results.edn');
  const b = tempPathFor('/out/results.edn');
  assert.notEqual(a, b);
  assert.match(a, new RegExp(`^/out/\\.results\\.edn\\.${process.pid}\\.[0-9a-f]{12}\\.tmp$`));
  assert.ok(isTempName(a.slice('/out/'.length)));
  assert.ok(!isTempName('results.edn'));
});
