/**
 * `--nil absent`: an :ok read of nil reads no value, and fits only a nil register; `--nil any`
 * (Knossos's rule, the default) lets it fit every state. By example, through the CLI, and
 * against the brute-force oracle on random histories with nil reads, :info and :fail included.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { check } from '../../analyzer/index.js';
import { type EdnValue, kw } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import { checkLinearizable } from '../../analyzer/linear/linearize.js';
import { modelNamed } from '../../analyzer/linear/models/index.js';
import { problemsOf } from '../../analyzer/linear/problem.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';
import { bruteLinearizable } from './brute.js';
import { registerHistoryArb as historyArb } from './support/register-histories.js';

const op = (process: number, type: OpInput['type'], f: string, value: EdnValue): OpInput => ({ process, type, f: kw(f), value });

/** Process 0 writes 1; only then does process 1 read nil. */
const staleNil: OpInput[] = [op(0, 'invoke', 'write', 1), op(0, 'ok', 'write', 1), op(1, 'invoke', 'read', null), op(1, 'ok', 'read', null)];

test('--nil absent: a read of nil after a completed write is not linearizable, named with the reason; --nil any (the default) lets it pass', async () => {
  const h = historyOf(staleNil);
  const absent = await check(h, ['linearizable'], { model: 'register', nil: 'absent' });
  assert.equal(absent['valid?'], false);
  assert.equal(absent.reason, "can't read nil (no value) from register 1");
  assert.equal(absent.nil, kw('absent'));
  assert.equal(absent.hint, "an :ok read of nil is a read of no value under --nil absent; under --nil any (Knossos's rule) it fits every value");
  assert.deepEqual((absent.op as Record<string, EdnValue>).index, 3);
  assert.equal((await check(h, ['linearizable'], { model: 'register' }))['valid?'], true);
  assert.equal((await check(h, ['linearizable'], { model: 'register', nil: 'any' }))['valid?'], true);
});

test('--nil absent: nil before any write fits; an :info read of nil still fits anything; --init 0 leaves no nil state to read', async () => {
  const before = historyOf([op(1, 'invoke', 'read', null), op(1, 'ok', 'read', null), op(0, 'invoke', 'write', 1), op(0, 'ok', 'write', 1)]);
  assert.equal((await check(before, ['linearizable'], { model: 'cas-register', nil: 'absent' }))['valid?'], true);
  const info = historyOf([op(0, 'invoke', 'write', 1), op(0, 'ok', 'write', 1), op(1, 'invoke', 'read', null), op(1, 'info', 'read', null), op(2, 'invoke', 'read', 1), op(2, 'ok', 'read', 1)]);
  assert.equal((await check(info, ['linearizable'], { model: 'cas-register', nil: 'absent' }))['valid?'], true);
  const init0 = historyOf([op(1, 'invoke', 'read', null), op(1, 'ok', 'read', null)]);
  const r = await check(init0, ['linearizable'], { model: 'register', init: '0', nil: 'absent' });
  assert.equal(r['valid?'], false);
  assert.equal(r.reason, "can't read nil (no value) from register 0");
});

test('--nil absent, multi-register: a txn that read nil of a key written before it began is not linearizable', async () => {
  const txn = (process: number, type: OpInput['type'], mops: EdnValue[][]): OpInput => ({ process, type, f: kw('txn'), value: mops });
  const h = historyOf([
    txn(0, 'invoke', [[kw('w'), kw('x'), 1]]),
    txn(0, 'ok', [[kw('w'), kw('x'), 1]]),
    txn(1, 'invoke', [[kw('r'), kw('x'), null], [kw('r'), kw('y'), null]]),
    txn(1, 'ok', [[kw('r'), kw('x'), null], [kw('r'), kw('y'), null]]),
  ]);
  const r = await check(h, ['linearizable'], { model: 'multi-register', nil: 'absent' });
  assert.equal(r['valid?'], false);
  assert.equal(r.reason, "can't read nil (no value) from register :x 1");
  assert.equal((await check(h, ['linearizable'], { model: 'multi-register' }))['valid?'], true);
});

test('--nil through the CLI: absent names the read; a value other than any or absent is a usage error (exit 3)', async () => {
  const dir = tempDir();
  const file = join(dir, 'h.edn');
  writeFileSync(file, staleNil.map((o, i) => `{:index ${i}, :type :${o.type}, :process ${o.process}, :f :${(o.f as { name: string }).name}, :value ${o.value === null ? 'nil' : String(o.value)}}`).join('\n') + '\n');
  const absent = await runCli(['check', file, '--checker', 'linearizable', '--model', 'register', '--nil', 'absent'], { analyzer: true });
  assert.equal(absent.code, 1, absent.err);
  assert.match(absent.err + absent.out, /not linearizable: process 1's read of nil \(index 3\) cannot be linearized \(can't read nil \(no value\) from register 1\), after process 0's write of 1; an :ok read of nil is a read of no value under --nil absent/);
  assert.equal((await runCli(['check', file, '--checker', 'linearizable', '--model', 'register'], { analyzer: true })).code, 0);
  const bad = await runCli(['check', file, '--checker', 'linearizable', '--nil', 'none'], { analyzer: true });
  assert.equal(bad.code, 3);
  assert.equal(bad.err, 'hindsight: --nil takes any or absent, got none\n');
});

for (const name of ['register', 'cas-register'] as const) {
  test(`${name}, --nil absent: the search agrees with brute force, and is never laxer than --nil any`, () => {
    const model = modelNamed(name)!;
    const init = model.init(undefined);
    let valid = 0;
    let invalid = 0;
    let stricter = 0;
    fc.assert(
      fc.property(historyArb(name === 'cas-register'), (ops) => {
        const h = historyOf(ops);
        const [problem] = problemsOf(h, false, 'absent');
        const expected = problem === undefined ? true : bruteLinearizable(problem, model, init);
        const absent = checkLinearizable(h, { model, nil: 'absent' }).result['valid?'];
        assert.equal(absent, expected, JSON.stringify(ops));
        const any = checkLinearizable(h, { model }).result['valid?'];
        if (absent === true) assert.equal(any, true, 'a history valid when nil is no value is valid when nil is anything');
        if (absent === false && any === true) stricter++;
        if (expected) valid++;
        else invalid++;
      }),
      { numRuns: 2000, seed: 4242 + name.length },
    );
    assert.ok(valid > 100 && invalid > 100 && stricter > 20, `a mix (${valid} valid, ${invalid} invalid, ${stricter} caught only as absent)`);
  });
}
