/**
 * `hindsight bench`: checker performance on generated histories of growing size and
 * concurrency and on the bundled fixtures — a table (checking time, ops/s, peak RSS of a fresh
 * process per case), a JSON report, `--compare` ratios against an earlier report, and a
 * log-log plot. Exit status 0, or 1 if some checker contradicted a known verdict (a bug, not
 * a slow case), 3 on bad usage. See docs/benchmarks.md.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_CHECKERS, DEFAULT_CONCURRENCY, DEFAULT_SIZES, QUICK_CONCURRENCY, QUICK_SIZES, parseCheckerChoices } from '../bench/cases.js';
import { plotSvg } from '../bench/plot.js';
import { readReport } from '../bench/report.js';
import { runBench } from '../bench/run.js';
import { compareRows, formatComparison } from '../bench/table.js';
import { writeFileAtomicSync } from '../util/atomic-write.js';
import { integerAtLeast, numberAtLeast, numberList } from '../util/options.js';
import { EXIT_BAD_INPUT, EXIT_INVALID, EXIT_VALID } from './exit.js';

/** The options of `hindsight bench`, as commander gives them (strings, unparsed). */
export interface BenchCommandOptions {
  checkers?: string;
  sizes?: string;
  concurrency?: string;
  keys: string;
  seed: string;
  timeLimit?: string;
  fixtures?: boolean;
  out: string;
  compare?: string;
  plot?: string;
  quick?: boolean;
}

/**
 * Runs `hindsight bench` as this file's header says and returns its exit status: 3 when the
 * `--compare` report cannot be read. Rejects with `UsageError` for a malformed option.
 */
export async function runBenchCommand(opts: BenchCommandOptions, log: (s: string) => void, err: (s: string) => void): Promise<number> {
  const quick = opts.quick ?? false;
  const choices = parseCheckerChoices(opts.checkers ?? DEFAULT_CHECKERS.join(','));
  const sizes = opts.sizes === undefined ? (quick ? QUICK_SIZES : DEFAULT_SIZES) : numberList('--sizes', opts.sizes, (f, x) => integerAtLeast(f, x, 1));
  const concurrency = opts.concurrency === undefined ? (quick ? QUICK_CONCURRENCY : DEFAULT_CONCURRENCY) : numberList('--concurrency', opts.concurrency, (f, x) => integerAtLeast(f, x, 1));
  const timeLimit = numberAtLeast('--time-limit', opts.timeLimit ?? (quick ? '20' : '60'), 0.001);
  const keys = integerAtLeast('--keys', opts.keys, 1);
  const seed = integerAtLeast('--seed', opts.seed, 0);
  let old;
  if (opts.compare !== undefined) {
    try {
      old = readReport(opts.compare);
    } catch (e) {
      err(`hindsight: ${e instanceof Error ? e.message : String(e)}`);
      return EXIT_BAD_INPUT;
    }
  }
  const report = await runBench({ choices, sizes, concurrency, keys, seed, timeLimit, fixtures: opts.fixtures ?? false, quick, log });
  const m = report.machine;
  log('');
  log(`${m.cpus} cpus (${m.cpuModel}), load ${m.loadAvg.join(' ')} at start, node ${m.node}, commit ${m.commit ?? 'unknown'}; time: checking only (prep: generating or reading)`);
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileAtomicSync(opts.out, JSON.stringify(report, null, 2) + '\n');
  log(`wrote ${opts.out}`);
  if (opts.plot !== undefined) {
    mkdirSync(dirname(opts.plot), { recursive: true });
    writeFileAtomicSync(opts.plot, plotSvg(report.rows, `hindsight bench: checking time vs ops (${m.cpus} cpus, ${m.date.slice(0, 10)})`));
    log(`wrote ${opts.plot}`);
  }
  if (old !== undefined) {
    log('');
    for (const line of formatComparison(compareRows(report.rows, old.rows), `${opts.compare} (${old.machine.date}, commit ${old.machine.commit ?? 'unknown'})`)) log(line);
  }
  const wrong = report.rows.filter((r) => r.expected !== null && (r.verdict === 'valid' || r.verdict === 'invalid') && r.verdict !== r.expected);
  if (wrong.length > 0) {
    err(`hindsight: ${wrong.length} verdicts contradict the known ones (marked "expected …!")`);
    return EXIT_INVALID;
  }
  return EXIT_VALID;
}

/** Adds `hindsight bench` to the program. */
export function addBenchCommand(program: Command, log: (s: string) => void, err: (s: string) => void): void {
  program
    .command('bench')
    .description('benchmark checkers on generated histories of growing size and concurrency, and on the fixtures')
    .option('--checkers <names>', `checkers, each optionally as checker:workload (default ${DEFAULT_CHECKERS.join(',')})`)
    .option('--sizes <list>', `history sizes in ops (default ${DEFAULT_SIZES.join(',')}; --quick ${QUICK_SIZES.join(',')})`)
    .option('--concurrency <list>', `client concurrencies (default ${DEFAULT_CONCURRENCY.join(',')}; --quick ${QUICK_CONCURRENCY.join(',')})`)
    .option('--keys <n>', 'keys in generated histories', '10')
    .option('--seed <n>', 'generator seed', '1')
    .option('--time-limit <seconds>', "each check's budget, passed to the checker (default 60; --quick 20)")
    .option('--fixtures', 'also check the bundled fixtures (fixtures/)')
    .option('--out <file.json>', 'write the rows and machine info here', 'bench.json')
    .option('--compare <old.json>', 'print ratios new/old against an earlier report')
    .option('--plot <file.svg>', 'draw checking time vs ops (log-log) as SVG')
    .option('--quick', 'small sizes and concurrencies, few fixtures (tests, CI)')
    .addHelpText('after', '\nEach case runs in a fresh node process; peak RSS is that process\'s (worker threads included).\n')
    .action(async (opts: BenchCommandOptions) => {
      process.exitCode = await runBenchCommand(opts, log, err);
    });
}
