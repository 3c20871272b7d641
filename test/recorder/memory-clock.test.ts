/**
 * Clock faults on the embedded database and the `clock-lease` bug, constructed step by step on
 * the cluster's manual clock: a leader whose clock is set back keeps believing its lease runs
 * after the followers (judging by their clocks) have replaced it, and serves a stale read; the
 * correct database and the bug without skew do not.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomFunction } from '../../analyzer/util/random.js';
import { MemoryCluster } from '../../recorder/memory/cluster.js';
import { runOp } from '../../recorder/memory/ops.js';
import { nemesisOp } from '../../recorder/memory/server.js';
import { elapse, settle } from '../support/manual-clock.js';
import { runCliInProcess } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];
const cluster = (bugs: string[]): MemoryCluster => new MemoryCluster({ nodes, bugs, random: randomFunction(1, 'raw'), replicationDelayMs: 20, electionTimeoutMs: 40, clock: 'manual' });

test('clock-lease: a leader set 2 s back is replaced by the followers yet serves its old value under its lease; the correct db reads through the new leader', async () => {
  for (const bugs of [[], ['clock-lease']]) {
    const c = cluster(bugs);
    try {
      await settle(c, runOp(c, 0, 'register', 'write', [1, 1]));
      const old = c.leaderIndex;
      const other = (old + 1) % 5;
      assert.deepEqual(nemesisOp(c, 'start-clock', [nodes[old]]).value, { nodes: [nodes[old]], 'bump-ms': -2000 });
      await elapse(c, 10);
      if (bugs.length > 0) assert.notEqual(c.leaderIndex, old, 'the followers, judging by their clocks, elected another leader');
      else assert.equal(c.leaderIndex, old, 'the correct db does not elect by clocks');
      assert.deepEqual(await settle(c, runOp(c, other, 'register', 'write', [1, 2])), { type: 'ok', value: [1, 2] });
      await elapse(c, 100);
      const read = await settle(c, runOp(c, old, 'register', 'read', [1, null]));
      assert.deepEqual(read, { type: 'ok', value: [1, bugs.length > 0 ? 1 : 2] }, bugs.join() || 'correct');
      // Set right again, the old leader's lease has run out: it follows, and reads the new value.
      nemesisOp(c, 'stop-clock', [nodes[old]]);
      await elapse(c, 60);
      assert.deepEqual(await settle(c, runOp(c, old, 'register', 'read', [1, null])), { type: 'ok', value: [1, 2] });
    } finally {
      c.stop();
    }
  }
});

test('clock-lease without clock trouble: a leader cut off loses its lease before a new leader can commit, so no stale read', async () => {
  const c = cluster(['clock-lease']);
  try {
    await settle(c, runOp(c, 0, 'register', 'write', [1, 1]));
    const old = c.leaderIndex;
    const rest = [0, 1, 2, 3, 4].filter((i) => i !== old);
    c.partition([[old], rest]);
    await elapse(c, 60);
    assert.notEqual(c.leaderIndex, old);
    assert.deepEqual(await settle(c, runOp(c, rest[0], 'register', 'write', [1, 2])), { type: 'ok', value: [1, 2] });
    // Its lease gone, the cut-off node sends the read to a leader it cannot reach: a clean failure, not 1.
    const read = await settle(c, runOp(c, old, 'register', 'read', [1, null]));
    assert.equal(read.type, 'fail');
  } finally {
    c.stop();
  }
});

test('clock faults take turns (2 s back, 2 s ahead, a ±250 ms strobe), strike the leader by default, and heal sets every clock right', async () => {
  const c = cluster([]);
  try {
    const leader = nodes[c.leaderIndex];
    assert.deepEqual(nemesisOp(c, 'start-clock').value, { nodes: [leader], 'bump-ms': -2000 });
    assert.equal(c.clockOf(c.leaderIndex) - c.clockOf((c.leaderIndex + 1) % 5), -2000);
    assert.deepEqual(nemesisOp(c, 'start-clock', ['n2']).value, { nodes: ['n2'], 'bump-ms': 2000 });
    assert.deepEqual(nemesisOp(c, 'start-clock', ['n3']).value, { nodes: ['n3'], 'strobe-ms': 250, 'period-ms': 10 });
    const seen = new Set<number>();
    for (let t = 0; t < 40; t += 2) {
      seen.add(c.clockOf(2) - c.clockOf(3));
      await elapse(c, 2);
    }
    assert.deepEqual([...seen].sort((a, b) => a - b), [-250, 250]);
    nemesisOp(c, 'heal');
    await elapse(c, 10);
    for (let i = 0; i < 5; i++) assert.equal(c.clockOf(i), c.clockOf(0));
  } finally {
    c.stop();
  }
});

test('record --bug clock-lease: invalid under --nemesis clock (the stale read named), valid with no faults', async () => {
  const store = tempDir('hindsight-clock-');
  const common = ['record', '--db', 'memory', '--workload', 'register', '--bug', 'clock-lease', '--time-limit', '2.5', '--seed', '3', '--store', store, '--quiet'];
  const skewed = await runCliInProcess([...common, '--nemesis', 'clock', '--nemesis-interval', '0.4', '--name', 'skewed']);
  assert.equal(skewed.code, 1, skewed.out + skewed.err);
  const calm = await runCliInProcess([...common, '--name', 'calm']);
  assert.equal(calm.code, 0, calm.out + calm.err);
});
