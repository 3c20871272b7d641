/**
 * Runs one `hindsight bench` case in a fresh child process (child.ts, started through
 * process.ts) and turns what it reports into a row.
 *
 * A checker that overruns its `--time-limit` by far (the budget is checked between steps; one
 * step can be long) is killed: the row says unknown, with the time until the kill (a floor,
 * not a measurement) and the peak RSS read just before.
 */
import { fileURLToPath } from 'node:url';
import { workerModule } from '../util/workers.js';
import type { CheckStart } from './child.js';
import { childExecArgv, runMeasuredChild } from './process.js';
import type { BenchCase, BenchRow, ChildReport } from './types.js';

/** The child module: child.ts from sources, child.js from dist/. */
const CHILD_FILE = fileURLToPath(workerModule(import.meta.url, 'child').filename);

/** The node flags for the measuring child, from the parent's own (default: this process's). */
export function benchExecArgv(parent: readonly string[] = process.execArgv): string[] {
  return childExecArgv(CHILD_FILE, { parent });
}

/** Seconds a check may run before it is killed: the budget, with slack for a long last step. */
export function hardLimitSeconds(timeLimit: number): number {
  return Math.max(2 * timeLimit, timeLimit + 30);
}

/** Generation or reading: generous, since it is not what is measured. */
const PREP_LIMIT_S = 30 * 60;

const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;
const rounded = (x: number | undefined): number | null => (x === undefined ? null : round(x));

/** A child killed while checking: what is known of it (its time is a floor, not a measurement). */
export interface Killed {
  verdict: 'unknown';
  detail: string;
  partial: Pick<ChildReport, 'ops' | 'concurrency' | 'prepMs' | 'checkMs'> & { peakRssMB?: number };
}

/** What a case came to: a report, a verdict without a measurement, or a kill mid-check. */
export type CaseOutcome = { report: ChildReport } | { verdict: 'unknown' | 'error'; detail: string } | Killed;

/** The report row for a case and its outcome; numbers rounded to 0.1, and null where never measured. */
export function rowOf(c: BenchCase, outcome: CaseOutcome): BenchRow {
  const gen = c.source.kind === 'gen' ? c.source.gen : undefined;
  // What was measured, whichever way the case ended; undefined stays null in the row.
  const m: Partial<Omit<ChildReport, 'verdict'>> & Pick<BenchRow, 'verdict' | 'detail'> =
    'report' in outcome ? outcome.report : 'partial' in outcome ? { ...outcome.partial, verdict: 'unknown', detail: outcome.detail } : outcome;
  const report = 'report' in outcome ? outcome.report : undefined;
  return {
    checker: c.checker,
    workload: c.workload,
    source: c.source.kind,
    ops: m.ops ?? gen?.ops ?? null,
    concurrency: m.concurrency ?? gen?.concurrency ?? null,
    keys: gen?.keys ?? null,
    prepMs: rounded(m.prepMs),
    timeMs: rounded(m.checkMs),
    opsPerSec: report !== undefined && report.checkMs > 0 ? Math.round((report.ops / report.checkMs) * 1000) : null,
    peakRssMB: rounded(m.peakRssMB),
    rssBeforeCheckMB: rounded(m.rssBeforeCheckMB),
    verdict: m.verdict,
    expected: c.expected ?? null,
    detail: m.detail,
  };
}

/** Measures one case in a child process. Never throws: failures become rows. */
export async function measureInChild(c: BenchCase, execArgv: string[] = benchExecArgv()): Promise<BenchRow> {
  const timeLimit = Number(c.options.timeLimit ?? 60);
  let checking: (CheckStart & { at: number }) | undefined;
  const outcome = await runMeasuredChild<ChildReport>(CHILD_FILE, c, {
    execArgv,
    deadline: { seconds: PREP_LIMIT_S, why: `killed: still making the history after ${PREP_LIMIT_S} s` },
    // The child says when checking starts: the check's own deadline runs from there.
    onProgress: (p, restart) => {
      checking = { ...(p as CheckStart), at: performance.now() };
      const hard = hardLimitSeconds(timeLimit);
      restart({ seconds: hard, why: `killed after ${hard} s (time limit ${timeLimit} s)` });
    },
  });
  switch (outcome.kind) {
    case 'report':
      return rowOf(c, { report: outcome.report });
    case 'error':
      return rowOf(c, { verdict: 'error', detail: outcome.error });
    case 'died':
      return rowOf(c, { verdict: 'error', detail: outcome.detail });
    case 'killed': {
      if (checking === undefined) return rowOf(c, { verdict: 'unknown', detail: outcome.why });
      const { at, ...known } = checking;
      const partial = { ...known, checkMs: performance.now() - at, ...(outcome.peakRssMB === undefined ? {} : { peakRssMB: outcome.peakRssMB }) };
      return rowOf(c, { verdict: 'unknown', detail: outcome.why, partial });
    }
  }
}
