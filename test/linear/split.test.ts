import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EdnMap, type EdnRecord, type EdnValue, kw } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import { checkLinearizable as checkWith } from '../../analyzer/linear/linearize.js';
import { modelNamed } from '../../analyzer/linear/models/index.js';
import type { History } from '../../analyzer/history/history.js';

/** The option names the CLI passes, mapped onto the search's options. */
function checkLinearizable(h: History, o: { model: string; init?: EdnValue; independent?: boolean; allKeys?: boolean }): EdnRecord {
  const model = modelNamed(o.model);
  if (model === undefined) throw new Error(`no model ${o.model}`);
  return checkWith(h, { ...o, model }).result;
}

const call = (process: number, f: string, value: EdnValue, type: 'invoke' | 'ok' | 'info' | 'fail' = 'invoke', key?: string): OpInput => ({
  process,
  type,
  f: kw(f),
  value,
  ...(key === undefined ? {} : { extra: new EdnMap([kw('key')], [key]) }),
});

test('--independent splits [k v] values by key; without it a 2-vector is the register value', () => {
  const h = historyOf([
    call(0, 'write', [1, 5]), call(0, 'write', [1, 5], 'ok'),
    call(1, 'write', [2, 7]), call(1, 'write', [2, 7], 'ok'),
    call(0, 'read', [1, null]), call(0, 'read', [1, 5], 'ok'),
  ]);
  const split = checkLinearizable(h, { model: 'register', init: 0, independent: true });
  assert.equal(split['valid?'], true);
  assert.equal(split['key-count'], 2);
  const whole = checkLinearizable(h, { model: 'register', init: 0 });
  assert.equal(whole['valid?'], false);
  assert.equal((whole.op as EdnRecord).index, 5);
});

test('kv: a never-completed append may have happened; a failed one did not', () => {
  const maybe = historyOf([
    call(0, 'append', 'x', 'invoke', 'k'),
    call(1, 'get', null, 'invoke', 'k'), call(1, 'get', 'x', 'ok', 'k'),
  ]);
  assert.equal(checkLinearizable(maybe, { model: 'kv' })['valid?'], true);
  const failed = historyOf([
    call(0, 'append', 'x', 'invoke', 'k'), call(0, 'append', 'x', 'fail', 'k'),
    call(1, 'get', null, 'invoke', 'k'), call(1, 'get', 'x', 'ok', 'k'),
  ]);
  const r = checkLinearizable(failed, { model: 'kv' });
  assert.equal(r['valid?'], false);
  assert.equal(String(r.reason), 'can\'t get "x" from key "k" ""');
  assert.equal((r.failures as EdnValue[])[0], 'k');
});

test('--all-keys reports every failing key', () => {
  const ops: OpInput[] = [];
  for (const key of ['a', 'b', 'c']) ops.push(call(0, 'get', null, 'invoke', key), call(0, 'get', 'zz', 'ok', key));
  const first = checkLinearizable(historyOf(ops), { model: 'kv' });
  assert.deepEqual(first.failures, ['a']);
  const all = checkLinearizable(historyOf(ops), { model: 'kv', allKeys: true });
  assert.deepEqual(all.failures, ['a', 'b', 'c']);
  assert.equal((all.results as EdnValue[]).length, 3);
});
