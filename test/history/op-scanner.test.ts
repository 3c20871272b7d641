/** The op-map fast path: keys in any order, repeats, extras, comments, tags, chunk boundaries; shared values. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import { EdnMap, EdnSet, type EdnValue, Tagged, kw } from '../../analyzer/edn/values.js';
import { NEMESIS } from '../../analyzer/history/op.js';
import { readHistory } from '../../analyzer/history/read.js';
import { tmpFile } from './tmp.js';

const LINES = [
  '{:index 0, :time 10, :type :invoke, :process 0, :f :txn, :value [[:append 1 2] [:r 3 nil]]}',
  '{:value [[:append 1 2] [:r 3 [1 2 3 4 5 6]]], :f :txn, :process 0, :type :ok, :time 20, :index 1, :node "n1"}',
  '{:type :invoke :f :add :value 5 :process 1 :time 30 :index 2 :tries 1 :try 2}',
  '#jepsen.history.Op{:index 3, :time 40, :type :fail, :process 1, :f :add, :value 5, :error [:dup "k"]}',
  '{:index 4 ; the nemesis',
  '  :type :info, :process :nemesis, #_ :ignored #_ 7 :f :start, :value nil, "why" #{:a}}',
  '{:index 5, :time 12345678901234, :type :invoke, :process 2, :f :read, :value nil}',
  '{:index 6, :time 60, :type :ok, :process 2, :f :read, :value [[:append 1 2] [:r 3 [1 2 3 4 5 6]]]}',
  '',
];

test('op maps: standard keys in any order, extras kept in order, comments and #_ inside, #jepsen.history.Op', async () => {
  const file = tmpFile('opscan.edn', LINES.join('\n'));
  for (const chunkSize of [16, 23, 61, 1 << 20]) {
    const h = await readHistory(file, { chunkSize });
    assert.equal(h.length, 7, `chunk ${chunkSize}`);
    assert.deepEqual(
      { ...h.op(1) },
      { index: 1, time: 20, type: 'ok', process: 0, f: kw('txn'), value: [[kw('append'), 1, 2], [kw('r'), 3, [1, 2, 3, 4, 5, 6]]], extra: new EdnMap([kw('node')], ['n1']) },
    );
    assert.deepEqual(h.extra.get(2), new EdnMap([kw('tries'), kw('try')], [1, 2]));
    assert.deepEqual(h.error.get(3), [kw('dup'), 'k']);
    assert.equal(h.process[4], NEMESIS);
    assert.equal(h.fName(4), 'start');
    assert.equal(h.line[4], 5);
    assert.ok(Number.isNaN(h.time[4]));
    assert.deepEqual(h.extra.get(4), new EdnMap(['why'], [new EdnSet([kw('a')])]));
    assert.equal(h.time[5], 12345678901234);
    assert.deepEqual([...h.pair], [1, 0, 3, 2, -1, 6, 5]);
  }
});

test('op maps: a key given twice is an error on its line, as Clojure\'s reader and docs/formats.md say', async () => {
  await assert.rejects(readHistory(tmpFile('dup.edn', '{:index 0, :type :ok, :process 0, :f :read, :value 1}\n{:index 1, :type :ok, :process 0, :f :read, :value 1, :value 2}\n')), {
    message: /dup\.edn:2: malformed EDN: duplicate key :value in a map$/,
  });
  await assert.rejects(readHistory(tmpFile('dup-extra.edn', '{:index 0, :type :ok, :process 0, :node "n1", :f :read, :node "n2"}\n')), {
    message: /dup-extra\.edn:1: malformed EDN: duplicate key :node in a map$/,
  });
});

test('op maps: a key with no value and an unknown :type are errors on their line', async () => {
  await assert.rejects(readHistory(tmpFile('novalue.edn', '{:index 0, :type :invoke, :f}\n')), { message: /novalue\.edn:1: malformed EDN: map has a key with no value \(:f\)/ });
  await assert.rejects(readHistory(tmpFile('notype.edn', '{:index 0, :f :read, :process 1}\n')), { message: /notype\.edn:1: op has no :type/ });
  await assert.rejects(readHistory(tmpFile('badtype.edn', '{:index 0, :type :done}\n')), { message: /badtype\.edn:1: unknown :type :done/ });
  await assert.rejects(readHistory(tmpFile('badindex.edn', '{:index :x, :type :ok}\n')), { message: /badindex\.edn:1: :index must be an integer, found :x/ });
});

test('equal vectors of atoms, and vectors of them, are one shared frozen array; lists, sets and longer vectors are not shared', async () => {
  const h = await readHistory(tmpFile('shared.edn', LINES.join('\n')));
  assert.equal(h.value[1], h.value[6]);
  assert.ok(Object.isFrozen(h.value[1]));
  assert.equal((h.value[0] as EdnValue[])[0], (h.value[1] as EdnValue[])[0]);
  const v = parseEdn(`[[1 2 (3)] [1 2 (3)] (1 2) (1 2) [${'7 '.repeat(33)}] [${'7 '.repeat(33)}] ["s"] ["s"]]`) as EdnValue[][];
  assert.notEqual(v[0], v[1]);
  assert.notEqual(v[2], v[3]);
  assert.notEqual(v[4], v[5]);
  assert.notEqual(v[6], v[7]);
  assert.ok(!Object.isFrozen(v[2]));
  assert.ok(parseEdn('[#inst "2020-01-01"]') instanceof Array && (parseEdn('[#inst "2020-01-01"]') as EdnValue[])[0] instanceof Tagged);
});
