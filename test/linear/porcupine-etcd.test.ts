/**
 * Porcupine's 102 Jepsen etcd histories (fixtures/porcupine-etcd/, verdicts from its
 * porcupine_test.go): one `hindsight check` over all of them, as Porcupine's etcd model reads
 * them (`--model cas-register --nil absent`), gives every verdict Porcupine's tests assert.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/cli.js';

const DIR = 'fixtures/porcupine-etcd';

test("Porcupine's etcd histories: all 102 verdicts of its own tests, in one check", async () => {
  const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as { history: string; 'valid?': boolean }[];
  const expected = new Map(manifest.map((m) => [m.history, String(m['valid?'])]));
  assert.equal(expected.size, 102);
  const files = [...expected.keys()].map((f) => join(DIR, f));
  const r = await runCli(['check', ...files, '--checker', 'linearizable', '--model', 'cas-register', '--nil', 'absent'], { analyzer: true });
  assert.equal(r.code, 1, r.err);
  const got = new Map([...r.out.matchAll(/^(etcd_\d+\.log): (valid|invalid|unknown) /gm)].map((m) => [m[1], m[2] === 'valid' ? 'true' : m[2] === 'invalid' ? 'false' : 'unknown']));
  assert.deepEqual([...got.entries()].sort(), [...expected.entries()].sort());
});
