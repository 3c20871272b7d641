/**
 * The embedded database's replication rules, driven directly (no gRPC, no generators) on the
 * cluster's manual clock: time moves only when a test says so, so elections and replication
 * happen at the same step on a fast machine and a loaded one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kw } from '../../analyzer/edn/values.js';
import { randomFunction } from '../../analyzer/util/random.js';
import { MemoryCluster } from '../../recorder/memory/cluster.js';
import { runOp } from '../../recorder/memory/ops.js';
import { nemesisOp } from '../../recorder/memory/server.js';
import { elapse, settle } from '../support/manual-clock.js';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];

function cluster(bugs: string[] = [], replicationDelayMs = 20): MemoryCluster {
  return new MemoryCluster({ nodes, bugs, random: randomFunction(1, 'raw'), replicationDelayMs, electionTimeoutMs: 40, clock: 'manual' });
}

test('writes commit through the leader; reads through any node see them', async () => {
  const c = cluster();
  try {
    assert.deepEqual(await settle(c, runOp(c, 2, 'register', 'write', [1, 5])), { type: 'ok', value: [1, 5] });
    assert.deepEqual(await settle(c, runOp(c, 4, 'register', 'read', [1, null])), { type: 'ok', value: [1, 5] });
    assert.deepEqual(await settle(c, runOp(c, 3, 'register', 'cas', [1, [5, 6]])), { type: 'ok', value: [1, [5, 6]] });
    assert.deepEqual(await settle(c, runOp(c, 3, 'register', 'cas', [1, [5, 7]])), { type: 'fail', error: kw('cas-mismatch') });
    assert.deepEqual(await settle(c, runOp(c, 0, 'register', 'read', [1, null])), { type: 'ok', value: [1, 6] });
  } finally {
    c.stop();
  }
});

test('a node cut off from the leader fails at once; the majority elects a new leader and keeps going', async () => {
  const c = cluster();
  try {
    await settle(c, runOp(c, 0, 'register', 'write', [1, 1]));
    const leader = c.leaderIndex;
    // Cut the leader and one follower off.
    const other = (leader + 1) % 5;
    c.partition([[leader, other], [0, 1, 2, 3, 4].filter((i) => i !== leader && i !== other)]);
    const maj = [0, 1, 2, 3, 4].find((i) => i !== leader && i !== other)!;
    // The old leader's proposal cannot commit: it dies with its term, an unknown outcome.
    const stuck = runOp(c, leader, 'register', 'write', [1, 99]);
    await elapse(c, 80);
    assert.notEqual(c.leaderIndex, leader);
    assert.deepEqual(await stuck, { type: 'info', error: kw('leader-changed') });
    assert.deepEqual(await settle(c, runOp(c, other, 'register', 'write', [1, 2])), { type: 'fail', error: kw('no-leader') });
    assert.deepEqual(await settle(c, runOp(c, maj, 'register', 'write', [1, 3])), { type: 'ok', value: [1, 3] });
    c.heal();
    await elapse(c, 40);
    assert.deepEqual(await settle(c, runOp(c, other, 'register', 'read', [1, null])), { type: 'ok', value: [1, 3] });
  } finally {
    c.stop();
  }
});

test('stale-read serves a lagging follower; the correct db does not', async () => {
  for (const bugs of [[], ['stale-read']]) {
    const c = cluster(bugs, 300);
    try {
      const follower = (c.leaderIndex + 1) % 5;
      await settle(c, runOp(c, c.leaderIndex, 'register', 'write', [1, 1]));
      // Read from the follower before replication reaches it.
      const r = await settle(c, runOp(c, follower, 'register', 'read', [1, null]));
      assert.deepEqual(r, { type: 'ok', value: [1, bugs.length === 0 ? 1 : null] }, bugs.join());
      await elapse(c, 400);
      assert.deepEqual(await settle(c, runOp(c, follower, 'register', 'read', [1, null])), { type: 'ok', value: [1, 1] });
    } finally {
      c.stop();
    }
  }
});

test('kill loses a node’s state until it restarts and replays the log; pause holds requests until resume', async () => {
  const c = cluster();
  try {
    for (let i = 0; i < 5; i++) await settle(c, runOp(c, 0, 'set', 'add', i));
    const victim = (c.leaderIndex + 2) % 5;
    c.kill(victim);
    assert.deepEqual(await settle(c, runOp(c, victim, 'set', 'add', 9)), { type: 'fail', error: kw('node-down') });
    c.restart(victim);
    await elapse(c, 60);
    assert.deepEqual(await settle(c, runOp(c, victim, 'set', 'read', null)), { type: 'ok', value: [0, 1, 2, 3, 4] });
    c.pause(victim);
    let done = false;
    const held = runOp(c, victim, 'set', 'add', 5).then((x) => ((done = true), x));
    await elapse(c, 30);
    assert.equal(done, false);
    c.resume(victim);
    assert.deepEqual(await settle(c, held), { type: 'ok', value: 5 });
  } finally {
    c.stop();
  }
});

test('transactions: list-append reads its own appends; rw-register writes and reads', async () => {
  const c = cluster();
  try {
    const t1 = await settle(c, runOp(c, 1, 'list-append', 'txn', [[kw('append'), 1, 10], [kw('r'), 1, null], [kw('append'), 1, 11]]));
    assert.deepEqual(t1, { type: 'ok', value: [[kw('append'), 1, 10], [kw('r'), 1, [10]], [kw('append'), 1, 11]] });
    const t2 = await settle(c, runOp(c, 2, 'list-append', 'txn', [[kw('r'), 1, null]]));
    assert.deepEqual(t2, { type: 'ok', value: [[kw('r'), 1, [10, 11]]] });
    const t3 = await settle(c, runOp(c, 2, 'rw-register', 'txn', [[kw('w'), 1, 7], [kw('r'), 1, null], [kw('r'), 2, null]]));
    assert.deepEqual(t3, { type: 'ok', value: [[kw('w'), 1, 7], [kw('r'), 1, 7], [kw('r'), 2, null]] });
  } finally {
    c.stop();
  }
});

test('the nemesis: a partition splits a minority off; kill and pause name their node; heal undoes all', () => {
  const c = cluster();
  try {
    const p = nemesisOp(c, 'start-partition');
    const [maj, min] = p.value as string[][];
    assert.equal(maj.length, 3);
    assert.equal(min.length, 2);
    assert.deepEqual([...maj, ...min].sort(), nodes);
    assert.equal((nemesisOp(c, 'start-kill').value as string[]).length, 1);
    assert.deepEqual(nemesisOp(c, 'heal'), { type: 'info', value: kw('healed') });
    assert.ok(c.nodes.every((n) => !n.killed && !n.paused));
    assert.deepEqual(nemesisOp(c, 'start-meteor'), { type: 'info', error: [kw('unknown-fault'), 'start-meteor'] });
  } finally {
    c.stop();
  }
});

test('partition shapes on the simulated links: a bridge cuts the two sides apart and its middle node sees both; the leader keeps a majority through it; heal reconnects all', async () => {
  const c = cluster();
  try {
    await settle(c, runOp(c, 0, 'register', 'write', [1, 1]));
    const r = nemesisOp(c, 'start-partition-bridge');
    const v = r.value as { shape: unknown; sees: Record<string, string[]>; cut: string[] };
    assert.equal(v.cut.length, 4);
    const middle = nodes.find((n) => !v.cut.includes(n))!;
    assert.deepEqual([...v.sees[middle]].sort(), nodes.filter((n) => n !== middle));
    const leader = nodes[c.leaderIndex];
    // Some side node cannot reach the leader (the far side, or the side without it if the middle leads).
    const far = v.cut.find((n) => n !== leader && !v.sees[leader].includes(n))!;
    await elapse(c, 60);
    assert.equal(nodes[c.leaderIndex], leader, 'the leader still reaches a majority through the bridge');
    assert.deepEqual(await settle(c, runOp(c, c.leaderIndex, 'register', 'write', [1, 2])), { type: 'ok', value: [1, 2] });
    assert.equal((await settle(c, runOp(c, nodes.indexOf(far), 'register', 'write', [1, 3]))).type, 'fail');
    nemesisOp(c, 'heal');
    await elapse(c, 40);
    assert.deepEqual(await settle(c, runOp(c, nodes.indexOf(far), 'register', 'read', [1, null])), { type: 'ok', value: [1, 2] });
  } finally {
    c.stop();
  }
});

test('journal disks: a slow leader disk holds each commit at least 50 ms; a failing one kills the leader at its next write (the write is unknown), another leads, and healing the disk brings the node back caught up', async () => {
  const c = cluster();
  try {
    await settle(c, runOp(c, 0, 'register', 'write', [1, 1]));
    const leader = c.leaderIndex;
    nemesisOp(c, 'start-disk-slow', [nodes[leader]]);
    await settle(c, runOp(c, leader, 'register', 'write', [1, 2]));
    const t0 = c.clockOf(0);
    await settle(c, runOp(c, leader, 'register', 'write', [1, 3]));
    assert.ok(c.clockOf(0) - t0 >= 50, `a commit on a slow disk took ${c.clockOf(0) - t0} ms of cluster time`);
    nemesisOp(c, 'stop-disk', [nodes[leader]]);
    nemesisOp(c, 'start-disk-eio', [nodes[leader]]);
    assert.deepEqual(await settle(c, runOp(c, leader, 'register', 'write', [1, 4])), { type: 'info', error: kw('leader-crashed') });
    assert.equal(c.nodes[leader].killed, true);
    await elapse(c, 80);
    assert.notEqual(c.leaderIndex, leader);
    assert.deepEqual(await settle(c, runOp(c, c.leaderIndex, 'register', 'write', [1, 5])), { type: 'ok', value: [1, 5] });
    nemesisOp(c, 'stop-disk', [nodes[leader]]);
    assert.equal(c.nodes[leader].killed, false);
    await elapse(c, 60);
    assert.deepEqual(await settle(c, runOp(c, leader, 'register', 'read', [1, null])), { type: 'ok', value: [1, 5] });
  } finally {
    c.stop();
  }
});
