/**
 * Which cases a `hindsight bench` run measures: every named checker on generated histories of
 * each size × concurrency (smallest first, so a (checker, concurrency) line that runs out of
 * budget can skip its larger sizes), then on the bundled fixtures it applies to.
 *
 * A checker is named alone (`linearizable`) or with the generated workload to run it on
 * (`linearizable:kv`). Alone, it gets its natural workload (WORKLOAD_OF); checkers that look
 * at any history (stats, perf, …) get a cas-register one.
 */
import { join } from 'node:path';
import { UsageError } from '../check/checker.js';
import { checkerNamed, checkers } from '../checkers/registry.js';
import { type GenWorkload, expectedOf, genWorkloads } from '../gen/index.js';
import { BENCH_FIXTURES } from './fixtures.js';
import type { BenchCase, BenchSettings } from './types.js';

/** Checkers a run measures when --checkers is not given. */
export const DEFAULT_CHECKERS = ['linearizable', 'set-full', 'list-append', 'rw-register'];
/** Ops per generated history, by default. */
export const DEFAULT_SIZES = [1000, 10_000, 100_000, 1_000_000];
/** Client processes per generated history, by default. */
export const DEFAULT_CONCURRENCY = [5, 20, 100];
/** --quick's sizes and concurrency: small, for tests and CI. */
export const QUICK_SIZES = [200, 1000];
export const QUICK_CONCURRENCY = [5, 20];

/** The workload a checker that judges any op (stats, perf, timeline …) is measured on. */
const ANY_OPS_WORKLOAD: GenWorkload = 'cas-register';

/**
 * The generated workload a checker is measured on, asked of the generator and the contract
 * rather than listed here: the first workload whose history that checker judges (trying
 * ANY_OPS_WORKLOAD first), else ANY_OPS_WORKLOAD for a checker that declares no `accepts` (it
 * judges any history); undefined when no generated history suits it.
 */
function naturalWorkload(checker: string): GenWorkload | undefined {
  const order = [ANY_OPS_WORKLOAD, ...genWorkloads.filter((w) => w !== ANY_OPS_WORKLOAD)];
  const judged = order.find((workload) => expectedOf({ workload, ops: 1000, concurrency: 5, keys: 1, seed: 0 }).checker === checker);
  if (judged !== undefined) return judged;
  const c = checkerNamed(checker);
  return c !== undefined && c.accepts === undefined ? ANY_OPS_WORKLOAD : undefined;
}

/** A checker and the generated workload it is measured on. */
export interface CheckerChoice {
  checker: string;
  workload: GenWorkload;
}

/** Parses `a,b:workload`; throws UsageError naming an unknown checker or workload. */
export function parseCheckerChoices(spec: string): CheckerChoice[] {
  const out: CheckerChoice[] = [];
  for (const part of spec.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const [checker, workload] = part.split(':');
    if (checkerNamed(checker) === undefined) throw new UsageError(`unknown checker ${checker}; known: ${[...checkers.keys()].sort().join(', ')}`);
    if (workload !== undefined) {
      if (!(genWorkloads as readonly string[]).includes(workload)) throw new UsageError(`unknown workload ${workload}; known: ${genWorkloads.join(', ')}`);
      out.push({ checker, workload: workload as GenWorkload });
      continue;
    }
    const natural = naturalWorkload(checker);
    if (natural === undefined) {
      throw new UsageError(`no generated workload suits checker ${checker}; name one as ${checker}:<workload> (${genWorkloads.join(', ')})`);
    }
    out.push({ checker, workload: natural });
  }
  if (out.length === 0) throw new UsageError('--checkers needs at least one name');
  return out;
}

/** Everything that decides which cases a run measures: the report's settings, with the checkers parsed. */
export interface CasePlan extends Omit<BenchSettings, 'checkers'> {
  choices: CheckerChoice[];
  /** The package root, where fixtures/ is. */
  root: string;
}

/** One generated case; the checker's options are the ones the generator says judge it, plus the budget. */
export function genCase(choice: CheckerChoice, ops: number, concurrency: number, plan: Pick<CasePlan, 'keys' | 'seed' | 'timeLimit'>): BenchCase {
  const gen = { workload: choice.workload, ops, concurrency, keys: plan.keys, seed: plan.seed };
  const expected = expectedOf(gen);
  const own = expected.checker === choice.checker;
  return {
    checker: choice.checker,
    workload: choice.workload,
    source: { kind: 'gen', gen },
    options: { ...(own ? expected.options : {}), timeLimit: String(plan.timeLimit) },
    ...(own ? { expected: expected.valid ? 'valid' : 'invalid' } : {}),
  };
}

/** Generated cases grouped by (checker, concurrency) in growing size, then fixture cases one per group. */
export function plannedCases(plan: CasePlan): BenchCase[][] {
  const groups: BenchCase[][] = [];
  const sizes = [...plan.sizes].sort((a, b) => a - b);
  for (const choice of plan.choices) {
    for (const c of plan.concurrency) groups.push(sizes.map((n) => genCase(choice, n, c, plan)));
  }
  if (plan.fixtures) {
    const names = new Set(plan.choices.map((c) => c.checker));
    for (const f of BENCH_FIXTURES) {
      if (!names.has(f.checker) || (plan.quick && !f.quick)) continue;
      groups.push([
        {
          checker: f.checker,
          workload: f.file.replace(/^fixtures\//, ''),
          source: { kind: 'fixture', file: join(plan.root, f.file) },
          options: { ...f.options, timeLimit: String(plan.timeLimit) },
          ...(f.expected === undefined ? {} : { expected: f.expected }),
        },
      ]);
    }
  }
  return groups;
}
