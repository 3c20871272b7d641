/** `-` reads standard input; gzip files (seen by their magic number, not their name) are decompressed as they are read. */
import assert from 'node:assert/strict';
import { copyFileSync, createReadStream, createWriteStream, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { test } from 'node:test';
import { createGzip, gzipSync } from 'node:zlib';
import { streamGenerated } from '../../analyzer/gen/index.js';
import type { History } from '../../analyzer/history/history.js';
import { readHistory, readHistoryWithFormat } from '../../analyzer/history/read.js';
import { printOp } from '../../analyzer/history/write.js';
import { findHistories } from '../../analyzer/recheck/discover.js';
import { type CliResult, runCli, runTsx } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

const dir = tempDir('hindsight-gz-');
let n = 0;
/** A fresh directory of its own, so a file keeps its fixture's name. */
function sub(): string {
  const d = join(dir, String(n++));
  mkdirSync(d);
  return d;
}

const FIXTURES = [
  'fixtures/elle/paper-example.edn',
  'fixtures/knossos/cas-register/bad/cas-failure.edn',
  'fixtures/elle-cli/paper-example.json',
  'fixtures/jepsen-stores/canonical-raft/history.txt',
];

function gzipped(fixture: string): string {
  const out = join(sub(), `${basename(fixture)}.gz`);
  writeFileSync(out, gzipSync(readFileSync(fixture)));
  return out;
}

function assertSameOps(a: History, b: History, what: string): void {
  assert.equal(b.length, a.length, `${what}: op count`);
  for (let i = 0; i < a.length; i++) {
    assert.equal(printOp(b.op(i)), printOp(a.op(i)), `${what}: op ${i}`);
    assert.equal(b.line[i], a.line[i], `${what}: line of op ${i}`);
  }
}

test('a gzipped history reads as the same ops as the plain file, by its magic number (renamed without .gz too), at any chunk size', async () => {
  for (const fixture of FIXTURES) {
    const plain = await readHistoryWithFormat(fixture);
    const gz = gzipped(fixture);
    const renamed = join(sub(), basename(fixture));
    copyFileSync(gz, renamed);
    for (const file of [gz, renamed]) {
      for (const chunkSize of [undefined, 16]) {
        const what = `${file} (chunk ${chunkSize ?? 'default'})`;
        const r = await readHistoryWithFormat(file, { chunkSize });
        assert.equal(r.format, plain.format, what);
        assert.equal(r.history.file, file, what);
        assertSameOps(plain.history, r.history, what);
      }
    }
  }
});

test('progress of a gzip file counts its compressed bytes, up to its size', async () => {
  const gz = gzipped('fixtures/knossos/cas-register/bad/cas-failure.edn');
  const size = statSync(gz).size;
  const seen: [number, number][] = [];
  await readHistory(gz, { chunkSize: 64, onProgress: (done, total) => seen.push([done, total]) });
  assert.ok(seen.length > 1);
  assert.ok(seen.every(([, total]) => total === size));
  assert.ok(seen.every(([done], i) => i === 0 || done >= seen[i - 1][0]), 'never goes back');
  assert.deepEqual(seen.at(-1), [size, size]);
});

test('a truncated or corrupt gzip file is bad input naming the file (and the line reached), not a stream error', async () => {
  const whole = gzipSync(readFileSync('fixtures/knossos/cas-register/bad/cas-failure.edn'));
  const cut = join(sub(), 'cut.edn.gz');
  writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
  const badCrc = join(sub(), 'crc.edn.gz');
  const flipped = Buffer.from(whole);
  flipped[flipped.length - 6] ^= 0xff; // in the CRC-32 of the trailer
  writeFileSync(badCrc, flipped);
  const magicOnly = join(sub(), 'magic.edn.gz');
  writeFileSync(magicOnly, Buffer.from([0x1f, 0x8b]));
  for (const chunkSize of [undefined, 16]) {
    await assert.rejects(readHistory(cut, { chunkSize }), (e: Error) => {
      assert.equal(e.name, 'HistoryError');
      assert.match(e.message, new RegExp(`^${cut}:\\d+: truncated gzip data \\(unexpected end of file\\); expected a whole gzip file$`));
      return true;
    });
    await assert.rejects(readHistory(badCrc, { chunkSize }), { name: 'HistoryError', message: `${badCrc}: corrupt gzip data (incorrect data check); expected a whole gzip file` });
    await assert.rejects(readHistory(magicOnly, { chunkSize }), { name: 'HistoryError', message: `${magicOnly}: truncated gzip data (unexpected end of file); expected a whole gzip file` });
  }
  const empty = join(sub(), 'empty.edn.gz');
  writeFileSync(empty, gzipSync(Buffer.alloc(0)));
  await assert.rejects(readHistory(empty), { name: 'HistoryError', message: new RegExp(`^${empty}: no ops in ${empty}: it decompresses to nothing;`) });
});

test('a big gzip history (200k ops) reads whole, as many ops as the plain file', async () => {
  const d = sub();
  const plainFile = join(d, 'big.edn');
  await streamGenerated({ workload: 'list-append', ops: 200_000, concurrency: 10, keys: 20, seed: 7 }, plainFile);
  const gzFile = join(d, 'big.edn.gz');
  await pipeline(createReadStream(plainFile), createGzip({ level: 1 }), createWriteStream(gzFile));
  const plain = await readHistory(plainFile);
  const gz = await readHistory(gzFile);
  assert.equal(plain.length, 200_000);
  assert.equal(gz.length, plain.length);
  for (const i of [0, 1, 99_999, 199_999]) assert.equal(printOp(gz.op(i)), printOp(plain.op(i)));
  assert.deepEqual(gz.line, plain.line);
});

/** Runs the analyzer's CLI from sources with `input` on its standard input. */
function cli(args: string[], input: Buffer | string): Promise<CliResult> {
  return runCli(args, { analyzer: true, input });
}

const CAS = ['--checker', 'linearizable', '--model', 'cas-register', '--init', '0'];

test('check - reads the history from standard input, plain or gzipped', async () => {
  const bad = readFileSync('fixtures/knossos/cas-register/bad/cas-failure.edn');
  for (const input of [bad, gzipSync(bad)]) {
    const r = await cli(['check', '-', ...CAS], input);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /^invalid — not linearizable: process 70's read of 0 \(index 491\)/);
    assert.equal(r.err, '');
  }
  const good = await cli(['check', '-', ...CAS], readFileSync('fixtures/knossos/cas-register/good/memstress3-0.edn'));
  assert.equal(good.code, 0, good.err);
  assert.match(good.out, /^valid/);
});

test('check - with nothing on standard input is bad input: no ops in <stdin>', async () => {
  const r = await cli(['check', '-', ...CAS], '');
  assert.equal(r.code, 3);
  assert.equal(r.out, '');
  assert.equal(r.err, '<stdin>: no ops in <stdin>: standard input is empty; expected op maps like {:type :invoke, :process 0, :f :read, :value nil}\n');
  const bad = await cli(['check', '-', ...CAS], '{:type :invoke, :process 0, :f :read :value}\n');
  assert.equal(bad.code, 3);
  assert.equal(bad.err, '<stdin>:1: malformed EDN: map has a key with no value (:value)\n');
});

test('standard input is read once per process: a second readHistory("-") fails at once, it does not wait', async () => {
  const script = [
    "const { readHistory } = await import('./analyzer/history/read.ts');",
    "const h = await readHistory('-');",
    'console.log(h.length, h.file);',
    "await readHistory('-').then(() => console.log('read twice'), (e) => console.log(e.name, e.message));",
  ].join('\n');
  const { code, out } = await runTsx(['--input-type=module', '-e', script], { input: readFileSync('fixtures/elle/paper-example.edn') });
  assert.equal(code, 0);
  assert.equal(out, '8 <stdin>\nHistoryError cannot read <stdin>: standard input was read already; it can be read once per process\n');
});

test('recheck finds gzipped loose histories (.edn.gz) by their decompressed first bytes', async () => {
  const root = sub();
  writeFileSync(join(root, 'paper.edn.gz'), gzipSync(readFileSync('fixtures/elle/paper-example.edn')));
  writeFileSync(join(root, 'notes.txt.gz'), gzipSync('nothing here is an op\n'));
  writeFileSync(join(root, 'cut.edn.gz'), gzipSync(readFileSync('fixtures/knossos/cas-register/bad/cas-failure.edn')).subarray(0, 200));
  assert.deepEqual(findHistories([root]).map((f) => basename(f.file)), ['cut.edn.gz', 'paper.edn.gz']);
});

test('check - with --time-limit hands standard input to the guarded worker', async () => {
  const { code, out } = await runCli(['check', '-', '--checker', 'linearizable', '--model', 'cas-register', '--init', '0', '--time-limit', '20'], { analyzer: true, input: readFileSync('fixtures/knossos/cas-register/bad/cas-failure.edn') });
  assert.equal(code, 1);
  assert.match(out, /^invalid — not linearizable: process 70's read of 0 \(index 491\)/);
});
