/**
 * Running a suite: every selected test × seed is one `record` run (`runTest`, the function
 * `hindsight record` calls), one after another, each landing in the store as usual. Each
 * completed run is recorded in the suite's directory as it ends, so a suite killed midway
 * continues where it stopped: by default the latest unfinished run of the same suite with the
 * same plan is continued, and its completed runs are not made again.
 */
import { join } from 'node:path';
import { type CheckResult, verdictWord } from '../../analyzer/check/checker.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { writeSuitePage } from '../../analyzer/report/suite-page.js';
import { type EdnValue, Keyword, kw } from '../../analyzer/edn/values.js';
import { UsageError } from '../../analyzer/util/usage-error.js';
import { writeFileAtomicSync } from '../../analyzer/util/atomic-write.js';
import { backendNamed, extraFromOptions, loadBackends } from '../core/backends.js';
import type { RunStatus } from '../core/status.js';
import type { TestOptions } from '../core/types.js';
import { runTest } from '../run/run-test.js';
import type { Suite, SuiteTest } from './spec.js';
import { type RunEntry, asExpected, completedRuns, createSuiteDir, isFinished, planText, recordCompleted, storeRelative, suiteRuns } from './suite-dir.js';
import { schedule } from './schedule.js';
import { type Changes, changesSince, summaryText } from './summary.js';
import { TIERS, type Tier, inTier } from './tiers.js';

/** How `runSuite` runs and where it reports. */
export interface SuiteRunOptions {
  readonly store: string;
  /** Run the tests of this tier and every smaller one. */
  readonly tier: Tier;
  /** `auto`: continue an unfinished latest run with the same plan, else start anew; `require`: continue one or refuse; `never`: start anew. */
  readonly resume: 'auto' | 'require' | 'never';
  /** The suite file, as `suite.edn` names it. */
  readonly file: string;
  /** One line per run and per decision (resuming, skipping). */
  readonly say: (line: string) => void;
  /** Aborting stops the run under way (it is healed, not recorded as completed) and the suite. */
  readonly signal?: AbortSignal;
  /** Hears the current run's status, prefixed with which run it is (for a status line). */
  readonly onStatus?: (prefix: string, s: RunStatus) => void;
  /** Runs made at once where their backend allows it (`concurrentRuns`); others run alone. Default 1. */
  readonly parallel?: number;
  /** Tests to leave out (what `--minimize` dropped), by name. */
  readonly without?: ReadonlySet<string>;
}

/** What a suite run did. */
export interface SuiteOutcome {
  /** The suite run's directory (`<store>/suites/<name>/<start>`). */
  readonly dir: string;
  /** The completed runs, in plan order (all of them unless interrupted). */
  readonly runs: readonly RunEntry[];
  /** Runs planned for the selected tier. */
  readonly planned: number;
  readonly changes: Changes;
  /** True when stopped before every run completed (no `suite.edn` was written). */
  readonly interrupted: boolean;
  readonly budget?: number;
  /** Wall seconds the suite took: this attempt's, plus the runs an earlier attempt completed. */
  readonly wallSeconds: number;
}

interface Planned {
  readonly test: SuiteTest;
  readonly seed: number;
}

function options(p: Planned, store: string): TestOptions {
  const t = p.test;
  const backend = backendNamed(t.db);
  return {
    name: t.name,
    db: t.db,
    workload: t.workload,
    nodes: t.nodes ?? backend?.defaultNodes ?? [],
    concurrency: t.concurrency,
    timeLimit: t.timeLimit,
    seed: p.seed,
    store,
    nemesis: t.nemesis,
    nemesisInterval: t.nemesisInterval,
    bugs: t.bug,
    rate: t.rate,
    opTimeoutMs: t.opTimeout,
    leaveDbRunning: false,
    extra: backend === undefined ? {} : extraFromOptions(backend, t.options),
    ...(t.nemesisTargets === undefined ? {} : { nemesisTargets: t.nemesisTargets }),
    ...(t.groups === undefined ? {} : { groups: t.groups }),
  };
}

/** The plan as EDN: what `plan.edn` holds and a resumed run must match. */
function planEdn(suite: Suite, tier: Tier, plan: readonly Planned[]): EdnValue {
  const runs = plan.map(({ test: t, seed }) => ({
    test: t.name, seed, db: kw(t.db), workload: kw(t.workload), nemesis: t.nemesis.map((n) => kw(n)), 'nemesis-interval': t.nemesisInterval,
    'time-limit': t.timeLimit, concurrency: t.concurrency, nodes: t.nodes === undefined ? null : [...t.nodes], bug: t.bug.map((b) => kw(b)),
    rate: t.rate, 'op-timeout': t.opTimeout, expect: kw(t.expect), tier: kw(t.tier),
    ...(Object.keys(t.options).length === 0 ? {} : { options: { ...t.options } }),
    ...(t.nemesisTargets === undefined ? {} : { 'nemesis-targets': { ...t.nemesisTargets } }),
    ...(t.groups === undefined ? {} : { groups: t.groups }),
  }));
  return { suite: suite.name, tier: kw(tier), runs };
}

/** The suite run directory to use: an unfinished one to continue, or a new one. */
function suiteDir(suite: Suite, o: SuiteRunOptions, plan: EdnValue): { dir: string; resumed: boolean } {
  const latest = suiteRuns(o.store, suite.name).at(-1);
  const unfinished = latest !== undefined && !isFinished(latest) ? latest : undefined;
  if (o.resume !== 'never' && unfinished !== undefined) {
    if (planText(unfinished) === printEdn(plan)) return { dir: unfinished, resumed: true };
    if (o.resume === 'require') throw new UsageError(`${unfinished}: its plan differs from ${o.file}'s at --tier ${o.tier} (the file changed, or another tier); run without --resume to start anew`);
    o.say(`not continuing ${unfinished}: its plan differs from this one; starting anew`);
  } else if (o.resume === 'require') throw new UsageError(`suite ${suite.name}: no unfinished run under ${join(o.store, 'suites', suite.name)} to resume`);
  return { dir: createSuiteDir(o.store, suite.name, plan), resumed: false };
}

const anomalyNames = (v: unknown): string[] => (Array.isArray(v) ? v.map((a) => (a instanceof Keyword ? a.name : String(a))) : []);

/**
 * What a run found, for the summary and `--minimize`: the anomaly types its checkers name
 * (Elle's), else the name of each checker that found the history invalid (`linearizable`,
 * `set-full`, `lock-set`), so an invalid run never shows as having found nothing.
 */
function findings(result: CheckResult, checkers: readonly string[]): string[] {
  const own = anomalyNames(result['anomaly-types']);
  if (own.length > 0 || result['valid?'] !== false) return own;
  if (checkers.length === 1) return [checkers[0]];
  return checkers.filter((c) => {
    const part = (result as Record<string, unknown>)[c];
    return typeof part === 'object' && part !== null && (part as CheckResult)['valid?'] === false;
  }).flatMap((c) => {
    const inner = anomalyNames(((result as Record<string, unknown>)[c] as CheckResult)['anomaly-types']);
    return inner.length > 0 ? inner : [c];
  });
}

/** Makes one planned run; a run that cannot be made (or crashes) is an `error` entry, not the suite's end. */
async function makeRun(p: Planned, o: SuiteRunOptions, prefix: string): Promise<RunEntry | undefined> {
  const started = Date.now();
  const base = { test: p.test.name, seed: p.seed, tier: p.test.tier, expected: p.test.expect, started: new Date(started).toISOString() };
  // runTest listens to the signal it is given for good: each run gets its own, relayed, so the
  // suite's signal does not collect a listener per run.
  const abort = new AbortController();
  const relay = (): void => abort.abort();
  o.signal?.addEventListener('abort', relay);
  try {
    const r = await runTest(options(p, o.store), undefined, abort.signal, { onStatus: (s) => o.onStatus?.(prefix, s) });
    if (o.signal?.aborted) return undefined;
    return { ...base, actual: verdictWord(r.result['valid?']), seconds: r.timings.total, ops: r.ops, anomalies: findings(r.result, r.checkers), dir: storeRelative(o.store, r.dir) };
  } catch (e) {
    if (o.signal?.aborted) return undefined;
    return { ...base, actual: 'error', seconds: (Date.now() - started) / 1000, ops: 0, anomalies: [], dir: '', error: e instanceof Error ? e.message : String(e) };
  } finally {
    o.signal?.removeEventListener('abort', relay);
  }
}

/** The budget a run of `plan` is held to: that of the largest tier among its tests (the tier it really runs). */
function budgetOf(suite: Suite, plan: readonly Planned[]): number | undefined {
  const largest = TIERS.filter((t) => plan.some((p) => p.test.tier === t)).at(-1);
  return largest === undefined ? undefined : suite.budgets[largest];
}

/** One run's line: `[2/12] register-partition seed 1: valid as expected (1.1 s, 680 ops, register-partition/2026…)`. */
function runLine(prefix: string, r: RunEntry): string {
  const verdict = asExpected(r) ? `${r.actual} as expected` : `${r.actual}, UNEXPECTED (expected ${r.expected})`;
  const why = r.error !== undefined ? `: ${r.error}` : r.anomalies.length > 0 ? ` [${r.anomalies.join(' ')}]` : '';
  return `${prefix}: ${verdict}${why} (${r.seconds.toFixed(1)} s, ${r.ops} ops${r.dir === '' ? '' : `, ${r.dir}`})`;
}

/**
 * Runs the tests of `suite` in `o.tier` (and smaller tiers), continuing an unfinished run as
 * `o.resume` says, and writes `suite.edn` once every run has completed. Throws UsageError when
 * `--resume` finds nothing to continue.
 */
export async function runSuite(suite: Suite, o: SuiteRunOptions): Promise<SuiteOutcome> {
  await loadBackends();
  const plan: Planned[] = suite.tests
    .filter((t) => inTier(t.tier, o.tier) && !o.without?.has(t.name))
    .flatMap((test) => test.seeds.map((seed) => ({ test, seed })));
  if (plan.length === 0) throw new UsageError(`suite ${suite.name} has no test in tier ${o.tier} or a smaller one${o.without?.size ? ' that --minimize kept' : ''}`);
  const edn = planEdn(suite, o.tier, plan);
  const { dir, resumed } = suiteDir(suite, o, edn);
  const done = completedRuns(dir);
  if (resumed) o.say(`continuing ${dir}: ${done.size} of ${plan.length} runs completed before`);
  const started = new Date();
  const wall = (): number => (Date.now() - started.getTime()) / 1000 + [...done.values()].reduce((t, r) => t + r.seconds, 0);
  const runs: Array<RunEntry | undefined> = plan.map((_, i) => done.get(i));
  for (const [i, before] of runs.entries()) if (before !== undefined) o.say(`${prefixOf(plan, i)}: completed before (${before.actual}, ${before.dir})`);
  const todo = plan.map((_, i) => i).filter((i) => runs[i] === undefined);
  let interrupted = false;
  await schedule(todo, Math.max(1, o.parallel ?? 1), (i) => backendNamed(plan[i].test.db)?.concurrentRuns === true, async (i) => {
    if (interrupted) return;
    const prefix = prefixOf(plan, i);
    const r = await makeRun(plan[i], o, prefix);
    if (r === undefined) {
      interrupted = true;
      return;
    }
    recordCompleted(dir, i, r);
    runs[i] = r;
    o.say(runLine(prefix, r));
  });
  const completed = runs.filter((r): r is RunEntry => r !== undefined);
  const budget = budgetOf(suite, plan);
  if (interrupted || completed.length < plan.length) return { dir, runs: completed, planned: plan.length, changes: { newlyFailing: [], newlyPassing: [] }, interrupted: true, budget, wallSeconds: wall() };
  const previous = suiteRuns(o.store, suite.name).filter((d) => d !== dir && isFinished(d)).at(-1);
  const changes = changesSince(previous, completed);
  const wallSeconds = wall();
  writeFileAtomicSync(join(dir, 'suite.edn'), summaryText({ suite: suite.name, file: o.file, tier: o.tier, started, store: o.store, budget, wallSeconds, parallel: o.parallel ?? 1 }, completed, changes));
  writeSuitePage(dir, o.store);
  return { dir, runs: completed, planned: plan.length, changes, interrupted: false, budget, wallSeconds };
}

const prefixOf = (plan: readonly Planned[], i: number): string => `[${i + 1}/${plan.length}] ${plan[i].test.name} seed ${plan[i].seed}`;
