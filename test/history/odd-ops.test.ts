/**
 * Well-formed but odd ops get the truth, not a guess: any integer is a client process; a
 * transaction that is not micro-ops is bad input with its line; `:index` out of file order is
 * said once.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { checkerNamed } from '../../analyzer/checkers/registry.js';
import { runCheck } from '../../analyzer/cli/check.js';
import { readHistory } from '../../analyzer/history/read.js';
import { tmpFile } from './tmp.js';

test('a :process that is any integer (negative, 2^31, beyond 2^53) is a client process like any other', async () => {
  const f = tmpFile(
    'odd-processes.edn',
    [
      '{:process -1, :type :invoke, :f :write, :value 1}',
      '{:process -1, :type :ok, :f :write, :value 1}',
      '{:process 2147483648, :type :invoke, :f :read, :value nil}',
      '{:process 2147483648, :type :ok, :f :read, :value 2}',
      '{:process 90000000000000000000, :type :invoke, :f :read, :value nil}',
      '{:process 90000000000000000000, :type :ok, :f :read, :value 1}',
      '{:process :nemesis, :type :info, :f :start, :value nil}',
    ].join('\n') + '\n',
  );
  const h = await readHistory(f);
  assert.equal(h.invocations().length, 3);
  assert.deepEqual([0, 2, 4, 6].map((i) => h.isClient(i)), [true, true, true, false]);
  assert.deepEqual([0, 2, 4].map((i) => h.processValue(i)), [-1, 2147483648, 90000000000000000000n]);
  // Once left out as non-clients, they made this history "valid (0 ops)"; the read of 2 is the lie.
  const r = await checkerNamed('linearizable')!.check(h, { model: 'register', init: '0' }, {});
  assert.equal(r['valid?'], false);
  assert.equal((r.op as { process: unknown }).process, 2147483648);
});

test('check: a :txn whose value is not micro-ops is bad input (exit 3) with its file and line', async () => {
  const bad = tmpFile('bad-txn.edn', '{:process 0, :type :invoke, :f :txn, :value [[:append :x 1]]}\n{:process 0, :type :ok, :f :txn, :value [[:append :x 1]]}\n{:process 1, :type :invoke, :f :txn, :value 7}\n{:process 1, :type :ok, :f :txn, :value 7}\n');
  const err: string[] = [];
  const code = await runCheck([bad], { checker: 'list-append', quiet: true }, () => {}, (s) => err.push(s));
  assert.equal(code, 3);
  assert.deepEqual(err, [`${bad}:4: expected a :txn value, a vector of micro-ops like [:append k v] or [:r k list]; found 7`]);
});

test(':index out of file order is warned about once; the ops stay in file order', async () => {
  const f = tmpFile('index-order.edn', ['{:index 0, :process 0, :type :invoke, :f :read}', '{:index 5, :process 0, :type :ok, :f :read, :value 1}', '{:index 2, :process 1, :type :invoke, :f :read}', '{:index 1, :process 1, :type :ok, :f :read, :value 1}'].join('\n') + '\n');
  const warnings: string[] = [];
  const h = await readHistory(f, { onWarning: (w) => warnings.push(`${w.line}: ${w.message}`) });
  assert.deepEqual(warnings, ['3: :index 2 comes after :index 5; the ops are taken in file order, not by :index']);
  assert.deepEqual([...h.index], [0, 5, 2, 1]);
});

test('1 and 1.0 are different values: a read of 1.0 after a write of 1 is not linearizable', async () => {
  const f = tmpFile(
    'float.edn',
    ['{:process 0, :type :invoke, :f :write, :value 1}', '{:process 0, :type :ok, :f :write, :value 1}', '{:process 1, :type :invoke, :f :read, :value nil}', '{:process 1, :type :ok, :f :read, :value 1.0}'].join('\n') + '\n',
  );
  const r = await checkerNamed('linearizable')!.check(await readHistory(f), { model: 'register', init: '0' }, {});
  assert.equal(r['valid?'], false);
  assert.equal(r.reason, "can't read 1.0 from register 1");
  // The same history with the integer is fine.
  const g = tmpFile('int.edn', readFileSync(f, 'utf8').replace('1.0}', '1}'));
  assert.equal((await checkerNamed('linearizable')!.check(await readHistory(g), { model: 'register', init: '0' }, {}))['valid?'], true);
});
