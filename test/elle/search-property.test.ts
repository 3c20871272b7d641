/** The cycle search against brute force: on small random graphs, every class found is right, and every class present is found. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CYCLE_CLASSES, classify, mildestKind } from '../../analyzer/elle/cycle-classes.js';
import { searchComponent } from '../../analyzer/elle/cycle-search.js';
import { DATA, EdgeList, PROCESS, REALTIME, RW, WR, WW, buildCsr, edgeKinds } from '../../analyzer/elle/graph.js';

const KINDS = [WW, WR, RW, PROCESS, REALTIME];

/**
 * Every class X such that some simple cycle, using only X's allowed kinds and read in its
 * mildest kinds among those, classifies as X — by enumerating all simple cycles.
 */
function bruteForceClasses(n: number, kindsOf: (a: number, b: number) => number): Set<string> {
  const out = new Set<string>();
  const cycles: number[][] = [];
  const path: number[] = [];
  const onPath = new Uint8Array(n);
  const visit = (start: number, u: number): void => {
    for (let v = start; v < n; v++) {
      if (kindsOf(u, v) === 0) continue;
      if (v === start) cycles.push([...path, u]);
      else if (!onPath[v]) {
        onPath[v] = 1;
        path.push(u);
        visit(start, v);
        path.pop();
        onPath[v] = 0;
      }
    }
  };
  for (let s = 0; s < n; s++) {
    onPath[s] = 1;
    visit(s, s);
    onPath[s] = 0;
  }
  for (const c of CYCLE_CLASSES) {
    for (const cyc of cycles) {
      const kinds = cyc.map((x, i) => mildestKind(kindsOf(x, cyc[(i + 1) % cyc.length]), c.allowed));
      // (Process and realtime order alone are acyclic in any real history: such cycles don't count.)
      if (kinds.every((k) => k !== 0) && kinds.some((k) => (k & DATA) !== 0) && classify(kinds) === c.name) {
        out.add(c.name);
        break;
      }
    }
  }
  return out;
}

/** Search result vs brute force on one graph; throws on disagreement. */
function agree(n: number, raw: [number, number, number[]][], filtered: boolean): void {
  const l = new EdgeList();
  for (const [a, b, ks] of raw) l.add(a, b, ks.reduce((x, y) => x | y, 0));
  const g = buildCsr(n, l);
  const found = searchComponent(g, CYCLE_CLASSES, Date.now() + 10_000, filtered ? 0 : Infinity);
  const got = found.filter((r) => r.cycle !== undefined).map((r) => r.name);
  assert.deepEqual(got.sort(), [...bruteForceClasses(n, (a, b) => edgeKinds(g, a, b))].sort());
}

test('shortest walks that repeat a transaction do not hide a simple cycle (regressions found by the property)', () => {
  for (const filtered of [false, true]) {
    agree(6, [[1, 5, [WR]], [3, 2, [REALTIME]], [3, 1, [REALTIME]], [2, 5, [PROCESS]], [5, 1, [WR]], [1, 3, [WW, RW]]], filtered);
    agree(8, [[2, 7, [WW, RW]], [6, 4, [WR, REALTIME]], [5, 6, [RW, PROCESS]], [4, 5, [WR]], [2, 4, [WR]], [4, 2, [REALTIME]], [7, 5, [REALTIME]]], filtered);
  }
});

for (const filtered of [false, true]) test(`cycle search agrees with brute-force enumeration on random small graphs${filtered ? ' (with the product-automaton seed filter)' : ''}`, () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 8 }).chain((n) =>
        fc.tuple(
          fc.constant(n),
          fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }), fc.subarray(KINDS, { minLength: 1, maxLength: 2 })), { maxLength: 18 }),
        ),
      ),
      ([n, raw]) => {
        const l = new EdgeList();
        for (const [a, b, ks] of raw) l.add(a, b, ks.reduce((x, y) => x | y, 0));
        const g = buildCsr(n, l);
        const found = searchComponent(g, CYCLE_CLASSES, Date.now() + 10_000, filtered ? 0 : Infinity);
        const expected = bruteForceClasses(n, (a, b) => edgeKinds(g, a, b));
        for (const r of found) {
          if (r.cycle === undefined) continue;
          const allowed = CYCLE_CLASSES.find((c) => c.name === r.name)!.allowed;
          const kinds = r.cycle.nodes.map((x, i) => mildestKind(edgeKinds(g, x, r.cycle!.nodes[(i + 1) % r.cycle!.nodes.length]), allowed));
          assert.equal(classify(kinds), r.name, 'a reported cycle has the class it is reported as');
          assert.deepEqual(kinds, r.cycle.kinds);
          assert.equal(new Set(r.cycle.nodes).size, r.cycle.nodes.length, 'and is simple');
        }
        const got = found.filter((r) => r.cycle !== undefined).map((r) => r.name);
        assert.deepEqual(got.sort(), [...expected].sort());
      },
    ),
    { numRuns: 1500 },
  );
});
