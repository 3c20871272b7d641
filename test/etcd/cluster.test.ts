/**
 * Namespace nodes, SSH control and etcd's lifecycle and faults, on 3 real nodes (needs root and
 * etcd/sshd/iptables; skipped with the reason otherwise — CI installs them).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ControlError, ControlTimeout } from '../../recorder/control/errors.js';
import { sh } from '../../recorder/control/quote.js';
import { NodeSession } from '../../recorder/control/session.js';
import { EtcdClient } from '../../recorder/etcd/client.js';
import { completionFor } from '../../recorder/etcd/errors.js';
import { EtcdNemesis } from '../../recorder/etcd/nemesis.js';
import { kw } from '../../analyzer/edn/values.js';
import type { TestContext } from '../../recorder/core/types.js';
import { clusterSkipReason, etcdNodes, eventually } from './support.js';

const skip = clusterSkipReason();
const nodes = etcdNodes('hsc', '10.77.1', skip);

test('control: one persistent shell per node, errors name node, command and stderr', { skip }, async () => {
  const n1 = nodes.sessions.get('n1')!;
  const pid1 = (await n1.run('echo $$')).stdout;
  const pid2 = (await n1.run('echo $$')).stdout;
  assert.equal(pid1, pid2, 'commands share one shell');
  assert.match((await n1.run('ip -o -4 addr show eth0')).stdout, /10\.77\.1\.11\/24/);
  await assert.rejects(n1.run('echo oops >&2; exit 3'), (e: unknown) => {
    assert.ok(e instanceof ControlError);
    assert.equal(e.message, 'on n1: `echo oops >&2; exit 3` exited with status 3: oops');
    assert.equal(e.exitCode, 3);
    return true;
  });
  assert.deepEqual(await n1.run('printf out; printf err >&2; exit 4', { allowFailure: true }), { stdout: 'out', stderr: 'err', code: 4 });
  // Quoting: a value full of shell syntax arrives literally.
  const evil = `$(echo pwned) \`id\` 'q' "d" ; exit 9`;
  assert.equal((await n1.run(sh`printf %s ${evil}`)).stdout, evil);
  // A syntax error is a failed command, not a broken channel.
  await assert.rejects(n1.run('if then'), /syntax error/);
  await assert.rejects(n1.run('sleep 10', { timeoutMs: 200 }), (e: unknown) => e instanceof ControlTimeout && e.message === 'on n1: `sleep 10` timed out after 200 ms');
  const pid3 = (await n1.run('echo $$')).stdout;
  assert.notEqual(pid3, pid1, 'a timed-out channel is replaced');
  await n1.upload('/tmp/hsc-upload', "a'b\n", '600');
  assert.equal((await n1.run('cat /tmp/hsc-upload; stat -c %a /tmp/hsc-upload; rm /tmp/hsc-upload')).stdout, "a'b\n600\n");
});

test('control: a host key that does not match is refused', { skip }, async () => {
  const n = nodes.cluster.nodes[1]!;
  const s = new NodeSession({ name: n.name, host: n.host, user: 'root', privateKey: nodes.cluster.privateKey, verifyHostKey: () => false });
  try {
    await assert.rejects(s.run('true'), /on n2: `true` host key verification failed/);
  } finally {
    await s.close();
  }
});


const testCtx = (): TestContext =>
  ({ random: Math.random, log: { info() {}, warn() {} }, signal: new AbortController().signal }) as unknown as TestContext;

test('etcd: setup, kill/start, pause/resume, a partition that isolates a node, heal, teardown', { skip }, async () => {
  await nodes.etcd.setup();
  const c1 = new EtcdClient(nodes.etcd.clientEndpoint('n1'), { timeoutMs: 1500 });
  const c2 = new EtcdClient(nodes.etcd.clientEndpoint('n2'), { timeoutMs: 1500 });
  const nemesis = new EtcdNemesis(nodes.etcd, ['partition']);
  const t = testCtx();
  try {
    await c1.put('k', '1');
    assert.equal((await c2.get('k')).kv?.value, '1');
    assert.match((await c1.status()).version, /^3\.\d+\.\d+$/);

    // kill: nothing listens, so the op certainly did not happen.
    await nodes.etcd.kill('n1');
    const refused = await c1.put('k', '2').then(() => undefined, (e: unknown) => completionFor(e, false));
    assert.equal(refused?.type, 'fail');
    assert.equal(refused?.error, 'connection-refused');
    await nodes.etcd.start('n1');
    await nodes.etcd.awaitHealthy(['n1']);
    assert.equal((await c1.get('k')).kv?.value, '1');

    // pause: the connection stays up but nothing answers; a write is indeterminate.
    await nodes.etcd.signal('n2', 'STOP');
    const paused = await c2.put('k', '3').then(() => undefined, (e: unknown) => completionFor(e, false));
    assert.equal(paused?.type, 'info');
    assert.equal(paused?.error, 'timeout');
    await nodes.etcd.signal('n2', 'CONT');
    await nodes.etcd.awaitHealthy(['n2']);

    // partition: n1 alone cannot commit; the majority can.
    await nemesis.setup(t);
    const r = await nemesis.invoke(t, { process: 'nemesis', f: 'start-partition', value: ['n1'] });
    assert.equal(r.type, 'info');
    const cut = await c1.put('k', '4').then(() => undefined, (e: unknown) => completionFor(e, false));
    assert.equal(cut?.type, 'info');
    // (if n1 led, the majority first elects a new leader: retry for a while)
    await eventually(() => c2.put('k', '5'));
    // A serializable read on the isolated node is served from its stale local state: it cannot
    // have seen the majority's write (earlier timed-out writes, :info, may or may not show).
    const stale = (await c1.get('k', { serializable: true })).kv?.value;
    assert.ok(stale !== undefined && stale !== '5', `stale read saw ${stale}`);
    await nemesis.healAll(t);
    // The timed-out write may still commit after the heal (n1 may have queued the proposal for the
    // leader; it is delivered when the partition heals): that is why a timeout is :info.
    assert.ok(['4', '5'].includes((await c1.get('k')).kv?.value ?? ''), 'the value is one of the two writes');
    await nemesis.teardown(t);
  } finally {
    c1.close();
    c2.close();
  }
  await nodes.etcd.teardown();
  const left = await nodes.sessions.get('n1')!.run(sh`ls ${nodes.etcd.dir('n1')}`);
  assert.equal(left.stdout.includes('data'), false);
});

test('nemesis: member removal and re-join with a fresh data dir; kill and pause heal', { skip, timeout: 90_000 }, async () => {
  await nodes.etcd.setup();
  const t = testCtx();
  const nemesis = new EtcdNemesis(nodes.etcd, ['member', 'kill', 'pause']);
  const c1 = new EtcdClient(nodes.etcd.clientEndpoint('n1'), { timeoutMs: 3000 });
  try {
    await nemesis.setup(t);
    const removed = await nemesis.invoke(t, { process: 'nemesis', f: 'start-member', value: ['n3'] });
    assert.deepEqual(removed, { type: 'info', value: { fault: kw('member'), targets: ['n3'], result: { removed: ['n3'] }, states: { n3: kw('removed') } } });
    assert.deepEqual((await eventually(() => c1.memberList())).map((m) => m.name).sort(), ['n1', 'n2']);
    await eventually(() => c1.put('k', 'while-two'));
    const added = await nemesis.invoke(t, { process: 'nemesis', f: 'stop-member', value: null });
    assert.deepEqual(added, { type: 'info', value: { fault: kw('member'), targets: ['n3'], result: { added: ['n3'] }, states: { n3: kw('up') } } });
    await nodes.etcd.awaitHealthy(['n3']);
    const c3 = new EtcdClient(nodes.etcd.clientEndpoint('n3'), { timeoutMs: 3000 });
    try {
      assert.equal((await eventually(() => c3.get('k'))).kv?.value, 'while-two', 'the new member caught up');
    } finally {
      c3.close();
    }
    assert.deepEqual((await c1.memberList()).map((m) => m.name).sort(), ['n1', 'n2', 'n3']);

    const killed = await nemesis.invoke(t, { process: 'nemesis', f: 'start-kill', value: ['n2'] });
    assert.deepEqual(killed.value, { fault: kw('kill'), targets: ['n2'], result: { killed: ['n2'] }, states: { n2: kw('killed') } });
    const paused = await nemesis.invoke(t, { process: 'nemesis', f: 'start-pause', value: ['n1'] });
    assert.deepEqual(paused.value, { fault: kw('pause'), targets: ['n1'], result: { paused: ['n1'] }, states: { n1: kw('paused') } });
    assert.equal(nemesis.faulty, true);
    await nemesis.healAll(t);
    assert.equal(nemesis.faulty, false);
    await eventually(() => c1.put('k', 'healed'));
    await nemesis.teardown(t);
  } finally {
    c1.close();
    await nodes.etcd.teardown();
  }
});

test('nemesis: kill=leader and pause=leader strike the node etcd names as leader; a shaped partition marks the nodes it cuts; heal-all leaves every node up', { skip, timeout: 90_000 }, async () => {
  await nodes.etcd.setup();
  const t = testCtx();
  const nemesis = new EtcdNemesis(nodes.etcd, ['kill', 'pause', 'partition-bridge'], { targets: { kill: 'leader', pause: 'leader' } });
  const leaderOf = async (via: string): Promise<string> => {
    const c = new EtcdClient(nodes.etcd.clientEndpoint(via), { timeoutMs: 3000 });
    try {
      const st = await eventually(() => c.status());
      const name = (await c.memberList()).find((m) => m.id === st.leader)?.name;
      assert.ok(name !== undefined, 'a leader');
      return name;
    } finally {
      c.close();
    }
  };
  try {
    await nemesis.setup(t);
    const leader = await leaderOf('n1');
    const killed = await nemesis.invoke(t, { process: 'nemesis', f: 'start-kill', value: null });
    assert.deepEqual((killed.value as Record<string, unknown>).targets, [leader]);
    await nemesis.invoke(t, { process: 'nemesis', f: 'stop-kill', value: null });
    await nodes.etcd.awaitHealthy();
    const next = await eventually(async () => {
      const l = await leaderOf(['n1', 'n2', 'n3'].find((n) => n !== leader)!);
      return l;
    });
    const paused = await nemesis.invoke(t, { process: 'nemesis', f: 'start-pause', value: null });
    assert.deepEqual((paused.value as Record<string, unknown>).targets, [next]);
    const ring = await nemesis.invoke(t, { process: 'nemesis', f: 'start-partition-bridge', value: null });
    const rv = ring.value as Record<string, unknown>;
    const cut = rv.targets as string[];
    // On 3 nodes a bridge cuts the two ends off from each other; the bridge sees both and is not cut.
    assert.equal(cut.length, 2, `cut: ${cut.join(' ')}`);
    for (const n of ['n1', 'n2', 'n3']) assert.equal(nemesis.nodeStates.get(n)!.partitioned, cut.includes(n), n);
    assert.equal(nemesis.faulty, true);
    await nemesis.healAll(t);
    assert.equal(nemesis.faulty, false);
    for (const s of nemesis.nodeStates.values()) assert.deepEqual(s, { process: 'running', member: true, partitioned: false, skewed: false, corrupt: false, disk: false });
    await nemesis.teardown(t);
  } finally {
    await nodes.etcd.teardown();
  }
});

test('nemesis: WAL corruption then restart — a flipped-bit segment and a torn tail: what etcd did is recorded, the node is rebuilt at heal, and what was written before is read through it', { skip, timeout: 120_000 }, async () => {
  await nodes.etcd.setup();
  const t = testCtx();
  const nemesis = new EtcdNemesis(nodes.etcd, ['corrupt-bitflip', 'corrupt-truncate']);
  const c1 = new EtcdClient(nodes.etcd.clientEndpoint('n1'), { timeoutMs: 3000 });
  try {
    await nemesis.setup(t);
    for (let i = 0; i < 50; i++) await eventually(() => c1.put(`k${i}`, String(i)));
    for (const how of ['bitflip', 'truncate']) {
      const r = await nemesis.invoke(t, { process: 'nemesis', f: `start-corrupt-${how}`, value: ['n3'] });
      const v = r.value as Record<string, unknown>;
      assert.deepEqual(v.targets, ['n3']);
      const [d] = v.result as Array<Record<string, unknown>>;
      assert.equal(d.damaged, true, JSON.stringify(d));
      assert.equal(typeof d['restarted?'], 'boolean');
      if (d['restarted?'] === false) assert.match(String(d['refused-with']), /\S/);
      assert.equal(nemesis.nodeStates.get('n3')!.corrupt, true);
      const healed = await nemesis.invoke(t, { process: 'nemesis', f: `stop-corrupt-${how}`, value: null });
      assert.deepEqual((healed.value as Record<string, unknown>).result, { rebuilt: ['n3'] });
      await nodes.etcd.awaitHealthy();
      const c3 = new EtcdClient(nodes.etcd.clientEndpoint('n3'), { timeoutMs: 3000 });
      try {
        assert.equal((await eventually(() => c3.get('k49'))).kv?.value, '49', `${how}: the rebuilt member caught up`);
      } finally {
        c3.close();
      }
    }
    assert.equal(nemesis.faulty, false);
    await nemesis.teardown(t);
  } finally {
    c1.close();
    await nodes.etcd.teardown();
  }
});
