/** The verdict in words: what each kind of failure looks like at the top of a report. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { checkerNamed } from '../../analyzer/checkers/registry.js';
import { printEdn as printEdnText } from '../../analyzer/edn/print.js';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import { type EdnRecord, type EdnValue, kw } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import { readHistory } from '../../analyzer/history/read.js';
import { linearWords } from '../../analyzer/linear/words.js';
import { opWords } from '../../analyzer/check/words.js';
import { registry } from '../../analyzer/checkers/registry.js';
import { headline, toRecord } from '../../analyzer/report/verdict.js';

const op = (index: number, process: number, f: string, value: EdnValue, time?: number): EdnRecord => ({ index, type: kw('ok'), process, f: kw(f), value, ...(time === undefined ? {} : { time }) });

test('linearizable: the op that cannot be placed, when, and the write it cannot follow', () => {
  const r: EdnRecord = {
    'valid?': false,
    op: op(491, 70, 'read', 0, 1.84e9),
    reason: "can't read 0 from register 2",
    'previous-ok': op(478, 74, 'read', 0),
    'final-paths': [[{ op: op(460, 71, 'read', 0), model: 0 }, { op: op(472, 76, 'write', 2), model: 2 }, { op: op(478, 74, 'read', 2), model: 2 }, { op: op(491, 70, 'read', 0, 1.84e9), model: "can't read 0 from register 2" }]],
  };
  assert.equal(linearWords(r)?.sentence, "not linearizable: process 70's read of 0 (op 491) at 1.84 s cannot be ordered after process 76's write of 2 (op 472): can't read 0 from register 2");
  // Without a path, the last ok op before it.
  assert.equal(linearWords({ ...r, 'final-paths': [] })?.sentence, "not linearizable: process 70's read of 0 (op 491) at 1.84 s cannot be ordered after process 74's read of 0 (op 478): can't read 0 from register 2");
  // Split by key: the failing key's result names the key.
  const byKey: EdnRecord = { 'valid?': false, 'key-count': 3, results: [{ key: 'x', ...r }] };
  assert.match(linearWords(byKey)?.sentence ?? '', /^not linearizable: key "x": process 70's read of 0 \(op 491\)/);
  assert.equal(linearWords({ 'valid?': true }), undefined);
});

test("linearizable on Knossos's cas-failure: op 491 cannot follow the write that set the register", async () => {
  const history = await readHistory('fixtures/knossos/cas-register/bad/cas-failure.edn');
  const result = await checkerNamed('linearizable')!.check(history, { model: 'cas-register', init: '0', workers: 1 }, {});
  const { sentence } = registry.words('linearizable', toRecord(parseEdn(printed(result))) as EdnRecord)!;
  assert.match(sentence, /^not linearizable: process 70's read of 0 \(op 491\) cannot be ordered after process \d+'s (write|cas) of [\d[\] ]+ \(op \d+\): can't read 0 from register \d+$/);
});

/** Through EDN text, as a report reads results.edn. */
const printed = (v: EdnValue): string => printEdnText(v);

test('Elle: anomaly names, the models ruled out, and the first cycle explained', async () => {
  const history = await readHistory('fixtures/elle/paper-example.edn');
  const result = await checkerNamed('list-append')!.check(history, {}, {});
  const words = registry.words('list-append', toRecord(parseEdn(printEdnText(result))) as EdnRecord)!;
  assert.equal(words.sentence, 'G-single-item anomaly: not consistent-view or repeatable-read (nor any stronger model)');
  assert.match(words.detail ?? '', /^The first G-single-item:\nT1 = op 7: \[\[:append 250 10\]/);
  assert.match(words.detail ?? '', /\nT2 < T3: T3 read key 255 = \[2 3 4 5 8\], ending with T2's append of 8\.\n/);
});

test('set-full and set: how many acknowledged elements were lost, and which', async () => {
  const ops: OpInput[] = [
    { type: 'invoke', process: 0, f: kw('add'), value: 1 },
    { type: 'ok', process: 0, f: kw('add'), value: 1 },
    { type: 'invoke', process: 0, f: kw('add'), value: 2 },
    { type: 'ok', process: 0, f: kw('add'), value: 2 },
    { type: 'invoke', process: 1, f: kw('read'), value: null },
    { type: 'ok', process: 1, f: kw('read'), value: [1] },
  ];
  const h = historyOf(ops);
  const full = toRecord(parseEdn(printEdnText(await checkerNamed('set-full')!.check(h, {}, {})))) as EdnRecord;
  assert.equal(registry.words('set-full', full)?.sentence, '1 of 2 added elements lost (2)');
  const set = toRecord(parseEdn(printEdnText(await checkerNamed('set')!.check(h, {}, {})))) as EdnRecord;
  assert.equal(registry.words('set', set)?.sentence, '1 of 2 acknowledged adds lost (#{2})');
  // Composed, the headline names the checker that failed.
  assert.deepEqual(headline({ 'valid?': false, 'set-full': full, stats: { 'valid?': true } }), { verdict: 'invalid', sentence: 'set-full: 1 of 2 added elements lost (2)' });
});

test('ops in words: who did what, and when if the history has times', () => {
  assert.equal(opWords(op(3, 1, 'cas', [0, 2], 2.5e9)), "process 1's cas of [0 2] (op 3) at 2.50 s");
  assert.equal(opWords({ index: 5, type: kw('ok'), value: [[kw('append'), 1, 2]] }), 'the op of [[:append 1 2]] (op 5)');
});

test('a lone result file is recognised by its keys', () => {
  const r = parseEdn(readFileSync('docs/examples/knossos-cas-failure/results.edn', 'utf8'));
  const lone = (toRecord(r) as EdnRecord).linearizable as EdnRecord;
  assert.match(headline(lone).sentence, /^not linearizable: process 70's read of 0 \(op 491\)/);
});
