/**
 * The kv model compiled to a trie of value ids (with its get-viability pruning) against the
 * brute-force oracle run on the generic kv model, on random small concurrent histories whose
 * values form a prefix code; and the fallback to the generic model when they do not.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { EdnMap, kw } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import { kv } from '../../analyzer/linear/models/kv.js';
import type { ModelOp } from '../../analyzer/linear/models/model.js';
import { problemsOf } from '../../analyzer/linear/problem.js';
import { searchLinearizable } from '../../analyzer/linear/search.js';
import { bruteLinearizable, witnessHolds } from './brute.js';

const VALUES = ['x0y', 'x1y', 'x22y', ''];
const KEY = new EdnMap([kw('key')], ['k']);
const generic = { ...kv, compile: undefined };

interface Planned { f: 'get' | 'put' | 'append'; v: number; process: number; outcome: 'ok' | 'info' | 'fail' | 'pending'; corrupt: number }

/**
 * Each op takes effect at its invocation, in a sequential kv, so the history is linearizable
 * until a get's result is corrupted (replaced by another concatenation of values).
 */
const historyArb = fc
  .record({
    ops: fc.array(
      fc.record({
        f: fc.constantFrom('get', 'get', 'put', 'append', 'append') as fc.Arbitrary<Planned['f']>,
        v: fc.integer({ min: 0, max: VALUES.length - 1 }),
        process: fc.integer({ min: 0, max: 3 }),
        outcome: fc.constantFrom('ok', 'ok', 'ok', 'info', 'fail', 'pending') as fc.Arbitrary<Planned['outcome']>,
        corrupt: fc.integer({ min: 0, max: 9 }),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    order: fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
  })
  .map(({ ops, order }) => {
    const out: OpInput[] = [];
    const busy = new Map<number, { f: string; value: string; outcome: string }>();
    let state = '';
    let step = 0;
    const complete = (p: number) => {
      const b = busy.get(p)!;
      busy.delete(p);
      if (b.outcome !== 'pending') out.push({ process: p, type: b.outcome as 'ok', f: kw(b.f), value: b.outcome === 'ok' || b.f !== 'get' ? b.value : null, extra: KEY });
    };
    let next = 0;
    while (next < ops.length || busy.size > 0) {
      if (next < ops.length && (busy.size === 0 || order[step++ % order.length])) {
        const o = ops[next++];
        if (busy.has(o.process)) complete(o.process);
        const v = VALUES[o.v];
        let value = v;
        if (o.f === 'get') {
          value = o.corrupt < 2 ? VALUES[o.corrupt] + state : state;
        } else if (o.outcome !== 'fail') state = o.f === 'put' ? v : state + v;
        out.push({ process: o.process, type: 'invoke', f: kw(o.f), value: o.f === 'get' ? null : v, extra: KEY });
        busy.set(o.process, { f: o.f, value, outcome: o.outcome });
      } else complete([...busy.keys()][0]);
    }
    return out;
  });

test('kv compiled to a trie agrees with brute force on the generic model', () => {
  let valid = 0;
  let invalid = 0;
  fc.assert(
    fc.property(historyArb, (ops) => {
      for (const p of problemsOf(historyOf(ops), false)) {
        assert.ok(kv.compile!(p.ops, kv.init()) !== undefined, 'prefix-free values compile');
        const expected = bruteLinearizable(p, generic, generic.init());
        const got = searchLinearizable(p, kv, kv.init());
        assert.equal(got.valid, expected, JSON.stringify(ops));
        assert.equal(searchLinearizable(p, generic, generic.init()).valid, expected);
        assert.equal(searchLinearizable(p, kv, kv.init(), { restartAfter: 1 }).valid, expected);
        if (got.valid === true) assert.ok(witnessHolds(p, generic, generic.init(), got.order));
        if (expected) valid++;
        else invalid++;
      }
    }),
    { numRuns: 1500, seed: 4242 },
  );
  assert.ok(valid > 100 && invalid > 100, `a mix of verdicts (${valid} valid, ${invalid} invalid)`);
});

test('kv values that are no prefix code, or several keys in one problem, use the generic model', () => {
  const op = (f: string, value: string, key = 'k'): ModelOp => ({ f, value, key });
  assert.equal(kv.compile!([op('append', 'x'), op('append', 'xy')], kv.init()), undefined);
  assert.equal(kv.compile!([op('append', 'x', 'a'), op('append', 'y', 'b')], kv.init()), undefined);
  const c = kv.compile!([op('append', 'ab'), op('put', 'c'), op('get', 'cab'), op('get', 'ca'), op('append', '')], kv.init())!;
  const s1 = c.step(c.initial, 1); // put c
  const s2 = c.step(s1, 0); // append ab
  assert.equal(c.step(s2, 2), s2, 'get "cab" fits after put c, append ab');
  assert.equal(c.step(s2, 3), -1, '"ca" is no sequence of the values: it fits nothing');
  assert.equal(c.step(s2, 4), s2, 'appending "" changes nothing');
  assert.equal(c.step(c.initial, 1), s1, 'a state is a trie node: the same string, the same int');
});
