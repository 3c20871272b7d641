/** `hindsight record` exit statuses and output, through the whole CLI in child processes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CliResult, runCli } from '../support/cli.js';
import { tempStore } from './helpers.js';

function record(args: string[]): Promise<CliResult> {
  return runCli(['record', '--store', tempStore(), ...args]);
}

test('record: valid exits 0, invalid exits 1 with the anomalies, a run that cannot be made exits 3', async () => {
  const [ok, bad, none, usage] = await Promise.all([
    record(['--workload', 'rw-register', '--time-limit', '1', '--concurrency', '4', '--nemesis', 'kill', '--nemesis-interval', '0.3', '--seed', '9']),
    record(['--workload', 'rw-register', '--bug', 'lost-update', '--time-limit', '2', '--concurrency', '5', '--seed', '1']),
    record(['--workload', 'queue']),
    record(['--concurrency', '0']),
  ]);
  assert.equal(ok.code, 0, ok.out + ok.err);
  assert.match(ok.out, /^valid — no anomalies in \d+ transactions\n/);
  assert.match(ok.out, /store: .*memory-rw-register\/\d{8}T\d{6}\.\d{3}/);
  assert.equal(bad.code, 1, bad.out + bad.err);
  assert.match(bad.out, /^invalid — .*\nanomalies: \[:/);
  assert.equal(none.code, 3);
  assert.match(none.err, /the memory db has no workload queue; it has register, set, list-append, rw-register/);
  assert.equal(usage.code, 3);
  assert.match(usage.err, /--concurrency must be an integer ≥ 1, got 0/);
});
