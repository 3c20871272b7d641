/**
 * etcd's known anomalies as constructed recordings (`--workload <scenario>`): each drives three
 * or more nodes step by step so that the history shows the anomaly every time, and the
 * workload's checkers must call it invalid. The random recordings show that a correct
 * configuration passes; these show that the checkers catch the anomaly when it is certainly there.
 *
 * - `stale-serializable-read`: write 1, make sure the node to be isolated has applied it (a
 *   linearizable read through it), isolate it, write 2 through the majority, read through the
 *   isolated node with a serializable read: it can only answer 1.
 * - `stale-serializable-nil`: the same with a key the isolated node never saw written: the
 *   stale read answers no value, which only `--nil absent` (the recorder's) catches.
 * - `stale-serializable-set`: the set's version: the isolated node's read misses the
 *   majority's add, which set-full counts as stale.
 * - `lock-lease-lost-update` (lock-set): A takes the lock through a node and reads the set; that
 *   node is cut off, so A's keep-alives stop and its lease expires; B takes the lock through the
 *   majority, adds 2 and releases; the partition heals; only then does A write the set it read
 *   with 1 added, losing 2.
 * - `lock-lease-fenced` (lock-fenced-set): the same steps with the set in etcd and A's write
 *   fenced by its lock key: the write is refused (`:fail :lock-lost`), nothing is lost, and the
 *   history must be valid. The pair shows the fence doing its work in identical conditions.
 * - `watch-from-zero` (watch): values 1–3 written; watcher A catches up from revision 1 (sees
 *   them); watcher B starts a watch from revision 0, which etcd takes as the current revision + 1;
 *   4 and 5 are written while it watches; both catch up. B never saw 1–3: the watch checker
 *   names it as having missed the first events.
 *
 * A step whose precondition the cluster does not meet (the isolated node had not applied the
 * write; an op that did not succeed) ends the run with a `RunError`, never a verdict.
 */
import type { EdnValue } from '../../analyzer/edn/values.js';
import { printEdn } from '../../analyzer/edn/print.js';
import type { Script } from '../core/script.js';
import { type Completion, type Invocation, RunError, type TestContext, type Workload } from '../core/types.js';
import { standardWorkload } from '../workloads/index.js';
import { EtcdClient } from './client.js';
import type { EtcdCluster } from './cluster.js';
import { registerOp, setOp } from './kv-ops.js';
import { lockFencedSetOp } from './lock-fenced.js';
import { customWorkload, LockClientState, type LockOptions, lockSetOp, WatchState, watchOp } from './lock-watch.js';
import { EtcdNemesis } from './nemesis.js';

/** The scenarios, by the workload name that runs them. */
export const SCENARIOS = ['stale-serializable-read', 'stale-serializable-nil', 'stale-serializable-set', 'lock-lease-lost-update', 'lock-lease-fenced', 'watch-from-zero'] as const;
/** One of `SCENARIOS`. */
export type ScenarioName = (typeof SCENARIOS)[number];

/** True when `workload` names a scenario. */
export const isScenario = (workload: string): workload is ScenarioName => (SCENARIOS as readonly string[]).includes(workload);

/** The workload whose checkers judge a scenario's history. */
export function scenarioWorkload(name: ScenarioName, test: TestContext): Workload {
  const lock = name === 'lock-lease-lost-update' ? 'lock-set' : name === 'lock-lease-fenced' ? 'lock-fenced-set' : name === 'watch-from-zero' ? 'watch' : undefined;
  const w = name === 'stale-serializable-set' ? standardWorkload('set') : lock !== undefined ? customWorkload({ ...test, opts: { ...test.opts, workload: lock } }) : standardWorkload('register');
  if (w === undefined) throw new RunError(`scenario ${name}: no workload to check it`);
  return { ...w, name };
}

/** The name of the cluster's current leader, asked of `via` (which must reach a majority). */
export async function leaderName(etcd: EtcdCluster, via: string): Promise<string> {
  const c = new EtcdClient(etcd.clientEndpoint(via), { timeoutMs: 3000 });
  try {
    const { leader } = await c.status();
    const name = (await c.memberList()).find((m) => m.id === leader)?.name;
    if (name === undefined) throw new RunError(`${via} knows no leader (status leader ${leader})`);
    return name;
  } finally {
    c.close();
  }
}

/** What a scenario body works with: the leader (in the majority), the follower to cut off, clients and the partition. */
export interface Stage {
  readonly test: TestContext;
  readonly script: Script;
  readonly leader: string;
  readonly isolated: string;
  client(node: string): EtcdClient;
  isolate(): Promise<void>;
  heal(): Promise<void>;
}

const inv = (process: number, f: string, value: EdnValue): Invocation => ({ process, f, value });

/** Throws the scenario's RunError unless `c` is an ok completion (with `value`, when given). */
function expect(name: string, step: string, c: Completion, value?: EdnValue): void {
  const ok = c.type === 'ok' && (value === undefined || printEdn(c.value ?? null) === printEdn(value));
  if (!ok) throw new RunError(`scenario ${name}: ${step} gave ${c.type} ${printEdn(c.value ?? null)}${c.error === undefined ? '' : ` (${printEdn(c.error)})`}; expected ok${value === undefined ? '' : ` ${printEdn(value)}`} — the construction did not come about`);
}

const LIN = { serializable: false };
const SER = { serializable: true };

/** Register: a serializable read through the isolated node of a value the majority overwrote. */
async function staleRead(s: Stage): Promise<void> {
  const n = 'stale-serializable-read';
  const majority = s.client(s.leader);
  const cut = s.client(s.isolated);
  expect(n, 'the first write', await s.script.op(0, 'write', [0, 1], () => registerOp(majority, inv(0, 'write', [0, 1]), LIN)));
  // A linearizable read through the node to be cut off: once it answers, that node has applied 1.
  expect(n, `the linearizable read through ${s.isolated}`, await s.script.op(1, 'read', [0, null], () => registerOp(cut, inv(1, 'read', [0, null]), LIN)), [0, 1]);
  await s.isolate();
  expect(n, 'the write through the majority', await s.script.op(0, 'write', [0, 2], () => registerOp(majority, inv(0, 'write', [0, 2]), LIN)));
  // Served from the isolated node's own state, which cannot have 2.
  expect(n, `the serializable read through ${s.isolated}`, await s.script.op(1, 'read', [0, null], () => registerOp(cut, inv(1, 'read', [0, null]), SER)), [0, 1]);
  await s.heal();
}

/** Register: a serializable read through the isolated node of a key it never saw written (no value). */
async function staleNil(s: Stage): Promise<void> {
  const n = 'stale-serializable-nil';
  const majority = s.client(s.leader);
  const cut = s.client(s.isolated);
  expect(n, `the linearizable read through ${s.isolated}`, await s.script.op(1, 'read', [0, null], () => registerOp(cut, inv(1, 'read', [0, null]), LIN)), [0, null]);
  await s.isolate();
  expect(n, 'the write through the majority', await s.script.op(0, 'write', [0, 1], () => registerOp(majority, inv(0, 'write', [0, 1]), LIN)));
  expect(n, `the serializable read through ${s.isolated}`, await s.script.op(1, 'read', [0, null], () => registerOp(cut, inv(1, 'read', [0, null]), SER)), [0, null]);
  await s.heal();
}

/** Set: the isolated node's serializable read misses the majority's add. */
async function staleSet(s: Stage): Promise<void> {
  const n = 'stale-serializable-set';
  const majority = s.client(s.leader);
  const cut = s.client(s.isolated);
  expect(n, 'the first add', await s.script.op(0, 'add', 1, () => setOp(majority, inv(0, 'add', 1), LIN)));
  expect(n, `the linearizable read through ${s.isolated}`, await s.script.op(1, 'read', null, () => setOp(cut, inv(1, 'read', null), LIN)), [1]);
  await s.isolate();
  expect(n, 'the add through the majority', await s.script.op(0, 'add', 2, () => setOp(majority, inv(0, 'add', 2), LIN)));
  expect(n, `the serializable read through ${s.isolated}`, await s.script.op(1, 'read', null, () => setOp(cut, inv(1, 'read', null), SER)), [1]);
  await s.heal();
  expect(n, 'the final read', await s.script.op(0, 'read', null, () => setOp(majority, inv(0, 'read', null), LIN)), [1, 2]);
}

/** How one lock-set-like client adds or reads (lock-set's shared set, or lock-fenced-set's fenced key in etcd). */
type SetUnderLock = (c: EtcdClient, st: LockClientState, op: Invocation, o: LockOptions, test: TestContext) => Promise<Completion>;

/**
 * A holder whose lease expired still writes after the next holder's add: with lock-set the
 * next holder's add is lost; with the fenced write, the late write is refused and `fenced` says so.
 */
async function lockLease(n: ScenarioName, s: Stage, setOp: SetUnderLock, fenced: boolean): Promise<void> {
  const aClient = s.client(s.isolated);
  const bClient = s.client(s.leader);
  let aHolds!: () => void;
  const aHolding = new Promise<void>((r) => (aHolds = r));
  let bDone!: () => void;
  const bFinished = new Promise<void>((r) => (bDone = r));
  const lockA: LockOptions = { ttlSeconds: 1, timeoutMs: 10_000, hold: () => (aHolds(), bFinished) };
  // B waits for A's lease to expire (etcd's minimum TTL is about 1.5 s) before it gets the lock.
  const lockB: LockOptions = { ttlSeconds: 1, timeoutMs: 20_000, hold: async () => undefined };
  const a = s.script.op(0, 'add', 1, () => setOp(aClient, new LockClientState(), inv(0, 'add', 1), lockA, s.test));
  // A failing before it holds the lock would leave this wait forever: race it against A's end.
  const early = await Promise.race([aHolding.then(() => undefined), a]);
  if (early !== undefined) expect(n, 'A taking the lock', early);
  await s.isolate();
  const b = await s.script.op(1, 'add', 2, () => setOp(bClient, new LockClientState(), inv(1, 'add', 2), lockB, s.test));
  expect(n, 'B adding 2 under the lock', b);
  // Healed before A writes, so A's write reaches the majority (the fenced one would otherwise
  // just time out on its isolated member, proving nothing about the fence).
  await s.heal();
  bDone();
  const late = await a;
  // A's late write: lock-set makes it (and loses 2); the fence must refuse it, else the checker sees the loss.
  if (!fenced) expect(n, 'A writing after its lease expired', late);
  // The final read goes through the majority, where the fenced set lives (lock-set's lives in the recorder).
  const final = await s.script.op(2, 'read', null, () => setOp(bClient, new LockClientState(), inv(2, 'read', null), lockB, s.test));
  if (!fenced) expect(n, 'the final read', final, [1]);
  else expect(n, 'the final read', final);
}

const lockSet: SetUnderLock = (c, st, op, o, test) => lockSetOp(c, st, op, o, test);
const fencedSet: SetUnderLock = (c, st, op, o) => lockFencedSetOp(c, st, op, o);

/** Watch: a watcher starting from revision 0 misses what was written before it (see the module doc). */
async function watchFromZero(s: Stage): Promise<void> {
  const n = 'watch-from-zero';
  const writer = s.client(s.leader);
  const a = s.client(s.leader);
  const b = s.client(s.isolated);
  const [wa, wb] = [new WatchState(1), new WatchState(0)];
  const kv = { serializable: false };
  const watch = (c: EtcdClient, w: WatchState, p: number, f: string, ms?: number): Promise<Completion> =>
    s.script.op(p, f, null, () => watchOp(c, w, inv(p, f, null), kv, s.test.signal, 3000, 10_000, ms));
  for (const v of [1, 2, 3]) expect(n, `writing ${v}`, await s.script.op(0, 'write', v, () => watchOp(writer, wa, inv(0, 'write', v), kv, s.test.signal, 0, 0)));
  expect(n, 'A catching up from revision 1', await watch(a, wa, 1, 'final-watch'));
  const bWatching = watch(b, wb, 2, 'watch', 1500);
  // Let B's watch reach etcd before the next writes.
  await new Promise((r) => setTimeout(r, 400));
  for (const v of [4, 5]) expect(n, `writing ${v}`, await s.script.op(0, 'write', v, () => watchOp(writer, wa, inv(0, 'write', v), kv, s.test.signal, 0, 0)));
  expect(n, 'B watching from revision 0', await bWatching);
  expect(n, 'A catching up', await watch(a, wa, 1, 'final-watch'));
  expect(n, 'B catching up', await watch(b, wb, 2, 'final-watch'));
}

const BODIES: Readonly<Record<ScenarioName, (s: Stage) => Promise<void>>> = {
  'stale-serializable-read': staleRead,
  'stale-serializable-nil': staleNil,
  'stale-serializable-set': staleSet,
  'lock-lease-lost-update': (s) => lockLease('lock-lease-lost-update', s, lockSet, false),
  'lock-lease-fenced': (s) => lockLease('lock-lease-fenced', s, fencedSet, true),
  'watch-from-zero': watchFromZero,
};

/**
 * Runs scenario `name` on `etcd` (set up, at least three nodes): picks the leader and a
 * follower to cut off, journals every op and fault through `script`, and heals and closes what
 * it opened, also when a step fails.
 */
export async function runScenario(name: ScenarioName, etcd: EtcdCluster, test: TestContext, script: Script): Promise<void> {
  const nodes = test.opts.nodes;
  if (nodes.length < 3) throw new RunError(`scenario ${name}: needs at least 3 nodes (a majority beside the isolated one); got ${nodes.length}`);
  const nemesis = new EtcdNemesis(etcd, ['partition']);
  const clients: EtcdClient[] = [];
  try {
    await nemesis.setup(test);
    const leader = await leaderName(etcd, nodes[0]);
    const isolated = nodes.filter((x) => x !== leader).at(-1)!;
    const fault = (f: string, value: EdnValue): Promise<Completion> => script.op('nemesis', f, value, () => nemesis.invoke(test, { process: 'nemesis', f, value }));
    await BODIES[name]({
      test,
      script,
      leader,
      isolated,
      client(node) {
        const c = new EtcdClient(etcd.clientEndpoint(node), { timeoutMs: 5000 });
        clients.push(c);
        return c;
      },
      isolate: async () => void (await fault('start-partition', [isolated])),
      heal: async () => void (await fault('stop-partition', null)),
    });
  } finally {
    for (const c of clients) c.close();
    await nemesis.healAll(test).catch(() => undefined);
    await nemesis.teardown(test);
  }
}
