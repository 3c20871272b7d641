import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { firstDuplicate, parseEdn } from '../../analyzer/edn/scanner.js';
import { EdnSet, type EdnValue, ednEquals, kw } from '../../analyzer/edn/values.js';

/** The definition: the first i with an equal item before it. */
function naive(items: EdnValue[]): number {
  for (let i = 1; i < items.length; i++) for (let j = 0; j < i; j++) if (ednEquals(items[i], items[j])) return i;
  return -1;
}

const item: fc.Arbitrary<EdnValue> = fc.oneof(
  fc.integer({ min: 0, max: 40 }),
  fc.integer({ min: 0, max: 40 }).map((x) => x * 1_000_003), // sparse: beyond the bitset's range
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(0.5, -0, 2 ** 40, 2 ** 53 + 2, 9007199254740993n, NaN),
  fc.constantFrom('a', 'b', ''),
  fc.constantFrom(kw('a'), kw('b')),
  fc.constantFrom(null, true, false),
  fc.tuple(fc.constantFrom(kw('append'), kw('r')), fc.integer({ min: 0, max: 3 })).map((t): EdnValue => [...t]),
);

test('firstDuplicate agrees with the quadratic definition on every kind of item', () => {
  fc.assert(
    fc.property(fc.array(item, { maxLength: 60 }), (items) => {
      assert.equal(firstDuplicate(items), naive(items));
    }),
    { numRuns: 1500 },
  );
});

test('firstDuplicate on sets of small integers (bitset) and sparse ones (table), with and without a duplicate', () => {
  const dense = Array.from({ length: 100_000 }, (_, i) => 99_999 - i);
  assert.equal(firstDuplicate(dense), -1);
  assert.equal(firstDuplicate([...dense, 5]), 100_000);
  assert.equal(firstDuplicate([...dense.slice(0, 500), 99_900, ...dense.slice(500)]), 500);
  const sparse = Array.from({ length: 50_000 }, (_, i) => i * 7919 + 3);
  assert.equal(firstDuplicate(sparse), -1);
  assert.equal(firstDuplicate([...sparse, 3]), 50_000);
  // -0 equals 0, as ednEquals says
  assert.equal(firstDuplicate([...Array.from({ length: 20 }, (_, i) => i + 1), 0, -0]), 21);
  // NaN never equals anything, itself included
  assert.equal(firstDuplicate([...Array.from({ length: 20 }, (_, i) => i + 1), NaN, NaN]), -1);
});

test('a big set reads whole, and a duplicate in it is reported by value', () => {
  const n = 30_000;
  const text = `#{${Array.from({ length: n }, (_, i) => i).join(' ')}}`;
  const s = parseEdn(text);
  assert.ok(s instanceof EdnSet);
  assert.equal(s.size, n);
  assert.throws(() => parseEdn(`#{${Array.from({ length: n }, (_, i) => i).join(' ')} 12345}`), { message: 'duplicate item 12345 in a set' });
  assert.throws(() => parseEdn(`#{${Array.from({ length: 20 }, (_, i) => `:k${i}`).join(' ')} :k7}`), { message: 'duplicate item :k7 in a set' });
});
