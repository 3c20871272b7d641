/**
 * The wrong checker or model for the data is bad usage (exit 3) with what would fit, not an
 * invalid history: each case below was once a false verdict.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../analyzer/check/checker.js';
import { runCheck } from '../../analyzer/cli/check.js';
import { HistoryError } from '../../analyzer/history/diagnostics.js';

async function usage(file: string, opts: Record<string, unknown>, message: string): Promise<void> {
  await assert.rejects(runCheck([file], { quiet: true, ...opts } as never, () => {}, () => {}), (e: unknown) => {
    assert.ok(e instanceof UsageError, String(e));
    assert.equal(e.message, message);
    return true;
  });
}

test('a list-append history checked for linearizability: usage error pointing at list-append (was "cannot be linearized")', async () => {
  await usage('fixtures/elle/paper-example.edn', { checker: 'linearizable' }, 'model cas-register takes :read, :write, :cas ops, but the history has 4 ops without :f; these are list-append transactions: try --checker list-append');
});

test("Porcupine's kv history without --model kv: usage error pointing at kv (was a false \"invalid\")", async () => {
  await usage('fixtures/porcupine-kv/c01-bad.txt', { checker: 'linearizable' }, 'model cas-register takes :read, :write, :cas ops, but the history has 18 :append ops, 18 :get ops, 2 :put ops; try --model kv');
});

test('an rw-register history checked as list-append: bad input naming rw-register (was "valid — no anomalies")', async () => {
  const err: string[] = [];
  assert.equal(await runCheck(['fixtures/elle-cli/rw-register.edn'], { checker: 'list-append', quiet: true }, () => {}, (s) => err.push(s)), 3);
  assert.equal(err.length, 1);
  assert.match(err[0]!, /^fixtures\/elle-cli\/rw-register\.edn:\d+: unknown micro-op \[:w .*\] for list-append; expected \[:append k v\] or \[:r k list\] \(an rw-register micro-op: try --checker rw-register\)$/);
  assert.ok(HistoryError);
});

test('the right model still checks: kv with --model kv, cas-register on a register history', async () => {
  assert.equal(await runCheck(['fixtures/porcupine-kv/c01-ok.txt'], { checker: 'linearizable', model: 'kv', quiet: true }, () => {}, () => {}), 0);
  assert.equal(await runCheck(['fixtures/knossos/cas-register/bad/cas-failure.edn'], { checker: 'linearizable', init: '0', quiet: true }, () => {}, () => {}), 1);
});
