/**
 * The one interface every checker implements: the contract between the checkers and everything
 * downstream of them (the CLI, reports, recheck, bench, the recorder).
 *
 * A checker is a function `(history, options, context) -> result`; the result is a Jepsen-style
 * map built as a plain record whose keys are keyword names (`'valid?'`, `'anomaly-types'`).
 * `'valid?'` is true, false, or the keyword `:unknown` (UNKNOWN). Besides the result a checker
 * may write files (pictures, pages) into `context.outDir`, and declares which, so a report
 * never guesses whose a file is.
 *
 * Beside the function, a checker declares what its consumers would otherwise guess: the ops it
 * judges (`accepts`: a history with none is the wrong checker, said in one place, `compose`),
 * the files it writes (`writes`), how to recognise a result it wrote (`recognizes`, for a saved
 * results.edn that names no checker), its words for a person (`describe` for a terminal line,
 * `words` for a report), and how it divides the work (`splits`).
 */
import { type EdnRecord, type EdnValue, Keyword } from '../edn/values.js';
import type { History } from '../history/history.js';
import type { TaskPool } from '../util/fallback-pool.js';

export { UsageError } from '../util/usage-error.js';

/** The `:unknown` verdict: the check could not decide (a spent budget, nothing to judge, a crash). */
export const UNKNOWN = Keyword.of('unknown');
/** A verdict: valid, invalid, or UNKNOWN. */
export type Validity = true | false | typeof UNKNOWN;

/** A checker's result: a Jepsen-style map whose keys are keyword names, with a verdict under `valid?`. */
export interface CheckResult extends EdnRecord {
  /** The verdict. */
  'valid?': Validity;
}

/** A command-line option a checker accepts, in commander's syntax. */
export interface CheckerOption {
  /** e.g. `--model <name>` or `--all-keys`. */
  flags: string;
  /** The help text. */
  description: string;
  /** Parses the raw string (commander passes strings); errors should throw `UsageError`. */
  parse?: (raw: string, previous: unknown) => unknown;
  /** The value when the flag is not given. */
  default?: unknown;
  /**
   * The same flag means the same thing in other checkers (`--time-limit`, `--workers`,
   * `--independent`): one value serves all of them. A flag two checkers define without both
   * declaring it shared is a collision, refused when the CLI is built, since one value would
   * silently go to both and the second's help would vanish.
   */
  shared?: boolean;
}

/** What a check is given besides the history and options: where to write, whom to tell, when to stop. */
export interface CheckContext {
  /** Directory for pictures and other files the checker writes (`--out`); undefined: write none. */
  outDir?: string;
  /** Progress reporting on a terminal; a no-op when quiet or not a TTY. */
  progress?: (message: string, done?: number, total?: number) => void;
  /** Aborted: stop soon. The linearizable search heeds it (its result is then `valid?` unknown); most checkers finish first. */
  signal?: AbortSignal;
  /**
   * For a checker that `splits` by key: where its per-key tasks run instead of threads of this
   * process — a job queue's workers on other machines (`recheck --queue`). The linearizable
   * checker sends its search tasks (linear/search-worker.ts's `SearchTask`, answered with a
   * `SearchOutcome`); the caller owns the pool.
   */
  keyPool?: TaskPool<unknown, unknown>;
  /**
   * `check --certificate`: a checker that can back its verdict with evidence anyone can check
   * without trusting its search (docs/certificates.md) gives that evidence here, once, as EDN.
   */
  certify?: (checker: string, evidence: EdnRecord) => void;
}

/**
 * A checker: a name, a `check` function and what it declares about itself (this file's header).
 * `O` is its options record, keyed by each option's camelCase name.
 *
 * @example
 * const noFails: Checker = {
 *   name: 'no-fails',
 *   summary: 'valid when no op failed',
 *   check: (h) => ({ 'valid?': ![...h.ops()].some((op) => op.type === 'fail') }),
 * };
 */
export interface Checker<O = Record<string, unknown>> {
  /** The `--checker` name, e.g. `linearizable`. */
  name: string;
  /** One line for `hindsight check --help`. */
  summary: string;
  /** Options, keyed by commander's camelCase attribute name when passed to `check`. */
  options?: CheckerOption[];
  /**
   * Judges a history. Throws `UsageError` for options it cannot use or ops of the wrong kind,
   * `HistoryError` for an op it cannot read; any other throw is a crash (`compose` makes it
   * `valid?` unknown when other checkers run beside it).
   */
  check(history: History, options: O, ctx: CheckContext): CheckResult | Promise<CheckResult>;
  /** A one-line human summary of a result (defaults to the verdict). */
  describe?(result: CheckResult): string;
  /**
   * The client `:f` values this checker judges (`['add', 'read']` for set-full). A history with
   * client ops but none of these is the wrong checker for it: `compose` refuses it with a
   * UsageError naming what the history holds and what would fit, instead of a verdict on
   * nothing. Undefined: any ops (perf, stats, timeline).
   */
  accepts?: readonly string[];
  /**
   * The files `check` may write under `outDir`, as paths relative to it; `*` stands for any
   * name within one folder (`elle/*.svg`). A report places each picture beside its checker's
   * result by these.
   */
  writes?: readonly string[];
  /**
   * True for a lone result this checker wrote, read back from EDN (keyword keys as record
   * keys): how a results.edn that names no checker is attributed. Judge keys only this checker
   * writes; never throw.
   */
  recognizes?(result: EdnRecord): boolean;
  /**
   * A report's words for a result read back from EDN: a sentence saying what went wrong, and
   * detail under it; undefined (or no `words`) falls back to `describe`. Must not throw on a
   * result of another version: check each value's shape.
   */
  words?(result: EdnRecord): Words | undefined;
  /**
   * How the work divides: per key (`'key'`, independent histories and the linearizable search)
   * or per strongly connected component of a dependency graph (`'component'`, Elle); undefined:
   * one piece. Progress lines and a job queue can count pieces by it.
   */
  splits?: 'key' | 'component';
  /**
   * A picture a report draws from the history and a saved result (the linearizable failure up
   * close), shown first among the checker's pictures; undefined when there is nothing to draw.
   * An SVG document whose `<title>`s name op indexes (`index 491`), with every label escaped.
   */
  draw?(history: History, result: EdnRecord): { caption: string; svg: string } | undefined;
}

/** What a report says about a result, beyond its verdict. */
export interface Words {
  /** One sentence, no trailing full stop. */
  sentence: string;
  /** Longer text shown under the sentence (e.g. a cycle's explanation); may contain newlines. */
  detail?: string;
}

/** Worst of several verdicts: false over unknown over true (Jepsen's merge-valid). */
export function mergeValid(vs: Iterable<Validity>): Validity {
  let out: Validity = true;
  for (const v of vs) {
    if (v === false) return false;
    if (v === UNKNOWN) out = UNKNOWN;
  }
  return out;
}

/** A `:valid?` value as a Validity: true and false as they are, anything else UNKNOWN. */
export function validityOf(v: EdnValue | undefined): Validity {
  return v === true ? true : v === false ? false : UNKNOWN;
}

/** A `:valid?` as the word every output uses: true valid, false invalid, anything else unknown. */
export function verdictWord(v: EdnValue | undefined): 'valid' | 'invalid' | 'unknown' {
  return v === true ? 'valid' : v === false ? 'invalid' : 'unknown';
}
