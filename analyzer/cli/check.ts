/** `hindsight check`: read each history, run the named checkers, print and write the verdicts. */
import { existsSync } from 'node:fs';
import { isDirectory } from '../util/paths.js';
import { join } from 'node:path';
import { UsageError } from '../check/checker.js';
import { resolveCheckers } from '../checkers/registry.js';
import type { HistoryFormat } from '../history/read.js';
import { phaseLine } from '../report/phases.js';
import { RUN_HISTORY_FILES, readTestEdn, resolveRunDir, runHistoryFile, runsUnder, storedCheckSpec } from '../store/store.js';
import { type CheckJob, checkOne, definedOnly } from './check-one.js';
import { worstExit } from './exit.js';
import { type Limits, guardedCheckOne } from './guard.js';
import { inputNames } from './input-names.js';
import { positiveNumber } from '../util/options.js';

/** The options of `hindsight check`, as commander gives them, checkers' options among them. */
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
  /** Write the checkers' evidence here (one history only; docs/certificates.md). */
  certificate?: string;
}

export { resolveCheckers };


/** One history to check, and what its run directory says about checking it. */
interface Input {
  file: string;
  /** The checkers its run's test.edn names, if any (else `--checker`, else chosen from the ops). */
  checker?: string;
  options: Record<string, unknown>;
}


/**
 * The histories of run directories (ours or Jepsen's: see store.ts), each with its test.edn's
 * checkers when it has one. A directory that holds no run is bad input, said through `bad`.
 */
function runInputs(runs: string[], named: string, bad: (message: string) => void): Input[] {
  if (runs.length === 0) {
    bad(`${named}: not a run directory, test directory or store (no run holds ${RUN_HISTORY_FILES.join(', ')})`);
    return [];
  }
  const out: Input[] = [];
  for (const run of runs) {
    const file = runHistoryFile(run);
    if (file === undefined) {
      bad(`${run}: no history in this run directory (expected ${RUN_HISTORY_FILES.join(', ')})`);
      continue;
    }
    if (!existsSync(join(run, 'test.edn'))) {
      out.push({ file, options: {} });
      continue;
    }
    try {
      const test = readTestEdn(run);
      if (test.kw('checkers') === undefined) out.push({ file, options: {} });
      else {
        const spec = storedCheckSpec(test);
        out.push({ file, checker: spec.checkers.join(','), options: spec.options });
      }
    } catch (e) {
      bad(`${join(run, 'test.edn')}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return out;
}

/**
 * `--time-limit` and `--memory-limit` as hard limits of each file's whole check (guard.ts).
 * Without `guard` (library callers, tests) the time limit is only the checkers' own.
 */
function budgetLimits(opts: CheckCommandOptions): Limits {
  const limits: Limits = {};
  if (opts.timeLimit !== undefined) {
    limits.timeMs = positiveNumber('--time-limit', opts.timeLimit, 'seconds') * 1000;
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
 * thread that is stopped when its budget runs out. Rejects with `UsageError` when no file is
 * given, a checker name is unknown or a limit is malformed.
 */
export async function runCheck(
  files: string[],
  opts: CheckCommandOptions,
  log: (s: string) => void,
  err: (s: string) => void,
  guard = false,
): Promise<number> {
  const codes: number[] = [];
  const inputs: Input[] = [];
  const bad = (message: string): void => {
    err(message);
    codes.push(3);
  };
  if (opts.store !== undefined) {
    try {
      inputs.push(...runInputs([resolveRunDir(opts.store)], opts.store, bad));
    } catch (e) {
      bad(e instanceof Error ? e.message : String(e));
    }
  }
  for (const f of files) inputs.push(...(isDirectory(f) ? runInputs(runsUnder(f), f, bad) : [{ file: f, options: {} }]));
  if (inputs.length === 0 && codes.length > 0) return worstExit(codes);
  if (inputs.length === 0) throw new UsageError('no history files given');
  if (opts.checker !== undefined) resolveCheckers(opts.checker); // a bad name stops the run before any reading
  const limits = guard ? budgetLimits(opts) : {};
  const guarded = limits.timeMs !== undefined || limits.memoryMb !== undefined;
  // Each input's name in labels and under --out, unique among the inputs (see input-names.ts).
  const several = inputs.length > 1;
  if (opts.certificate !== undefined && several) throw new UsageError('--certificate takes one history (it writes one certificate file)');
  if (opts.certificate !== undefined && inputs[0]?.file === '-') throw new UsageError('--certificate needs a history file, not standard input (the certificate names the file and its SHA-256)');
  const names = inputNames(inputs.map((x) => x.file));
  for (const [i, input] of inputs.entries()) {
    const job: CheckJob = {
      file: input.file,
      label: several ? `${names[i]}: ` : '',
      outDir: opts.out === undefined ? undefined : several ? join(opts.out, names[i]) : opts.out,
      several,
      ...(opts.certificate === undefined ? {} : { certificate: opts.certificate }),
    };
    // The command line's checker and options win over a run's own (its test.edn).
    const jobOpts: CheckCommandOptions = { ...input.options, ...definedOnly(opts), checker: opts.checker ?? input.checker };
    // A long check shows what it is doing on a terminal (per key, per component), erased when done.
    const phases = phaseLine({ quiet: opts.quiet });
    const io = { log, err };
    codes.push(guarded ? await guardedCheckOne(job, jobOpts, io, phases, limits) : await checkOne(job, jobOpts, io, phases));
  }
  return worstExit(codes);
}
