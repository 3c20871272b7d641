/**
 * The journal survives SIGKILL: a recording child process is killed mid-run; every flushed op
 * is in history.edn, the file reads (a torn last line is skipped with a warning) and checks.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCheck } from '../../analyzer/cli/check.js';
import { readHistory } from '../../analyzer/history/read.js';
import { resolveRunDir } from '../../analyzer/store/store.js';
import { startCli } from '../support/cli.js';
import { tempStore } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('SIGKILL mid-run: the flushed history reads and checks', async () => {
  const store = tempStore();
  const recording = startCli(['record', '--db', 'memory', '--workload', 'list-append', '--nemesis', 'partition', '--nemesis-interval', '0.5', '--time-limit', '60', '--concurrency', '5', '--store', store, '--seed', '3']);
  const exited = recording.done.then(() => recording.child.signalCode);
  // Wait until the run has journaled a few hundred lines (or give up after 60 s).
  let file = '';
  for (let i = 0; i < 600; i++) {
    await sleep(100);
    try {
      file = join(resolveRunDir(store), 'history.edn');
    } catch {
      continue;
    }
    if (existsSync(file) && statSync(file).size > 20_000) break;
  }
  assert.ok(existsSync(file), `no history.edn; child stderr: ${recording.err}`);
  recording.child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');

  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  // Whole batches were written: at most the final line is partial.
  assert.ok(lines.slice(0, -1).every((l) => l.startsWith('{') && l.endsWith('}')), 'every complete line is one op map');
  const warnings: string[] = [];
  const h = await readHistory(file, { onWarning: (w) => warnings.push(w.message) });
  assert.ok(h.index.length >= lines.length - 2, `read ${h.index.length} of ${lines.length} lines`);
  assert.ok(!existsSync(join(resolveRunDir(store), 'results.edn')), 'killed before checking');
  const out: string[] = [];
  const code = await runCheck([file], { checker: 'list-append', quiet: false }, (s) => out.push(s), (s) => out.push(s));
  // Invocations cut off by the kill are indeterminate, which is still a checkable (valid) history.
  assert.equal(code, 0, out.join('\n'));
});

test('a torn last line (killed mid-write) is skipped with a warning', async () => {
  const dir = tempStore();
  const file = join(dir, 'history.edn');
  writeFileSync(
    file,
    '{:index 0, :time 1, :type :invoke, :process 0, :f :txn, :value [[:append 1 1]]}\n' +
      '{:index 1, :time 2, :type :ok, :process 0, :f :txn, :value [[:append 1 1]]}\n' +
      '{:index 2, :time 3, :type :invoke, :process 1, :f :tx',
  );
  const warnings: string[] = [];
  const h = await readHistory(file, { onWarning: (w) => warnings.push(w.message) });
  assert.equal(h.index.length, 2);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /torn last line/);
});
