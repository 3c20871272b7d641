/** suite --minimize: tests whose coverage another test of the last K runs has are left out, and said so; nothing without evidence. */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCliInProcess } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

const SUITE = `{:name "m"
 :defaults {:time-limit 1}
 :tests [{:name "reg-part-long", :workload "register", :nemesis ["partition"], :time-limit 5}
         {:name "reg-part-short", :workload "register", :nemesis ["partition"], :concurrency 3}
         {:name "reg-part-twice", :workload "register", :nemesis ["partition"], :seeds [1 2]}
         {:name "reg-none", :workload "register"}
         {:name "reg-stale", :workload "register", :nemesis ["partition"], :bug ["stale-read"], :expect :invalid}
         {:name "reg-lost", :workload "register", :nemesis ["partition"], :bug ["lost-write"], :expect :invalid}
         {:name "set-part", :workload "set", :nemesis ["partition"]}
         {:name "set-part-b", :workload "set", :nemesis ["partition"]}
         {:name "set-part-c", :workload "set", :nemesis ["partition"]}
         {:name "never-ran", :workload "register", :nemesis ["partition"]}]}
`;

/** One finished suite run written by hand: `runs` as [test, expected, actual, anomalies]. */
function finished(store: string, start: string, runs: Array<[string, string, string, string[]]>): void {
  const dir = join(store, 'suites', 'm', start);
  mkdirSync(dir, { recursive: true });
  const entries = runs.map(([t, e, a, an]) => `{:test "${t}", :seed 1, :tier :full, :expected :${e}, :actual :${a}, :as-expected? ${e === a}, :seconds 1.0, :ops 10, :anomaly-types [${an.map((x) => ':' + x).join(' ')}], :dir ""}`);
  writeFileSync(join(dir, 'suite.edn'), `{:suite "m", :runs [${entries.join('\n')}]}\n`);
}

test('--minimize drops the tests another covers (same db, workload, fault kinds, bugs, expectation and anomalies found), keeps the cheapest, and prints each', async () => {
  const dir = tempDir('hindsight-minimize-');
  const file = join(dir, 'm.edn');
  writeFileSync(file, SUITE);
  const store = join(dir, 'store');
  const none = await runCliInProcess(['suite', file, '--store', store, '--minimize', '--list']);
  assert.equal(none.code, 0, none.err);
  assert.match(none.out, /^minimize: no finished run of suite m in .* to learn from; nothing dropped$/m);
  assert.equal(none.out.split('\n').filter((l) => /  full  /.test(l)).length, 10);

  // An old run, outside the last 2, in which set-part-c found something: with K 2 it counts for nothing.
  finished(store, '20261201T100000.000', [['set-part-c', 'valid', 'valid', ['G1c']]]);
  finished(store, '20261202T100000.000', [
    ['reg-part-long', 'valid', 'valid', []],
    ['reg-part-short', 'valid', 'valid', []],
    ['reg-none', 'valid', 'valid', []],
    ['reg-stale', 'invalid', 'invalid', ['nonlinearizable']],
    ['reg-lost', 'invalid', 'invalid', ['nonlinearizable']],
    ['set-part', 'valid', 'valid', []],
    ['set-part-b', 'valid', 'unknown', []],
  ]);
  finished(store, '20261203T100000.000', [
    ['reg-part-twice', 'valid', 'valid', []],
    ['set-part', 'valid', 'valid', []],
    ['set-part-c', 'valid', 'valid', []],
  ]);
  const r = await runCliInProcess(['suite', file, '--store', store, '--minimize', '2', '--list']);
  assert.equal(r.code, 0, r.err);
  const said = r.out.split('\n').filter((l) => l.startsWith('minimize:'));
  assert.deepEqual(said, [
    'minimize: dropped reg-part-long: reg-part-short covers the same (memory register, faults partition, bugs none, expect valid, anomalies none)',
    'minimize: dropped reg-part-twice: reg-part-short covers the same (memory register, faults partition, bugs none, expect valid, anomalies none)',
    'minimize: dropped set-part-c: set-part covers the same (memory set, faults partition, bugs none, expect valid, anomalies none)',
    'minimize: 3 of 10 tests dropped, learnt from the last 2 finished runs',
  ]);
  const listed = r.out.split('\n').filter((l) => /  full  /.test(l)).map((l) => l.split('  ')[0]);
  // Two bugs caught the same way both stay; set-part-b's surprise keeps it; never-ran has no evidence.
  assert.deepEqual(listed, ['reg-part-short', 'reg-none', 'reg-stale', 'reg-lost', 'set-part', 'set-part-b', 'never-ran']);
  const bad = await runCliInProcess(['suite', file, '--store', store, '--minimize', '0', '--list']);
  assert.equal(bad.code, 3);
  assert.equal(bad.err, 'hindsight: --minimize 0: expected an integer ≥ 1 (finished runs of the suite to learn from)\n');
});
