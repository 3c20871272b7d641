/**
 * `hindsight bench`: every case in its own fresh child process, one after another (cases
 * running side by side would share cores and distort each other's times and the machine's
 * memory). Rows are printed as they finish. Within a (checker, concurrency) line sizes grow;
 * once one runs out of budget or fails, the larger ones are skipped rather than run to the
 * same end.
 */
import { existsSync } from 'node:fs';
import { type CasePlan, plannedCases } from './cases.js';
import { benchExecArgv, measureInChild, rowOf } from './measure.js';
import { machineInfo, packageRoot } from './report.js';
import { tableFormat } from './table.js';
import type { BenchCase, BenchReport, BenchRow } from './types.js';

/** A run's plan, where it logs, and (for tests) how it measures. */
export interface RunBenchOptions extends Omit<CasePlan, 'root'> {
  root?: string;
  /** Each finished row (and the header first), for printing. */
  log?: (line: string) => void;
  /** Measures one case; the default forks the child (tests may stub it). */
  measure?: (c: BenchCase) => Promise<BenchRow>;
}

const skipped = (c: BenchCase, why: string): BenchRow => ({ ...rowOf(c, { verdict: 'unknown', detail: why }), verdict: 'skipped' });

/** Measures every planned case, one at a time, and returns the report (nothing is written here). */
export async function runBench(o: RunBenchOptions): Promise<BenchReport> {
  const root = o.root ?? packageRoot();
  const execArgv = benchExecArgv();
  const machine = machineInfo(root, execArgv);
  const groups = plannedCases({ ...o, root }).map((g) => g.filter((c) => c.source.kind !== 'fixture' || existsSync(c.source.file)));
  const measure = o.measure ?? ((c: BenchCase) => measureInChild(c, execArgv));
  const table = tableFormat(groups.flat());
  const log = o.log ?? (() => {});
  log(table.header());
  const rows: BenchRow[] = [];
  for (const group of groups) {
    let stop: string | undefined;
    for (const c of group) {
      const row = stop === undefined ? await measure(c) : skipped(c, stop);
      if (stop === undefined && (row.verdict === 'unknown' || row.verdict === 'error')) {
        stop = `skipped: ${row.ops ?? '?'} ops already ${row.verdict === 'unknown' ? 'ran out of budget' : 'failed'}`;
      }
      rows.push(row);
      log(table.line(row));
    }
  }
  return {
    hindsightBench: 1,
    machine,
    settings: {
      checkers: o.choices.map((c) => `${c.checker}:${c.workload}`),
      sizes: o.sizes,
      concurrency: o.concurrency,
      keys: o.keys,
      seed: o.seed,
      timeLimit: o.timeLimit,
      fixtures: o.fixtures,
      quick: o.quick,
    },
    rows,
  };
}
