import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { UNKNOWN } from '../../analyzer/checkers/checker.js';
import { checkerNamed } from '../../analyzer/checkers/registry.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import { type EdnRecord, type EdnValue, Keyword, kw } from '../../analyzer/edn/values.js';
import type { History } from '../../analyzer/history/history.js';
import { OK } from '../../analyzer/history/op.js';
import { readHistory } from '../../analyzer/history/read.js';
import { type LinearizableOptions, checkLinearizable } from '../../analyzer/linearizability/index.js';
import { ModelError, models } from '../../analyzer/linearizability/models.js';
import { describeLinearizable } from '../../analyzer/linearizability/result.js';

const root = 'fixtures';
const files = (dir: string) => readdirSync(join(root, dir)).filter((f) => !f.startsWith('.')).map((f) => join(root, dir, f));

/** Replays a valid result's witness through the model: every op must be accepted, in order. */
function replayWitness(h: History, opts: LinearizableOptions, order: EdnValue): void {
  const model = models.get(opts.model ?? 'cas-register')!;
  const byIndex = new Map<number, number>();
  for (let i = 0; i < h.length; i++) byIndex.set(h.index[i], i);
  let state = model.init(opts.init);
  assert.ok(Array.isArray(order));
  const seen = new Set<number>();
  for (const idx of order) {
    const i = byIndex.get(idx as number)!;
    seen.add(i);
    const ok = h.outcome(i) === OK;
    const f = h.fValue(i) as Keyword;
    const next = model.step(state, f.name, ok ? h.value[h.pair[i]] : h.value[i]);
    assert.ok(!(next instanceof ModelError), `witness step ${printEdn(idx)} rejected: ${next instanceof ModelError ? next.error : ''}`);
    state = next;
  }
  // Every ok client op is in the witness.
  for (const i of h.invocations()) if (h.outcome(i) === OK) assert.ok(seen.has(i), `ok op at ${h.index[i]} missing from witness`);
}

async function verdict(file: string, opts: LinearizableOptions): Promise<EdnRecord> {
  const h = await readHistory(file);
  const r = checkLinearizable(h, opts);
  if (r['valid?'] === true && r.linearization !== undefined) replayWitness(h, opts, r.linearization);
  return r;
}

const zero: LinearizableOptions = { model: 'cas-register', init: 0 };
const nil: LinearizableOptions = { model: 'cas-register', init: null };

test('knossos cas-register good histories are linearizable, with a witness the model accepts', async () => {
  const good = files('knossos/cas-register/good');
  assert.ok(good.length >= 30);
  for (const f of good) assert.equal((await verdict(f, zero))['valid?'], true, f);
});

test('knossos cas-register bad histories are not linearizable', async () => {
  for (const f of files('knossos/cas-register/bad')) {
    const r = await verdict(f, f.includes('rethink') ? nil : zero);
    assert.equal(r['valid?'], false, f);
  }
});

const op = (process: number, f: string, value: EdnValue, index: number) => ({ process, type: kw('ok'), f: kw(f), value, index });
function pick(r: EdnValue | undefined): EdnValue {
  if (r === null || r === undefined) return null;
  const o = r as EdnRecord;
  return { process: o.process ?? null, type: o.type ?? null, f: o.f ?? null, value: o.value ?? null, index: o.index ?? null };
}

test('the op that cannot be linearized matches Knossos', async () => {
  const cases: [string, LinearizableOptions, EdnValue, EdnValue][] = [
    ['bad-analysis.edn', zero, op(21, 'read', 2, 14), op(19, 'read', 0, 11)],
    ['cas-failure.edn', zero, op(70, 'read', 0, 491), op(74, 'read', 0, 478)],
    ['immediate-failure.edn', zero, op(1, 'read', 3, 3), null],
    ['rethink-fail-minimal.edn', nil, op(1, 'read', 3, 4), op(0, 'write', 0, 1)],
    ['rethink-fail-smaller.edn', nil, op(12, 'read', 3, 217), op(15, 'read', 0, 183)],
  ];
  for (const [file, opts, want, prev] of cases) {
    const r = await verdict(join(root, 'knossos/cas-register/bad', file), opts);
    assert.equal(printEdn(pick(r.op)), printEdn(want), file);
    assert.equal(printEdn(pick(r['previous-ok'])), printEdn(prev), `${file} previous-ok`);
  }
  const r = await verdict(join(root, 'knossos/cas-register/bad/cas-failure.edn'), zero);
  assert.equal(describeLinearizable(r as never), "not linearizable: process 70's read of 0 cannot be ordered after the write of 2 (can't read 0 from register 2)");
  const paths = r['final-paths'] as EdnRecord[][];
  assert.ok(paths.length >= 1 && paths.length <= 10);
  assert.equal(paths[0][paths[0].length - 1].model, "can't read 0 from register 2");
});

test('multi-register and mutex fixtures', async () => {
  assert.equal((await verdict(join(root, 'knossos/multi-register/good/multi-register.edn'), { model: 'multi-register', init: parseEdn('{:x 0 :y 0}') }))['valid?'], true);
  const r = await verdict(join(root, 'knossos/mutex/bad/etcd.edn'), { model: 'mutex' });
  assert.equal(r['valid?'], false);
  assert.match(String(r.reason), /can't acquire a held mutex/);
});

test('porcupine kv: ok files linearizable, bad files not, split by key', async () => {
  for (const f of files('porcupine-kv')) {
    const r = await verdict(f, { model: 'kv' });
    assert.equal(r['valid?'], f.endsWith('-ok.txt'), f);
    assert.ok((r['key-count'] as number) >= 8, f);
    if (r['valid?'] === false) assert.equal((r.failures as EdnValue[]).length, 1, f);
  }
  const all = await verdict(join(root, 'porcupine-kv/c10-bad.txt'), { model: 'kv', allKeys: true });
  assert.equal(all['keys-checked'], all['key-count']);
});

test('couchbase: linearizable, sequential-only and non-sequential samples (init :nil)', async () => {
  const opts: LinearizableOptions = { model: 'cas-register', init: kw('nil') };
  assert.equal((await verdict(join(root, 'couchbase/sample-history-linearizable.edn'), opts))['valid?'], true);
  assert.equal((await verdict(join(root, 'couchbase/sample-history-sequential.edn'), opts))['valid?'], false);
  assert.equal((await verdict(join(root, 'couchbase/sample-history-non-sequential.edn'), opts))['valid?'], false);
});

test('budgets: --max-states exhaustion gives unknown with its cause and progress', async () => {
  const r = await verdict(join(root, 'porcupine-kv/c50-ok.txt'), { model: 'kv', maxStates: 100 });
  assert.equal(r['valid?'], UNKNOWN);
  assert.equal(r.cause, kw('max-states'));
  assert.match(describeLinearizable(r as never), /^linearizability unknown: gave up on max-states after \d+ states$/);
});

test('budgets: --time-limit exhaustion gives unknown with cause :time-limit', async () => {
  const r = await verdict(join(root, 'porcupine-kv/c50-ok.txt'), { model: 'kv', timeLimit: 1e-6 });
  assert.equal(r['valid?'], UNKNOWN);
  assert.equal(r.cause, kw('time-limit'));
});

test('the checker is registered and rejects bad options', () => {
  const c = checkerNamed('linearizable')!;
  assert.ok(c);
  const init = c.options!.find((o) => o.flags.startsWith('--init'))!;
  assert.throws(() => init.parse!('{:x', undefined), /--init: not an EDN value/);
  assert.equal(printEdn(init.parse!(':nil', undefined) as EdnValue), ':nil');
  assert.throws(() => checkLinearizable({ length: 0 } as History, { model: 'nope' }), /unknown model nope/);
});
