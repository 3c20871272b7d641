/**
 * `hindsight suite FILE|NAME`: runs a suite of `record` runs and summarises them (docs/suites.md).
 * Exit statuses: 0 every run gave the verdict its test expects, 1 some did not (or the suite was
 * interrupted before every run completed), 3 bad input or usage (one line: file, line, what was expected).
 */
import { type Command, Option } from 'commander';
import { EXIT_INVALID, EXIT_VALID } from '../../analyzer/cli/exit.js';
import { phaseLine } from '../../analyzer/report/phases.js';
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
}

/** The closing lines: the table, the counts, the budget, what changed, where the summary is. */
function report(r: SuiteOutcome): void {
  for (const l of runTable(r.runs)) out(l);
  const c = countRuns(r.runs);
  const secs = totalSeconds(r.runs);
  out(`${c.runs} runs: ${c.asExpected} as expected, ${c.unexpected} not (${c.valid} valid, ${c.invalid} invalid, ${c.unknown} unknown, ${c.error} errors); ${secs.toFixed(1)} s`);
  if (r.budget !== undefined) out(`budget: ${secs.toFixed(1)} s of ${r.budget} s${secs > r.budget ? ' — OVER BUDGET' : ''}`);
  if (r.changes.previous === undefined) out('changes: none to compare (the first finished run of this suite)');
  else out(`changes since ${r.changes.previous}: newly failing: ${r.changes.newlyFailing.join(', ') || 'none'}; newly passing: ${r.changes.newlyPassing.join(', ') || 'none'}`);
  out(`summary: ${r.dir}/suite.edn`);
}

async function suite(arg: string, f: SuiteFlags): Promise<number> {
  const tier = tierNamed(f.tier);
  if (tier === undefined) throw new UsageError(`--tier ${f.tier}: expected one of ${TIERS.join(', ')}`);
  if (f.resume && f.fresh) throw new UsageError('--resume and --fresh contradict each other; give one');
  const file = suitePath(arg);
  const s = await loadSuite(file);
  if (f.list) {
    for (const t of s.tests.filter((x) => inTier(x.tier, tier))) out(`${t.name}  ${t.tier}  ${t.db} ${t.workload} nemesis ${t.nemesis.join(',') || 'none'} bug ${t.bug.join(',') || 'none'} seeds ${t.seeds.join(',')} expect ${t.expect}`);
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
      onStatus: (prefix, st) => line.phase(`${prefix} · ${formatStatus(st)}`),
    });
    line.clear();
    if (r.interrupted) {
      err(`hindsight: suite ${s.name} interrupted with ${r.runs.length} of ${r.planned} runs completed; \`hindsight suite ${arg}\` continues it`);
      return EXIT_INVALID;
    }
    if (!f.quiet) report(r);
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
    .option('--list', 'print the tests the tier selects and exit, running nothing')
    .option('--quiet', 'print nothing but errors (the exit status says it all; suite.edn has the rest)')
    .action(async (arg: string, f: SuiteFlags) => {
      process.exitCode = await suite(arg, f);
    });
}
