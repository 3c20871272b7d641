/** CLI habits: --version, the one-line verdict of several checkers. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runCheck } from '../../analyzer/cli/check.js';
import { runCliInProcess } from '../support/cli.js';

test('hindsight --version prints package.json\'s version and exits 0', async () => {
  const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
  const { code, out } = await runCliInProcess(['--version'], { analyzer: true });
  assert.equal(code, 0);
  assert.equal(out, `${version}\n`);
});

test('with several checkers the verdict line names each one\'s verdict and why the failing one failed', async () => {
  const out: string[] = [];
  const code = await runCheck(['fixtures/elle/paper-example.edn'], { checker: 'list-append,stats,perf' }, (s) => out.push(s), () => {});
  assert.equal(code, 1);
  assert.deepEqual(out, ['invalid — list-append invalid (G-single-item; not consistent-view, repeatable-read), stats valid, perf valid']);
});
