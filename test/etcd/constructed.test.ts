/**
 * etcd's known anomalies, each constructed step by step on 3 real namespace nodes so that the
 * recording shows it every time (needs root and etcd/sshd/iptables; skipped with the reason
 * otherwise — CI installs them). The random recordings in record.test.ts show that a correct
 * configuration passes; these show that the checkers catch the anomaly when it is certainly there.
 *
 * - Serializable reads: write 1 through the cluster, make sure the node to be isolated has applied
 *   it (a linearizable read through that node), isolate it, write 2 through the majority, then read
 *   through the isolated node with a serializable read: it can only answer 1, a stale read.
 *   And of a key never written before the isolation: the stale read answers no value, which only
 *   `--nil absent` (the recorder's) catches; Knossos's rule lets nil fit anything.
 * - Lock leases: A takes the lock through a node and reads the set; that node is cut off, so A's
 *   keep-alives stop and its lease expires; B takes the lock through the majority, adds 2 and
 *   releases; only then does A write the set it read with 1 added, losing B's 2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { type EdnValue, Keyword } from '../../analyzer/edn/values.js';
import type { CheckResult } from '../../analyzer/check/checker.js';
import type { Invocation, TestContext } from '../../recorder/core/types.js';
import { EtcdClient } from '../../recorder/etcd/client.js';
import { registerOp, setOp } from '../../recorder/etcd/kv-ops.js';
import { customWorkload, LockClientState, lockSetOp } from '../../recorder/etcd/lock-watch.js';
import { EtcdNemesis } from '../../recorder/etcd/nemesis.js';
import { standardWorkload } from '../../recorder/workloads/index.js';
import { leaderName, Script, scriptContext } from './helpers/script.js';
import { clusterSkipReason, etcdNodes } from './support.js';

const skip = clusterSkipReason();
const NODES = ['n1', 'n2', 'n3'];
const nodes = etcdNodes('hsx', '10.77.7', skip);

function get(v: EdnValue | undefined, key: string): EdnValue | undefined {
  if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Keyword)) return (v as Record<string, EdnValue>)[key];
  return undefined;
}

interface Stage {
  readonly t: TestContext;
  readonly script: Script;
  readonly nemesis: EtcdNemesis;
  /** The leader when the test began (in the majority), and the follower that will be cut off. */
  readonly leader: string;
  readonly isolated: string;
  client(node: string): EtcdClient;
  isolate(): Promise<void>;
  heal(): Promise<void>;
}

/** A fresh cluster, a script, and clean-up of every client, fault and file, also on failure. */
async function staged(workload: string, body: (s: Stage) => Promise<void>): Promise<void> {
  await nodes.etcd.setup();
  const t = scriptContext(workload, NODES);
  const nemesis = new EtcdNemesis(nodes.etcd, ['partition']);
  const clients: EtcdClient[] = [];
  try {
    await nemesis.setup(t);
    const leader = await leaderName(nodes.etcd, 'n1');
    const isolated = NODES.filter((n) => n !== leader).at(-1)!;
    const script = new Script(t);
    const fault = (f: string, value: EdnValue) => script.op('nemesis', f, value, () => nemesis.invoke(t, { process: 'nemesis', f, value }));
    await body({
      t,
      script,
      nemesis,
      leader,
      isolated,
      client(node) {
        const c = new EtcdClient(nodes.etcd.clientEndpoint(node), { timeoutMs: 5000 });
        clients.push(c);
        return c;
      },
      isolate: async () => void (await fault('start-partition', [isolated])),
      heal: async () => void (await fault('stop-partition', null)),
    });
  } finally {
    for (const c of clients) c.close();
    await nemesis.healAll(t).catch(() => undefined);
    await nemesis.teardown(t);
    await nodes.etcd.teardown();
    rmSync(t.dir, { recursive: true, force: true });
  }
}

const op = (process: number, f: string, value: EdnValue): Invocation => ({ process, f, value });

test('serializable reads through an isolated node: the register is not linearizable, and the stale read is named', { skip, timeout: 90_000 }, async () => {
  let result: CheckResult | undefined;
  await staged('register', async (s) => {
    const majority = s.client(s.leader);
    const cut = s.client(s.isolated);
    const lin = { serializable: false };
    assert.equal((await s.script.op(0, 'write', [0, 1], () => registerOp(majority, op(0, 'write', [0, 1]), lin))).type, 'ok');
    // A linearizable read through the node to be cut off: once it answers, that node has applied 1.
    assert.deepEqual(await s.script.op(1, 'read', [0, null], () => registerOp(cut, op(1, 'read', [0, null]), lin)), { type: 'ok', value: [0, 1] });
    await s.isolate();
    assert.equal((await s.script.op(0, 'write', [0, 2], () => registerOp(majority, op(0, 'write', [0, 2]), lin))).type, 'ok');
    // Served from the isolated node's own state, which cannot have 2.
    assert.deepEqual(await s.script.op(1, 'read', [0, null], () => registerOp(cut, op(1, 'read', [0, null]), { serializable: true })), { type: 'ok', value: [0, 1] });
    await s.heal();
    result = await s.script.check(standardWorkload('register')!);
  });
  assert.equal(result!['valid?'], false);
  assert.deepEqual(get(result, 'failures'), [0]);
  // The failing op is the serializable read (index 9: after the nemesis's invoke and info pair).
  const failing = get(result, 'op');
  assert.equal(get(failing, 'index'), 9);
  assert.equal(get(failing, 'process'), 1);
  assert.deepEqual(get(failing, 'value'), [0, 1]);
  assert.equal(get(result, 'reason'), "can't read 1 from register 2");
  assert.deepEqual(get(get(result, 'previous-ok'), 'value'), [0, 2]);
});

test('a serializable read of a key its isolated member never saw written: nil, not linearizable under the recorder\'s --nil absent, passed by Knossos\'s rule', { skip, timeout: 90_000 }, async () => {
  let absent: CheckResult | undefined;
  let any: CheckResult | undefined;
  await staged('register', async (s) => {
    const majority = s.client(s.leader);
    const cut = s.client(s.isolated);
    const lin = { serializable: false };
    // Through the member to be cut off, linearizably: the key holds nothing yet.
    assert.deepEqual(await s.script.op(1, 'read', [0, null], () => registerOp(cut, op(1, 'read', [0, null]), lin)), { type: 'ok', value: [0, null] });
    await s.isolate();
    assert.equal((await s.script.op(0, 'write', [0, 1], () => registerOp(majority, op(0, 'write', [0, 1]), lin))).type, 'ok');
    // Served from the isolated member's own state, which cannot have the write: no value.
    assert.deepEqual(await s.script.op(1, 'read', [0, null], () => registerOp(cut, op(1, 'read', [0, null]), { serializable: true })), { type: 'ok', value: [0, null] });
    await s.heal();
    const w = standardWorkload('register')!;
    assert.equal(w.check.options.nil, 'absent', 'the recorder checks its registers with --nil absent');
    absent = await s.script.check(w);
    any = await s.script.check({ ...w, check: { ...w.check, options: { ...w.check.options, nil: 'any' } } });
  });
  assert.equal(absent!['valid?'], false);
  assert.deepEqual(get(absent, 'failures'), [0]);
  // The failing op is the serializable read (index 7: after the first read, the nemesis's invoke and info, and the write).
  const failing = get(absent, 'op');
  assert.equal(get(failing, 'index'), 7);
  assert.equal(get(failing, 'process'), 1);
  assert.deepEqual(get(failing, 'value'), [0, null]);
  assert.equal(get(absent, 'reason'), "can't read nil (no value) from register 1");
  assert.deepEqual(get(get(absent, 'previous-ok'), 'value'), [0, 1]);
  // Knossos's rule lets "nil" fit the 1 the key holds: the stale read passes unseen.
  assert.equal(any!['valid?'], true);
});

test('serializable reads through an isolated node: set-full counts the stale read of the majority\'s add', { skip, timeout: 90_000 }, async () => {
  let result: CheckResult | undefined;
  await staged('set', async (s) => {
    const majority = s.client(s.leader);
    const cut = s.client(s.isolated);
    const lin = { serializable: false };
    assert.equal((await s.script.op(0, 'add', 1, () => setOp(majority, op(0, 'add', 1), lin))).type, 'ok');
    assert.deepEqual(await s.script.op(1, 'read', null, () => setOp(cut, op(1, 'read', null), lin)), { type: 'ok', value: [1] });
    await s.isolate();
    assert.equal((await s.script.op(0, 'add', 2, () => setOp(majority, op(0, 'add', 2), lin))).type, 'ok');
    assert.deepEqual(await s.script.op(1, 'read', null, () => setOp(cut, op(1, 'read', null), { serializable: true })), { type: 'ok', value: [1] });
    await s.heal();
    assert.deepEqual(await s.script.op(0, 'read', null, () => setOp(majority, op(0, 'read', null), lin)), { type: 'ok', value: [1, 2] });
    result = await s.script.check(standardWorkload('set')!);
  });
  assert.equal(result!['valid?'], false);
  assert.equal(get(result, 'stale-count'), 1);
  assert.deepEqual(get(result, 'stale'), [2]);
  assert.equal(get(result, 'lost-count'), 0);
});

test('lock-set: a holder whose lease expired still writes, and the add made under the next holder is lost', { skip, timeout: 90_000 }, async () => {
  let result: CheckResult | undefined;
  await staged('lock-set', async (s) => {
    const aClient = s.client(s.isolated);
    const bClient = s.client(s.leader);
    let aHolds!: () => void;
    const aHolding = new Promise<void>((r) => (aHolds = r));
    let bDone!: () => void;
    const bFinished = new Promise<void>((r) => (bDone = r));
    const lockA = { ttlSeconds: 1, timeoutMs: 10_000, hold: () => (aHolds(), bFinished) };
    // B waits for A's lease to expire (etcd's minimum TTL is about 1.5 s) before it gets the lock.
    const lockB = { ttlSeconds: 1, timeoutMs: 20_000, hold: async () => undefined };
    const a = s.script.op(0, 'add', 1, () => lockSetOp(aClient, new LockClientState(), op(0, 'add', 1), lockA, s.t));
    await aHolding;
    await s.isolate();
    const b = await s.script.op(1, 'add', 2, () => lockSetOp(bClient, new LockClientState(), op(1, 'add', 2), lockB, s.t));
    assert.equal(b.type, 'ok', JSON.stringify(b));
    bDone();
    assert.equal((await a).type, 'ok');
    await s.heal();
    assert.deepEqual(await s.script.op(2, 'read', null, () => lockSetOp(bClient, new LockClientState(), op(2, 'read', null), lockB, s.t)), { type: 'ok', value: [1] });
    result = await s.script.check(customWorkload(s.t)!);
  });
  assert.equal(result!['valid?'], false);
  assert.equal(get(result, 'lost'), '#{2}');
  assert.equal(get(result, 'lost-count'), 1);
});
