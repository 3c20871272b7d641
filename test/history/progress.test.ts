import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCheck } from '../../analyzer/cli/check.js';
import { formatsHelp } from '../../analyzer/history/formats-help.js';
import { progressBar } from '../../analyzer/history/progress.js';
import { tmpFile } from './tmp.js';

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY, columns: 80, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

test('the progress bar draws on a terminal and clears itself', () => {
  const { stream, written } = fakeStream(true);
  const p = progressBar('big.edn', { stream, minBytes: 0 });
  p.update(50e6, 100e6);
  assert.equal(written.length, 1);
  assert.match(written[0], /^\rbig\.edn \[#+ +\]  50% 50\/100 MB/);
  p.clear();
  assert.equal(written[1], '\r\x1b[K');
  p.clear();
  assert.equal(written.length, 2, 'clearing twice writes once');
});

test('the progress bar is silent off a terminal, when quiet, and for small files', () => {
  for (const [isTTY, quiet, size] of [[false, false, 1e9], [true, true, 1e9], [true, false, 1e6]] as const) {
    const { stream, written } = fakeStream(isTTY);
    const p = progressBar('h.edn', { stream, quiet });
    p.update(size / 2, size);
    p.clear();
    assert.deepEqual(written, []);
  }
});

test('check: unreadable or malformed histories exit 3 with one line, no stack', async () => {
  const errs: string[] = [];
  const code = await runCheck(['/nonexistent/history.edn'], { checker: 'stats' }, () => {}, (s) => errs.push(s));
  assert.equal(code, 3);
  assert.deepEqual(errs, ['cannot read /nonexistent/history.edn: no such file']);
  const bad = tmpFile('history.edn', '{:type :invoke, :process 0}\n{:type :okay, :process 0}\n');
  const errs2: string[] = [];
  assert.equal(await runCheck([bad], { checker: 'stats' }, () => {}, (s) => errs2.push(s)), 3);
  assert.deepEqual(errs2, [`${bad}:2: unknown :type :okay; expected :invoke, :ok, :fail or :info`]);
  const warn = tmpFile('history.edn', '{:type :invoke, :process 0}\n{:type :ok, :process 0}\n{:type :ok, :process 4}\n');
  const errs3: string[] = [];
  assert.equal(await runCheck([warn], { checker: 'stats', quiet: true }, () => {}, (s) => errs3.push(s)), 0);
  assert.deepEqual(errs3, [`${warn}:3: warning: :ok for process 4 has no open invocation; taken as a whole op at its place, invoked and completed there (as jepsen.history does)`]);
  assert.equal(await runCheck([warn], { checker: 'stats', strict: true, quiet: true }, () => {}, () => {}), 3);
});

test('hindsight formats names every format and the errors', () => {
  for (const word of ['edn ', 'edn-vector', 'json', 'jepsen-log', 'history.txt', '--strict', 'torn', '2^53']) assert.ok(formatsHelp.includes(word), word);
});
