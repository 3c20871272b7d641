import assert from 'node:assert/strict';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { printEdn } from '../../analyzer/edn/print.js';
import { UNKNOWN } from '../../analyzer/check/checker.js';
import { checkerNamed } from '../../analyzer/checkers/registry.js';
import { runCheck } from '../../analyzer/cli/check.js';
import { readHistory } from '../../analyzer/history/read.js';
import { listRuns, readTestEdn, resolveRunDir, storedCheckSpec } from '../../analyzer/store/store.js';
import { runTest } from '../../recorder/run/run-test.js';
import { RunError } from '../../recorder/core/types.js';
import { needs, testOptions } from './helpers.js';

function anomalies(r: Record<string, unknown>): string[] {
  const a = r['anomaly-types'];
  return Array.isArray(a) ? a.map((k) => (k as { name: string }).name) : [];
}

test('a list-append run under partition and kill writes a store and is valid', async () => {
  const o = testOptions({ workload: 'list-append', nemesis: ['partition', 'kill'], timeLimit: 3 });
  const r = await runTest(o);
  assert.equal(r.result['valid?'], true, printEdn(r.result));
  for (const f of ['history.edn', 'test.edn', 'results.edn', 'recorder.log']) assert.ok(existsSync(join(r.dir, f)), f);
  // The latency/rate/timeline pictures, when those checkers are registered.
  if (checkerNamed('perf') !== undefined) assert.ok(existsSync(join(r.dir, 'rate.svg')), 'rate.svg');
  if (checkerNamed('timeline') !== undefined) assert.ok(existsSync(join(r.dir, 'timeline.html')), 'timeline.html');
  assert.equal(resolveRunDir(o.store), r.dir);
  assert.equal(readlinkSync(join(o.store, 'latest')), join('memory-list-append', r.dir.split('/').pop()!));
  // As in Jepsen's store, the test directory has its own latest (the README's path).
  assert.equal(readlinkSync(join(o.store, 'memory-list-append', 'latest')), r.dir.split('/').pop()!);
  assert.equal(resolveRunDir(join(o.store, 'memory-list-append', 'latest')), join(o.store, 'memory-list-append', 'latest'));
  assert.deepEqual(listRuns(o.store).map((x) => x.dir), [r.dir]);
  const h = await readHistory(join(r.dir, 'history.edn'));
  assert.equal(h.warnings.length, 0);
  assert.ok(h.invocations().length > 50, `only ${h.invocations().length} invocations`);
  // Faults happened and were recorded as nemesis ops, ending with the heal.
  const nemF = [...h.ops()].filter((op) => op.process !== undefined && typeof op.process !== 'number').map((op) => String((op.f as { name: string }).name));
  assert.ok(nemF.some((f) => f.startsWith('start-')), nemF.join(' '));
  assert.equal(nemF[nemF.length - 1], 'heal');
  // Times are monotonic ns; indexes are positions.
  for (let i = 1; i < h.index.length; i++) {
    assert.equal(h.index[i], i);
    assert.ok(h.time[i] >= h.time[i - 1]);
  }
  const spec = storedCheckSpec(readTestEdn(r.dir));
  assert.deepEqual(spec, { checkers: ['list-append'], options: { consistencyModels: 'strict-serializable' } });
  // hindsight check --store re-checks it with the same checkers.
  const lines: string[] = [];
  const code = await runCheck([], { store: o.store, quiet: false }, (s) => lines.push(s), (s) => lines.push(s));
  assert.equal(code, 0, lines.join('\n'));
  assert.match(lines.join('\n'), /^valid/);
});

test('lost-update: Elle reports lost-update on rw-register, and a lost-update-shaped anomaly on list-append', async () => {
  const rw = await runTest(testOptions({ workload: 'rw-register', bugs: ['lost-update'] }));
  assert.equal(rw.result['valid?'], false);
  assert.ok(anomalies(rw.result).includes('lost-update'), anomalies(rw.result).join(' '));
  // On lists the late full-list write also reorders appends; which class Elle names first depends on timing.
  const la = await runTest(testOptions({ workload: 'list-append', bugs: ['lost-update'] }));
  assert.equal(la.result['valid?'], false);
  assert.ok(anomalies(la.result).some((a) => ['lost-update', 'G-single-item', 'G2-item', 'incompatible-order'].includes(a)), anomalies(la.result).join(' '));
});

test('read-committed: anomalies read committed allows (G2-item write skew, G-single-item read skew, lost update)', async () => {
  for (const workload of ['list-append', 'rw-register']) {
    const r = await runTest(testOptions({ workload, bugs: ['read-committed'], seed: 2 }));
    assert.equal(r.result['valid?'], false, workload);
    const a = anomalies(r.result);
    assert.ok(a.some((x) => ['G2-item', 'G-single-item', 'lost-update'].includes(x)), `${workload}: ${a.join(' ')}`);
    // ...and nothing read committed forbids.
    assert.ok(!a.some((x) => /^(G0|G1a|G1b|G1c)$/.test(x)), `${workload}: ${a.join(' ')}`);
  }
});

test('non-atomic-txn: other transactions see half a transaction', async () => {
  const r = await runTest(testOptions({ workload: 'list-append', bugs: ['non-atomic-txn'] }));
  assert.equal(r.result['valid?'], false);
  const a = anomalies(r.result);
  assert.ok(a.some((x) => /^G(1b|1c|-single|2-item)$/.test(x)), a.join(' '));
});

test('register under partition and kill is linearizable', needs('linearizable'), async () => {
  const r = await runTest(testOptions({ workload: 'register', nemesis: ['partition', 'kill'], timeLimit: 3 }));
  assert.equal(r.result['valid?'], true, printEdn(r.result));
});

for (const bug of ['stale-read', 'lost-write']) {
  test(`register with ${bug} is not linearizable`, needs('linearizable'), async () => {
    const r = await runTest(testOptions({ workload: 'register', bugs: [bug], nemesis: bug === 'stale-read' ? ['partition'] : [], timeLimit: 3 }));
    assert.equal(r.result['valid?'], false, printEdn(r.result));
  });
}

test('set under partition and kill is valid', needs('set-full'), async () => {
  const r = await runTest(testOptions({ workload: 'set', nemesis: ['partition', 'kill'] }));
  assert.equal(r.result['valid?'], true, printEdn(r.result));
});

test('set with stale-read: set-full reports stale reads', needs('set-full'), async () => {
  const r = await runTest(testOptions({ workload: 'set', bugs: ['stale-read'], nemesis: ['partition'], timeLimit: 3 }));
  assert.equal(r.result['valid?'], false, printEdn(r.result));
  // Jepsen's set-full names: stale elements were acknowledged but missing from later reads for a while, then showed up.
  assert.ok(Number(r.result['stale-count']) > 0, printEdn(r.result));
  assert.equal(Number(r.result['lost-count'] ?? 0), 0, 'stale, not lost: the final read after healing sees everything');
});

test('set with lost-write: set-full reports lost elements', needs('set-full'), async () => {
  const r = await runTest(testOptions({ workload: 'set', bugs: ['lost-write'] }));
  assert.equal(r.result['valid?'], false, printEdn(r.result));
  assert.ok(Number(r.result['lost-count']) > 0, printEdn(r.result));
});

test('a checker that is not registered gives :unknown, not a crash', async () => {
  const r = await runTest(testOptions({ workload: 'register', timeLimit: 0.3, name: 'unknown-checker' }));
  if (r.result['valid?'] === UNKNOWN) assert.match(String(r.result.error), /not registered/);
  assert.match(readFileSync(join(r.dir, 'results.edn'), 'utf8'), /:valid\? /);
});

test('runs that cannot be made say why', async () => {
  await assert.rejects(runTest(testOptions({ workload: 'queue' })), (e: Error) => e instanceof RunError && /has no workload queue/.test(e.message));
  await assert.rejects(runTest(testOptions({ workload: 'set', db: 'nope' })), (e: Error) => e instanceof RunError && /unknown --db nope/.test(e.message));
  await assert.rejects(runTest(testOptions({ workload: 'set', nemesis: ['meteor'] })), (e: Error) => e instanceof RunError && /no fault meteor/.test(e.message));
  await assert.rejects(runTest(testOptions({ workload: 'set', bugs: ['gremlins'] })), (e: Error) => e instanceof RunError && /unknown bug gremlins/.test(e.message));
});

test('register: a brute-force oracle agrees the correct db is linearizable and each register bug is not', async () => {
  const { nonLinearizableKeys } = await import('./register-oracle.js');
  const { readHistory: read } = await import('../../analyzer/history/read.js');
  const cases: Array<[string[], string[], boolean]> = [
    [[], ['partition', 'kill'], true],
    [['stale-read'], ['partition'], false],
    [['lost-write'], [], false],
  ];
  for (const [bugs, nemesis, expectOk] of cases) {
    const r = await runTest(testOptions({ workload: 'register', bugs, nemesis, timeLimit: 2, name: `oracle-${bugs.join() || 'none'}` }));
    const bad = nonLinearizableKeys(await read(join(r.dir, 'history.edn')));
    if (expectOk) assert.deepEqual(bad, [], `correct db: keys ${bad.join(' ')} not linearizable`);
    else assert.ok(bad.length > 0, `${bugs.join()}: every key linearizable`);
  }
});
