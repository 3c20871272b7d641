/**
 * The one interface every checker implements, and the registry the CLI reads.
 *
 * A checker is a pure function `(history, options) -> result`; the result is a Jepsen-style
 * map built as a plain record whose keys are keyword names (`'valid?'`, `'anomaly-types'`).
 * `'valid?'` is true, false, or the keyword `:unknown` (UNKNOWN).
 */
import { type EdnRecord, type EdnValue, Keyword } from '../edn/values.js';
import type { History } from '../history/history.js';

export const UNKNOWN = Keyword.of('unknown');
export type Validity = true | false | typeof UNKNOWN;

export interface CheckResult extends EdnRecord {
  'valid?': Validity;
}

/** A command-line option a checker accepts, in commander's syntax. */
export interface CheckerOption {
  /** e.g. `--model <name>` or `--all-keys`. */
  flags: string;
  description: string;
  /** Parses the raw string (commander passes strings); errors should throw `UsageError`. */
  parse?: (raw: string, previous: unknown) => unknown;
  default?: unknown;
  /**
   * The same flag means the same thing in other checkers (`--time-limit`, `--workers`,
   * `--independent`): one value serves all of them. A flag two checkers define without both
   * declaring it shared is a collision, refused when the CLI is built, since one value would
   * silently go to both and the second's help would vanish.
   */
  shared?: boolean;
}

export interface CheckContext {
  /** Directory for pictures and other files the checker writes (`--out`); undefined: write none. */
  outDir?: string;
  /** Progress reporting on a terminal; a no-op when quiet or not a TTY. */
  progress?: (message: string, done?: number, total?: number) => void;
  signal?: AbortSignal;
}

export interface Checker<O = Record<string, unknown>> {
  /** The `--checker` name, e.g. `linearizable`. */
  name: string;
  /** One line for `hindsight check --help`. */
  summary: string;
  /** Options, keyed by commander's camelCase attribute name when passed to `check`. */
  options?: CheckerOption[];
  check(history: History, options: O, ctx: CheckContext): CheckResult | Promise<CheckResult>;
  /** A one-line human summary of a result (defaults to the verdict). */
  describe?(result: CheckResult): string;
}

/** A usage or option error: the CLI prints the message and exits 3. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
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

export function validityOf(v: EdnValue | undefined): Validity {
  return v === true ? true : v === false ? false : UNKNOWN;
}
