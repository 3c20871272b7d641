import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EdnSyntaxError } from '../../analyzer/edn/bytes.js';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import { Char, EdnMap, EdnSet, Ratio, Sym, Tagged, WholeFloat, ednEquals, isList, kw } from '../../analyzer/edn/values.js';
import { printEdn } from '../../analyzer/edn/print.js';

test('atoms: nil, booleans, keywords, symbols, numbers', () => {
  assert.equal(parseEdn('nil'), null);
  assert.equal(parseEdn('true'), true);
  assert.equal(parseEdn('false'), false);
  assert.equal(parseEdn(':ok'), kw('ok'));
  assert.equal(parseEdn(':jepsen.history/op'), kw('jepsen.history/op'));
  assert.equal(parseEdn('foo/bar'), Sym.of('foo/bar'));
  assert.equal(parseEdn('-'), Sym.of('-'));
  assert.equal(parseEdn('42'), 42);
  assert.equal(parseEdn('-17'), -17);
  assert.equal(parseEdn('+5'), 5);
  assert.equal(parseEdn('1.5'), 1.5);
  // A whole-valued float stays a float: 1.0 is not the integer 1 (Clojure: (= 1 1.0) is false).
  assert.deepEqual(parseEdn('-2.5e3'), new WholeFloat(-2500));
  assert.deepEqual(parseEdn('1.0'), new WholeFloat(1));
  assert.equal(ednEquals(parseEdn('1.0'), parseEdn('1')), false);
  assert.equal(ednEquals(parseEdn('1.0'), parseEdn('1.00')), true);
  assert.equal(printEdn(parseEdn('[1 1.0 -0.0 2e3]')), '[1 1.0 -0.0 2000.0]');
  assert.equal(parseEdn('1.25M'), 1.25);
  assert.equal(parseEdn('7N'), 7);
  assert.equal(parseEdn('##Inf'), Infinity);
  assert.ok(Number.isNaN(parseEdn('##NaN') as number));
});

test('integers beyond 2^53 stay exact as bigint, with or without N', () => {
  assert.equal(parseEdn('9007199254740991'), 9007199254740991);
  assert.equal(parseEdn('9007199254740993'), 9007199254740993n);
  assert.equal(parseEdn('1595795910656065536'), 1595795910656065536n);
  assert.equal(parseEdn('-123456789012345678901234567890N'), -123456789012345678901234567890n);
  assert.equal(parseEdn('0x1F'), 31);
});

test('ratios are reduced; a whole ratio is an integer', () => {
  assert.deepEqual(parseEdn('2/4'), new Ratio(1n, 2n));
  assert.equal(parseEdn('4/2'), 2);
  assert.deepEqual(parseEdn('-3/9'), new Ratio(-1n, 3n));
});

test('strings decode every escape and UTF-8', () => {
  assert.equal(parseEdn('"a\\nb\\tc\\"d\\\\e"'), 'a\nb\tc"d\\e');
  assert.equal(parseEdn('"caf\\u00e9 \\r\\b\\f"'), 'café \r\b\f');
  assert.equal(parseEdn('"café ☃ 𝄞"'), 'café ☃ 𝄞');
  assert.equal(parseEdn('"multi\nline"'), 'multi\nline');
  assert.equal(parseEdn('""'), '');
});

test('characters', () => {
  assert.deepEqual(parseEdn('\\a'), new Char('a'));
  assert.deepEqual(parseEdn('\\newline'), new Char('\n'));
  assert.deepEqual(parseEdn('\\space'), new Char(' '));
  assert.deepEqual(parseEdn('\\u00e9'), new Char('é'));
  assert.deepEqual(parseEdn('\\é'), new Char('é'));
  assert.deepEqual(parseEdn('[\\( \\)]'), [new Char('('), new Char(')')]);
});

test('collections: vectors, lists, sets, maps with any keys', () => {
  assert.deepEqual(parseEdn('[1 [2 3] []]'), [1, [2, 3], []]);
  const l = parseEdn('(1 2)');
  assert.ok(Array.isArray(l) && isList(l));
  assert.ok(!isList(parseEdn('[1 2]') as never));
  const s = parseEdn('#{1 :a "b"}');
  assert.ok(s instanceof EdnSet);
  assert.deepEqual(s.items, [1, kw('a'), 'b']);
  const m = parseEdn('{3 :int, "3" :string, [1 2] :vec, nil :nil}');
  assert.ok(m instanceof EdnMap);
  assert.equal(m.size, 4);
  assert.equal(m.get(3), kw('int'));
  assert.equal(m.get('3'), kw('string'));
  assert.equal(m.get([1, 2]), kw('vec'));
  assert.equal(m.get(null), kw('nil'));
});

test('commas are whitespace; comments and #_ are skipped', () => {
  assert.deepEqual(parseEdn('[1,2,,3]'), [1, 2, 3]);
  assert.deepEqual(parseEdn('[1 ; one\n 2 #_ 99 #_[:a :b] 3]'), [1, 2, 3]);
  assert.deepEqual(parseEdn('  ; leading\n[#_#_ 1 2]'), []);
});

test('tagged literals: #inst and #uuid kept, #jepsen.history.Op unwrapped', () => {
  assert.deepEqual(parseEdn('#inst "2022-07-28T07:52:57.101-00:00"'), new Tagged('inst', '2022-07-28T07:52:57.101-00:00'));
  assert.deepEqual(parseEdn('#uuid "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"'), new Tagged('uuid', 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6'));
  const op = parseEdn('#jepsen.history.Op{:index 3, :type :ok}');
  assert.ok(op instanceof EdnMap);
  assert.equal(op.kw('index'), 3);
});

test('syntax errors say what was expected', () => {
  const msg = (s: string) => {
    try {
      parseEdn(s);
    } catch (e) {
      assert.ok(e instanceof EdnSyntaxError);
      return e.message;
    }
    return 'no error';
  };
  assert.equal(msg('#{1 1}'), 'duplicate item 1 in a set');
  assert.equal(msg('{:a 1 :a 2}'), 'duplicate key :a in a map');
  assert.equal(msg('{:a}'), 'map has a key with no value (:a)');
  assert.equal(msg('[1 2'), 'file ends inside a vector');
  assert.equal(msg('"abc'), 'file ends inside a string');
  assert.equal(msg('[1 2)'), "unexpected ')'");
  assert.equal(msg('"\\q"'), 'unknown escape \\q in a string');
  assert.equal(msg('1.2.3'), 'invalid number 1.2.3');
  assert.equal(msg('1 2'), "expected end of input, found '2'");
});
