/** Targets as data: each spec's choice, random-healthy:K@group never picking an unhealthy node or two groups, and heal-all from the node-state map. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { EdnValue } from '../../analyzer/edn/values.js';
import { randomFunction } from '../../analyzer/util/random.js';
import type { TestContext } from '../../recorder/core/types.js';
import { type NodeState, UP, isHealthy } from '../../recorder/nemesis/faults.js';
import { type FaultMechanics, TableNemesis } from '../../recorder/nemesis/nemesis.js';
import { parseGroups, parseTarget, parseTargetsFlag, selectTargets } from '../../recorder/nemesis/targets.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5'];
const STATES: NodeState[] = [UP, { ...UP, process: 'killed' }, { ...UP, process: 'paused' }, { ...UP, partitioned: true }, { process: 'killed', member: false, partitioned: false, skewed: false, corrupt: false, disk: false }, { ...UP, skewed: true }];

test('each base spec: sizes of the whole cluster, chosen among the nodes the fault may strike; leader only when eligible; group:G its group', () => {
  const groups = parseGroups('n1,n2:n3,n4,n5', NODES);
  const scene = (eligible: string[], leader?: string) => ({ nodes: NODES, eligible: (n: string) => eligible.includes(n), healthy: () => true, groups, leader, random: randomFunction(7) });
  assert.equal(selectTargets(parseTarget('one'), scene(NODES)).length, 1);
  assert.equal(selectTargets(parseTarget('minority'), scene(NODES)).length, 2);
  assert.equal(selectTargets(parseTarget('majority'), scene(NODES)).length, 3);
  assert.deepEqual(selectTargets(parseTarget('all'), scene(['n2', 'n5'])), ['n2', 'n5']);
  assert.deepEqual(selectTargets(parseTarget('majority'), scene(['n4'])), ['n4']);
  assert.deepEqual(selectTargets(parseTarget('leader'), scene(NODES, 'n3')), ['n3']);
  assert.deepEqual(selectTargets(parseTarget('leader'), scene(['n1', 'n2'], 'n3')), []);
  assert.deepEqual(selectTargets(parseTarget('leader'), scene(NODES)), []);
  assert.deepEqual(selectTargets(parseTarget('group:2'), scene(['n1', 'n3', 'n5'])), ['n3', 'n5']);
  // @group: sizes count the chosen group's nodes (a majority of group 1's two is both of them).
  for (let seed = 1; seed <= 50; seed++) {
    const chosen = selectTargets(parseTarget('majority@group'), { ...scene(NODES), random: randomFunction(seed) });
    assert.ok(['n1 n2', 'n3 n4', 'n3 n5', 'n4 n5'].includes(chosen.join(' ')), chosen.join(' '));
  }
});

test('random-healthy:2@group never picks an unhealthy or ineligible node, never two groups, and picks exactly 2 whenever some group has 2 healthy eligible nodes (2 000 random clusters)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.nat(STATES.length - 1), { minLength: 2, maxLength: 9 }),
      fc.array(fc.nat(3), { minLength: 9, maxLength: 9 }),
      fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
      fc.integer(),
      (stateIx, groupIx, eligibleBits, seed) => {
        const nodes = stateIx.map((_, i) => `n${i + 1}`);
        const states = new Map(nodes.map((n, i) => [n, STATES[stateIx[i]]]));
        const groups = new Map(nodes.map((n, i) => [n, groupIx[i] + 1]));
        const eligible = (n: string): boolean => eligibleBits[nodes.indexOf(n)];
        const healthy = (n: string): boolean => isHealthy(states.get(n)!);
        const chosen = selectTargets(parseTarget('random-healthy:2@group'), { nodes, eligible, healthy, groups, random: randomFunction(seed) });
        for (const n of chosen) assert.ok(healthy(n) && eligible(n), `${n} is ${JSON.stringify(states.get(n))}, eligible ${eligible(n)}`);
        assert.ok(new Set(chosen.map((n) => groups.get(n))).size <= 1, `two groups: ${chosen.join(' ')}`);
        const possible = [...new Set(groups.values())].some((g) => nodes.filter((n) => groups.get(n) === g && healthy(n) && eligible(n)).length >= 2);
        assert.equal(chosen.length, possible ? 2 : 0, `chose ${chosen.join(' ')}`);
      },
    ),
    { numRuns: 2000 },
  );
});

test('specs and groups that mean nothing are refused with what was expected', () => {
  const msg = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      return (e as Error).message;
    }
    return 'accepted';
  };
  assert.equal(msg(() => parseTarget('random-healthy')), 'target random-healthy: expected one, minority, majority, all, some, leader, random-healthy:K or group:G, optionally followed by @group');
  assert.equal(msg(() => parseTarget('group:1@group')), 'target group:1@group: expected one, minority, majority, all, some, leader, random-healthy:K or group:G, optionally followed by @group');
  assert.equal(msg(() => parseTargetsFlag('kill=leader,flood=one', ['kill'])), '--nemesis-targets kill=leader,flood=one: flood is not one of this test\'s faults (--nemesis kill)');
  assert.equal(msg(() => parseTargetsFlag('kill', ['kill'])), '--nemesis-targets kill: kill: expected FAULT=TARGET, e.g. kill=leader');
  assert.equal(msg(() => parseGroups('n1,n2:n3', NODES)), '--groups n1,n2:n3: n4, n5 in no group; expected every node in one');
  assert.equal(msg(() => parseGroups('n1,n2:n2,n3,n4,n5', NODES)), '--groups n1,n2:n2,n3,n4,n5: n2 is in two groups');
  assert.equal(msg(() => parseGroups('n1,n9:n2,n3,n4,n5', NODES)), '--groups n1,n9:n2,n3,n4,n5: n9 is not one of the nodes (n1, n2, n3, n4, n5)');
});

/** Mechanics that only log what they were asked, with the leader fixed. */
function fakeMechanics(log: string[]): FaultMechanics {
  return {
    start: async (_t, fault, targets) => {
      log.push(`start ${fault} ${targets?.join(' ')}`);
      return { value: null };
    },
    stop: async (_t, kind, targets) => {
      log.push(`stop ${kind} ${targets.join(' ')}`);
      return null;
    },
    leader: async () => 'n2',
  };
}

const context = (seed: number): TestContext => ({ random: randomFunction(seed) }) as unknown as TestContext;

test('the node-state map: a fault never strikes a node its state makes meaningless, a spec that finds none is skipped with the reason, and heal-all leaves every node up (500 random schedules)', async () => {
  const faults = ['kill', 'pause', 'partition', 'member'];
  for (let seed = 1; seed <= 500; seed++) {
    const log: string[] = [];
    const targets = { kill: ['leader', 'one', 'all', 'random-healthy:2@group'][seed % 4], pause: ['minority', 'random-healthy:1'][seed % 2], member: 'one', partition: 'minority@group' };
    const nem = new TableNemesis(fakeMechanics(log), { nodes: NODES, faults, targets, groups: parseGroups('n1,n2:n3,n4,n5', NODES) });
    const t = context(seed);
    const r = randomFunction(seed * 31);
    for (let step = 0; step < 12; step++) {
      const fault = faults[Math.floor(r() * faults.length)];
      const before = new Map(nem.nodeStates);
      if (r() < 0.6) {
        const c = await nem.invoke(t, { process: 'nemesis', f: `start-${fault}`, value: null });
        const v = c.value as Record<string, EdnValue>;
        const struck = v.targets as string[];
        for (const n of struck) {
          const s = before.get(n)!;
          if (fault === 'pause' || fault === 'kill' || fault === 'member') assert.ok(s.process === 'running' && s.member, `${fault} struck ${n}, which was ${JSON.stringify(s)}`);
          if (fault === 'partition') assert.ok(!s.partitioned && s.member, `partition struck ${n}, which was ${JSON.stringify(s)}`);
        }
        if (struck.length === 0) assert.match(String(v.skipped), /^target \S+ finds no node \w+ may strike$/);
      } else await nem.invoke(t, { process: 'nemesis', f: `stop-${fault}`, value: null });
    }
    await nem.healAll(t);
    for (const [n, s] of nem.nodeStates) assert.deepEqual(s, UP, `seed ${seed}: ${n} is ${JSON.stringify(s)} after heal-all`);
    assert.equal(nem.faulty, false);
    await nem.healAll(t);
  }
});

test('heal-all stops each fault where the map says it is in force, in the table order, and only there', async () => {
  const log: string[] = [];
  const nem = new TableNemesis(fakeMechanics(log), { nodes: NODES, faults: ['kill', 'pause', 'partition'], groups: parseGroups(undefined, NODES) });
  const t = context(1);
  await nem.invoke(t, { process: 'nemesis', f: 'start-partition', value: ['n4', 'n5'] });
  await nem.invoke(t, { process: 'nemesis', f: 'start-kill', value: ['n1'] });
  await nem.invoke(t, { process: 'nemesis', f: 'start-pause', value: ['n3'] });
  log.length = 0;
  await nem.healAll(t);
  assert.deepEqual(log, ['stop kill n1', 'stop pause n3', 'stop partition n4 n5']);
  log.length = 0;
  await nem.healAll(t);
  assert.deepEqual(log, []);
});
