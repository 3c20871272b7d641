/**
 * The unique-values procedure against brute force and against the WGL search, on thousands of
 * random register and cas-register histories whose writes set distinct values (`:info`, `:fail`,
 * pending ops, nil reads under both `--nil` rules, stale and impossible reads): the same verdict
 * every time, the same failing op as the search, and every linearization it builds replays.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type EdnValue, kw } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import { checkLinearizable } from '../../analyzer/linear/linearize.js';
import { casRegister, register } from '../../analyzer/linear/models/registers.js';
import { problemsOf } from '../../analyzer/linear/problem.js';
import { searchLinearizable } from '../../analyzer/linear/search.js';
import { decideUniqueValues } from '../../analyzer/linear/unique-search.js';
import type { NilReads } from '../../analyzer/linear/nil-reads.js';
import { bruteLinearizable, witnessHolds } from './brute.js';

interface Step { f: 'read' | 'write' | 'cas'; pick: number; p: number; outcome: string }

/**
 * Histories of unique writes: the i-th write or cas sets value i+1 (the initial value is 0); a
 * read returns, and a cas expects, a value picked among those set so far (the latest most
 * often, so that many histories are valid), or nil.
 */
const uniqueHistoryArb = (cas: boolean, maxOps: number, processes: number) =>
  fc
    .record({
      steps: fc.array(
        fc.record({
          f: fc.constantFrom<Step['f']>(...(cas ? (['read', 'read', 'write', 'cas', 'cas'] as const) : (['read', 'read', 'write'] as const))),
          pick: fc.integer({ min: -1, max: 6 }),
          p: fc.integer({ min: 0, max: processes - 1 }),
          outcome: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'info', 'fail', 'pending'),
        }),
        { minLength: 1, maxLength: maxOps },
      ),
      order: fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
    })
    .map(({ steps, order }) => {
      const out: OpInput[] = [];
      const busy = new Map<number, { f: string; inv: EdnValue; ok: EdnValue; outcome: string }>();
      let fresh = 0;
      // A value among those set so far: the latest for picks 0–2, an older one, nil for -1.
      const pickValue = (pick: number): EdnValue => (pick < 0 ? null : Math.max(0, pick <= 2 ? fresh : fresh - (pick - 2)));
      const complete = (p: number): void => {
        const b = busy.get(p)!;
        busy.delete(p);
        if (b.outcome !== 'pending') out.push({ process: p, type: b.outcome as 'ok', f: kw(b.f), value: b.outcome === 'ok' ? b.ok : b.inv });
      };
      let next = 0;
      let step = 0;
      while (next < steps.length || busy.size > 0) {
        const invoke = next < steps.length && (busy.size === 0 || order[step++ % order.length]);
        if (!invoke) {
          complete([...busy.keys()][0]);
          continue;
        }
        const s = steps[next++];
        if (busy.has(s.p)) complete(s.p);
        let inv: EdnValue;
        let ok: EdnValue;
        if (s.f === 'read') [inv, ok] = [null, pickValue(s.pick)];
        else if (s.f === 'write') inv = ok = ++fresh;
        else {
          const from = pickValue(Math.max(0, s.pick));
          inv = ok = [from, ++fresh];
        }
        out.push({ process: s.p, type: 'invoke', f: kw(s.f), value: inv });
        busy.set(s.p, { f: s.f, inv, ok, outcome: s.outcome });
      }
      return out;
    });

const describe = (id: number): string => `op ${id}`;

for (const [model, cas] of [[register, false], [casRegister, true]] as const) {
  for (const nil of ['any', 'absent'] as NilReads[]) {
    test(`${model.name}, --nil ${nil}: unique values give brute force's verdict and the search's failing op on 3000 random histories, and linearizations that replay`, () => {
      let valid = 0;
      let invalid = 0;
      const initEdn = nil === 'absent' ? null : 0;
      fc.assert(
        fc.property(uniqueHistoryArb(cas, 8, 3), (ops) => {
          const h = historyOf(ops);
          const [problem] = problemsOf(h, false, nil);
          if (problem === undefined) return;
          const init = model.init(initEdn);
          const decided = decideUniqueValues(problem, model, init, describe);
          assert.ok(typeof decided !== 'string', `qualifies: ${String(decided)}`);
          const expected = bruteLinearizable(problem, model, init);
          assert.equal(decided.valid, expected, JSON.stringify(ops));
          const searched = searchLinearizable(problem, model, init);
          if (decided.valid === true) {
            assert.ok(witnessHolds(problem, model, init, decided.order), `the order replays: ${JSON.stringify(ops)}`);
            valid++;
          } else {
            assert.equal(searched.valid, false);
            if (searched.valid === false) {
              assert.equal(decided.failing, searched.failing, `same failing op as the search: ${JSON.stringify(ops)}`);
              assert.deepEqual(decided.paths, searched.paths, `same paths: ${JSON.stringify(ops)}`);
            }
            invalid++;
          }
        }),
        { numRuns: 3000, seed: 77 + (cas ? 1 : 0) + (nil === 'any' ? 0 : 2) },
      );
      assert.ok(valid > 300 && invalid > 300, `a mix of verdicts (${valid} valid, ${invalid} invalid)`);
    });
  }
}

test('larger unique-value histories (up to 40 ops, 5 processes): the same verdict and failing op as the search', () => {
  let invalid = 0;
  fc.assert(
    fc.property(uniqueHistoryArb(true, 40, 5), (ops) => {
      const h = historyOf(ops);
      const [problem] = problemsOf(h, false);
      if (problem === undefined) return;
      const init = casRegister.init(0);
      const decided = decideUniqueValues(problem, casRegister, init, describe);
      assert.ok(typeof decided !== 'string');
      const searched = searchLinearizable(problem, casRegister, init);
      assert.equal(decided.valid, searched.valid, JSON.stringify(ops));
      if (decided.valid === false && searched.valid === false) {
        invalid++;
        assert.equal(decided.failing, searched.failing, JSON.stringify(ops));
        assert.deepEqual(decided.paths, searched.paths, JSON.stringify(ops));
      }
      if (decided.valid === true) assert.ok(witnessHolds(problem, casRegister, init, decided.order));
    }),
    { numRuns: 1500, seed: 4242 },
  );
  assert.ok(invalid > 200, `${invalid} invalid`);
});

test('checkLinearizable takes unique values by itself and says so; --algorithm wgl gives the same result but for how', () => {
  const w = (p: number, type: OpInput['type'], f: string, value: EdnValue): OpInput => ({ process: p, type, f: kw(f), value });
  // 1 is written and read; 2 is written after the read of 1 completed, then a read sees 1 again: stale.
  const ops = [w(0, 'invoke', 'write', 1), w(0, 'ok', 'write', 1), w(1, 'invoke', 'write', 2), w(1, 'ok', 'write', 2), w(2, 'invoke', 'read', null), w(2, 'ok', 'read', 1)];
  const h = historyOf(ops);
  const auto = checkLinearizable(h, { model: register, init: 0 });
  const wgl = checkLinearizable(h, { model: register, init: 0, algorithm: 'wgl' });
  assert.equal(auto.result.algorithm, kw('unique-values'));
  assert.equal(wgl.result.algorithm, kw('wgl'));
  assert.equal(auto.result['valid?'], false);
  assert.deepEqual(auto.result.op, wgl.result.op);
  assert.equal(auto.result.reason, wgl.result.reason);
  // Value 1 must hold from its write's completion to the stale read's invocation; 2 falls wholly inside.
  assert.equal(auto.result.contradiction, `value 1 (set by process 0's write of 1 (index 1)) must hold from before process 0's write of 1 (index 1) completed until after process 2's read of 1 (index 5) was invoked; yet value 2 (set by process 1's write of 2 (index 3)) must take effect, with any reads of it, wholly within that time, which would end 1 early`);
  // A value written twice does not qualify: auto searches, unique-values refuses.
  const twice = historyOf([...ops, w(0, 'invoke', 'write', 1), w(0, 'ok', 'write', 1)]);
  assert.equal(checkLinearizable(twice, { model: register, init: 0 }).result.algorithm, kw('wgl'));
  assert.throws(() => checkLinearizable(twice, { model: register, init: 0, algorithm: 'unique-values' }), /^UsageError: --algorithm unique-values cannot decide this history: 1 is set twice/);
});

test('a keyed history decided both ways says :mixed, with how many keys each way decided', () => {
  const w = (p: number, type: OpInput['type'], f: string, value: EdnValue): OpInput => ({ process: p, type, f: kw(f), value });
  // Key 1 writes distinct values; key 2 writes 7 twice, so only the search can decide it.
  const h = historyOf([
    w(0, 'invoke', 'write', [1, 5]), w(0, 'ok', 'write', [1, 5]), w(1, 'invoke', 'read', [1, null]), w(1, 'ok', 'read', [1, 5]),
    w(2, 'invoke', 'write', [2, 7]), w(2, 'ok', 'write', [2, 7]), w(2, 'invoke', 'write', [2, 7]), w(2, 'ok', 'write', [2, 7]),
  ]);
  const { result, runs } = checkLinearizable(h, { model: register, init: 0, independent: true });
  assert.equal(result['valid?'], true);
  assert.equal(result.algorithm, kw('mixed'));
  assert.deepEqual(result['algorithm-keys'], { 'unique-values': 1, wgl: 1 });
  assert.deepEqual(runs.map((r) => r.algorithm ?? 'wgl'), ['unique-values', 'wgl']);
});
