/**
 * docs/architecture.md, recipe "A fault": a toy fault, `toy` (pause whichever node leads), on the
 * embedded database, added from a test without touching its source:
 *
 * - a `Nemesis` handling `start-toy` / `stop-toy` through the cluster's API and handing every
 *   other op to the embedded database's own dispatch (`nemesisOp`), driven on the cluster's
 *   manual clock so that elections happen exactly when the test moves time on;
 * - the generator's `faultSchedule` scheduling it (on the nemesis thread);
 * - the same wrapper around the Nemesis the memory backend itself builds (`prepare`), over the
 *   client server's nemesis session, whose heal must leave no toy fault behind.
 *
 * What needs a source change (not made here): the backend's list of faults (`record --nemesis
 * toy` is refused by the run, recorder/run/run-test.ts, unless `backend.faults` has it) and the
 * dispatch in recorder/memory/server.ts `nemesisOp` (a closed switch), which the client server's
 * nemesis session calls; see the report of issue #21.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tmpdir } from 'node:os';
import { type EdnValue, kw } from '../../analyzer/edn/values.js';
import { randomFunction } from '../../analyzer/util/random.js';
import type { Completion, Invocation, Nemesis, TestContext, TestOptions } from '../../recorder/core/types.js';
import { faultSchedule, nemesis as withNemesis, repeat, timeLimit } from '../../recorder/generator/combinators.js';
import { simulate } from '../../recorder/generator/simulate.js';
import { MemoryCluster } from '../../recorder/memory/cluster.js';
import { memoryBackend } from '../../recorder/memory/backend.js';
import { runOp } from '../../recorder/memory/ops.js';
import { nemesisOp, serveMemory } from '../../recorder/memory/server.js';
import { elapse, settle } from '../support/manual-clock.js';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];

/**
 * The toy fault: `start-toy` pauses the current leader, `stop-toy` resumes what it paused; the
 * completion value names the nodes. Every other op goes to `other` (the database's own nemesis).
 */
class ToyFault implements Nemesis {
  private readonly paused = new Set<number>();
  constructor(
    private readonly cluster: () => MemoryCluster,
    private readonly other: Pick<Nemesis, 'invoke' | 'healAll'>,
    private readonly lifecycle: Partial<Pick<Nemesis, 'setup' | 'teardown'>> = {},
  ) {}
  async setup(test: TestContext): Promise<void> {
    await this.lifecycle.setup?.(test);
  }
  async invoke(test: TestContext, op: Invocation): Promise<Completion> {
    const c = this.cluster();
    if (op.f === 'start-toy') {
      const i = c.leaderIndex;
      c.pause(i);
      this.paused.add(i);
      return { type: 'info', value: [c.nodes[i].name] };
    }
    if (op.f === 'stop-toy') {
      const hit = [...this.paused].sort((a, b) => a - b);
      for (const i of hit) c.resume(i);
      this.paused.clear();
      return { type: 'info', value: hit.map((i) => c.nodes[i].name) };
    }
    return this.other.invoke(test, op);
  }
  async healAll(test: TestContext): Promise<void> {
    // The database's heal resumes every node, the toy's included.
    await this.other.healAll(test);
    this.paused.clear();
  }
  async teardown(test: TestContext): Promise<void> {
    await this.lifecycle.teardown?.(test);
  }
}

function options(o: Partial<TestOptions> = {}): TestOptions {
  return {
    name: 'memory-toy-fault',
    db: 'memory',
    workload: 'register',
    nodes,
    concurrency: 1,
    timeLimit: 1,
    seed: 1,
    store: tmpdir(),
    nemesis: ['pause'],
    nemesisInterval: 1,
    bugs: [],
    rate: 0,
    opTimeoutMs: 1000,
    leaveDbRunning: false,
    extra: {},
    ...o,
  };
}

function context(opts: TestOptions): TestContext {
  return { opts, dir: tmpdir(), log: { info: () => undefined, warn: () => undefined }, signal: new AbortController().signal, random: randomFunction(1, 'raw') };
}

const NEMESIS_OP = (f: string): Invocation => ({ process: 'nemesis', f, value: null });

/** The manual-clock cluster and the toy fault over the database's own nemesis dispatch. */
function manual(): { c: MemoryCluster; nem: ToyFault; t: TestContext } {
  const c = new MemoryCluster({ nodes, bugs: [], random: randomFunction(1, 'raw'), electionTimeoutMs: 40, clock: 'manual' });
  const own = {
    invoke: async (_t: TestContext, op: Invocation): Promise<Completion> => nemesisOp(c, op.f),
    healAll: async (): Promise<void> => void nemesisOp(c, 'heal'),
  };
  return { c, nem: new ToyFault(() => c, own), t: context(options()) };
}

const pausedNodes = (c: MemoryCluster): string[] => c.nodes.filter((n) => n.paused).map((n) => n.name);

test('toy fault: start-toy pauses the leader, the majority elects another and goes on; stop-toy lets the paused node finish', async () => {
  const { c, nem, t } = manual();
  try {
    await nem.setup(t);
    assert.deepEqual(await settle(c, runOp(c, 0, 'register', 'write', [1, 1])), { type: 'ok', value: [1, 1] });
    const leader = c.leaderIndex;
    const start = await nem.invoke(t, NEMESIS_OP('start-toy'));
    assert.deepEqual(start, { type: 'info', value: [nodes[leader]] });
    assert.deepEqual(pausedNodes(c), [nodes[leader]]);

    // A request to the paused node waits (a paused process answers nothing) ...
    let stuckDone = false;
    const stuck = runOp(c, leader, 'register', 'write', [1, 3]);
    void stuck.then(() => (stuckDone = true));
    // ... while, after an election timeout, the others elect a new leader and commit.
    await elapse(c, 80);
    assert.notEqual(c.leaderIndex, leader);
    const other = (leader + 1) % nodes.length;
    assert.deepEqual(await settle(c, runOp(c, other, 'register', 'write', [1, 2])), { type: 'ok', value: [1, 2] });
    assert.equal(stuckDone, false);

    const stop = await nem.invoke(t, NEMESIS_OP('stop-toy'));
    assert.deepEqual(stop, { type: 'info', value: [nodes[leader]] });
    assert.deepEqual(pausedNodes(c), []);
    assert.deepEqual(await settle(c, stuck), { type: 'ok', value: [1, 3] });
    assert.deepEqual(await settle(c, runOp(c, 4, 'register', 'read', [1, null])), { type: 'ok', value: [1, 3] });
    // A second stop has nothing left to resume.
    assert.deepEqual(await nem.invoke(t, NEMESIS_OP('stop-toy')), { type: 'info', value: [] });
    await nem.teardown(t);
  } finally {
    c.stop();
  }
});

test('toy fault: the database own faults still go through, and an unknown one says so', async () => {
  const { c, nem, t } = manual();
  try {
    const killed = await nem.invoke(t, NEMESIS_OP('start-kill'));
    assert.equal(killed.type, 'info');
    const name = (killed.value as EdnValue[])[0] as string;
    assert.deepEqual(c.nodes.filter((n) => n.killed).map((n) => n.name), [name]);
    assert.deepEqual(await nem.invoke(t, NEMESIS_OP('stop-kill')), { type: 'info', value: [name] });
    assert.deepEqual(await nem.invoke(t, NEMESIS_OP('start-nope')), { type: 'info', error: [kw('unknown-fault'), 'start-nope'] });
  } finally {
    c.stop();
  }
});

test('toy fault: healing in the middle of it leaves no fault, and every node serves again', async () => {
  const { c, nem, t } = manual();
  try {
    await settle(c, runOp(c, 0, 'register', 'write', [1, 1]));
    await nem.invoke(t, NEMESIS_OP('start-toy'));
    await nem.invoke(t, NEMESIS_OP('start-partition'));
    assert.equal(pausedNodes(c).length, 1);
    await nem.healAll(t);
    await nem.healAll(t); // safe to call twice
    assert.deepEqual(pausedNodes(c), []);
    assert.deepEqual(c.nodes.filter((n) => n.killed), []);
    await elapse(c, 80);
    for (let i = 0; i < nodes.length; i++) {
      assert.deepEqual(await settle(c, runOp(c, i, 'register', 'write', [1, 10 + i])), { type: 'ok', value: [1, 10 + i] }, nodes[i]);
    }
    // Nothing of the toy is left to stop after healing.
    assert.deepEqual(await nem.invoke(t, NEMESIS_OP('stop-toy')), { type: 'info', value: [] });
  } finally {
    c.stop();
  }
});

test('toy fault: faultSchedule schedules start-toy / stop-toy on the nemesis thread, alternating', () => {
  const g = timeLimit(10, withNemesis(faultSchedule(['toy'], 1), repeat({ f: 'read' })));
  const es = simulate(g, { concurrency: 1, nemesis: true, seed: 3, latency: 1e8 }).filter((e) => e.type === 'invoke');
  const nem = es.filter((e) => e.process === 'nemesis').map((e) => e.f);
  // A fault change every second of the ten: nine ops, starting and stopping in turn.
  assert.deepEqual(nem, ['start-toy', 'stop-toy', 'start-toy', 'stop-toy', 'start-toy', 'stop-toy', 'start-toy', 'stop-toy', 'start-toy']);
  assert.ok(es.filter((e) => e.f === 'read').every((e) => e.process !== 'nemesis'));
});

test('toy fault: wrapped around the Nemesis the memory backend builds; its heal leaves no toy fault', async () => {
  // A client server of our own (as `--client-server` names one), so the test can reach its cluster.
  const { server, handler } = await serveMemory();
  const t = context(options({ clientServer: server.address }));
  const parts = await memoryBackend.prepare(t);
  try {
    const base = parts.nemesis;
    assert.ok(base !== undefined);
    const nem = new ToyFault(() => handler.cluster!, base, base);
    await nem.setup(t); // opens the nemesis session: the server builds its cluster
    const c = handler.cluster!;
    assert.deepEqual(c.nodes.map((n) => n.name), nodes);
    const leader = c.leaderIndex;
    assert.deepEqual(await nem.invoke(t, NEMESIS_OP('start-toy')), { type: 'info', value: [nodes[leader]] });
    assert.deepEqual(pausedNodes(c), [nodes[leader]]);
    // Other ops go to the backend's node-state nemesis, which knows only the faults of its table
    // this test named: an op outside them is a programming error, refused before it reaches a node.
    await assert.rejects(nem.invoke(t, NEMESIS_OP('start-nope')), /^Error: nemesis: unknown op start-nope$/);
    await nem.healAll(t); // the backend's heal (a `heal` op over gRPC)
    assert.deepEqual(pausedNodes(c), []);
    assert.deepEqual(c.nodes.filter((n) => n.killed), []);
    await nem.teardown(t);
  } finally {
    await parts.close?.();
    await server.stop();
  }
});
