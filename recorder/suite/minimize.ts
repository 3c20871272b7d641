/**
 * `suite --minimize [K]`: leave out tests that add no coverage, as Couchbase cut its daily and
 * weekly tiers from the full list. A test's coverage is what it exercises and what it found:
 * its database, workload, the kinds of fault it injects (`partition-ring` is a partition), its
 * bugs and expected verdict, and the anomaly types its runs reported in the last K finished runs
 * of the suite. Tests with the same coverage are redundant: the cheapest (time limit × seeds;
 * the first in the file on a tie) is kept and the others dropped.
 *
 * Only evidence drops a test: one that did not run in those K suite runs, or whose runs there
 * did not all give their expected verdict (an error, an unknown, a surprise), is kept. Bugs are
 * part of the coverage, so a bug never stops being tried because another bug is caught the same way.
 */
import type { SuiteTest } from './fields.js';
import { type RunEntry, asExpected, isFinished, suiteRuns } from './suite-dir.js';
import { summaryRuns } from './summary.js';

/** A dropped test and the kept one that covers what it covers. */
export interface Dropped {
  readonly test: string;
  readonly coveredBy: string;
  /** The coverage both share, as a line: `memory register, faults kill, anomalies none`. */
  readonly coverage: string;
}

/** What `minimize` decided. */
export interface Minimized {
  /** The finished suite runs the evidence came from (oldest first); empty: nothing to learn from. */
  readonly from: readonly string[];
  readonly dropped: readonly Dropped[];
}

/** A fault's kind: its name up to the first dash (`partition-majorities-ring` → `partition`). */
export const faultKind = (fault: string): string => fault.split('-')[0];

const sortedSet = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

function coverageOf(t: SuiteTest, runs: readonly RunEntry[]): string {
  const faults = sortedSet(t.nemesis.map(faultKind));
  const bugs = sortedSet(t.bug);
  const anomalies = sortedSet(runs.flatMap((r) => r.anomalies));
  return `${t.db} ${t.workload}, faults ${faults.join('+') || 'none'}, bugs ${bugs.join('+') || 'none'}, expect ${t.expect}, anomalies ${anomalies.join(' ') || 'none'}`;
}

const cost = (t: SuiteTest): number => t.timeLimit * t.seeds.length;

/**
 * The tests of `tests` to drop given the last `k` finished runs of suite `suite` in `store`.
 * `tests` is the selection about to run (in file order); nothing is dropped without evidence.
 */
export function minimize(tests: readonly SuiteTest[], store: string, suite: string, k: number): Minimized {
  const from = suiteRuns(store, suite).filter(isFinished).slice(-k);
  if (from.length === 0) return { from, dropped: [] };
  const byTest = new Map<string, RunEntry[]>();
  for (const dir of from) for (const r of summaryRuns(dir)) byTest.set(r.test, [...(byTest.get(r.test) ?? []), r]);
  const groups = new Map<string, SuiteTest[]>();
  for (const t of tests) {
    const runs = byTest.get(t.name) ?? [];
    // No evidence, or evidence of trouble: the test stays and stands for no one else.
    if (runs.length === 0 || !runs.every(asExpected)) continue;
    const c = coverageOf(t, runs);
    groups.set(c, [...(groups.get(c) ?? []), t]);
  }
  const dropped: Dropped[] = [];
  for (const [coverage, group] of groups) {
    const keep = group.reduce((a, b) => (cost(b) < cost(a) ? b : a));
    for (const t of group) if (t !== keep) dropped.push({ test: t.name, coveredBy: keep.name, coverage });
  }
  const order = new Map(tests.map((t, i) => [t.name, i]));
  dropped.sort((a, b) => order.get(a.test)! - order.get(b.test)!);
  return { from, dropped };
}
