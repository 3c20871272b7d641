/** Each format's details: detection, Jepsen log variants, JSON conventions, chunk boundaries. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { printEdn } from '../../analyzer/edn/print.js';
import { EdnMap, Tagged, ednEquals, kw } from '../../analyzer/edn/values.js';
import type { History } from '../../analyzer/history/history.js';
import { NEMESIS, NO_PROCESS } from '../../analyzer/history/op.js';
import { readHistory, readHistoryWithFormat } from '../../analyzer/history/read.js';
import { tmpFile } from './tmp.js';

function assertSameHistory(a: History, b: History): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    assert.ok(ednEquals({ ...a.op(i) }, { ...b.op(i) }), `op ${i}: ${printEdn({ ...a.op(i) })} vs ${printEdn({ ...b.op(i) })}`);
    assert.equal(a.pair[i], b.pair[i]);
    assert.equal(a.line[i], b.line[i]);
  }
}

test('old Jepsen logs: "INFO  jepsen.util - " lines, errors in the value field', async () => {
  const f = tmpFile('jepsen.log', [
    'INFO  jepsen.core - Running test',
    'INFO  jepsen.util - 3\t:invoke\t:cas\t[1 4]',
    'INFO  jepsen.util - 0\t:invoke\t:read\tnil',
    'INFO  jepsen.util - 3\t:info\t:cas\t:timed-out',
    'INFO  jepsen.util - 0\t:ok\t:read\tnil',
    'INFO  jepsen.util - :nemesis\t:info\t:start\tnil',
    'INFO  jepsen.util - 1   :invoke   :write   2',
    'INFO  jepsen.util - 1   :fail   :write   2   :not-leader',
    'WARN  jepsen.util - something unrelated',
    '',
  ].join('\n'));
  const r = await readHistoryWithFormat(f);
  assert.equal(r.format, 'jepsen-log');
  const h = r.history;
  assert.equal(h.length, 7);
  assert.deepEqual({ ...h.op(2) }, { index: 2, type: 'info', process: 3, f: kw('cas'), value: [1, 4], error: kw('timed-out') });
  assert.equal(h.op(3).value, null);
  assert.equal(h.process[4], NEMESIS);
  assert.deepEqual({ ...h.op(6) }, { index: 6, type: 'fail', process: 1, f: kw('write'), value: 2, error: kw('not-leader') });
  assert.deepEqual([...h.line], [2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual([h.pair[0], h.pair[1], h.pair[5]], [2, 3, 6]);
});

test('new Jepsen logs: timestamped lines with the [ time ] prefix; CRLF and BOM are fine', async () => {
  const lines = [
    '2022-07-28 07:52:57,101{GMT}\tINFO\t[main] jepsen.core: Running test',
    '2022-07-28 07:52:57,101{GMT}\tINFO\t[jepsen worker 3] jepsen.util: [ 1345013587 ] 3\t:invoke\t:read\tnil',
    '2022-07-28 07:52:57,102{GMT}\tINFO\t[jepsen worker 3] jepsen.util: 3\t:ok\t:read\t5',
  ];
  const f = tmpFile('jepsen.log', '\ufeff' + lines.join('\r\n') + '\r\n');
  const h = await readHistory(f);
  assert.equal(h.length, 2);
  assert.equal(h.time[0], 1345013587);
  assert.ok(Number.isNaN(h.time[1]));
  assert.equal(h.value[1], 5);
  assert.deepEqual([...h.line], [2, 3]);
});

test('history.txt: bare fields, with an optional error field', async () => {
  const f = tmpFile('history.txt', '3\t:invoke\t:cas\t[1 4]\n3\t:fail\t:cas\t[1 4]\t:mismatch\n\n:nemesis\t:info\t:kill\t{"n1" :killed}\n');
  const h = await readHistory(f);
  assert.equal(h.length, 3);
  assert.equal(h.error.get(1), kw('mismatch'));
  assert.equal(printEdn(h.value[2]), '{"n1" :killed}');
  assert.deepEqual([...h.line], [1, 2, 4]);
});

test('detection picks the format from the content, not the file name', async () => {
  const cases: [string, string][] = [
    ['{:type :invoke, :process 0, :value 1}\n', 'edn'],
    ['; a comment\n\n#jepsen.history.Op{:type :invoke, :process 0}\n', 'edn'],
    ['; Knossos\n[{:type :invoke, :process 0}]', 'edn-vector'],
    ['({:type :invoke, :process 0})', 'edn-vector'],
    ['[ {"type": "invoke", "process": 0} ]', 'json'],
    ['{"type": "invoke", "process": 0}\n{"type": "ok", "process": 0}\n', 'json'],
    ['0\t:invoke\t:read\tnil\n', 'jepsen-log'],
    [':nemesis\t:info\t:start\tnil\n', 'jepsen-log'],
  ];
  for (const [content, format] of cases) {
    const r = await readHistoryWithFormat(tmpFile('history.dat', content));
    assert.equal(r.format, format, content);
    assert.ok(r.history.length >= 1, content);
  }
  const forced = tmpFile('h.edn', '{:type :invoke, :process 0}');
  await assert.rejects(readHistory(forced, { format: 'json' }), /malformed JSON: expected a "key" in an object, found ':'/);
});

test('ops may lack :index, :time, :f and :process; non-integer processes are not clients', async () => {
  const f = tmpFile('h.edn', '{:type :invoke, :value 1}\n{:type :ok, :value 1}\n{:index 10, :type :info, :process :nemesis, :f :kill}\n{:type :info, :process "fuzzer", :f :kill}\n');
  const h = await readHistory(f);
  assert.deepEqual([...h.index], [0, 1, 10, 3]);
  assert.equal(h.process[0], NO_PROCESS);
  assert.equal(h.f[0], -1);
  assert.ok(Number.isNaN(h.time[0]));
  assert.ok(h.isClient(0));
  assert.ok(h.isNemesis(2) && h.isNemesis(3));
  assert.equal(h.processValue(3), 'fuzzer');
  assert.equal(h.pair[0], 1);
});

test('op values keep every EDN kind: tags, sets, maps with 3 and "3" as distinct keys, big integers', async () => {
  const f = tmpFile('h.edn', '{:type :ok, :process 0, :value {3 :a, "3" :b, :t #inst "2020-01-01T00:00:00Z", :s #{1 2}, :big 123456789012345678901234567890}}\n');
  const v = (await readHistory(f)).value[0];
  assert.ok(v instanceof EdnMap);
  assert.equal(v.get(3), kw('a'));
  assert.equal(v.get('3'), kw('b'));
  assert.ok(v.kw('t') instanceof Tagged);
  assert.equal(v.kw('big'), 123456789012345678901234567890n);
});

test('JSON: keywords by convention, big integers exact, JSON lines', async () => {
  const f = tmpFile('h.json', [
    '{"index": 0, "type": "invoke", "process": 0, "f": "txn", "value": [["append", 1, 2], ["r", "x", null]], "node": "n1"}',
    '{"index": 1, "type": "ok", "process": 0, "f": "txn", "value": [["append", 1, 2], ["r", "x", [2]]], "cas": 18446744073709551617}',
    '{"index": 2, "type": "info", "process": "nemesis", "f": "start", "value": "partition \\"a\\" \\u00e9"}',
  ].join('\n'));
  const h = await readHistory(f);
  assert.equal(printEdn(h.value[1]), '[[:append 1 2] [:r :x [2]]]');
  assert.equal(printEdn(h.extra.get(0)!), '{:node "n1"}');
  assert.equal(h.extra.get(1)!.kw('cas'), 18446744073709551617n);
  assert.ok(h.isNemesis(2));
  assert.equal(h.value[2], 'partition "a" é');
  assert.equal(h.fName(0), 'txn');
});

test('reading in tiny chunks gives the same History as in one chunk', async () => {
  const files = [
    'fixtures/jepsen-stores/canonical-raft/history.edn',
    'fixtures/jepsen-stores/canonical-raft/jepsen.log',
    'fixtures/jepsen-stores/canonical-raft/history.txt',
    'fixtures/knossos/multi-register/good/multi-register.edn',
    'fixtures/knossos/cas-register/bad/rethink-fail-minimal.edn',
    'fixtures/couchbase/sample-history-linearizable.edn',
    'fixtures/elle-cli/paper-example.json',
  ];
  for (const file of files) {
    const whole = await readHistory(file);
    for (const chunkSize of [16, 37, 1000]) assertSameHistory(await readHistory(file, { chunkSize }), whole);
  }
  // UTF-8 sequences and escapes split across chunks
  const text = readFileSync('fixtures/couchbase/sample-history-linearizable.edn', 'utf8').split('\n').slice(0, 5).join('\n');
  const f = tmpFile('h.edn', text.replace(/:value (\d+)/g, ':value "caf\u00e9 \\"$1\\" \u2603 \ud834\udd1e"') + '\n');
  const ref = await readHistory(f);
  assert.equal(ref.value[0], 'café "353" ☃ 𝄞');
  for (let chunkSize = 16; chunkSize < 40; chunkSize++) assertSameHistory(await readHistory(f, { chunkSize }), ref);
});

test('progress is reported as bytes read of the file size', async () => {
  const file = 'fixtures/jepsen-stores/canonical-raft/history.edn';
  const seen: [number, number][] = [];
  await readHistory(file, { chunkSize: 4096, onProgress: (a, b) => seen.push([a, b]) });
  const size = readFileSync(file).length;
  assert.ok(seen.length >= 5);
  assert.deepEqual(seen[seen.length - 1], [size, size]);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i][0] >= seen[i - 1][0]);
});
