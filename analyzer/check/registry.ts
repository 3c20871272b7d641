/**
 * A set of checkers by name, and the questions the rest of the house asks about them: which
 * checker a `--checker` value names, which flags the `check` command takes, which checker wrote
 * a lone saved result, whose a written file is, and what to say about a result. The report, CLI,
 * recheck and bench ask here, never by file name or result shape of their own.
 *
 * Collisions are refused when a registry is built: two checkers of one name, or a flag two
 * checkers define without both declaring it shared.
 */
import type { EdnRecord } from '../edn/values.js';
import type { History } from '../history/history.js';
import { type CheckResult, type Checker, UsageError, type Words } from './checker.js';
import { describeResult } from './compose.js';
import { type MergedFlag, mergeCheckerFlags } from './flags.js';

/** A checker of any options type, as the registry holds it. */
export type AnyChecker = Checker<Record<string, unknown>>;

/** True when `file` (relative to the out dir, `/`-separated) matches a `writes` pattern. */
export function matchesWrite(pattern: string, file: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
  return re.test(file);
}

/** A set of checkers by name, answering the questions this file's header lists. */
export class CheckerRegistry {
  /** Every checker by `--checker` name, in registration order. */
  readonly byName: ReadonlyMap<string, AnyChecker>;

  /** Throws when two checkers share a name or an unshared flag (a defect, not a usage error). */
  constructor(all: ReadonlyArray<Checker<never>>) {
    const map = new Map<string, AnyChecker>();
    for (const c of all) {
      if (map.has(c.name)) throw new Error(`two checkers are named ${c.name}`);
      map.set(c.name, c as unknown as AnyChecker);
    }
    this.byName = map;
    mergeCheckerFlags(map.values(), new Set());
  }

  /** The checker of that `--checker` name, or undefined. */
  named(name: string): AnyChecker | undefined {
    return this.byName.get(name);
  }

  /** The checkers a `--checker` value names (comma-separated); an unknown or missing name is a UsageError. */
  resolve(spec: string): AnyChecker[] {
    const names = spec.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (names.length === 0) throw new UsageError('--checker needs at least one name');
    return names.map((n) => {
      const c = this.named(n);
      if (c === undefined) throw new UsageError(`unknown checker ${n}; known: ${[...this.byName.keys()].sort().join(', ')}`);
      return c;
    });
  }

  /** Every checker's flags not in `taken` (a command's own), merged for one command. */
  flags(taken: ReadonlySet<string>): MergedFlag[] {
    return mergeCheckerFlags(this.byName.values(), taken);
  }

  /** The checker that wrote a lone result (read back from EDN), by its `recognizes`; the first that does. */
  recognize(result: EdnRecord): string | undefined {
    for (const c of this.byName.values()) {
      try {
        if (c.recognizes?.(result) === true) return c.name;
      } catch {
        // A checker's recognizer is judging a stranger's result: a throw is a no.
      }
    }
    return undefined;
  }

  /** Which of `among` (checker names in a result) declares it writes `file`; undefined: none. */
  ownerOf(file: string, among: ReadonlyArray<string>): string | undefined {
    for (const name of among) if (this.named(name)?.writes?.some((p) => matchesWrite(p, file)) === true) return name;
    return undefined;
  }

  /** The picture checker `name` draws from the history and its result; undefined on none or a throw. */
  draw(name: string, history: History, result: EdnRecord): { caption: string; svg: string } | undefined {
    try {
      return this.named(name)?.draw?.(history, result);
    } catch {
      return undefined;
    }
  }

  /**
   * What to say about a checker's result read back from EDN: its `words`, else its `describe`
   * as the sentence, else undefined. Never throws: a result of another version may lack keys.
   */
  words(name: string, result: EdnRecord): Words | undefined {
    const c = this.named(name);
    if (c === undefined) return undefined;
    try {
      const w = c.words?.(result);
      if (w !== undefined) return w;
    } catch {
      // fall through to describe
    }
    if (c.describe === undefined) return undefined;
    const line = describeResult(c, result as CheckResult);
    return line === '' ? undefined : { sentence: line };
  }
}
