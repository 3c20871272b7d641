/**
 * The search against the brute-force oracle on thousands of random tiny histories, for every
 * model: same verdict every time, and every witness of a valid history replays.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { EdnMap, EdnSet, type EdnValue, kw } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import { checkLinearizable } from '../../analyzer/linear/linearize.js';
import { modelNamed } from '../../analyzer/linear/models/index.js';
import { problemsOf } from '../../analyzer/linear/problem.js';
import { type LinearProblem, searchLinearizable } from '../../analyzer/linear/search.js';
import type { ModelOp } from '../../analyzer/linear/models/model.js';
import { bruteLinearizable, witnessHolds } from './brute.js';

interface Gen { f: string; value: EdnValue; readLike: boolean; key?: string }

const small = fc.integer({ min: 0, max: 2 });
const genOps: Record<string, fc.Arbitrary<Gen>> = {
  register: fc.oneof(small.map((v) => ({ f: 'read', value: v, readLike: true })), small.map((v) => ({ f: 'write', value: v, readLike: false }))),
  'cas-register': fc.oneof(
    small.map((v) => ({ f: 'read', value: v, readLike: true })),
    small.map((v) => ({ f: 'write', value: v, readLike: false })),
    fc.tuple(small, small).map(([a, b]) => ({ f: 'cas', value: [a, b], readLike: false })),
  ),
  mutex: fc.constantFrom({ f: 'acquire', value: null, readLike: false }, { f: 'release', value: null, readLike: false }),
  'multi-register': fc
    .array(fc.tuple(fc.constantFrom('read', 'write'), fc.constantFrom('x', 'y'), fc.integer({ min: 0, max: 1 })), { minLength: 1, maxLength: 2 })
    .map((ms) => ({ f: 'txn', value: ms.map(([f, k, v]) => [kw(f), kw(k), v]), readLike: ms.some(([f]) => f === 'read') })),
  set: fc.oneof(
    fc.integer({ min: 1, max: 3 }).map((v) => ({ f: 'add', value: v, readLike: false })),
    fc.subarray([1, 2, 3]).map((vs) => ({ f: 'read', value: new EdnSet(vs), readLike: true })),
  ),
  'unordered-queue': fc.oneof(
    fc.integer({ min: 1, max: 3 }).map((v) => ({ f: 'enqueue', value: v, readLike: false })),
    fc.integer({ min: 1, max: 3 }).map((v) => ({ f: 'dequeue', value: v, readLike: false })),
  ),
  'fifo-queue': fc.oneof(
    fc.integer({ min: 1, max: 3 }).map((v) => ({ f: 'enqueue', value: v, readLike: false })),
    fc.integer({ min: 1, max: 3 }).map((v) => ({ f: 'dequeue', value: v, readLike: false })),
  ),
  kv: fc.tuple(fc.constantFrom('get', 'put', 'append'), fc.constantFrom('a', 'b'), fc.constantFrom('', 'x', 'y', 'xy')).map(([f, key, v]) => ({ f, value: f === 'get' ? v : v === '' ? 'x' : v, readLike: f === 'get', key })),
};
const inits: Record<string, EdnValue | undefined> = { register: 0, 'cas-register': 0, 'multi-register': new EdnMap([kw('x'), kw('y')], [0, 0]) };

/** What the invocation carries: a read's value is unknown until it completes. */
function invocationValue(g: Gen): EdnValue {
  if (!g.readLike) return g.value;
  if (g.f === 'txn' && Array.isArray(g.value)) return g.value.map((m) => (Array.isArray(m) && m[0] === kw('read') ? [m[0], m[1], null] : m));
  return null;
}

/** A schedule: per step, invoke op j on its process, or complete the oldest pending op with an outcome. */
const historyArb = (model: string) =>
  fc
    .record({
      ops: fc.array(fc.tuple(genOps[model], fc.integer({ min: 0, max: 2 }), fc.constantFrom('ok', 'ok', 'ok', 'fail', 'info', 'pending')), { minLength: 1, maxLength: 8 }),
      order: fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
    })
    .map(({ ops, order }) => {
      const out: OpInput[] = [];
      const busy = new Map<number, [Gen, string]>();
      let next = 0;
      let step = 0;
      const complete = (p: number) => {
        const [g, outcome] = busy.get(p)!;
        busy.delete(p);
        if (outcome === 'pending') return;
        const extra = g.key === undefined ? undefined : new EdnMap([kw('key')], [g.key]);
        out.push({ process: p, type: outcome as 'ok', f: kw(g.f), value: outcome === 'ok' ? g.value : invocationValue(g), ...(extra ? { extra } : {}) });
      };
      while (next < ops.length || busy.size > 0) {
        const invoke = next < ops.length && (busy.size === 0 || order[step++ % order.length]);
        if (invoke) {
          const [g, p, outcome] = ops[next++];
          if (busy.has(p)) complete(p);
          const extra = g.key === undefined ? undefined : new EdnMap([kw('key')], [g.key]);
          out.push({ process: p, type: 'invoke', f: kw(g.f), value: invocationValue(g), ...(extra ? { extra } : {}) });
          busy.set(p, [g, outcome]);
        } else complete([...busy.keys()][0]);
      }
      return out;
    });

/** All keys' problems as one (ok ops first, by completion), so the oracle does not split. */
function merged(ps: LinearProblem[]): LinearProblem {
  const all: { call: number; ret: number; op: ModelOp; det: boolean }[] = [];
  for (const p of ps) for (let k = 0; k < p.n; k++) all.push({ call: p.call[k], ret: p.ret[k], op: p.ops[k], det: k < p.determinate });
  all.sort((a, b) => Number(b.det) - Number(a.det) || (a.det ? a.ret - b.ret : a.call - b.call));
  return {
    n: all.length,
    determinate: all.filter((a) => a.det).length,
    call: Float64Array.from(all.map((a) => a.call)),
    ret: Float64Array.from(all.map((a) => a.ret)),
    ops: all.map((a) => a.op),
  };
}

for (const name of Object.keys(genOps)) {
  test(`${name}: search agrees with brute force on random small histories`, () => {
    const model = modelNamed(name)!;
    let valid = 0;
    let invalid = 0;
    fc.assert(
      fc.property(historyArb(name), (ops) => {
        const h = historyOf(ops);
        const init = model.init(inits[name]);
        const unsplit = problemsOf(h, false);
        // Brute force over the whole history (keys merged back: no P-compositionality) is the oracle.
        const expected = bruteLinearizable(merged(unsplit), model, init);
        const { result, runs } = checkLinearizable(h, { model, init: inits[name], allKeys: true });
        assert.equal(result['valid?'], expected, JSON.stringify(ops));
        for (const r of runs) {
          if (r.outcome.valid === true) assert.ok(witnessHolds(r.problem, model, init, r.outcome.order), 'witness replays');
          // Also search each unsplit problem directly.
          const plain = searchLinearizable(r.problem, model, init);
          assert.equal(plain.valid, bruteLinearizable(r.problem, model, init));
          // Restarting after every new configuration (alternating candidate orders, keeping the
          // finished part of the cache) changes neither the verdict nor the failing op.
          // Linearizing indeterminate blind writes only where they enable an op changes
          // neither the verdict nor the failing op.
          if (model.blindWrite !== undefined) {
            const everywhere = searchLinearizable(r.problem, { ...model, blindWrite: undefined }, init);
            assert.equal(plain.valid, everywhere.valid);
            if (plain.valid === false && everywhere.valid === false) assert.equal(plain.failing, everywhere.failing, 'same failing op with and without blind-write pruning');
          }
          const restarted = searchLinearizable(r.problem, model, init, { restartAfter: 1 });
          assert.equal(restarted.valid, plain.valid);
          if (restarted.valid === false && plain.valid === false) assert.equal(restarted.failing, plain.failing);
          if (restarted.valid === true) assert.ok(witnessHolds(r.problem, model, init, restarted.order), 'witness after restarts replays');
        }
        if (expected) valid++;
        else invalid++;
      }),
      { numRuns: 1000, seed: 1234 + name.length },
    );
    assert.ok(valid > 30 && invalid > 30, `a mix of verdicts (${valid} valid, ${invalid} invalid)`);
  });
}
