/**
 * `hindsight bench` end to end through the CLI, with `--quick` sizes: the table, the JSON
 * report, `--compare` ratios, the plot. Never asserts speed: only that numbers are numbers.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { BenchReport } from '../../analyzer/bench/types.js';
import { runBenchCommand } from '../../analyzer/cli/bench.js';
import { type CliResult, runCli } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';
import { assertWellFormedXml } from './xml.js';

function benchCli(args: string[]): Promise<CliResult> {
  return runCli(['bench', ...args]);
}

const cells = (line: string): string[] => line.trim().split(/\s{2,}/);
const NUM = /^\d+(\.\d)?$/;

const ROW_KEYS = ['checker', 'workload', 'source', 'keys', 'expected', 'ops', 'concurrency', 'prepMs', 'timeMs', 'opsPerSec', 'peakRssMB', 'rssBeforeCheckMB', 'verdict', 'detail'].sort();

test('bench --quick: the table, the JSON report and the plot; --compare prints ratios against it', async () => {
  const dir = tempDir('hindsight-bench-');
  const json = join(dir, 'old', 'bench.json');
  const svg = join(dir, 'plot.svg');
  const first = await benchCli(['--quick', '--checkers', 'linearizable,list-append', '--concurrency', '5', '--fixtures', '--out', json, '--plot', svg]);
  assert.equal(first.code, 0, first.out + first.err);
  const lines = first.out.split('\n');
  assert.deepEqual(cells(lines[0]), ['checker', 'workload', 'ops', 'conc', 'prep ms', 'time ms', 'ops/s', 'peak RSS MB', 'verdict']);
  const rows = lines.slice(1, 7).map(cells);
  assert.deepEqual(
    rows.map((r) => [r[0], r[1], r[2], r[3], r[8]]),
    [
      ['linearizable', 'cas-register', '200', '5', 'valid'],
      ['linearizable', 'cas-register', '1000', '5', 'valid'],
      ['list-append', 'list-append', '200', '5', 'valid'],
      ['list-append', 'list-append', '1000', '5', 'valid'],
      ['linearizable', 'knossos/cas-register/bad/cas-failure.edn', '590', '10', 'invalid'],
      ['list-append', 'elle/paper-example.edn', '8', '1', 'invalid'],
    ],
  );
  for (const r of rows) for (const c of r.slice(4, 8)) assert.match(c, NUM, r.join(' | '));
  assert.equal(lines[7], '');
  assert.match(lines[8], /^\d+ cpus \(.+\), load [\d. ]+ at start, node v\d+\.\d+\.\d+, commit \S+; time: checking only \(prep: generating or reading\)$/);
  assert.equal(lines[9], `wrote ${json}`);
  assert.equal(lines[10], `wrote ${svg}`);

  const report = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
  assert.equal(report.hindsightBench, 1);
  assert.deepEqual(Object.keys(report.machine).sort(), ['childExecArgv', 'commit', 'cpuModel', 'cpus', 'date', 'loadAvg', 'node', 'platform', 'totalMemGB']);
  assert.equal(report.machine.node, process.version);
  assert.deepEqual(report.settings, {
    checkers: ['linearizable:cas-register', 'list-append:list-append'],
    sizes: [200, 1000],
    concurrency: [5],
    keys: 10,
    seed: 1,
    timeLimit: 20,
    fixtures: true,
    quick: true,
  });
  assert.equal(report.rows.length, 6);
  for (const r of report.rows) {
    assert.deepEqual(Object.keys(r).sort(), ROW_KEYS);
    for (const k of ['prepMs', 'timeMs', 'opsPerSec', 'peakRssMB', 'rssBeforeCheckMB'] as const) assert.equal(typeof r[k], 'number', `${k} of ${r.workload}`);
    assert.ok((r.peakRssMB ?? 0) >= (r.rssBeforeCheckMB ?? Infinity) - 1, 'the peak is at least the resident set before checking');
  }
  assert.deepEqual(report.rows[0], { ...report.rows[0], source: 'gen', keys: 10, expected: 'valid', verdict: 'valid', detail: 'linearizable (10 keys)' });
  assert.deepEqual(
    report.rows.slice(4).map((r) => [r.source, r.keys, r.expected, r.verdict, r.detail]),
    [
      ['fixture', null, 'invalid', 'invalid', "not linearizable: process 70's read of 0 (index 491) cannot be linearized (can't read 0 from register 2), after process 74's read of 0"],
      ['fixture', null, 'invalid', 'invalid', 'G-single-item; not consistent-view, repeatable-read'],
    ],
  );

  const names = assertWellFormedXml(readFileSync(svg, 'utf8'));
  assert.equal(names[0], 'svg');
  assert.equal(names.filter((n) => n === 'path').length, 2, 'one line per checker and concurrency');

  const second = await benchCli(['--quick', '--checkers', 'list-append', '--sizes', '200', '--concurrency', '5,7', '--out', join(dir, 'new.json'), '--compare', json]);
  assert.equal(second.code, 0, second.out + second.err);
  const at = second.out.indexOf('compared with ');
  assert.ok(at > 0, second.out);
  const cmp = second.out.slice(at).split('\n');
  assert.match(cmp[0], new RegExp(`^compared with ${json.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d{4}-\\d\\d-\\d\\dT.+, commit \\S+\\) \\(ratios new/old; below 1 is faster or smaller now\\):$`));
  assert.deepEqual(cells(cmp[1]), ['checker', 'workload', 'ops', 'conc', 'time new/old', 'RSS new/old', 'time ms (old)', 'verdict']);
  const r = cells(cmp[2]);
  assert.deepEqual([r[0], r[1], r[2], r[3], r[7]], ['list-append', 'list-append', '200', '5', 'valid']);
  assert.match(r[4], /^\d+\.\d\dx$/);
  assert.match(r[5], /^\d+\.\d\dx$/);
  assert.match(r[6], /^[\d.]+ \([\d.]+\)$/);
  assert.match(cmp[3], /^geometric mean: time \d+\.\d\dx, RSS \d+\.\d\dx over 1 matching rows$/);
  assert.equal(cmp[4], '1 rows have no match in the old run');
  assert.equal(cmp[5], '5 old rows have no match in this run');
});

test('bench: bad options and a bad --compare file are usage errors, before measuring anything', async () => {
  const dir = tempDir('hindsight-bench-');
  const base = { keys: '10', seed: '1', out: join(dir, 'b.json'), quick: true };
  const errs: string[] = [];
  const never = (): void => assert.fail('nothing is measured');
  await assert.rejects(runBenchCommand({ ...base, sizes: '100,0' }, never, never), { name: 'UsageError', message: '--sizes must be an integer ≥ 1, got 0' });
  await assert.rejects(runBenchCommand({ ...base, concurrency: '' }, never, never), { message: '--concurrency needs at least one number' });
  await assert.rejects(runBenchCommand({ ...base, checkers: 'bank' }, never, never), { message: /^no generated workload suits checker bank; name one as bank:<workload>/ });
  await assert.rejects(runBenchCommand({ ...base, timeLimit: '0' }, never, never), { message: '--time-limit must be a number ≥ 0.001, got 0' });
  const notReport = join(dir, 'not-a-report.json');
  writeFileSync(notReport, '{"rows": []}\n');
  assert.equal(await runBenchCommand({ ...base, compare: notReport }, never, (s) => errs.push(s)), 3);
  assert.deepEqual(errs, [`hindsight: ${notReport}: not a hindsight bench report (no "hindsightBench": 1 with "rows")`]);
  assert.equal(existsSync(base.out), false);
});
