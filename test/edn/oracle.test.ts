/**
 * Property test: our EDN scanner and edn-data (a separate, slower implementation) must read
 * every printed EDN value alike. Integers stay within 2^53 (edn-data rounds beyond; ours keeps
 * them exact, tested on its own), ratios are left out (edn-data reads them as symbols) and so is
 * the character `\(` and the tags #inst and #uuid (edn-data misreads the one and converts the
 * others to Date and string; the unit tests cover them).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEDNString } from 'edn-data';
import fc from 'fast-check';
import { printEdn } from '../../analyzer/edn/print.js';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import { Char, EdnMap, EdnSet, type EdnValue, Keyword, Sym, Tagged, ednEquals, markList, normalInt } from '../../analyzer/edn/values.js';

/** edn-data's output in our value model. */
function fromOracle(v: unknown): EdnValue {
  if (v === null || typeof v === 'boolean' || typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'bigint') return normalInt(v);
  if (Array.isArray(v)) return v.map(fromOracle);
  const o = v as Record<string, unknown>;
  if ('key' in o) return Keyword.of(o.key as string);
  if ('sym' in o) return Sym.of(o.sym as string);
  if ('char' in o) return new Char(o.char as string);
  if ('list' in o) return markList((o.list as unknown[]).map(fromOracle));
  if ('set' in o) return new EdnSet((o.set as unknown[]).map(fromOracle));
  if ('map' in o) {
    const entries = o.map as [unknown, unknown][];
    return new EdnMap(entries.map((e) => fromOracle(e[0])), entries.map((e) => fromOracle(e[1])));
  }
  if ('tag' in o) return new Tagged(o.tag as string, fromOracle(o.val));
  throw new Error(`unexpected oracle value ${JSON.stringify(o)}`);
}

const name = fc.stringMatching(/^[a-z][a-z0-9*!?-]{0,8}(\/[a-z][a-z0-9-]{0,5})?$/);
const atom: fc.Arbitrary<EdnValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
  fc.maxSafeInteger(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0) && !(Number.isInteger(d) && Math.abs(d) > Number.MAX_SAFE_INTEGER)),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('\n', '\t', '"', '\\', 'é', '\r', 'a', ' ', '☃'), maxLength: 8 }),
  name.map((n) => Keyword.of(n)),
  name.filter((n) => !['nil', 'true', 'false'].includes(n)).map((n) => Sym.of(n)),
  fc.constantFrom('a', 'Z', 'é', '\n', ' ', '\t').map((c) => new Char(c)),
);

function distinct(items: EdnValue[]): EdnValue[] {
  const out: EdnValue[] = [];
  for (const x of items) if (!out.some((y) => ednEquals(x, y))) out.push(x);
  return out;
}

const { value } = fc.letrec<{ value: EdnValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.array(tie('value'), { maxLength: 4 }).map((a) => markList(a)),
    fc.array(tie('value'), { maxLength: 4 }).map((a) => new EdnSet(distinct(a))),
    fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 4 }).map((entries) => {
      const keys = distinct(entries.map((e) => e[0]));
      return new EdnMap(keys, keys.map((k) => entries.find((e) => ednEquals(e[0], k))![1]));
    }),
    fc.tuple(fc.constantFrom('my.app/thing', 'point', 'x.y/z'), tie('value')).map(([t, v]) => new Tagged(t, v)),
  ),
}));

test('our scanner and edn-data read printed EDN alike', () => {
  fc.assert(
    fc.property(value, (v) => {
      const text = printEdn(v);
      const ours = parseEdn(text);
      const theirs = fromOracle(parseEDNString(text, { mapAs: 'doubleArray', listAs: 'object' } as never));
      assert.ok(ednEquals(ours, theirs), `${text}\nours:   ${printEdn(ours)}\ntheirs: ${printEdn(theirs)}`);
      assert.equal(printEdn(ours), printEdn(theirs));
      assert.ok(ednEquals(ours, v), `${text} read back as ${printEdn(ours)}`);
    }),
    { numRuns: 1500 },
  );
});

test('whitespace, commas and comments between tokens change nothing', () => {
  fc.assert(
    fc.property(value, fc.constantFrom(' ', ',', '\n', ' ; note\n', '\t,\t'), (v, sep) => {
      const text = printEdn(v);
      const spaced = text.replace(/([\]})])/g, `${sep}$1`);
      if (/"|\\/.test(text)) return; // separators inside strings/chars would change them
      assert.equal(printEdn(parseEdn(spaced)), text);
    }),
    { numRuns: 300 },
  );
});
