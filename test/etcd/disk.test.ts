/**
 * Disk faults on 3 real etcd namespace nodes through the fault-injecting filesystem under each
 * data directory (recorder/disk/faultfs.py; needs root, etcd, FUSE and Debian's python3-fusepy,
 * skipped with the reason otherwise — CI installs them): a slow disk slows every commit, a
 * failing disk kills etcd on its first failed WAL write, a crash losing unsynced writes loses
 * nothing etcd acknowledged; every fault heals, and every mount and helper is gone afterwards,
 * also when a test failed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { NodeSession } from '../../recorder/control/session.js';
import type { TestContext } from '../../recorder/core/types.js';
import { EtcdClient } from '../../recorder/etcd/client.js';
import { EtcdCluster } from '../../recorder/etcd/cluster.js';
import { EtcdNemesis } from '../../recorder/etcd/nemesis.js';
import { isMounted } from '../../recorder/disk/faultfs.js';
import { closeSessions, openSessions, type Cluster } from '../../recorder/nodes/cluster.js';
import { namespacesDown, namespacesUp, readState } from '../../recorder/nodes/namespaces.js';
import { clusterSkipReason, eventually, leftovers } from './support.js';

const NAME = 'hsf';
const fuseMissing = (): string | false => {
  if (spawnSync('bash', ['-c', 'command -v fusermount3 || command -v fusermount'], { stdio: 'ignore' }).status !== 0) return 'not installed: fuse3 (apt-get install fuse3)';
  if (spawnSync('/usr/bin/python3', ['-c', 'import fusepy'], { stdio: 'ignore' }).status !== 0) return 'not installed: python3-fusepy (apt-get install python3-fusepy)';
  return false;
};
const skip = clusterSkipReason() || fuseMissing();
let cluster: Cluster;
let sessions: Map<string, NodeSession>;
let etcd: EtcdCluster;

const helpers = (): string => spawnSync('pgrep', ['-fa', 'faultfs.py'], { encoding: 'utf8' }).stdout.trim();

before(async () => {
  if (skip) return;
  await namespacesDown(NAME);
  cluster = await namespacesUp({ name: NAME, count: 3, subnet: '10.77.8' });
  sessions = openSessions(cluster);
  etcd = new EtcdCluster(cluster, sessions, { faultFs: true });
});

after(async () => {
  if (skip) return;
  try {
    await etcd.teardown().catch(() => undefined);
    for (const n of etcd.names) assert.equal(await isMounted(sessions.get(n)!, etcd.faultFsPaths(n)), false, `${n} still mounted`);
    await closeSessions(sessions);
  } finally {
    await namespacesDown(NAME);
  }
  assert.equal(helpers(), '', 'a faultfs helper outlived the tests');
  assert.deepEqual(leftovers(NAME), []);
  assert.equal(readState(NAME), undefined);
});

const ctx = (): TestContext => ({ random: Math.random, log: { info() {}, warn() {} }, signal: new AbortController().signal }) as unknown as TestContext;


const result = (v: unknown): Array<Record<string, unknown>> => (v as Record<string, unknown>).result as Array<Record<string, unknown>>;

test('disk-slow on every node: each commit waits for a slow fsync (at least the 50 ms the disk adds); heal makes it fast again', { skip, timeout: 90_000 }, async () => {
  await etcd.setup();
  const t = ctx();
  const nemesis = new EtcdNemesis(etcd, ['disk-slow']);
  const c = new EtcdClient(etcd.clientEndpoint('n1'), { timeoutMs: 5000 });
  try {
    await nemesis.setup(t);
    await eventually(() => c.put('k', '0'));
    const r = await nemesis.invoke(t, { process: 'nemesis', f: 'start-disk-slow', value: ['n1', 'n2', 'n3'] });
    assert.deepEqual(result(r.value).map((x) => x['running?']), [true, true, true]);
    const t0 = performance.now();
    await c.put('k', '1');
    const slow = performance.now() - t0;
    // A majority's WAL fsync is in every commit, and each now sleeps 50 ms first.
    assert.ok(slow >= 50, `a commit on slow disks took ${slow.toFixed(1)} ms`);
    await nemesis.healAll(t);
    assert.equal(nemesis.faulty, false);
    assert.equal((await c.get('k')).kv?.value, '1');
    await nemesis.teardown(t);
  } finally {
    c.close();
    await etcd.teardown();
  }
});

test('disk-eio: etcd dies on its first failed WAL write, saying so; heal restarts it and it catches up', { skip, timeout: 90_000 }, async () => {
  await etcd.setup();
  const t = ctx();
  const nemesis = new EtcdNemesis(etcd, ['disk-eio']);
  const c1 = new EtcdClient(etcd.clientEndpoint('n1'), { timeoutMs: 3000 });
  try {
    await nemesis.setup(t);
    const r = await nemesis.invoke(t, { process: 'nemesis', f: 'start-disk-eio', value: ['n3'] });
    // Writes keep coming through the majority, so n3 must write its WAL, and fails.
    for (let i = 0; i < 20; i++) await eventually(() => c1.put(`k${i}`, String(i)));
    await eventually(async () => assert.equal(await etcd.isRunning('n3'), false, 'etcd on n3 still running on a failing disk'));
    assert.deepEqual((r.value as Record<string, unknown>).targets, ['n3']);
    const healed = await nemesis.invoke(t, { process: 'nemesis', f: 'stop-disk-eio', value: null });
    assert.deepEqual(((healed.value as Record<string, unknown>).result as Record<string, unknown>).restarted, ['n3']);
    await etcd.awaitHealthy();
    const c3 = new EtcdClient(etcd.clientEndpoint('n3'), { timeoutMs: 3000 });
    try {
      assert.equal((await eventually(() => c3.get('k19'))).kv?.value, '19');
    } finally {
      c3.close();
    }
    await nemesis.teardown(t);
  } finally {
    c1.close();
    await etcd.teardown();
  }
});

test('disk-lose-unfsynced: a crash that loses every write etcd did not fsync loses nothing it acknowledged', { skip, timeout: 90_000 }, async () => {
  await etcd.setup();
  const t = ctx();
  const nemesis = new EtcdNemesis(etcd, ['disk-lose-unfsynced']);
  const c = new EtcdClient(etcd.clientEndpoint('n2'), { timeoutMs: 3000 });
  try {
    await nemesis.setup(t);
    for (let i = 0; i < 30; i++) await eventually(() => c.put(`k${i}`, String(i)));
    const r = await nemesis.invoke(t, { process: 'nemesis', f: 'start-disk-lose-unfsynced', value: ['n1', 'n2', 'n3'] });
    assert.deepEqual(result(r.value).map((x) => x['running?']), [true, true, true]);
    await etcd.awaitHealthy();
    for (let i = 0; i < 30; i++) assert.equal((await eventually(() => c.get(`k${i}`))).kv?.value, String(i), `k${i}`);
    await nemesis.healAll(t);
    await nemesis.teardown(t);
  } finally {
    c.close();
    await etcd.teardown();
  }
});
