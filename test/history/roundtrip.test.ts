/** Writing a history back out (EDN lines, JSON) and reading it again gives the same History. */
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { printEdn, toJson } from '../../analyzer/edn/print.js';
import { EdnMap, EdnSet, Tagged, ednEquals, kw } from '../../analyzer/edn/values.js';
import { type History, historyOf } from '../../analyzer/history/history.js';
import { readHistory } from '../../analyzer/history/read.js';
import { opToJson, printOp } from '../../analyzer/history/write.js';
import { tmpFile } from './tmp.js';

function walk(d: string): string[] {
  return readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
// Not histories: prose, the suites' indexes, a Jepsen run's results.edn and binary test.jepsen.
const histories = walk('fixtures').filter((f) => !f.endsWith('.md') && !f.endsWith('manifest.json') && !f.endsWith('/results.edn') && !f.endsWith('/test.jepsen')).sort();

function assertSameOps(a: History, b: History, what: string, compare = (x: History, y: History, i: number) => ednEquals({ ...x.op(i) }, { ...y.op(i) })): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) {
    assert.ok(compare(a, b, i), `${what} op ${i}: ${printEdn({ ...a.op(i) })} vs ${printEdn({ ...b.op(i) })}`);
    assert.equal(a.pair[i], b.pair[i], `${what} pair of op ${i}`);
  }
}

const writeEdn = (h: History) => [...h.ops()].map(printOp).join('\n') + '\n';
const writeJsonArray = (h: History) => '[' + [...h.ops()].map((o) => JSON.stringify(opToJson(o))).join(',\n') + ']\n';
const writeJsonLines = (h: History) => [...h.ops()].map((o) => JSON.stringify(opToJson(o))).join('\n') + '\n';

test('every fixture round-trips through EDN lines exactly', async () => {
  for (const file of histories) {
    const h = await readHistory(file);
    const back = await readHistory(tmpFile('history.edn', writeEdn(h)));
    assertSameOps(back, h, file);
    assert.deepEqual([...back.line], Array.from({ length: h.length }, (_, i) => i + 1), `${file}: one op a line`);
  }
});

test('every fixture round-trips through JSON (array and lines) as JSON sees it', async () => {
  for (const file of histories) {
    const h = await readHistory(file);
    for (const text of [writeJsonArray(h), writeJsonLines(h)]) {
      const back = await readHistory(tmpFile('history.json', text));
      assertSameOps(back, h, file, (x, y, i) => JSON.stringify(opToJson(x.op(i))) === JSON.stringify(opToJson(y.op(i))));
    }
  }
});

test('histories whose keywords JSON can spell round-trip through JSON exactly', async () => {
  for (const file of ['fixtures/elle/paper-example.edn', 'fixtures/elle/si-without-g-single.edn', 'fixtures/elle-cli/rw-register.edn', 'fixtures/elle-cli/list-append-gh-30.edn', 'fixtures/knossos/cas-register/bad/cas-failure.edn', 'fixtures/porcupine-kv/c10-ok.txt']) {
    const h = await readHistory(file);
    assertSameOps(await readHistory(tmpFile('history.json', writeJsonArray(h))), h, file);
  }
});

test('awkward values round-trip through EDN: escapes, unicode, big integers, sets, tags, odd keys', async () => {
  const h = historyOf([
    { process: 0, type: 'invoke', f: kw('write'), value: 'tab\there "quoted" back\\slash\nnewline café ☃ 𝄞', time: 5 },
    { process: 0, type: 'ok', f: kw('write'), value: 'tab\there "quoted" back\\slash\nnewline café ☃ 𝄞', time: 6 },
    { process: 1, type: 'invoke', f: kw('cas'), value: [9007199254740993n, -123456789012345678901234567890n] },
    { process: 1, type: 'fail', f: kw('cas'), value: [9007199254740993n, -123456789012345678901234567890n], error: [kw('mismatch'), 'expected "x"'] },
    { process: kw('nemesis'), type: 'info', f: kw('start'), value: new EdnMap(['n1', 3, '3'], [new EdnSet(['n2', 'n3']), kw('three'), kw('string-three')]) },
    { process: 2, type: 'invoke', f: kw('read'), value: new Tagged('inst', '2022-07-28T07:52:57Z'), extra: new EdnMap([kw('node'), kw('weird-key?')], ['n1', 1.5]) },
    { process: 2, type: 'info', f: kw('read'), value: null, error: kw('timeout') },
  ]);
  const back = await readHistory(tmpFile('history.edn', writeEdn(h)));
  assertSameOps(back, h, 'awkward');
  assert.equal(back.value[2] instanceof Array && back.value[2][0], 9007199254740993n);
  assert.equal((back.value[4] as EdnMap).get('3'), kw('string-three'));
  assert.equal(JSON.stringify(toJson(back.value[2])), '["9007199254740993","-123456789012345678901234567890"]');
});

test('property: random histories read back equal through EDN and JSON lines, at any chunk size', async () => {
  const value = fc.oneof(
    fc.constant(null),
    fc.integer({ min: -1000, max: 1000 }),
    fc.bigInt({ min: 2n ** 60n, max: 2n ** 70n }),
    fc.string({ unit: 'binary', maxLength: 6 }),
    fc.array(fc.tuple(fc.constantFrom(kw('append'), kw('r'), kw('w')), fc.integer({ min: 0, max: 9 }), fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 99 }), fc.array(fc.nat(99), { maxLength: 6 }))), { maxLength: 4 }),
  );
  const op = fc.record(
    {
      type: fc.constantFrom('invoke', 'ok', 'fail', 'info'),
      process: fc.oneof(fc.nat(5), fc.constant(kw('nemesis'))),
      f: fc.constantFrom(kw('read'), kw('write'), kw('txn')),
      value,
      time: fc.nat(1e12),
    },
    { requiredKeys: ['type', 'value'] },
  );
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), fc.integer({ min: 16, max: 300 }), async (ops, chunkSize) => {
      const h = historyOf(ops as never);
      const edn = await readHistory(tmpFile('h.edn', writeEdn(h)), { chunkSize });
      assertSameOps(edn, h, 'edn');
      const json = await readHistory(tmpFile('h.json', writeJsonLines(h)), { chunkSize });
      assertSameOps(json, h, 'json', (x, y, i) => JSON.stringify(opToJson(x.op(i))) === JSON.stringify(opToJson(y.op(i))));
    }),
    { numRuns: 100 },
  );
});
