/**
 * `check --certificate` and `verify` through the CLI for the collection checkers and
 * rw-register: a generated set history with a stale read checked by set-full (linearizable) and
 * set at once, and an rw-register G2-item history, certified and verified; a stale read's
 * witness swapped for the read that shows the element is refused, exit 1, with the reason.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

test('check --certificate and verify: set-full and set together, rw-register; a tampered stale read is refused', async () => {
  const dir = tempDir();
  const set = join(dir, 'set.edn');
  const cert = join(dir, 'set.cert.edn');
  assert.equal((await runCli(['gen', '--workload', 'set', '--keys', '1', '--ops', '400', '--anomaly', 'stale-read', '--out', set], { analyzer: true })).code, 0);
  assert.equal((await runCli(['check', set, '--checker', 'set-full,set', '--linearizable', '--certificate', cert], { analyzer: true })).code, 1);
  const ok = await runCli(['verify', set, cert], { analyzer: true });
  assert.equal(ok.code, 0, ok.out + ok.err);
  assert.match(ok.out, /^the certificate holds: set-full: 1 stale derived again from the reads.*set: the final read shows all \d+ acknowledged adds\n$/);
  const text = readFileSync(cert, 'utf8');
  const stale = /:stale \[\{:element (\d+), :add \d+, :known \d+, :absent (\d+), :present (\d+)\}\]/.exec(text);
  assert.ok(stale !== null, text);
  const tampered = join(dir, 'tampered.edn');
  writeFileSync(tampered, text.replace(`:absent ${stale[2]}`, `:absent ${stale[3]}`));
  const bad = await runCli(['verify', set, tampered], { analyzer: true });
  assert.deepEqual([bad.code, bad.out], [1, `the certificate does not hold: set-full, stale element ${stale[1]}: read op ${stale[3]} shows it\n`]);

  const reg = join(dir, 'reg.edn');
  const rc = join(dir, 'reg.cert.edn');
  assert.equal((await runCli(['gen', '--workload', 'rw-register', '--anomaly', 'G2-item', '--out', reg], { analyzer: true })).code, 0);
  assert.equal((await runCli(['check', reg, '--checker', 'rw-register', '--consistency-models', 'repeatable-read', '--certificate', rc], { analyzer: true })).code, 1);
  const r = await runCli(['verify', reg, rc], { analyzer: true });
  assert.deepEqual([r.code, r.out], [0, 'the certificate holds: rw-register: 1 cycle derived again from the ops (G2-item)\n']);
});
