/** The typed-array containers behave like a JS Set / Map / array under random adds, overwrites, deletes and growth. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { IntVec, PairMap, TripleSet } from '../../analyzer/util/int-tables.js';

test('TripleSet: add / has / delete agree with a Set of strings', () => {
  const word = fc.integer({ min: 0, max: 40 });
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom('add', 'add', 'delete'), word, word, word), { maxLength: 400 }), (script) => {
      const t = new TripleSet(2);
      const ref = new Set<string>();
      for (const [what, a, b, c] of script) {
        const k = `${a},${b},${c}`;
        if (what === 'add') assert.equal(t.add(a, b, c), !ref.has(k));
        else assert.equal(t.delete(a, b, c), ref.has(k));
        if (what === 'add') ref.add(k);
        else ref.delete(k);
        assert.equal(t.size, ref.size);
      }
      for (let a = 0; a <= 40; a += 3) for (let b = 0; b <= 40; b += 5) for (let c = 0; c <= 40; c += 7) assert.equal(t.has(a, b, c), ref.has(`${a},${b},${c}`));
    }),
    { numRuns: 300, seed: 7 },
  );
});

test('PairMap: get / set agree with a Map across growth', () => {
  const m = new PairMap(2);
  for (let i = 0; i < 5000; i++) m.set(i % 71, i, i * 3);
  assert.equal(m.size, 5000);
  for (let i = 0; i < 5000; i++) assert.equal(m.get(i % 71, i, -9), i * 3);
  assert.equal(m.get(70, 5001, -9), -9);
});

test('PairMap: set overwrites and returns the replaced value; b may be negative; has agrees', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: -5, max: 30 }), fc.integer({ min: -3, max: 1000 })), { maxLength: 500 }), (script) => {
      const m = new PairMap(1);
      const ref = new Map<string, number>();
      for (const [a, b, v] of script) {
        const k = `${a},${b}`;
        assert.equal(m.set(a, b, v), ref.has(k) ? ref.get(k) : -1);
        ref.set(k, v);
        assert.equal(m.size, ref.size);
      }
      for (let a = 0; a <= 30; a++) for (let b = -5; b <= 30; b++) {
        const k = `${a},${b}`;
        assert.equal(m.has(a, b), ref.has(k));
        assert.equal(m.get(a, b), ref.has(k) ? ref.get(k) : -1);
      }
    }),
    { numRuns: 200, seed: 11 },
  );
});

test('IntVec: push grows past its capacity and toArray is the pushed prefix', () => {
  const v = new IntVec(1);
  for (let i = 0; i < 1000; i++) v.push(i * 7 - 300);
  assert.equal(v.n, 1000);
  const a = v.toArray();
  assert.equal(a.length, 1000);
  for (let i = 0; i < 1000; i++) assert.equal(a[i], i * 7 - 300);
});
