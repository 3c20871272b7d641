/**
 * One history through `hindsight check`: read it, run the checkers, write and print the
 * verdict. Run in the CLI's own thread, or on a worker thread when the check has a hard
 * budget (see guard.ts); either way what it prints goes through `io`.
 */
import { type CheckResult, type Checker, UNKNOWN, verdictWord } from '../check/checker.js';
import { chooseChecker, choiceLine } from '../check/choose.js';
import { compose, describeComposed } from '../check/compose.js';
import { resolveCheckers } from '../checkers/registry.js';
import { HistoryError, formatWarning } from '../history/diagnostics.js';
import type { History } from '../history/history.js';
import { progressBar } from '../history/progress.js';
import { type HistoryFormat, readHistory } from '../history/read.js';
import { displayName } from '../history/readers/byte-source.js';
import { type Phases, announced, phaseLine } from '../report/phases.js';
import { BudgetExceeded } from '../util/budget.js';
import { oneLine } from '../util/one-line.js';
import { exitFor } from './exit.js';
import { formatResult, writeResult } from './output.js';
import type { EdnRecord } from '../edn/values.js';
import { writeCertificate } from '../certificate/write.js';

/** Where a check prints. */
export interface CheckIo {
  /** Standard output: the verdict line or JSON. */
  log: (s: string) => void;
  /** Standard error: warnings, bad input, the checker chosen. */
  err: (s: string) => void;
}

/** One input of a `check` run. */
export interface CheckJob {
  file: string;
  /** `name: ` before its verdict line when several files are checked, else ''. */
  label: string;
  /** Where its results go (`--out`), if anywhere. */
  outDir?: string;
  /** Several files are checked: JSON output names the file. */
  several: boolean;
  /** When the whole check must be done (ms since the epoch, `Date.now()`), if it has a time limit. */
  deadline?: number;
  /** Where to write the certificate (`--certificate`), if anywhere. */
  certificate?: string;
}

/** The options of one history's check: `check`'s own, and each checker's under its camelCase name. */
export interface CheckOneOptions extends Record<string, unknown> {
  /** The checkers; undefined: chosen from the ops (see check/choose.ts) and said so. */
  checker?: string;
  format?: HistoryFormat;
  json?: boolean;
  quiet?: boolean;
  strict?: boolean;
  lossyUtf8?: boolean;
  timeLimit?: string | number;
}

/** The options that were given: an undefined value must not hide a default beneath it. */
export function definedOnly<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}


/**
 * Prints and writes a result, and returns its exit status. `why` replaces the checkers' own
 * description (a check its budget stopped has no checker result to describe).
 */
export async function finish(
  job: CheckJob,
  result: CheckResult,
  named: readonly Checker<Record<string, unknown>>[],
  opts: CheckOneOptions,
  io: CheckIo,
  why?: string,
): Promise<number> {
  await writeResult(result, job.outDir, opts.json ?? false);
  if (!opts.quiet) {
    if (opts.json) io.log(formatResult(job.several ? { file: job.file, result } : result, true));
    else {
      const described = why ?? describeComposed(named, result);
      const details = described === '' ? '' : ` — ${described}`;
      io.log(oneLine(`${job.label}${verdictWord(result['valid?'])}${details}`));
    }
  }
  return exitFor(result['valid?']);
}

/** The result of a check its budget stopped: `:unknown`, with the reason and the phase. */
export function budgetResult(e: BudgetExceeded): CheckResult {
  return { 'valid?': UNKNOWN, error: e.message, phase: e.phase };
}

/** What reading left worth saying in the result: how many warnings, how many lines it skipped. */
function readingNotes(history: History, result: CheckResult): void {
  if (history.warnings.length === 0) return;
  result['read-warnings'] = history.warnings.length;
  const skipped = history.warnings.reduce((n, w) => n + (w.skippedLines ?? 0), 0);
  if (skipped > 0) result['skipped-lines'] = skipped;
}

/**
 * Checks one history; returns its exit status (3 for bad input, which it prints). Rejects with
 * `UsageError` for a bad checker name or option, or a checker that does not fit the ops.
 */
export async function checkOne(job: CheckJob, opts: CheckOneOptions, io: CheckIo, phases: Phases = phaseLine({ quiet: opts.quiet })): Promise<number> {
  const { deadline } = job;
  // What messages call the input (`<stdin>` for `-`).
  const file = displayName(job.file);
  let named = opts.checker === undefined ? [] : resolveCheckers(opts.checker);
  let history: History;
  const progress = progressBar(file, { quiet: opts.quiet });
  phases.phase(`reading ${file}`);
  try {
    history = await readHistory(job.file, {
      format: opts.format ?? 'auto',
      strict: opts.strict ?? false,
      lossyUtf8: opts.lossyUtf8 ?? false,
      onWarning: (w) => {
        progress.clear();
        io.err(formatWarning(w));
      },
      onProgress: (done, total) => {
        progress.update(done, total);
        if (deadline !== undefined && Date.now() > deadline) throw new BudgetExceeded('time', 'reading', timeLimitText(opts, 'reading'));
      },
    });
  } catch (e) {
    if (e instanceof BudgetExceeded) return finish(job, budgetResult(e), named, opts, io, e.message);
    if (e instanceof Error && (e.name === 'HistoryError' || (e as NodeJS.ErrnoException).code !== undefined)) {
      io.err(e.name === 'HistoryError' ? e.message : oneLine(`${file}: ${e.message}`));
      return 3;
    }
    throw e;
  } finally {
    progress.clear();
  }
  if (opts.checker === undefined) {
    const choice = chooseChecker(history);
    if (!('checkers' in choice)) {
      io.err(oneLine(`${file}: cannot choose a checker from the ops (${choice.shapes}); pass --checker (see hindsight check --help)`));
      return 3;
    }
    if (!opts.quiet) io.err(oneLine(`${file}: ${choiceLine(choice)}`));
    named = resolveCheckers(choice.checkers.join(','));
    // Options given on the command line (a model, --independent) win over the choice's.
    opts = { ...choice.options, ...definedOnly(opts) };
  }
  // What is left of a whole-check time limit is the checkers' own (their searches stop at it).
  const checkOpts = deadline === undefined ? opts : { ...opts, timeLimit: Math.max(0.001, Math.round(deadline - Date.now()) / 1000) };
  let result: CheckResult;
  try {
    const evidence: EdnRecord = {};
    result = await compose(announced([...named], phases), history, checkOpts, { outDir: job.outDir, certify: job.certificate === undefined ? undefined : (c, e) => void (evidence[c] = e) });
    if (job.certificate !== undefined) await writeCertificate(job.certificate, job.file, result, evidence);
  } catch (e) {
    // A checker found bad input the reader could not (a :txn whose value is not micro-ops).
    if (!(e instanceof HistoryError)) throw e;
    io.err(e.message);
    return 3;
  } finally {
    phases.clear();
  }
  readingNotes(history, result);
  phases.phase('writing results');
  try {
    return await finish(job, result, named, opts, io);
  } finally {
    phases.clear();
  }
}

/** "the time limit of 2 s (--time-limit) ran out while reading". */
export function timeLimitText(opts: CheckOneOptions, phase: string): string {
  return `the time limit of ${String(opts.timeLimit)} s (--time-limit) ran out while ${phase}; the check was stopped there`;
}
