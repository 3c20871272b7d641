/** The bundled suites through the whole CLI: `suite sanity` passes, `suite bugs` catches every bug. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import { EdnMap, Keyword } from '../../analyzer/edn/values.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';
import { clusterSkipReason } from '../etcd/support.js';

/** The one suite.edn under `<store>/suites/<name>/`. */
function summary(store: string, name: string): EdnMap {
  const runs = readdirSync(join(store, 'suites', name));
  assert.equal(runs.length, 1, runs.join(' '));
  const v = parseEdn(readFileSync(join(store, 'suites', name, runs[0], 'suite.edn'), 'utf8'));
  assert.ok(v instanceof EdnMap);
  return v;
}

const word = (v: unknown): string => (v instanceof Keyword ? v.name : String(v));

test('suite sanity: every workload of the embedded database under faults, all valid, exit 0', async () => {
  const store = tempDir('hindsight-suite-');
  const r = await runCli(['suite', 'sanity', '--store', store]);
  assert.equal(r.code, 0, r.out + r.err);
  const s = summary(store, 'sanity');
  assert.equal(s.kw('as-expected?'), true);
  const counts = s.kw('counts') as EdnMap;
  assert.equal(counts.kw('runs'), 12);
  assert.equal(counts.kw('as-expected'), 12);
  assert.equal(counts.kw('unexpected'), 0);
  assert.equal(counts.kw('valid'), 12);
  const runs = s.kw('runs') as EdnMap[];
  const workloads = new Set(runs.map((x) => String(x.kw('test')).replace(/-(none|partition|kill\+pause)$/, '')));
  assert.deepEqual([...workloads].sort(), ['list-append', 'register', 'rw-register', 'set']);
  for (const run of runs) {
    assert.equal(word(run.kw('actual')), 'valid', String(run.kw('test')));
    assert.ok(existsSync(join(store, String(run.kw('dir')), 'history.edn')), String(run.kw('dir')));
    assert.ok(Number(run.kw('ops')) > 0);
  }
  assert.match(r.out, /^12 runs: 12 as expected, 0 not/m);
  assert.match(r.out, /^budget: [\d.]+ s of 120 s/m);
});

const noCluster = clusterSkipReason();

test(`suite bugs: every bug of the embedded database${noCluster ? '' : ' and every constructed etcd anomaly'} is caught (each expected invalid verdict, by test name, with what found it)`, async () => {
  const store = tempDir('hindsight-suite-');
  // etcd's are tier daily: run them where a namespace cluster can be made (CI installs etcd).
  const r = await runCli(['suite', 'bugs', '--store', store, '--tier', noCluster ? 'sanity' : 'daily']);
  assert.equal(r.code, 0, r.out + r.err);
  const runs = summary(store, 'bugs').kw('runs') as EdnMap[];
  const found = Object.fromEntries(runs.map((x) => [String(x.kw('test')), `${word(x.kw('expected'))}/${word(x.kw('actual'))} ${(x.kw('anomaly-types') as unknown[]).map(word).join(' ')}`]));
  // Elle's anomaly types vary with the interleaving; each must name at least one.
  const elle = (test: string, some: RegExp): string => (some.test(found[test] ?? '') ? found[test] : `invalid/invalid (an anomaly matching ${some})`);
  assert.deepEqual(found, {
    'stale-read-register': 'invalid/invalid linearizable',
    'stale-read-set': 'invalid/invalid set-full',
    'lost-write-register': 'invalid/invalid linearizable',
    'lost-write-set': 'invalid/invalid set-full',
    'non-atomic-txn-list-append': elle('non-atomic-txn-list-append', /^invalid\/invalid .*\bG/),
    'lost-update-rw-register': elle('lost-update-rw-register', /^invalid\/invalid .*\blost-update\b/),
    'read-committed-rw-register': elle('read-committed-rw-register', /^invalid\/invalid \S/),
    'read-committed-list-append': elle('read-committed-list-append', /^invalid\/invalid \S/),
    'clock-lease-register': 'invalid/invalid linearizable',
    ...(noCluster
      ? {}
      : {
          'etcd-stale-serializable-read': 'invalid/invalid linearizable',
          'etcd-stale-serializable-nil': 'invalid/invalid linearizable',
          'etcd-stale-serializable-set': 'invalid/invalid set-full',
          'etcd-lock-lease-lost-update': 'invalid/invalid lock-set',
          'etcd-watch-from-zero': 'invalid/invalid watch',
        }),
  });
  // Every bug the embedded database has is in the suite.
  const { BUGS } = await import('../../recorder/memory/cluster.js');
  const bugs = new Set(Object.keys(found).filter((t) => !t.startsWith('etcd-')).map((t) => Object.keys(BUGS).find((b) => t.startsWith(b))));
  assert.deepEqual([...bugs].sort(), Object.keys(BUGS).sort());
  // And every etcd scenario.
  const { SCENARIOS } = await import('../../recorder/etcd/scenarios.js');
  const listed = await runCli(['suite', 'bugs', '--list']);
  for (const sc of SCENARIOS.filter((x) => x !== 'lock-lease-fenced')) assert.match(listed.out, new RegExp(`^etcd-${sc}  daily  etcd ${sc} .* expect invalid$`, 'm'));
});

test('suite etcd-daily is sized for the hour: its daily tier is etcd only, every fault the backend has, each constructed anomaly expected invalid (the fenced lock valid), and the time limits plus a generous 15 s a run fit its 3600 s budget', async () => {
  const { loadSuite, suitePath } = await import('../../recorder/suite/load.js');
  const { inTier } = await import('../../recorder/suite/tiers.js');
  const { loadBackends, backendNamed } = await import('../../recorder/core/backends.js');
  await loadBackends();
  const s = await loadSuite(suitePath('etcd-daily'));
  const daily = s.tests.filter((t) => inTier(t.tier, 'daily'));
  assert.ok(daily.every((t) => t.db === 'etcd'));
  assert.equal(s.budgets.daily, 3600);
  const planned = daily.reduce((sum, t) => sum + t.seeds.length * (t.timeLimit + 15), 0);
  assert.ok(planned <= 3600, `${planned} s planned`);
  const etcd = backendNamed('etcd')!;
  const faults = new Set(daily.flatMap((t) => t.nemesis));
  assert.deepEqual(etcd.faults.filter((f) => !faults.has(f)), ['partition-isolate-one', 'partition-random-halves']);
  const { SCENARIOS } = await import('../../recorder/etcd/scenarios.js');
  for (const sc of SCENARIOS) assert.equal(daily.find((t) => t.workload === sc)?.expect, sc === 'lock-lease-fenced' ? 'valid' : 'invalid', sc);
});
