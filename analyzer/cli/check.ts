/** `hindsight check`: read each history, run the named checkers, print and write the verdicts. */
import { join } from 'node:path';
import { type Checker, UsageError } from '../checkers/checker.js';
import { checkerNamed, checkers } from '../checkers/registry.js';
import type { HistoryFormat } from '../history/read.js';
import { phaseLine } from '../report/phases.js';
import { readTestEdn, resolveRunDir, storedCheckSpec } from '../store/store.js';
import { type CheckJob, checkOne } from './check-one.js';
import { worstExit } from './exit.js';
import { type Limits, guardedCheckOne } from './guard.js';
import { inputNames } from './input-names.js';

export interface CheckCommandOptions extends Record<string, unknown> {
  /** Required unless `store` names a run whose test.edn lists them. */
  checker?: string;
  /** A recorder store run to re-check (see analyzer/store). */
  store?: string;
  format?: HistoryFormat;
  json?: boolean;
  out?: string;
  quiet?: boolean;
  strict?: boolean;
  lossyUtf8?: boolean;
  /** Seconds for each file's whole check (reading included); also each searching checker's budget. */
  timeLimit?: string | number;
  /** MB of heap for each file's check (guarded runs only). */
  memoryLimit?: string | number;
}

export function resolveCheckers(spec: string): Checker<Record<string, unknown>>[] {
  const names = spec.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new UsageError('--checker needs at least one name');
  return names.map((n) => {
    const c = checkerNamed(n);
    if (c === undefined) throw new UsageError(`unknown checker ${n}; known: ${[...checkers.keys()].sort().join(', ')}`);
    return c;
  });
}

function definedOnly(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}


/**
 * `--time-limit` and `--memory-limit` as hard limits of each file's whole check (guard.ts).
 * Without `guard` (library callers, tests) the time limit is only the checkers' own.
 */
function budgetLimits(opts: CheckCommandOptions): Limits {
  const limits: Limits = {};
  if (opts.timeLimit !== undefined) {
    const t = Number(opts.timeLimit);
    if (!(t > 0)) throw new UsageError(`--time-limit must be a positive number of seconds, got ${String(opts.timeLimit)}`);
    limits.timeMs = t * 1000;
  }
  if (opts.memoryLimit !== undefined) {
    const m = Number(opts.memoryLimit);
    if (!(Number.isInteger(m) && m >= 16)) throw new UsageError(`--memory-limit must be a whole number of MB, at least 16, got ${String(opts.memoryLimit)}`);
    limits.memoryMb = m;
  }
  return limits;
}

/**
 * Runs `check` over files; returns the exit status. Bad input of one file does not stop the
 * others. `guard` (the CLI) runs a check with `--time-limit` or `--memory-limit` on a worker
 * thread that is stopped when its budget runs out.
 */
export async function runCheck(
  files: string[],
  opts: CheckCommandOptions,
  log: (s: string) => void,
  err: (s: string) => void,
  guard = false,
): Promise<number> {
  if (opts.store !== undefined) {
    let run: string;
    let spec: { checkers: string[]; options: Record<string, unknown> };
    try {
      run = resolveRunDir(opts.store);
      spec = storedCheckSpec(readTestEdn(run));
    } catch (e) {
      err(e instanceof Error ? e.message : String(e));
      return 3;
    }
    // The run's own checker options apply unless given on the command line.
    opts = { ...spec.options, ...definedOnly(opts), checker: opts.checker ?? spec.checkers.join(',') };
    files = [...files, join(run, 'history.edn')];
  }
  if (opts.checker === undefined) throw new UsageError('--checker is required (or --store DIR)');
  if (files.length === 0) throw new UsageError('no history files given');
  const named = resolveCheckers(opts.checker);
  const limits = guard ? budgetLimits(opts) : {};
  const guarded = limits.timeMs !== undefined || limits.memoryMb !== undefined;
  const codes: number[] = [];
  // Each input's name in labels and under --out, unique among the inputs (see input-names.ts).
  const names = inputNames(files);
  for (const [i, file] of files.entries()) {
    const job: CheckJob = {
      file,
      label: files.length > 1 ? `${names[i]}: ` : '',
      outDir: opts.out === undefined ? undefined : files.length > 1 ? join(opts.out, names[i]) : opts.out,
      several: files.length > 1,
    };
    // A long check shows what it is doing on a terminal (per key, per component), erased when done.
    const phases = phaseLine({ quiet: opts.quiet });
    const io = { log, err };
    codes.push(guarded ? await guardedCheckOne(job, named, { ...opts, checker: opts.checker }, io, phases, limits) : await checkOne(job, named, opts, io, phases));
  }
  return worstExit(codes);
}
