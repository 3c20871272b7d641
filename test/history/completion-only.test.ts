/**
 * Completion-only histories (Elle's tests, hand-written reproductions, exported logs list only
 * `:ok` / `:fail` / `:info` ops): each completion with no open invocation is a whole op at its
 * place, as jepsen.history takes it. A completion-only history must get the same verdict as the
 * same history with an invocation placed just before each completion.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CheckResult } from '../../analyzer/check/checker.js';
import { checkerNamed } from '../../analyzer/checkers/registry.js';
import { type EdnValue, kw, Keyword } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import { readHistory } from '../../analyzer/history/read.js';

/** Elle's `pair` helper: an invocation (reads unknown) just before its completion. */
function placed(ops: readonly OpInput[]): OpInput[] {
  const out: OpInput[] = [];
  for (const o of ops) {
    const value =
      o.f instanceof Keyword && o.f.name === 'txn' && Array.isArray(o.value)
        ? (o.value as EdnValue[][]).map((m) => ((m[0] as Keyword).name === 'r' ? [m[0]!, m[1]!, null] : m))
        : o.f instanceof Keyword && o.f.name === 'read'
          ? null
          : (o.value ?? null);
    out.push({ ...o, type: 'invoke', value }, o);
  }
  return out;
}

async function verdicts(checker: string, ops: readonly OpInput[], options: Record<string, unknown>): Promise<{ alone: CheckResult; paired: CheckResult; warnings: string[] }> {
  const c = checkerNamed(checker)!;
  const h = historyOf(ops);
  const alone = await c.check(h, options, {});
  const paired = await c.check(historyOf(placed(ops)), options, {});
  return { alone, paired, warnings: h.warnings.map((w) => w.message) };
}

const names = (v: unknown): string[] => (Array.isArray(v) ? v.map((k) => (k as Keyword).name) : []);
const txn = (process: number, type: 'ok' | 'info' | 'fail', ...mops: EdnValue[][]): OpInput => ({ process, type, f: kw('txn'), value: mops, time: 0 });
const append = (k: string, v: number): EdnValue[] => [kw('append'), kw(k), v];
const read = (k: string, v: EdnValue): EdnValue[] => [kw('r'), kw(k), v];
const write = (k: string, v: number): EdnValue[] => [kw('w'), kw(k), v];

test('list-append: Elle\'s pure anti-dependency cycle, completion-only, is G2-item like its paired form', async () => {
  // jepsen-io/elle@ccdee6f test/elle/list_append_test.clj:575 (checker-test, "G2"): (op "ax1ry") (op "ay1rx")
  const ops = [txn(0, 'ok', append('x', 1), read('y', null)), txn(0, 'ok', append('y', 1), read('x', null))];
  const { alone, paired, warnings } = await verdicts('list-append', ops, { consistencyModels: 'none', anomalies: 'G2' });
  assert.equal(alone['valid?'], false);
  assert.deepEqual(names(alone['anomaly-types']), ['G2-item']);
  assert.deepEqual(names(alone['anomaly-types']), names(paired['anomaly-types']));
  assert.equal(alone['valid?'], paired['valid?']);
  assert.deepEqual(warnings, [
    ':ok for process 0 has no open invocation (nor do 1 more completions); each is taken as a whole op at its place, invoked and completed there (as jepsen.history does)',
  ]);
});

test('list-append: process and real-time order follow from where completions stand', async () => {
  // T1 appends x 1 and completes; T2 on another process, later in the history, reads x empty.
  // Completion-only, T1 completed before T2 was invoked: strict serializable rules that out.
  const ops = [txn(0, 'ok', append('x', 1)), txn(1, 'ok', read('x', []))];
  const { alone, paired } = await verdicts('list-append', ops, { consistencyModels: 'strict-serializable' });
  assert.equal(alone['valid?'], false);
  assert.deepEqual(names(alone['anomaly-types']), names(paired['anomaly-types']));
  assert.ok(names(alone['anomaly-types']).some((a) => a.endsWith('realtime')), names(alone['anomaly-types']).join(' '));
  // Serializable alone allows it (T2 before T1).
  assert.equal((await verdicts('list-append', ops, { consistencyModels: 'serializable' })).alone['valid?'], true);
});

test('rw-register: a write-skew pair, completion-only, is G2-item like its paired form', async () => {
  const ops = [txn(0, 'ok', write('x', 1), read('y', null)), txn(1, 'ok', write('y', 1), read('x', null))];
  const { alone, paired } = await verdicts('rw-register', ops, { consistencyModels: 'serializable' });
  assert.equal(alone['valid?'], false);
  assert.deepEqual(names(alone['anomaly-types']), ['G2-item']);
  assert.deepEqual(names(alone['anomaly-types']), names(paired['anomaly-types']));
});

test('linearizable: Knossos\'s cas-failure history with its invocations dropped is judged as with them placed at each completion', async () => {
  // fixtures/knossos/cas-register/bad/cas-failure.edn, its completions only.
  const full = await readHistory('fixtures/knossos/cas-register/bad/cas-failure.edn');
  const completions = [...full.ops()].filter((o) => o.type !== 'invoke').map(({ index: _index, ...o }) => o);
  const { alone, paired } = await verdicts('linearizable', completions, { model: 'cas-register', init: '0' });
  assert.equal(alone['valid?'], paired['valid?']);
  const failing = (r: CheckResult) => {
    const op = r.op as { process: unknown; value: unknown } | undefined;
    return op && { process: op.process, value: op.value };
  };
  assert.deepEqual(failing(alone), failing(paired));
  // One sequence of whole ops: every read must return the latest write.
  const seq: OpInput[] = [
    { process: 0, type: 'ok', f: kw('write'), value: 1 },
    { process: 1, type: 'ok', f: kw('read'), value: 1 },
    { process: 0, type: 'ok', f: kw('write'), value: 2 },
    { process: 1, type: 'ok', f: kw('read'), value: 1 },
  ];
  const stale = await verdicts('linearizable', seq, { model: 'register', init: '0' });
  assert.equal(stale.alone['valid?'], false);
  assert.equal(stale.paired['valid?'], false);
  assert.equal((stale.alone.op as { index: number }).index, 3);
});

test('set-full: completion-only adds and reads give the paired verdict (a lost add is lost either way)', async () => {
  const ops: OpInput[] = [
    { process: 0, type: 'ok', f: kw('add'), value: 1 },
    { process: 1, type: 'ok', f: kw('add'), value: 2 },
    { process: 2, type: 'ok', f: kw('read'), value: [1, 2] },
    { process: 0, type: 'ok', f: kw('add'), value: 3 },
    { process: 2, type: 'ok', f: kw('read'), value: [1, 2] },
  ];
  const { alone, paired } = await verdicts('set-full', ops, {});
  assert.equal(alone['valid?'], false);
  assert.equal(paired['valid?'], false);
  assert.equal(alone['lost-count'], 1);
  assert.equal(alone['lost-count'], paired['lost-count']);
  assert.equal(alone['attempt-count'], 3);
});
