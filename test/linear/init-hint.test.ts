/** A register read of a value no op writes, checked without --init: the verdict says what --init would explain it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linearizable } from '../../analyzer/linear/checker.js';
import { historyOf } from '../../analyzer/history/history.js';
import { Keyword } from '../../analyzer/edn/values.js';

const h = (ops: [string, number, string, unknown][]) => historyOf(ops.map(([type, process, f, value]) => ({ type, process, f: Keyword.of(f), value })) as never);

test('a first read of a value no op writes gets the --init hint, with the model\'s reason', async () => {
  // Knossos's registers start at 0; without --init the read of 0 cannot be linearized.
  const history = h([
    ['invoke', 0, 'read', null],
    ['ok', 0, 'read', 0],
    ['invoke', 1, 'write', 3],
    ['ok', 1, 'write', 3],
  ]);
  const r = await linearizable.check(history, { model: 'cas-register' }, {});
  assert.equal(r['valid?'], false);
  assert.equal(r.hint, 'no op writes 0: if the register starts at 0, pass --init 0');
  assert.equal(linearizable.describe!(r), "not linearizable: process 0's read of 0 (index 1) cannot be linearized (can't read 0 from register nil); no op writes 0: if the register starts at 0, pass --init 0");
  const withInit = await linearizable.check(history, { model: 'cas-register', init: '0' }, {});
  assert.equal(withInit['valid?'], true);
});

test('no hint when some op writes the value read, or with --init, or for other models; per key, the key is named', async () => {
  // 0 is written, then overwritten by 3 before the read: a stale read, not a missing --init.
  const written = h([
    ['invoke', 2, 'write', 0],
    ['ok', 2, 'write', 0],
    ['invoke', 1, 'write', 3],
    ['ok', 1, 'write', 3],
    ['invoke', 0, 'read', null],
    ['ok', 0, 'read', 0],
  ]);
  const r = await linearizable.check(written, { model: 'cas-register' }, {});
  assert.equal(r['valid?'], false);
  assert.equal(r.hint, undefined);
  assert.equal((await linearizable.check(written, { model: 'cas-register', init: '5' }, {})).hint, undefined);
  const keyed = h([
    ['invoke', 0, 'read', [5, null]],
    ['ok', 0, 'read', [5, 0]],
    ['invoke', 1, 'write', [5, 3]],
    ['ok', 1, 'write', [5, 3]],
  ]);
  const k = await linearizable.check(keyed, { model: 'cas-register', independent: true }, {});
  assert.equal(k.hint, 'no op writes 0 to key 5: if the register starts at 0, pass --init 0');
  assert.match(linearizable.describe!(k), /^not linearizable on key 5: process 0's read of \[5 0\] \(index 1\) cannot be linearized \(can't read 0 from register nil\); no op writes 0 to key 5/);
});
