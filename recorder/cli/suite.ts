/**
 * `hindsight suite FILE|NAME`: runs a suite of `record` runs and summarises them (docs/suites.md).
 * Exit statuses: 0 every run gave the verdict its test expects, 1 some did not (or the suite was
 * interrupted before every run completed), 3 bad input or usage (one line: file, line, what was expected).
 */
import { type Command, Option } from 'commander';
import { minimize } from '../suite/minimize.js';
import type { Suite } from '../suite/spec.js';
import { EXIT_INVALID, EXIT_VALID } from '../../analyzer/cli/exit.js';
import { phaseLine } from '../../analyzer/report/phases.js';
import { countsLine } from '../../analyzer/report/suite-page.js';
import { UsageError } from '../../analyzer/util/usage-error.js';
import { loadSuite, suitePath } from '../suite/load.js';
import { runSuite, type SuiteOutcome } from '../suite/run.js';
import { countRuns, runTable, totalSeconds } from '../suite/summary.js';
import { TIERS, type Tier, inTier, tierNamed } from '../suite/tiers.js';
import { formatStatus } from './status-line.js';

const out = (s: string): void => void process.stdout.write(s + '\n');
const err = (s: string): void => void process.stderr.write(s + '\n');

interface SuiteFlags {
  store: string;
  tier: string;
  resume?: boolean;
  fresh?: boolean;
  list?: boolean;
  quiet?: boolean;
  parallel: string;
  minimize?: string | true;
}

/** `--parallel N` as a count of runs at once. */
function parallelOf(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--parallel ${raw}: expected an integer 1 to 64 (runs at once)`);
  return n;
}

/** `--minimize [K]` as the number of finished suite runs to learn from (default 3), or undefined. */
function minimizeOf(raw: string | true | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (raw === true) return 3;
  const k = Number(raw);
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`--minimize ${raw}: expected an integer ≥ 1 (finished runs of the suite to learn from)`);
  return k;
}

/** The tests `--minimize` leaves out, each told on a line. */
function dropped(s: Suite, tier: Tier, store: string, k: number | undefined, say: (l: string) => void): Set<string> {
  if (k === undefined) return new Set();
  const m = minimize(s.tests.filter((t) => inTier(t.tier, tier)), store, s.name, k);
  if (m.from.length === 0) say(`minimize: no finished run of suite ${s.name} in ${store} to learn from; nothing dropped`);
  else {
    for (const d of m.dropped) say(`minimize: dropped ${d.test}: ${d.coveredBy} covers the same (${d.coverage})`);
    say(`minimize: ${m.dropped.length} of ${s.tests.filter((t) => inTier(t.tier, tier)).length} tests dropped, learnt from the last ${m.from.length} finished run${m.from.length === 1 ? '' : 's'}`);
  }
  return new Set(m.dropped.map((d) => d.test));
}

/** The closing lines: the table, the counts, the budget, what changed, where the summary is. */
function report(r: SuiteOutcome, parallel: number): void {
  for (const l of runTable(r.runs)) out(l);
  const wall = r.wallSeconds;
  out(countsLine(countRuns(r.runs), totalSeconds(r.runs), wall, parallel));
  if (r.budget !== undefined) out(`budget: ${wall.toFixed(1)} s of ${r.budget} s${wall > r.budget ? ' — OVER BUDGET' : ''}`);
  if (r.changes.previous === undefined) out('changes: none to compare (the first finished run of this suite)');
  else out(`changes since ${r.changes.previous}: newly failing: ${r.changes.newlyFailing.join(', ') || 'none'}; newly passing: ${r.changes.newlyPassing.join(', ') || 'none'}`);
  out(`summary: ${r.dir}/suite.edn, ${r.dir}/suite.html`);
}

async function suite(arg: string, f: SuiteFlags): Promise<number> {
  const tier = tierNamed(f.tier);
  if (tier === undefined) throw new UsageError(`--tier ${f.tier}: expected one of ${TIERS.join(', ')}`);
  if (f.resume && f.fresh) throw new UsageError('--resume and --fresh contradict each other; give one');
  const parallel = parallelOf(f.parallel);
  const k = minimizeOf(f.minimize);
  const file = suitePath(arg);
  const s = await loadSuite(file);
  const without = dropped(s, tier, f.store, k, f.list ? out : (l) => void (f.quiet ? undefined : err(l)));
  if (f.list) {
    for (const t of s.tests.filter((x) => inTier(x.tier, tier) && !without.has(x.name))) out(`${t.name}  ${t.tier}  ${t.db} ${t.workload} nemesis ${t.nemesis.join(',') || 'none'} bug ${t.bug.join(',') || 'none'} seeds ${t.seeds.join(',')} expect ${t.expect}`);
    return EXIT_VALID;
  }
  const line = phaseLine({ quiet: f.quiet === true });
  const say = (l: string): void => {
    line.clear();
    if (!f.quiet) err(l);
  };
  const abort = new AbortController();
  const onSigint = (): void => {
    say('hindsight: interrupted; stopping the suite after healing the run under way');
    abort.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    const r = await runSuite(s, {
      store: f.store,
      tier,
      resume: f.resume ? 'require' : f.fresh ? 'never' : 'auto',
      file,
      say,
      signal: abort.signal,
      parallel,
      without,
      onStatus: (prefix, st) => line.phase(`${prefix} · ${formatStatus(st)}`),
    });
    line.clear();
    if (r.interrupted) {
      err(`hindsight: suite ${s.name} interrupted with ${r.runs.length} of ${r.planned} runs completed; \`hindsight suite ${arg}\` continues it`);
      return EXIT_INVALID;
    }
    if (!f.quiet) report(r, parallel);
    return countRuns(r.runs).unexpected === 0 ? EXIT_VALID : EXIT_INVALID;
  } finally {
    line.clear();
    process.off('SIGINT', onSigint);
  }
}

/** Adds `hindsight suite` to `program`; its action sets `process.exitCode` (0, 1; a UsageError becomes 3 in `main`). */
export function addSuiteCommand(program: Command): void {
  program
    .command('suite')
    .description('run a suite of recordings (a file, or a bundled suite: sanity, bugs) and summarise them')
    .argument('<file|name>', 'suite file (EDN, or JSON ending .json) or a bundled suite’s name')
    .option('--store <dir>', 'store root directory', 'store')
    .addOption(new Option('--tier <tier>', `run this tier and every smaller one (${TIERS.join(' < ')})`).default('full'))
    .option('--resume', 'continue the latest unfinished run of this suite (refuse if there is none); the default continues one when its plan matches')
    .option('--fresh', 'start a new run even when an unfinished one could be continued')
    .option('--parallel <n>', 'make up to N runs at once where the backend allows it (the embedded database); others run alone', '1')
    .option('--minimize [k]', 'leave out tests whose coverage (db, workload, fault kinds, bugs, anomalies found) another test of the last K finished runs has (default K 3); prints what it dropped')
    .option('--list', 'print the tests the tier selects and exit, running nothing')
    .option('--quiet', 'print nothing but errors (the exit status says it all; suite.edn has the rest)')
    .action(async (arg: string, f: SuiteFlags) => {
      process.exitCode = await suite(arg, f);
    });
}
