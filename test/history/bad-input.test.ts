/** Malformed input is one line naming the file and what was expected, never a verdict. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runCheck } from '../../analyzer/cli/check.js';
import { startCli } from '../support/cli.js';
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
  const checking = startCli(['check', 'fixtures/knossos/cas-register/bad/cas-failure.edn', '--checker', 'linearizable', '--init', '0', '--json'], { analyzer: true });
  checking.child.stdout.destroy();
  const { code, err: stderr } = await checking.done;
  assert.equal(stderr, '');
  assert.ok(code === 0 || code === 1, `exit ${String(code)}`);
});

test('a Jepsen log line with the jepsen.util marker that is not an op is warned about with its line (an error under --strict), not dropped silently', async () => {
  // Lines from fixtures/jepsen-stores/canonical-raft/jepsen.log; the third one's fields are cut.
  const log = [
    '2022-07-28 07:53:02,790{GMT}\tINFO\t[main] jepsen.core: Running test',
    '2022-07-28 07:53:02,859{GMT}\tINFO\t[jepsen worker 2] jepsen.util: [ 1350999542 ] 2\t:invoke\t:read\tnil',
    '2022-07-28 07:53:03,038{GMT}\tINFO\t[jepsen worker 1] jepsen.util: [ 1529329504 ] 1\t:invoke',
    '2022-07-28 07:53:03,104{GMT}\tINFO\t[jepsen worker 2] jepsen.util: [ 1595229221 ] 2\t:fail\t:read\tnil',
    '',
  ].join('\n');
  const f = tmpFile('jepsen.log', log);
  const r = await check(f, { checker: 'stats' });
  assert.deepEqual(r.err, [`${f}:3: warning: a jepsen.util line that is not an op was skipped: found 2 fields; expected process, type, f, value[, error] separated by tabs`]);
  const strict = await check(f, { checker: 'stats', strict: true });
  assert.equal(strict.code, 3);
  assert.deepEqual(strict.err, [`${f}:3: a jepsen.util line that is not an op was skipped: found 2 fields; expected process, type, f, value[, error] separated by tabs`]);
});

test('the lines a Jepsen log skipped are counted in the result (:skipped-lines), beside :read-warnings', async () => {
  const log = [
    '2022-07-28 07:53:02,859{GMT}\tINFO\t[jepsen worker 2] jepsen.util: [ 1350999542 ] 2\t:invoke\t:read\tnil',
    '2022-07-28 07:53:03,038{GMT}\tINFO\t[jepsen worker 1] jepsen.util: [ 1529329504 ] 1\t:invoke',
    '2022-07-28 07:53:03,039{GMT}\tINFO\t[jepsen worker 1] jepsen.util: [ 1529329505 ] 1\t:ok',
    '2022-07-28 07:53:03,104{GMT}\tINFO\t[jepsen worker 2] jepsen.util: [ 1595229221 ] 2\t:ok\t:read\tnil',
    '',
  ].join('\n');
  const f = tmpFile('jepsen.log', log);
  const r = await check(f, { checker: 'stats', json: true, quiet: false });
  const result = JSON.parse(r.out.join('\n')) as Record<string, unknown>;
  assert.equal(result['read-warnings'], 1);
  assert.equal(result['skipped-lines'], 2);
  assert.deepEqual(r.err, [`${f}:2: warning: a jepsen.util line that is not an op was skipped (and 1 more such lines): found 2 fields; expected process, type, f, value[, error] separated by tabs`]);
});

test('--lossy-utf8 checks a file with bytes that are not UTF-8, warning with their count; without it the file is bad input', async () => {
  const bytes = Buffer.concat([Buffer.from('{:type :invoke, :process 0, :f :read, :value nil}\n{:type :ok, :process 0, :f :read, :value "caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]);
  const f = tmpFile('latin1.edn', bytes);
  const strict = await check(f, { checker: 'stats' });
  assert.equal(strict.code, 3);
  const lossy = await check(f, { checker: 'stats', lossyUtf8: true });
  assert.equal(lossy.code, 0);
  assert.deepEqual(lossy.err, [`${f}:2: warning: 1 byte sequence that is not UTF-8 was read as U+FFFD (--lossy-utf8); values that differ only there compare equal`]);
});
