/** Malformed input is one line naming the file and what was expected, never a verdict. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runCheck } from '../../analyzer/cli/check.js';
import { tmpFile } from './tmp.js';

async function check(file: string, opts: Record<string, unknown>): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCheck([file], { quiet: true, ...opts } as never, (s) => out.push(s), (s) => err.push(s));
  return { code, out, err };
}

test('an empty file, or one of only blanks, comments and a BOM, is bad input (exit 3), not a valid history', async () => {
  for (const [name, text, what] of [
    ['empty.edn', '', 'the file is empty'],
    ['blank.edn', '\ufeff  \n; nothing here\n\n', 'only blanks and comments'],
  ] as const) {
    const f = tmpFile(name, text);
    for (const checker of ['linearizable', 'list-append']) {
      const r = await check(f, { checker });
      assert.equal(r.code, 3, `${name} ${checker}`);
      assert.deepEqual(r.err, [`${f}: no ops in ${f}: ${what}; expected op maps like {:type :invoke, :process 0, :f :read, :value nil}`]);
    }
  }
});

test('CR-only line endings: a leading ; comment ends at the carriage return, and the G2-item is found', async () => {
  // fixtures/elle/si-without-g-single.edn with every line ending a lone \r (old Mac style).
  const text = readFileSync('fixtures/elle/si-without-g-single.edn', 'utf8').replace(/\r?\n/g, '\r');
  const f = tmpFile('cr-only.edn', text);
  const r = await check(f, { checker: 'list-append', consistencyModels: 'repeatable-read', quiet: false });
  assert.equal(r.code, 1, r.out.join('\n') + r.err.join('\n'));
  assert.match(r.out[0]!, /^invalid — G2-item; not repeatable-read/);
});

test('writing into a closed pipe (hindsight … | head) stops quietly: no EPIPE stack trace', async () => {
  // The pipe's read end is closed at once, long before the CLI (a fresh node with tsx) starts
  // writing, so its first write fails with EPIPE.
  const child = spawn(process.execPath, ['--import', 'tsx', 'analyzer/cli/run.ts', 'check', 'fixtures/knossos/cas-register/bad/cas-failure.edn', '--checker', 'linearizable', '--init', '0', '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(stderr, '');
  assert.ok(code === 0 || code === 1, `exit ${String(code)}`);
});
