/**
 * End to end: `hindsight record --db etcd` on 3 namespace nodes, checked by the real checkers.
 * Needs root and etcd/sshd/iptables (skipped with the reason otherwise; CI installs them). Each
 * test also needs its checker registered in the analyzer and says so when it is not.
 *
 * These random recordings show that a correct configuration passes; the anomalies etcd is known
 * for (stale serializable reads, locks that outlive their lease) are constructed step by step in
 * constructed.test.ts, so that they show on every run.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { checkerNamed } from '../../analyzer/checkers/registry.js';
import { runTest, type RunOutcome } from '../../recorder/run/run-test.js';
import { RunError, type TestOptions } from '../../recorder/core/types.js';
import { claimFile } from '../../recorder/nodes/claim.js';
import { namespacesDown, namespacesUp, readState } from '../../recorder/nodes/namespaces.js';
import { clusterSkipReason, leftovers } from './support.js';

const NAME = 'hsr';
const store = join(tmpdir(), `hindsight-etcd-record-${process.pid}`);
const noCluster = clusterSkipReason();

function skipFor(...checkers: string[]): string | false {
  if (noCluster) return noCluster;
  const missing = checkers.filter((c) => !checkerNamed(c));
  return missing.length ? `checker ${missing.join(', ')} not registered yet` : false;
}

before(async () => {
  if (noCluster) return;
  await namespacesDown(NAME);
  // One cluster for every recording here; the backend uses it (and leaves it up) via extra.cluster.
  await namespacesUp({ name: NAME, count: 3, subnet: '10.77.2' });
});

after(async () => {
  rmSync(store, { recursive: true, force: true });
  if (noCluster) return;
  await namespacesDown(NAME);
  assert.deepEqual(leftovers(NAME), []);
  assert.equal(readState(NAME), undefined);
});

function options(workload: string, nemesis: string[], timeLimit: number, extra: Record<string, unknown> = {}, seed = 1, opTimeoutMs = 5000): TestOptions {
  return {
    name: `etcd-${workload}`,
    db: 'etcd',
    workload,
    nodes: ['n1', 'n2', 'n3'],
    concurrency: 10,
    timeLimit,
    seed,
    store,
    nemesis,
    nemesisInterval: 3,
    bugs: [],
    rate: 0,
    opTimeoutMs,
    leaveDbRunning: false,
    extra: { cluster: NAME, ...extra },
  };
}

function history(r: RunOutcome): string {
  return readFileSync(join(r.dir, 'history.edn'), 'utf8');
}

function nemesisFs(r: RunOutcome): Set<string> {
  return new Set([...history(r).matchAll(/:type :info, :process :nemesis, :f :([a-z-]+), :value (?!nil)/g)].map((m) => m[1]!));
}


test('a cluster another live recording holds is refused (exit 3), and the claim is ours again after the run', { skip: noCluster, timeout: 60_000 }, async () => {
  const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
  const file = claimFile(NAME);
  try {
    writeFileSync(file, `${holder.pid}\n`);
    await assert.rejects(runTest(options('register', [], 2)), (e: unknown) => {
      assert.ok(e instanceof RunError, String(e));
      assert.equal(e.message, `etcd: namespace cluster ${NAME} is in use by another recording (pid ${holder.pid}, claim ${file}); wait for it to end or pick another --cluster`);
      return true;
    });
    assert.equal(readFileSync(file, 'utf8'), `${holder.pid}\n`, 'the other claim is left alone');
  } finally {
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
  }
  // Its holder is dead: the next recording takes the claim over and releases it at the end.
  const r = await runTest(options('register', [], 2));
  assert.equal(r.result['valid?'], true, `results in ${r.dir}`);
  assert.equal(existsSync(file), false);
});

test('register, 20 s with partitions and kills: linearizable', { skip: skipFor('linearizable'), timeout: 120_000 }, async () => {
  const r = await runTest(options('register', ['partition', 'kill'], 20));
  assert.equal(r.result['valid?'], true, `results in ${r.dir}`);
  const fs = nemesisFs(r);
  assert.ok(fs.has('start-partition') || fs.has('start-kill'), `nemesis acted: ${[...fs].join(', ')}`);
  assert.ok(fs.has('heal'));
  assert.match(history(r), /:type :ok, :process \d+, :f :read, :value \[\d+ \d+\]/);
  assert.ok(readFileSync(join(r.dir, 'n1', 'etcd.log'), 'utf8').length > 0, 'etcd logs collected');
});

test('append, 20 s with partitions and kills: strict serializable', { skip: skipFor('list-append'), timeout: 120_000 }, async () => {
  const r = await runTest(options('append', ['partition', 'kill'], 20));
  assert.equal(r.result['valid?'], true, `results in ${r.dir}`);
  assert.match(history(r), /:type :ok, :process \d+, :f :txn, :value \[.*\[:append \d+ \d+\]/);
  assert.ok(nemesisFs(r).has('heal'));
});

test('watch, 15 s with partitions and kills: every watcher sees the same sequence', { skip: skipFor('watch'), timeout: 120_000 }, async () => {
  const r = await runTest(options('watch', ['partition', 'kill'], 15));
  assert.equal(r.result['valid?'], true, `results in ${r.dir}`);
  assert.match(history(r), /:type :ok, :process \d+, :f :final-watch, :value \{:revision \d+, :log \[/);
});
