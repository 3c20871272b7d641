/**
 * `shrinkHistory`: a failing history reduced to a small one that fails the same way (kind.ts),
 * by delta debugging (ddmin.ts) over its units (units.ts) in passes — keys, set elements, client
 * processes, then whole ops — each much cheaper than the next, so most of the history goes in a
 * few tests of large pieces. Every test is a whole check of a well-formed sub-history; one that
 * throws (a sub-history the checker refuses: no :ok op, say) does not fail the same way.
 */
import type { CheckResult, Checker } from '../check/checker.js';
import { compose } from '../check/compose.js';
import type { History } from '../history/history.js';
import { INVOKE } from '../history/op.js';
import { ddmin } from './ddmin.js';
import { type FailureKind, failureKind } from './kind.js';
import { type Selection, closed, subHistory, unitsOf } from './units.js';

/** How to shrink. */
export interface ShrinkOptions {
  /** The checkers whose failure to keep, and their options (as `check` takes them). */
  checkers: ReadonlyArray<Checker<Record<string, unknown>>>;
  options: Record<string, unknown>;
  /** The one anomaly type to keep (Elle's checkers); default every type the history shows. */
  anomaly?: string;
  /** Stop at this time (ms since the epoch) with the smallest failing history so far. */
  until?: number;
  /** After each pass: its name, the ops left, the tests run so far. */
  onPass?: (pass: string, ops: number, tests: number) => void;
}

/** A shrink's outcome. */
export interface Shrunk {
  /** The smallest history found that fails the same way. */
  history: History;
  kind: FailureKind;
  /** The original's result, and the shrunk history's. */
  before: CheckResult;
  after: CheckResult;
  /** Whole ops (an invocation with its completion counts once) before and after. */
  opsBefore: number;
  opsAfter: number;
  tests: number;
  /** Every pass ran to the end (else the time ran out). */
  finished: boolean;
}

/** Whole ops in `h`: an invocation with its completion counts once (as a unit does, units.ts). */
export function wholeOps(h: History): number {
  let n = 0;
  for (let i = 0; i < h.length; i++) if (h.type[i] === INVOKE || h.pair[i] < 0) n++;
  return n;
}

/**
 * Shrinks `history` (see this file's header). Resolves with a string saying why not when the
 * original does not fail (valid, unknown) or shows no `anomaly`.
 */
export async function shrinkHistory(history: History, o: ShrinkOptions): Promise<Shrunk | string> {
  const options: Record<string, unknown> = { ...o.options, workers: 1 }; // thousands of small checks: no thread pools
  const run = (h: History): Promise<CheckResult> => compose(o.checkers, h, options, {});
  const before = await run(history);
  const kind = failureKind(before, o.anomaly);
  if (typeof kind === 'string') return kind;
  const until = o.until ?? Infinity;
  const u = unitsOf(history, options.independent === true);
  let tests = 0;
  let finished = true;
  let sel: Selection = { ops: u.positions.map((_, k) => k), keys: u.keyShape === undefined ? undefined : new Set(u.keys) };
  const fails = async (s: Selection): Promise<boolean> => {
    if (!closed(u, s)) return false; // a read whose write was removed fails some other way
    try {
      return kind.holds(await run(subHistory(history, u, s)));
    } catch {
      return false;
    }
  };
  const pass = async <T>(name: string, items: readonly T[], selectionOf: (kept: T[]) => Selection): Promise<void> => {
    if (items.length < 2 || Date.now() > until) return;
    const m = await ddmin(items, (kept) => fails(selectionOf(kept)), until);
    tests += m.tests;
    finished &&= m.finished;
    sel = selectionOf(m.items);
    o.onPass?.(name, subHistoryOps(), tests);
  };
  const subHistoryOps = (): number => wholeOps(subHistory(history, u, sel));
  if (sel.keys !== undefined) await pass('keys', [...sel.keys], (keys) => ({ ops: sel.ops, keys: new Set(keys) }));
  if (u.elements.length > 0) {
    const all = u.elements.filter((t) => sel.keys === undefined || sel.keys.has(t.slice(0, t.indexOf('\0'))));
    await pass('elements', all, (kept) => {
      const keep = new Set(kept);
      return { ops: sel.ops, keys: sel.keys, dropped: new Set(u.elements.filter((t) => !keep.has(t))) };
    });
  }
  const live = (s: Selection): number[] =>
    s.ops.filter((k) => {
      const onKey = u.opKeys[k].length === 0 || s.keys === undefined || u.opKeys[k].some((key) => s.keys!.has(key));
      const gone = s.dropped !== undefined && u.produces[k].length > 0 && u.produces[k].every((t) => s.dropped!.has(`${t.key}\0${t.text}`)) && u.observes[k].length === 0;
      return onKey && !gone;
    });
  sel = { ...sel, ops: live(sel) };
  const dropped = sel.dropped;
  const procs = u.processes.filter((p) => sel.ops.some((k) => u.process[k] === p));
  await pass('processes', procs, (ps) => {
    const keep = new Set(ps);
    return { ops: sel.ops.filter((k) => !u.positions[k].some((i) => history.isClient(i)) || keep.has(u.process[k])), keys: sel.keys, dropped };
  });
  await pass('ops', sel.ops, (ops) => ({ ops, keys: sel.keys, dropped }));
  const shrunk = subHistory(history, u, sel);
  return { history: shrunk, kind, before, after: await run(shrunk), opsBefore: u.positions.length, opsAfter: wholeOps(shrunk), tests, finished };
}
