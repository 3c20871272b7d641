/** A suite killed midway continues where it stopped, and its summary says what changed since the previous run. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import { EdnMap } from '../../analyzer/edn/values.js';
import { isRunDirName } from '../../analyzer/store/store.js';
import { runCli, runCliInProcess, startCli } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

const edn = (p: string): EdnMap => parseEdn(readFileSync(p, 'utf8')) as EdnMap;
const runDirs = (store: string, t: string): string[] => readdirSync(join(store, t)).filter(isRunDirName);

test('a suite killed (SIGKILL) after its first run completed restarts there and redoes no completed run', async () => {
  const dir = tempDir('hindsight-suite-resume-');
  const store = join(dir, 'store');
  const file = join(dir, 'three.edn');
  writeFileSync(file, '{:name "three", :defaults {:time-limit 1, :concurrency 3, :rate 200}, :tests [{:name "a"} {:name "b", :workload "set"} {:name "c", :workload "list-append"}]}\n');
  const first = startCli(['suite', file, '--store', store]);
  const suiteDir = async (): Promise<string> => {
    for (;;) {
      const roots = existsSync(join(store, 'suites', 'three')) ? readdirSync(join(store, 'suites', 'three')) : [];
      if (roots.length === 1 && existsSync(join(store, 'suites', 'three', roots[0], 'runs', '0000.edn'))) return join(store, 'suites', 'three', roots[0]);
      assert.equal(first.child.exitCode, null, `the suite ended before its first run was recorded: ${first.err}`);
      await sleep(20);
    }
  };
  const sdir = await suiteDir();
  assert.ok(first.child.pid !== undefined);
  process.kill(first.child.pid, 'SIGKILL');
  const killed = await first.done;
  assert.equal(killed.code, null);
  assert.ok(!existsSync(join(sdir, 'suite.edn')), 'a killed suite has no summary');
  const doneBefore = readdirSync(join(sdir, 'runs')).filter((n) => n.endsWith('.edn'));
  const aDir = String(edn(join(sdir, 'runs', '0000.edn')).kw('dir'));
  assert.deepEqual(runDirs(store, 'a'), [aDir.split('/')[1]]);

  const again = await runCli(['suite', file, '--store', store]);
  assert.equal(again.code, 0, again.out + again.err);
  assert.match(again.err, new RegExp(`^continuing ${sdir.replace(/[.+]/g, '\\$&')}: ${doneBefore.length} of 3 runs completed before$`, 'm'));
  assert.match(again.err, /^\[1\/3\] a seed 1: completed before \(valid, a\/\d{8}T/m);
  // Run a was not made again: still one run directory, the one the summary names.
  assert.deepEqual(runDirs(store, 'a'), [aDir.split('/')[1]]);
  assert.deepEqual(readdirSync(join(store, 'suites', 'three')), [sdir.split('/').pop()]);
  const runs = edn(join(sdir, 'suite.edn')).kw('runs') as EdnMap[];
  assert.deepEqual(runs.map((r) => r.kw('test')), ['a', 'b', 'c']);
  assert.equal(runs[0].kw('dir'), aDir);
  for (const r of runs) assert.ok(existsSync(join(store, String(r.kw('dir')), 'results.edn')), String(r.kw('dir')));

  // Finished now: --resume has nothing to continue.
  const nothing = await runCliInProcess(['suite', file, '--store', store, '--resume']);
  assert.equal(nothing.code, 3);
  assert.equal(nothing.err, `hindsight: suite three: no unfinished run under ${join(store, 'suites', 'three')} to resume\n`);
});

test('the summary names the tests newly failing and newly passing since the previous run of the suite', async () => {
  const dir = tempDir('hindsight-suite-changes-');
  const store = join(dir, 'store');
  const file = join(dir, 'changes.edn');
  // b expects a bug no run has: it comes back valid, unexpectedly.
  writeFileSync(file, '{:name "changes", :defaults {:time-limit 0.5, :concurrency 2, :rate 100}, :tests [{:name "a"} {:name "b", :expect :invalid} {:name "c"}]}\n');
  const previous = join(store, 'suites', 'changes', '20200101T000000.000');
  mkdirSync(previous, { recursive: true });
  const run = (test: string, actual: string): string => `{:test "${test}", :seed 1, :tier :full, :expected :${test === 'b' ? 'invalid' : 'valid'}, :actual :${actual}, :seconds 1.0, :ops 10, :anomaly-types [], :dir ""}`;
  writeFileSync(join(previous, 'suite.edn'), `{:suite "changes", :runs [${run('a', 'invalid')} ${run('b', 'invalid')} ${run('c', 'valid')}]}\n`);
  const r = await runCliInProcess(['suite', file, '--store', store]);
  assert.equal(r.code, 1, r.out + r.err);
  assert.ok(r.out.includes(`\nchanges since ${previous}: newly failing: b; newly passing: a\n`), r.out);
  assert.match(r.err, /^\[2\/3\] b seed 1: valid, UNEXPECTED \(expected invalid\)/m);
  const now = readdirSync(join(store, 'suites', 'changes')).filter((n) => n !== '20200101T000000.000');
  assert.equal(now.length, 1);
  const changes = edn(join(store, 'suites', 'changes', now[0], 'suite.edn')).kw('changes') as EdnMap;
  assert.equal(changes.kw('previous'), 'suites/changes/20200101T000000.000');
  assert.deepEqual(changes.kw('newly-failing'), ['b']);
  assert.deepEqual(changes.kw('newly-passing'), ['a']);
});
