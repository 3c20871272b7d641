/**
 * The in-process CLI runner keeps the CLI's output and lets node:test's own reports through:
 * a test file's results travel to the runner as Buffers on the same stdout, and one swallowed
 * while a CLI ran in-process made a test vanish from the count (728 of 729 in one CI run).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capturingStrings, runCliInProcess } from '../support/cli.js';

test('strings are captured; Buffers (the test runner\'s reports) reach the real stream', () => {
  const reached: unknown[] = [];
  const real = ((chunk: unknown) => (reached.push(chunk), true)) as NodeJS.WriteStream['write'];
  const sink: string[] = [];
  const write = capturingStrings(sink, process.stdout, real);
  write('valid\n');
  const report = Buffer.from([0x00, 0x01, 0x02]);
  write(report);
  write(new Uint8Array([7]));
  assert.deepEqual(sink, ['valid\n']);
  assert.deepEqual(reached, [report, new Uint8Array([7])]);
});

test('runCliInProcess gives the CLI\'s output and restores stdout and stderr', async () => {
  const before = [process.stdout.write, process.stderr.write];
  const r = await runCliInProcess(['check', 'fixtures/knossos/cas-register/bad/cas-failure.edn', '--checker', 'stats'], { analyzer: true });
  assert.equal(r.code, 0);
  assert.match(r.out, /^valid — \d+ ops: /);
  assert.deepEqual([process.stdout.write, process.stderr.write], before);
});

test('an in-process run neither sees the status an earlier run left nor leaves its own', async () => {
  const before = process.exitCode;
  const bad = await runCliInProcess(['check', 'fixtures/knossos/cas-register/bad/cas-failure.edn', '--checker', 'linearizable', '--model', 'cas-register', '--init', '0'], { analyzer: true });
  assert.equal(bad.code, 1);
  assert.equal(process.exitCode, before);
  // `formats` sets no status of its own: it must come out 0, not the 1 above.
  const formats = await runCliInProcess(['formats'], { analyzer: true });
  assert.equal(formats.code, 0);
  assert.equal(process.exitCode, before);
});
