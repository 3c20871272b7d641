/** suite --parallel on the embedded database: runs overlap, every run lands, the summary says the wall time; suite.html beside suite.edn. */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import { EdnMap, Keyword } from '../../analyzer/edn/values.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

test('--parallel 2: two runs at a time (each starts before the one beside it ends), all four recorded, budget held against the wall time, suite.html links every run', async () => {
  const dir = tempDir('hindsight-suite-par-');
  const file = join(dir, 'p.edn');
  writeFileSync(file, `{:name "p"
 :defaults {:time-limit 1, :concurrency 3, :rate 200}
 :matrix {:workload ["register" "set"], :nemesis [[] ["partition"]]}
 :tiers {:full {:budget 60}}}`);
  const store = join(dir, 'store');
  const r = await runCli(['suite', file, '--store', store, '--parallel', '2']);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /^4 runs: 4 as expected, 0 not \(4 valid, 0 invalid, 0 unknown, 0 errors\); [\d.]+ s of runs in [\d.]+ s, 2 at once$/m);
  const [start] = readdirSync(join(store, 'suites', 'p'));
  const s = parseEdn(readFileSync(join(store, 'suites', 'p', start, 'suite.edn'), 'utf8')) as EdnMap;
  assert.equal(s.kw('parallel'), 2);
  assert.equal(s.kw('within-budget?'), Number(s.kw('wall-seconds')) <= 60);
  const runs = s.kw('runs') as EdnMap[];
  assert.deepEqual(runs.map((x) => String(x.kw('test'))), ['register-none', 'register-partition', 'set-none', 'set-partition']);
  const span = runs.map((x) => {
    const from = Date.parse(String(x.kw('started')));
    return { from, to: from + Number(x.kw('seconds')) * 1000 };
  });
  // The first two start together; the scheduler starts the second before the first can end.
  assert.ok(span[1].from < span[0].to, `run 2 started at ${span[1].from}, after run 1 ended at ${span[0].to}`);
  for (const x of runs) assert.equal((x.kw('actual') as Keyword).name, 'valid');
  const html = readFileSync(join(store, 'suites', 'p', start, 'suite.html'), 'utf8');
  for (const x of runs) assert.ok(html.includes(`../../../${String(x.kw('dir'))}`), `suite.html links ${String(x.kw('dir'))}`);
  assert.match(html, /4 runs: 4 as expected, 0 not/);
});

test('--parallel 0 is refused in one line, exit 3', async () => {
  const r = await runCli(['suite', 'sanity', '--parallel', '0', '--list']);
  assert.equal(r.code, 3);
  assert.equal(r.err, 'hindsight: --parallel 0: expected an integer 1 to 64 (runs at once)\n');
});

test("a test's :nemesis-targets and :groups reach its run (test.edn keeps them; every pause strikes two nodes of one group)", async () => {
  const dir = tempDir('hindsight-suite-targets-');
  const file = join(dir, 't.edn');
  writeFileSync(file, `{:name "t", :tests [{:name "pause-groups", :workload "register", :nemesis ["pause"], :time-limit 1, :nemesis-interval 0.1,
   :nemesis-targets {:pause "random-healthy:2@group"}, :groups "n1,n2:n3,n4,n5"}]}`);
  const store = join(dir, 'store');
  const r = await runCli(['suite', file, '--store', store, '--quiet']);
  assert.equal(r.code, 0, r.out + r.err);
  const run = join(store, 'pause-groups', 'latest');
  const t = parseEdn(readFileSync(join(run, 'test.edn'), 'utf8')) as EdnMap;
  assert.equal((t.kw('nemesis-targets') as EdnMap).kw('pause'), 'random-healthy:2@group');
  assert.equal(t.kw('groups'), 'n1,n2:n3,n4,n5');
  const starts = readFileSync(join(run, 'history.edn'), 'utf8').split('\n').filter((l) => /:f :start-pause, :value \{/.test(l));
  assert.ok(starts.length > 0);
  for (const l of starts) assert.match(l, /:targets \[(("n1" "n2")|("n3" "n4")|("n3" "n5")|("n4" "n5"))\]/);
});
