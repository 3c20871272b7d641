/**
 * docs/architecture.md, recipe "A model": a toy `Model` (a max register: `:write v` raises the
 * value to v if v is larger, `:read v` sees the current maximum), run through the library's
 * `checkModel` without registering it, on hand-made histories.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type EdnRecord, type EdnValue, Inconsistent, Keyword, type Model, type ModelOp, UNKNOWN, UsageError, checkModel } from '../../analyzer/index.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';

/** A max register over integers, starting at 0 (or `--init`). */
const maxRegister: Model<number> = {
  name: 'toy-max-register',
  summary: 'a register keeping the largest value written (toy, for docs/architecture.md)',
  fs: ['write', 'read'],
  init: (initial?: EdnValue) => (typeof initial === 'number' ? initial : 0),
  step(state: number, op: ModelOp): number | Inconsistent {
    if (op.f === 'write') return Math.max(state, op.value as number);
    // A read of nil (an indeterminate read) sees anything.
    if (op.value === null || op.value === state) return state;
    return new Inconsistent(() => `can't read ${String(op.value)} from max register ${state}`);
  },
  readOnly: (op: ModelOp) => op.f === 'read',
  key: (state: number) => String(state),
  toEdn: (state: number) => state,
};

const f = (name: string): Keyword => Keyword.of(name);

/** `[process, type, f, value]` rows as a history, times 10 ns apart. */
function history(rows: ReadonlyArray<readonly [number, OpInput['type'], string, EdnValue]>) {
  return historyOf(rows.map(([process, type, fn, value], i): OpInput => ({ process, type, f: f(fn), value, time: i * 10 })));
}

test('toy model: a max register history that linearizes is valid', () => {
  // p0 writes 3 while p1 writes 5 concurrently; a later write of 4 does not lower the max.
  const h = history([
    [0, 'invoke', 'write', 3],
    [1, 'invoke', 'write', 5],
    [0, 'ok', 'write', 3],
    [1, 'ok', 'write', 5],
    [0, 'invoke', 'write', 4],
    [0, 'ok', 'write', 4],
    [1, 'invoke', 'read', null],
    [1, 'ok', 'read', 5],
  ]);
  const r = checkModel(h, maxRegister);
  assert.equal(r['valid?'], true);
});

test('toy model: a read below an acknowledged larger write is not linearizable, naming the op and why', () => {
  const h = history([
    [0, 'invoke', 'write', 5],
    [0, 'ok', 'write', 5],
    [0, 'invoke', 'write', 2],
    [0, 'ok', 'write', 2],
    [1, 'invoke', 'read', null],
    [1, 'ok', 'read', 2],
  ]);
  const r = checkModel(h, maxRegister);
  assert.equal(r['valid?'], false);
  const op = r.op as EdnRecord;
  assert.equal(op.index, 5);
  assert.equal(op.f, f('read'));
  assert.equal(op.value, 2);
  assert.equal(op.process, 1);
  assert.equal(r.reason, "can't read 2 from max register 5");
  assert.equal((r['previous-ok'] as EdnRecord).index, 3);
});

test('toy model: --init is the model initial state', () => {
  const h = history([
    [0, 'invoke', 'read', null],
    [0, 'ok', 'read', 7],
  ]);
  assert.equal(checkModel(h, maxRegister)['valid?'], false);
  assert.equal(checkModel(h, maxRegister, { init: 7 })['valid?'], true);
});

test('toy model: a history of other :fs is the wrong model (a UsageError saying what would fit)', () => {
  const h = history([
    [0, 'invoke', 'cas', [1, 2]],
    [0, 'ok', 'cas', [1, 2]],
    [0, 'invoke', 'write', 1],
    [0, 'ok', 'write', 1],
  ]);
  assert.throws(
    () => checkModel(h, maxRegister),
    (e: unknown) =>
      e instanceof UsageError &&
      e.message === 'model toy-max-register takes :write, :read ops, but the history has 1 :cas ops; try --model cas-register',
  );
});

test('toy model: no :ok op is nothing to judge (:unknown)', () => {
  const h = history([
    [0, 'invoke', 'write', 1],
    [0, 'info', 'write', 1],
  ]);
  const r = checkModel(h, maxRegister);
  assert.equal(r['valid?'], UNKNOWN);
  assert.equal(r.error, 'no client operation completed :ok, so nothing was checked');
  assert.equal(r.model, 'toy-max-register');
});
