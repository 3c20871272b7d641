/**
 * The one way benchmarks measure in a fresh process (analyzer/bench/process.ts), and the bench
 * scripts' flags (analyzer/bench/script.ts): every way a child can end is an outcome, never a
 * rejection; flags are parsed strictly and judged as the CLIs judge theirs.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { type ChildOutcome, childExecArgv, failureOf, peakRssMB, runMeasuredChild } from '../../analyzer/bench/process.js';
import { parseScriptFlags } from '../../analyzer/bench/script.js';
import { integerAtLeast, numberList } from '../../analyzer/util/options.js';
import { UsageError } from '../../analyzer/util/usage-error.js';
import { runTsxSync } from '../support/cli.js';
import type { ChildOrder } from './measured-child.js';

const CHILD = fileURLToPath(new URL('./measured-child.ts', import.meta.url));
const run = (order: ChildOrder, deadlineS = 60, progress: unknown[] = []): Promise<ChildOutcome<{ peakRssMB: number; argv: string[] }>> =>
  runMeasuredChild(CHILD, order, {
    execArgv: childExecArgv(CHILD, { extra: ['--max-old-space-size=256'] }),
    deadline: { seconds: deadlineS, why: 'too slow' },
    onProgress: (p, restart) => {
      progress.push(p);
      restart({ seconds: 0.5, why: 'killed while hanging' });
    },
  });

test('child flags: tsx for a .ts child, test-runner flags dropped, extra flags kept, one heap ceiling', () => {
  const a = childExecArgv('/x/child.ts', { parent: ['--test', '--expose-gc'] });
  assert.deepEqual(a.slice(0, 3), ['--import', 'tsx', '--expose-gc']);
  assert.match(a[3], /^--max-old-space-size=\d+$/);
  assert.deepEqual(childExecArgv('/x/child.js', { parent: [], extra: ['--max-old-space-size=100'] }), ['--max-old-space-size=100']);
  assert.deepEqual(childExecArgv('/x/child.ts', { parent: ['--import', 'tsx', '--max-old-space-size=7'] }), ['--import', 'tsx', '--max-old-space-size=7']);
  assert.ok(peakRssMB() > 10);
});

test('measured child: a report, its own error, an exit without a report, and a kill at the deadline', async () => {
  const ok = await run({ do: 'report' });
  assert.equal(ok.kind, 'report');
  if (ok.kind === 'report') {
    assert.ok(ok.report.peakRssMB > 10);
    assert.ok(ok.report.argv.includes('--max-old-space-size=256'));
  }
  assert.equal(failureOf(ok), undefined);
  const thrown = await run({ do: 'throw' });
  assert.deepEqual(thrown, { kind: 'error', error: 'no luck' });
  assert.equal(failureOf(thrown), 'error: no luck');
  const died = await run({ do: 'exit' });
  assert.deepEqual(died, { kind: 'died', outOfMemory: false, detail: 'child died (exit 7): last words' });
  const progress: unknown[] = [];
  const killed = await run({ do: 'hang' }, 60, progress);
  assert.deepEqual(progress, [{ step: 1 }]);
  assert.equal(killed.kind, 'killed');
  if (killed.kind === 'killed') assert.equal(killed.why, 'killed while hanging');
  const missing = await runMeasuredChild('/nonexistent/child.js', {}, { execArgv: [], deadline: { seconds: 5, why: 'x' } });
  assert.equal(missing.kind, 'died');
});

test('script flags: strict parsing, usage errors, number lists judged by the shared parsers', () => {
  const flags = { ops: { type: 'string', default: '10' }, quick: { type: 'boolean', default: false } } as const;
  assert.deepEqual({ ...parseScriptFlags(flags, ['--ops', '5', '--quick']) }, { ops: '5', quick: true });
  assert.deepEqual({ ...parseScriptFlags(flags, []) }, { ops: '10', quick: false });
  assert.throws(() => parseScriptFlags(flags, ['--opz', '5']), (e: Error) => e instanceof UsageError && /--opz/.test(e.message));
  assert.throws(() => parseScriptFlags(flags, ['extra']), UsageError);
  const ints = (raw: string): number[] => numberList('--sizes', raw, (f, x) => integerAtLeast(f, x, 1));
  assert.deepEqual(ints('10_000, 5,'), [10000, 5]);
  assert.throws(() => ints(' , '), { message: '--sizes needs at least one number' });
  assert.throws(() => ints('5,0'), { message: '--sizes must be an integer ≥ 1, got 0' });
});

test('bench scripts: --help prints the usage, a misspelt flag or a bad number exits 3 before measuring', () => {
  for (const script of ['read', 'elle', 'checkers', 'linear']) {
    const help = runTsxSync([`bench/${script}.ts`, '--help']);
    assert.equal(help.code, 0, help.err);
    assert.match(help.out, new RegExp(`^npm run bench:${script} `));
    const bad = runTsxSync([`bench/${script}.ts`, '--no-such-flag']);
    assert.equal(bad.code, 3, bad.err);
    assert.match(bad.err, /Unknown option '--no-such-flag'[^]*npm run bench:/);
  }
  const zero = runTsxSync(['bench/elle.ts', '--time-limit', '0']);
  assert.equal(zero.code, 3);
  assert.match(zero.err, /^--time-limit must be a positive number of seconds, got 0/);
});
