/** The JSON scanner against JSON.parse (integers within 2^53), plus what JSON.parse gets wrong. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { EdnSyntaxError } from '../../analyzer/edn/bytes.js';
import { JsonScanner } from '../../analyzer/edn/json-scanner.js';
import { toJson } from '../../analyzer/edn/print.js';
import { EdnMap, type EdnValue } from '../../analyzer/edn/values.js';

function parseJson(text: string): EdnValue {
  const bytes = Buffer.from(text, 'utf8');
  const s = new JsonScanner();
  s.reset(bytes, 0, bytes.length, true);
  const v = s.read();
  s.skipWs();
  if (s.pos !== bytes.length) throw new Error('trailing input');
  return v;
}

test('the JSON scanner reads what JSON.parse reads', () => {
  fc.assert(
    fc.property(fc.json({ maxDepth: 4, noUnicodeString: false }), (text) => {
      const expected = JSON.parse(text) as unknown;
      const big = /\d{16,}/.test(text); // JSON.parse rounds these; we keep them exact
      if (big) return;
      assert.deepEqual(toJson(parseJson(text)), normalise(expected));
    }),
    { numRuns: 1000 },
  );
});

/** JSON.parse's output as toJson would give it (-0 is 0 in JSON's integers, as in ours). */
function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalise(x)]));
  return v;
}

test('JSON integers beyond 2^53 stay exact; objects keep string keys', () => {
  assert.equal(parseJson('18446744073709551617'), 18446744073709551617n);
  assert.equal(parseJson('-9007199254740993'), -9007199254740993n);
  const m = parseJson('{"3": 1, "a b": [true, false, null, 1.5e3, "\\u00e9\\n\\ud834\\udd1e"]}');
  assert.ok(m instanceof EdnMap);
  assert.deepEqual(m.keys, ['3', 'a b']);
  assert.deepEqual(m.get('a b'), [true, false, null, 1500, 'é\n𝄞']);
});

test('JSON syntax errors say what was expected', () => {
  const msg = (s: string) => {
    try {
      parseJson(s);
    } catch (e) {
      assert.ok(e instanceof EdnSyntaxError);
      return e.message;
    }
    return 'no error';
  };
  assert.equal(msg('{"a" 1}'), "expected ':' after the key \"a\", found '1'");
  assert.equal(msg('[1 2]'), "expected ',' or ']' in an array, found '2'");
  assert.equal(msg('{"a": 1, "a": 2}'), 'duplicate key "a" in an object');
  assert.equal(msg('[01]'), 'invalid number 01');
  assert.equal(msg('[nul]'), 'unexpected nul; expected a JSON value');
  assert.equal(msg('"abc'), 'file ends inside a string');
  assert.equal(msg('"a\u0001b"'), 'unescaped control character in a string');
  // After an escape too (the escaped part of a string was once read without this check).
  assert.equal(msg('"a\\nb\u0001"'), 'unescaped control character in a string');
  assert.equal(msg('"a\\qb"'), 'unknown escape \\q in a string');
  assert.equal(msg('"a\\u12G4"'), 'expected four hex digits after \\u in a string');
  assert.equal(parseJson('"a\\/b\\u00e9\\n"'), 'a/b\u00e9\n');
});

test('a "__proto__" key is kept as a key, both read and written back as JSON', () => {
  const v = parseJson('{"__proto__": false, "a": {"__proto__": [1]}}');
  const out = toJson(v) as Record<string, unknown>;
  assert.deepEqual(Object.keys(out), ['__proto__', 'a']);
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.equal(JSON.stringify(out), '{"__proto__":false,"a":{"__proto__":[1]}}');
});
