/**
 * Run directories are exclusive. With a fixed start time (the same-millisecond collision,
 * constructed rather than hoped for), each creation gets its own directory, `-N` suffixed, and
 * the store still finds and orders them. `latest` is replaced by rename, never left missing
 * or half-made. A journal is never reopened. Then two real `record` runs into one store at once.
 */
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { readHistory } from '../../analyzer/history/read.js';
import { compareRunNames, isRunDirName, listRuns, resolveRunDir, runDirName } from '../../analyzer/store/store.js';
import { isTempName } from '../../analyzer/util/atomic-write.js';
import { Journal } from '../../recorder/core/journal.js';
import { createRunDir, pointLatest } from '../../recorder/core/run-dir.js';
import { type CliResult, runCli } from '../support/cli.js';
import { tempStore } from './helpers.js';

const START = new Date(2026, 11, 2, 16, 13, 22, 123);

test('two runs with one start time get two directories; the store lists and orders both', () => {
  const store = tempStore();
  const base = runDirName(START);
  const dirs = Array.from({ length: 12 }, () => createRunDir(store, 'memory-register', START));
  assert.deepEqual(
    dirs.map((d) => basename(d)),
    [base, ...Array.from({ length: 11 }, (_, i) => `${base}-${i + 1}`)],
  );
  for (const d of dirs) assert.ok(isRunDirName(basename(d)), basename(d));
  // Numeric suffix order: -10 comes after -9 (a string sort would not have it so).
  assert.deepEqual(listRuns(store).map((r) => r.dir), dirs);
  assert.equal(resolveRunDir(join(store, 'memory-register')), dirs[11]);
  assert.ok(compareRunNames(`${base}-9`, `${base}-10`) < 0);
  assert.ok(compareRunNames(`${base}-3`, runDirName(new Date(START.getTime() + 1))) < 0);
  assert.ok(!isRunDirName(`${base}-0`) && !isRunDirName(`${base}-x`) && !isRunDirName(`${base}.tmp`));
});

test('latest is replaced by rename and leaves no temporary link', () => {
  const store = tempStore();
  const a = createRunDir(store, 't', START);
  const b = createRunDir(store, 't', START);
  pointLatest(store, a);
  pointLatest(store, b);
  assert.equal(readlinkSync(join(store, 'latest')), join('t', basename(b)));
  assert.equal(readlinkSync(join(store, 't', 'latest')), basename(b));
  assert.deepEqual(readdirSync(store).sort(), ['latest', 't']);
  assert.deepEqual(readdirSync(join(store, 't')).sort(), [basename(a), basename(b), 'latest'].sort());
  // A `latest` that is not a link (a directory someone made) is left alone, without a stray temp.
  const other = tempStore();
  mkdirSync(join(other, 'latest', 'x'), { recursive: true });
  pointLatest(other, createRunDir(other, 't', START));
  assert.ok(lstatSync(join(other, 'latest')).isDirectory());
  assert.deepEqual(readdirSync(other).sort(), ['latest', 't']);
});

test('a journal is never opened over an existing history', () => {
  const dir = createRunDir(tempStore(), 't', START);
  const file = join(dir, 'history.edn');
  writeFileSync(file, '{:index 0, :type :invoke, :process 0, :f :read, :value nil}\n');
  assert.throws(() => new Journal(file), (e: NodeJS.ErrnoException) => e.code === 'EEXIST');
  assert.equal(readFileSync(file, 'utf8'), '{:index 0, :type :invoke, :process 0, :f :read, :value nil}\n');
});

function record(store: string): Promise<CliResult> {
  return runCli(['record', '--db', 'memory', '--workload', 'register', '--time-limit', '1', '--concurrency', '3', '--store', store, '--seed', '5']);
}

test('two record runs into one store at once: two whole runs, each with its own journal', async () => {
  const store = tempStore();
  const runs = await Promise.all([record(store), record(store)]);
  for (const r of runs) assert.equal(r.code, 0, r.out + r.err);
  const dirs = runs.map((r) => /store: (\S+)/.exec(r.out)?.[1]);
  assert.ok(dirs[0] !== undefined && dirs[1] !== undefined && dirs[0] !== dirs[1], runs.map((r) => r.out).join('\n'));
  assert.deepEqual(listRuns(store).map((r) => r.dir).sort(), [...(dirs as string[])].sort());
  for (const dir of dirs as string[]) {
    for (const f of ['history.edn', 'test.edn', 'results.edn', 'recorder.log']) assert.ok(existsSync(join(dir, f)), `${dir}/${f}`);
    assert.match(readFileSync(join(dir, 'results.edn'), 'utf8'), /:valid\? true/);
    const h = await readHistory(join(dir, 'history.edn'));
    assert.equal(h.warnings.length, 0, `${dir}: ${h.warnings.map((w) => w.message).join('; ')}`);
    assert.ok(h.length > 10, `${dir}: only ${h.length} ops`);
    // One run's ops only: :index 0, 1, 2, … with no value twice.
    assert.equal(new Set(h.index).size, h.length, `${dir}: duplicate :index values`);
    for (let i = 0; i < h.length; i++) assert.equal(h.index[i], i, `${dir}: op ${i}`);
    assert.equal(readdirSync(dir).filter(isTempName).length, 0);
  }
  const testDir = join(store, 'memory-register');
  assert.ok((dirs as string[]).map((d) => basename(d)).includes(readlinkSync(join(testDir, 'latest'))));
  assert.deepEqual(readdirSync(store).filter(isTempName), []);
  assert.deepEqual(readdirSync(testDir).filter(isTempName), []);
});
