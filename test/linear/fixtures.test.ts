/** Every fixture history gets the verdict MANIFEST.md gives it, and the bad Knossos ones the pinned op. */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import type { EdnRecord, EdnValue } from '../../analyzer/edn/values.js';
import { isRecord, kw } from '../../analyzer/edn/values.js';
import { readHistory } from '../../analyzer/history/read.js';
import { checkLinearizable } from '../../analyzer/linear/linearize.js';
import { describeLinear } from '../../analyzer/linear/checker.js';
import { modelNamed } from '../../analyzer/linear/models/index.js';

const root = join(import.meta.dirname, '../../fixtures');

async function check(file: string, model: string, init?: string) {
  const h = await readHistory(join(root, file), {});
  return checkLinearizable(h, { model: modelNamed(model)!, init: init === undefined ? undefined : parseEdn(init) }).result;
}

/** The Knossos-style fields of an op record. */
function brief(op: EdnValue | undefined): string {
  if (!isRecord(op)) return String(op);
  const r = op as EdnRecord;
  return `p${String(r.process)} ${String((r.type as { name: string }).name)} ${String((r.f as { name: string }).name)} ${JSON.stringify(r.value)} @${String(r.index)}`;
}

test('knossos cas-register good histories are linearizable (init 0)', async () => {
  const dir = 'knossos/cas-register/good';
  for (const f of readdirSync(join(root, dir))) {
    const r = await check(join(dir, f), 'cas-register', '0');
    assert.equal(r['valid?'], true, f);
  }
});

const pinned: [string, string, string, string | null][] = [
  ['bad-analysis.edn', '0', 'p21 ok read 2 @14', 'p19 ok read 0 @11'],
  ['cas-failure.edn', '0', 'p70 ok read 0 @491', 'p74 ok read 0 @478'],
  ['immediate-failure.edn', '0', 'p1 ok read 3 @3', null],
  ['rethink-fail-minimal.edn', 'nil', 'p1 ok read 3 @4', null],
  ['rethink-fail-smaller.edn', 'nil', 'p12 ok read 3 @217', null],
];

test('knossos cas-register bad histories: not linearizable, at the op Knossos pins', async () => {
  for (const [f, init, op, prev] of pinned) {
    const r = await check(`knossos/cas-register/bad/${f}`, 'cas-register', init);
    assert.equal(r['valid?'], false, f);
    assert.equal(brief(r.op), op, f);
    if (prev !== null) assert.equal(brief(r['previous-ok']), prev, f);
  }
  for (const f of ['mongodb-v0-ack-rollback-6.edn', 'rethink-fail.edn']) {
    assert.equal((await check(`knossos/cas-register/bad/${f}`, 'cas-register', '0'))['valid?'], false, f);
  }
});

test('a failure explains itself: final paths end in the model\'s reason, and describe names the op', async () => {
  const r = await check('knossos/cas-register/bad/cas-failure.edn', 'cas-register', '0');
  const paths = r['final-paths'] as EdnValue[][];
  assert.ok(paths.length > 0);
  for (const p of paths) {
    const last = p[p.length - 1] as EdnRecord;
    assert.equal(brief(last.op), 'p70 ok read 0 @491');
    assert.match(String(last.model), /^can't read 0 from register \d+$/);
  }
  assert.equal(describeLinear(r), "not linearizable: process 70's read of 0 (index 491) cannot be linearized (can't read 0 from register 2), after process 74's read of 0");
});

test('knossos multi-register (init {:x 0 :y 0}) is linearizable; mutex/etcd is not', async () => {
  assert.equal((await check('knossos/multi-register/good/multi-register.edn', 'multi-register', '{:x 0 :y 0}'))['valid?'], true);
  const m = await check('knossos/mutex/bad/etcd.edn', 'mutex');
  assert.equal(m['valid?'], false);
  assert.equal((m.op as EdnRecord).f, kw('acquire'));
});

test('porcupine kv histories, split by :key', async () => {
  for (const c of ['c01', 'c10', 'c50']) {
    const ok = await check(`porcupine-kv/${c}-ok.txt`, 'kv');
    assert.equal(ok['valid?'], true, c);
    assert.equal(ok['key-count'], 10);
  }
  for (const c of ['c01', 'c10', 'c50']) {
    const bad = await check(`porcupine-kv/${c}-bad.txt`, 'kv');
    assert.equal(bad['valid?'], false, c);
    assert.equal(bad.failures instanceof Array && bad.failures.length, 1);
    // The kv model prunes hopeless configurations early; the explanation still names an op the
    // model rejects (found by an unpruned re-search), not one cut short by the pruning.
    assert.match(String(bad.reason), /^can't get "/, c);
  }
});

test('couchbase registers starting at :nil: linearizable, not, not', async () => {
  const v = async (f: string) => (await check(`couchbase/${f}`, 'cas-register', ':nil'))['valid?'];
  assert.equal(await v('sample-history-linearizable.edn'), true);
  assert.equal(await v('sample-history-sequential.edn'), false);
  assert.equal(await v('sample-history-non-sequential.edn'), false);
});
