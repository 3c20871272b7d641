/** hindsight bench's parts without child processes: cases, the skip rule, the table, --compare, the plot. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../analyzer/check/checker.js';
import { genCase, parseCheckerChoices, plannedCases } from '../../analyzer/bench/cases.js';
import { peakInFlight } from '../../analyzer/bench/child.js';
import { benchExecArgv, hardLimitSeconds } from '../../analyzer/bench/measure.js';
import { plotSvg, seriesOf } from '../../analyzer/bench/plot.js';
import { runBench } from '../../analyzer/bench/run.js';
import { compareRows, formatComparison, geomean, rowKey, tableFormat, verdictCell } from '../../analyzer/bench/table.js';
import type { BenchRow } from '../../analyzer/bench/types.js';
import { historyOf } from '../../analyzer/history/history.js';
import { assertWellFormedXml } from './xml.js';

function row(o: Partial<BenchRow>): BenchRow {
  return {
    checker: 'linearizable',
    workload: 'cas-register',
    source: 'gen',
    ops: 1000,
    concurrency: 5,
    keys: 10,
    prepMs: 10,
    timeMs: 100,
    opsPerSec: 10_000,
    peakRssMB: 100,
    rssBeforeCheckMB: 80,
    verdict: 'valid',
    expected: 'valid',
    detail: '',
    ...o,
  };
}

test('bench cases: checker names with their natural workloads or an explicit one; unknown names are usage errors', () => {
  assert.deepEqual(parseCheckerChoices('linearizable, list-append,linearizable:kv,stats'), [
    { checker: 'linearizable', workload: 'cas-register' },
    { checker: 'list-append', workload: 'list-append' },
    { checker: 'linearizable', workload: 'kv' },
    { checker: 'stats', workload: 'cas-register' },
  ]);
  assert.throws(() => parseCheckerChoices('linearisable'), (e: Error) => e instanceof UsageError && /^unknown checker linearisable; known: bank, /.test(e.message));
  assert.throws(() => parseCheckerChoices('linearizable:queue'), { message: 'unknown workload queue; known: register, cas-register, kv, set, list-append, rw-register' });
  assert.throws(() => parseCheckerChoices('bank'), { message: /^no generated workload suits checker bank; name one as bank:<workload>/ });
  assert.throws(() => parseCheckerChoices(' , '), { message: '--checkers needs at least one name' });
});

test('bench cases: the generator says which options judge a history; a foreign checker gets only the budget', () => {
  const plan = { keys: 10, seed: 3, timeLimit: 7 };
  const lin = genCase({ checker: 'linearizable', workload: 'cas-register' }, 1000, 5, plan);
  assert.deepEqual(lin.options, { model: 'cas-register', independent: true, timeLimit: '7' });
  assert.equal(lin.expected, 'valid');
  assert.deepEqual(lin.source, { kind: 'gen', gen: { workload: 'cas-register', ops: 1000, concurrency: 5, keys: 10, seed: 3 } });
  const stats = genCase({ checker: 'stats', workload: 'cas-register' }, 1000, 5, plan);
  assert.deepEqual(stats.options, { timeLimit: '7' });
  assert.equal(stats.expected, undefined);

  const groups = plannedCases({
    choices: [{ checker: 'list-append', workload: 'list-append' }],
    sizes: [1000, 200],
    concurrency: [5, 20],
    ...plan,
    fixtures: true,
    quick: true,
    root: '/r',
  });
  assert.deepEqual(
    groups.map((g) => g.map((c) => `${c.workload} ${c.source.kind === 'gen' ? `${c.source.gen.ops}/${c.source.gen.concurrency}` : c.source.file}`)),
    [['list-append 200/5', 'list-append 1000/5'], ['list-append 200/20', 'list-append 1000/20'], ['elle/paper-example.edn /r/fixtures/elle/paper-example.edn']],
  );
});

test('bench run: rows in plan order; after an unknown the larger sizes of that line are skipped, other lines go on', async () => {
  const lines: string[] = [];
  const report = await runBench({
    choices: [{ checker: 'linearizable', workload: 'cas-register' }],
    sizes: [100, 200, 400],
    concurrency: [5, 20],
    keys: 2,
    seed: 1,
    timeLimit: 5,
    fixtures: false,
    quick: false,
    log: (l) => lines.push(l),
    measure: async (c) => {
      const gen = c.source.kind === 'gen' ? c.source.gen : undefined;
      const unknown = gen?.concurrency === 5 && gen.ops === 200;
      return row({ ops: gen?.ops ?? null, concurrency: gen?.concurrency ?? null, keys: 2, verdict: unknown ? 'unknown' : 'valid' });
    },
  });
  assert.deepEqual(
    report.rows.map((r) => `${r.ops}/${r.concurrency} ${r.verdict}`),
    ['100/5 valid', '200/5 unknown', '400/5 skipped', '100/20 valid', '200/20 valid', '400/20 valid'],
  );
  assert.equal(report.rows[2].detail, 'skipped: 200 ops already ran out of budget');
  assert.equal(report.rows[2].timeMs, null);
  assert.equal(lines.length, 7);
  assert.equal(lines[0].split(/\s{2,}/).join('|'), 'checker|workload|ops|conc|prep ms|time ms|ops/s|peak RSS MB|verdict');
  assert.deepEqual(report.settings, { checkers: ['linearizable:cas-register'], sizes: [100, 200, 400], concurrency: [5, 20], keys: 2, seed: 1, timeLimit: 5, fixtures: false, quick: false });
  assert.equal(typeof report.machine.cpus, 'number');
  assert.match(report.machine.node, /^v\d+\./);
});

test('bench table: fixed columns; a verdict that contradicts the known one is marked', () => {
  const t = tableFormat([genCase({ checker: 'linearizable', workload: 'cas-register' }, 10, 5, { keys: 1, seed: 1, timeLimit: 1 })]);
  assert.equal(t.header(), 'checker       workload          ops  conc  prep ms  time ms    ops/s  peak RSS MB  verdict');
  assert.equal(t.line(row({ timeMs: 1234.56, prepMs: 3.21, peakRssMB: 98.76 })), 'linearizable  cas-register     1000     5      3.2     1235    10000         98.8  valid');
  assert.equal(t.line(row({ verdict: 'skipped', ops: 5, timeMs: null, opsPerSec: null, prepMs: null, peakRssMB: null })).replace(/ +/g, ' '), 'linearizable cas-register 5 5 - - - - skipped');
  assert.equal(verdictCell(row({ verdict: 'valid', expected: 'invalid' })), 'valid (expected invalid!)');
  assert.equal(verdictCell(row({ verdict: 'unknown', expected: 'invalid' })), 'unknown');
  assert.equal(verdictCell(row({ verdict: 'unknown', detail: 'killed after 31 s (time limit 1 s)' })), 'unknown: killed after 31 s (time limit 1 s)');
  assert.equal(verdictCell(row({ verdict: 'unknown', detail: 'unknown: time limit reached' })), 'unknown: time limit reached');
});

test('bench --compare: rows match by checker, workload, ops, concurrency and keys; ratios new/old', () => {
  const old = [row({ timeMs: 200, peakRssMB: 50 }), row({ ops: 10_000, timeMs: 1000 }), row({ workload: 'kv', timeMs: 5 })];
  const now = [row({ timeMs: 100, peakRssMB: 100 }), row({ ops: 10_000, timeMs: 4000, verdict: 'unknown' }), row({ concurrency: 20 })];
  const c = compareRows(now, old);
  assert.deepEqual(c.matched.map((m) => [rowKey(m.row), m.time, m.rss]), [
    ['linearizable|cas-register|1000|5|10', 0.5, 2],
    ['linearizable|cas-register|10000|5|10', 4, 1],
  ]);
  assert.deepEqual(c.onlyNew.map((r) => r.concurrency), [20]);
  assert.deepEqual(c.onlyOld.map((r) => r.workload), ['kv']);
  assert.ok(Math.abs((geomean([0.5, 4, null]) ?? 0) - Math.SQRT2) < 1e-12);
  assert.equal(geomean([null]), null);
  const lines = formatComparison(c, 'old.json');
  assert.equal(lines[0], 'compared with old.json (ratios new/old; below 1 is faster or smaller now):');
  assert.deepEqual(lines[2].split(/\s{2,}/), ['linearizable', 'cas-register', '1000', '5', '0.50x', '2.00x', '100 (200)', 'valid']);
  assert.deepEqual(lines[3].split(/\s{2,}/), ['linearizable', 'cas-register', '10000', '5', '4.00x', '1.00x', '4000 (1000)', 'valid -> unknown']);
  assert.deepEqual(lines.slice(4), ['geometric mean: time 1.41x, RSS 1.41x over 2 matching rows', '1 rows have no match in the old run', '1 old rows have no match in this run']);
});

test('bench plot: one line per checker and concurrency, fixtures left out, text escaped, well-formed SVG', () => {
  const rows = [
    row({ ops: 1000, timeMs: 10 }),
    row({ ops: 10_000, timeMs: 120 }),
    row({ ops: 100_000, timeMs: 60_000, verdict: 'unknown' }),
    row({ concurrency: 20, ops: 1000, timeMs: 30 }),
    row({ checker: 'list-append', workload: 'list-append', ops: 1000, timeMs: 8 }),
    row({ checker: 'list-append', workload: 'list-append', ops: 10_000, timeMs: null, verdict: 'skipped' }),
    row({ source: 'fixture', workload: 'knossos/x.edn', ops: 500, timeMs: 3 }),
  ];
  assert.deepEqual(
    seriesOf(rows).map((s) => [s.label, s.points.map((p) => `${p.ops}:${p.measured ? 'm' : 'u'}`).join(' ')]),
    [
      ['linearizable (cas-register) c=5', '1000:m 10000:m 100000:u'],
      ['linearizable (cas-register) c=20', '1000:m'],
      ['list-append c=5', '1000:m'],
    ],
  );
  const svg = plotSvg(rows, 'a <title> & "quotes"');
  const names = assertWellFormedXml(svg);
  assert.equal(names[0], 'svg');
  assert.equal(names.filter((n) => n === 'path').length, 3);
  assert.equal(names.filter((n) => n === 'circle').length, 5);
  assert.ok(svg.includes('a &lt;title&gt; &amp; &quot;quotes&quot;'));
  assert.ok(!/<script|href=|xlink/.test(svg), 'self-contained: no scripts or links');
  assert.match(svg, /fill="#ffffff"\/>\n<\/g>/); // the unknown point is hollow
  assert.ok(plotSvg(rows, 'a\u202eb').includes('a\\u202Eb'), 'an invisible character in a label is shown, not hidden');
  assert.doesNotThrow(() => assertWellFormedXml(plotSvg([], 'empty')));
  assert.throws(() => assertWellFormedXml('<svg><g></svg>'), { message: '</svg> closes <g>' });
  assert.throws(() => assertWellFormedXml('<svg>a & b</svg>'), { message: /bare &/ });
});

test('bench child: the concurrency of a read history is its most client ops in flight at once', () => {
  const h = historyOf([
    { process: 0, type: 'invoke', f: 'read' },
    { process: 1, type: 'invoke', f: 'read' },
    { process: 'nemesis', type: 'info', f: 'start' },
    { process: 0, type: 'ok', f: 'read', value: 1 },
    { process: 2, type: 'invoke', f: 'write', value: 2 },
    { process: 3, type: 'invoke', f: 'write', value: 3 },
    { process: 1, type: 'info', f: 'read' },
    { process: 2, type: 'ok', f: 'write', value: 2 },
  ]);
  assert.equal(peakInFlight(h), 3);
});

test('bench child flags: tsx is loaded for sources, test-runner flags dropped, a heap ceiling added once', () => {
  const a = benchExecArgv(['--test', '--test-reporter=tap']);
  assert.deepEqual(a.slice(0, 2), ['--import', 'tsx']);
  assert.equal(a.filter((x) => x.startsWith('--test')).length, 0);
  assert.match(a[2], /^--max-old-space-size=\d+$/);
  assert.deepEqual(benchExecArgv(['--import', 'tsx', '--max-old-space-size=100']), ['--import', 'tsx', '--max-old-space-size=100']);
  assert.equal(hardLimitSeconds(60), 120);
  assert.equal(hardLimitSeconds(1), 31);
});
