/** The dependency graph's machinery: CSR merging, iterative Tarjan, realtime reduction, cycle search on large components. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { cycleClass } from '../../analyzer/elle/cycle-classes.js';
import { searchComponent } from '../../analyzer/elle/cycle-search.js';
import { EdgeList, PROCESS, REALTIME, RW, WR, WW, buildCsr, edgeKinds } from '../../analyzer/elle/graph.js';
import { addRealtimeEdges } from '../../analyzer/elle/order.js';
import { tarjan } from '../../analyzer/elle/scc.js';
import { findCycles } from '../../analyzer/elle/components.js';
import { readTxns } from '../../analyzer/elle/txns.js';
import { listAppendWorkload } from '../../analyzer/elle/append.js';
import { a, concurrent, serial } from './helpers.js';

function graphOf(n: number, edges: [number, number, number][]) {
  const l = new EdgeList();
  for (const [x, y, k] of edges) l.add(x, y, k);
  return buildCsr(n, l);
}

test('buildCsr merges parallel edges by OR-ing their kinds and drops self-loops', () => {
  const g = graphOf(3, [[0, 1, WW], [0, 1, RW], [1, 2, WR], [2, 2, WW], [0, 2, PROCESS]]);
  assert.equal(g.dst.length, 3);
  assert.equal(edgeKinds(g, 0, 1), WW | RW);
  assert.equal(edgeKinds(g, 0, 2), PROCESS);
  assert.equal(edgeKinds(g, 1, 2), WR);
  assert.equal(edgeKinds(g, 2, 2), 0);
});

test('iterative Tarjan handles a 200,000-node path closed into one cycle (no stack overflow)', () => {
  const n = 200_000;
  const edges: [number, number, number][] = [];
  for (let i = 0; i + 1 < n; i++) edges.push([i, i + 1, WW]);
  const open = tarjan(graphOf(n, edges), WW);
  assert.equal(open.count, n);
  edges.push([n - 1, 0, RW]);
  const g = graphOf(n, edges);
  assert.equal(tarjan(g, WW | RW).count, 1);
  assert.equal(tarjan(g, WW).count, n, 'the rw edge is masked out');
});

/** Strongly connected iff mutually reachable: the slow definition. */
function naiveSameComponent(n: number, edges: [number, number, number][]): boolean[][] {
  const reach = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => i === j));
  for (const [x, y] of edges) reach[x][y] = true;
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (reach[i][k] && reach[k][j]) reach[i][j] = true;
  return reach.map((row, i) => row.map((r, j) => r && reach[j][i]));
}

test('Tarjan agrees with mutual reachability, and ids are reverse-topological, on random graphs', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 12 }).chain((n) =>
        fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }), fc.constant(WW)), { maxLength: 30 })),
      ),
      ([n, edges]) => {
        const s = tarjan(graphOf(n, edges), WW);
        const same = naiveSameComponent(n, edges.filter(([x, y]) => x !== y));
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.equal(s.comp[i] === s.comp[j], same[i][j]);
        for (const [x, y] of edges) assert.ok(s.comp[x] >= s.comp[y]);
      },
    ),
    { numRuns: 300 },
  );
});

test('realtime edges are a transitive reduction: serial transactions form a chain', () => {
  const h = serial({ mops: [a('x', 1)] }, { mops: [a('x', 2)] }, { mops: [a('x', 3)] }, { mops: [a('x', 4)] });
  const txns = readTxns(h, listAppendWorkload);
  const l = new EdgeList();
  addRealtimeEdges(txns, l);
  const g = buildCsr(txns.count, l);
  assert.deepEqual(Array.from(g.dst), [1, 2, 3]);
  assert.deepEqual(Array.from(g.kind), [REALTIME, REALTIME, REALTIME]);
  const c = readTxns(concurrent({ mops: [a('x', 1)] }, { mops: [a('x', 2)] }), listAppendWorkload);
  const l2 = new EdgeList();
  addRealtimeEdges(c, l2);
  assert.equal(l2.size, 0, 'concurrent transactions are not ordered');
});

test('a G-single-item hidden in a 30,000-transaction component is found, with its exact cycle', () => {
  // A ww chain 0 -> 1 -> … -> n-1 closed by one rw edge n-1 -> 0, plus wr shortcuts that make
  // the component dense but add no other cycle.
  const n = 30_000;
  const edges: [number, number, number][] = [];
  for (let i = 0; i + 1 < n; i++) edges.push([i, i + 1, WW]);
  for (let i = 0; i + 7 < n; i += 3) edges.push([i, i + 7, WR]);
  edges.push([n - 1, 0, RW]);
  const g = graphOf(n, edges);
  const [single, g0, g2] = searchComponent(g, [cycleClass('G-single-item')!, cycleClass('G0')!, cycleClass('G2-item')!], Date.now() + 60_000);
  assert.ok(single.cycle);
  assert.equal(single.cycle.nodes[0], n - 1);
  assert.equal(single.cycle.nodes[1], 0);
  assert.equal(single.cycle.kinds.filter((k) => k === RW).length, 1);
  // Shortest way back uses the wr shortcuts: about n/7 * … edges, far fewer than n.
  assert.ok(single.cycle.nodes.length < n / 2);
  assert.equal(g0.cycle, undefined);
  assert.equal(g0.exhausted, false);
  assert.equal(g2.cycle, undefined);
});

test('a spent budget reports the class as exhausted rather than absent', () => {
  const g = graphOf(3, [[0, 1, RW], [1, 2, WR], [2, 0, WW]]);
  const [r] = searchComponent(g, [cycleClass('G-single-item')!], Date.now() - 1);
  assert.equal(r.cycle, undefined);
  assert.equal(r.exhausted, true);
});

test('large components are searched on workers with the same answer', async () => {
  const n = 5_000;
  const edges: [number, number, number][] = [];
  for (let i = 0; i + 1 < n; i++) edges.push([i, i + 1, i % 2 === 0 ? WW : WR]);
  edges.push([n - 1, 0, RW]);
  edges.push([n - 1, n - 2, RW]);
  const g = graphOf(n, edges);
  const classes = ['G-single-item', 'G2-item', 'G1c'].map((c) => cycleClass(c)!);
  const onWorkers = await findCycles(g, classes, { deadline: Date.now() + 60_000, workers: 2 });
  const here = await findCycles(g, classes, { deadline: Date.now() + 60_000, workers: 1 });
  assert.deepEqual([...onWorkers.cycles.keys()].sort(), ['G-single-item']);
  assert.deepEqual(onWorkers.cycles.get('G-single-item'), here.cycles.get('G-single-item'));
  assert.equal(onWorkers.components, 1);
  assert.equal(onWorkers.largest, n);
});

test('a class absent from a big component is ruled out, not timed out (product-automaton filter)', () => {
  // A ring of 20,000 rw edges: every cycle has adjacent rw edges, so G2-item exists and
  // G-nonadjacent-item / G-single-item do not; trying every seed with a search each would be quadratic.
  const n = 20_000;
  const edges: [number, number, number][] = [];
  for (let i = 0; i < n; i++) edges.push([i, (i + 1) % n, RW]);
  const g = graphOf(n, edges);
  const [nonadjacent, single, item] = searchComponent(g, ['G-nonadjacent-item', 'G-single-item', 'G2-item'].map((c) => cycleClass(c)!), Date.now() + 60_000);
  assert.equal(nonadjacent.cycle, undefined);
  assert.equal(nonadjacent.exhausted, false);
  assert.equal(single.cycle, undefined);
  assert.equal(single.exhausted, false);
  assert.equal(item.cycle?.nodes.length, n);
  assert.ok(item.cycle.kinds.every((k) => k === RW));
});
