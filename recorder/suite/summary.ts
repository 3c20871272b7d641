/**
 * A suite run's summary: `suite.edn` (every run's test, seed, expected and actual verdict,
 * time, ops, anomalies and directory; the counts; the tier's budget; what changed since the
 * previous finished run of the same suite) and the table printed on the terminal.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { printEdn } from '../../analyzer/edn/print.js';
import type { SuiteCounts } from '../../analyzer/report/suite-page.js';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import { EdnMap, type EdnRecord, kw } from '../../analyzer/edn/values.js';
import { type RunEntry, asExpected, entryEdn, entryFrom } from './suite-dir.js';
import type { Tier } from './tiers.js';

/** What changed since the previous finished run of the suite, by test name (a test fails when any of its seeds did). */
export interface Changes {
  /** The previous run's directory; undefined: this is the suite's first finished run. */
  readonly previous?: string;
  readonly newlyFailing: readonly string[];
  readonly newlyPassing: readonly string[];
}

/** Test name → whether every one of its runs gave the expected verdict. */
function passing(runs: readonly RunEntry[]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const r of runs) out.set(r.test, (out.get(r.test) ?? true) && asExpected(r));
  return out;
}

/** The runs in a finished suite run's `suite.edn` (none when it cannot be read). */
export function summaryRuns(dir: string): RunEntry[] {
  try {
    const v = parseEdn(readFileSync(join(dir, 'suite.edn'), 'utf8'));
    const runs = v instanceof EdnMap ? v.kw('runs') : undefined;
    return Array.isArray(runs) ? runs.filter((r): r is EdnMap => r instanceof EdnMap).map(entryFrom) : [];
  } catch {
    return [];
  }
}

/** Newly failing and newly passing tests of `runs` against the runs of `previous` (tests in both only). */
export function changesSince(previous: string | undefined, runs: readonly RunEntry[]): Changes {
  if (previous === undefined) return { newlyFailing: [], newlyPassing: [] };
  const before = passing(summaryRuns(previous));
  const now = passing(runs);
  const newlyFailing: string[] = [];
  const newlyPassing: string[] = [];
  for (const [test, ok] of now) {
    const was = before.get(test);
    if (was === true && !ok) newlyFailing.push(test);
    if (was === false && ok) newlyPassing.push(test);
  }
  return { previous, newlyFailing, newlyPassing };
}

/** Counts the runs by outcome. */
export function countRuns(runs: readonly RunEntry[]): SuiteCounts {
  const c: SuiteCounts = { runs: runs.length, asExpected: 0, unexpected: 0, valid: 0, invalid: 0, unknown: 0, error: 0 };
  for (const r of runs) {
    if (asExpected(r)) c.asExpected++;
    else c.unexpected++;
    c[r.actual]++;
  }
  return c;
}

/** What `suite.edn` says besides its runs. */
export interface SummaryHead {
  readonly suite: string;
  readonly file: string;
  readonly tier: Tier;
  readonly started: Date;
  readonly store: string;
  /** The tier's budget in seconds, if the suite gives one; held against the wall time. */
  readonly budget?: number;
  /** Wall seconds the suite took (less than the runs' sum with --parallel); default the runs' sum. */
  readonly wallSeconds?: number;
  /** Runs made at once (`--parallel`); default 1. */
  readonly parallel?: number;
}

/** Seconds the runs took, summed (runs done by an earlier, killed attempt included). */
export const totalSeconds = (runs: readonly RunEntry[]): number => runs.reduce((s, r) => s + r.seconds, 0);

/** `suite.edn`'s text. */
export function summaryText(h: SummaryHead, runs: readonly RunEntry[], changes: Changes): string {
  const c = countRuns(runs);
  const seconds = Math.round(totalSeconds(runs) * 10) / 10;
  const wall = Math.round((h.wallSeconds ?? totalSeconds(runs)) * 10) / 10;
  const rec: EdnRecord = {
    suite: h.suite,
    file: h.file,
    tier: kw(h.tier),
    started: h.started.toISOString(),
    finished: new Date().toISOString(),
    'as-expected?': c.unexpected === 0,
    counts: { runs: c.runs, 'as-expected': c.asExpected, unexpected: c.unexpected, valid: c.valid, invalid: c.invalid, unknown: c.unknown, error: c.error },
    seconds,
    'wall-seconds': wall,
    parallel: h.parallel ?? 1,
    ...(h.budget === undefined ? {} : { budget: h.budget, 'within-budget?': wall <= h.budget }),
    changes: {
      previous: changes.previous === undefined ? null : relative(h.store, changes.previous),
      'newly-failing': [...changes.newlyFailing],
      'newly-passing': [...changes.newlyPassing],
    },
    runs: runs.map(entryEdn),
  };
  return printEdn(rec) + '\n';
}

/** The table of runs, one line each, with a header. */
export function runTable(runs: readonly RunEntry[]): string[] {
  const rows = runs.map((r) => [r.test, String(r.seed), r.expected, r.actual, asExpected(r) ? 'ok' : 'UNEXPECTED', `${r.seconds.toFixed(1)} s`, String(r.ops), r.anomalies.join(' ') || '-']);
  const head = ['test', 'seed', 'expected', 'actual', '', 'time', 'ops', 'anomalies'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)];
}
