/**
 * The Wing & Gong linearizability search with Lowe's improvements (as in Knossos `wgl` and
 * Porcupine).
 *
 * Every op contributes a call entry (at its invocation) and a return entry (at its completion;
 * +∞ for an op that may or may not have happened). The entries form a doubly linked list in
 * time order; the calls before the first return entry (the window) are the ops that may be
 * linearized now. An op of the window the model accepts in the current state is "lifted" (its
 * call and return unlinked) and pushed on a stack; when no op of the window is left to try, the
 * last choice is undone (popped, relinked) and the next op of the configuration below is tried.
 * Lowe's cache remembers every (set of linearized ops, model state) reached: arriving there
 * again cannot lead anywhere new, so that branch is skipped. The history is linearizable once
 * every determinate op is lifted; indeterminate ops left over simply never took effect.
 *
 * The loop is `searchWith`, on one screen; each refinement lives in a module of its own, with
 * the argument for its soundness beside it:
 * - walk.ts: the configuration (stack, bitset, Zobrist hash), Lowe's cache, lift and undo;
 * - candidates.ts: which op next — a read that fits at once and alone (Model.readOnly), then
 *   determinate ops by completion or invocation, then indeterminate ops, a blind write only
 *   where an op needs it (blind-writes.ts); an indeterminate read is never linearized;
 * - restarts.ts: alternating the two candidate orders, keeping the finished part of the cache;
 * - paths.ts: how far the search got (the failing op) and the longest paths there;
 * - a compiled model may declare a configuration hopeless (CompiledModel.viable), and an
 *   invalid key so decided is searched again unpruned for its explanation (below).
 *
 * Ops are ids 0..n-1, determinate (ok) ops first in completion order, so "how far the search
 * got" is the first op id never linearized in any reached configuration (Knossos's highest
 * contiguous entry id). Registers with unique values need no search at all: unique-values.ts.
 */
import type { Model, ModelOp } from './models/model.js';
import { DEAD, type WindowScan, forcedRead, nextDeterminate, nextIndeterminate, scanWindow, windowScan } from './candidates.js';
import { Walk } from './walk.js';
import { Restarts } from './restarts.js';
import { statesOf } from './state-table.js';

/** What the search takes: one key's ops as ids 0..n-1, with the order of their invocations and completions. */
export interface LinearProblem {
  /** Number of ops. Ids 0..determinate-1 are ok ops sorted by completion; the rest may not have happened. */
  n: number;
  /** How many ops completed ok. */
  determinate: number;
  /** Sort key of each op's invocation and completion (history positions; +Infinity: never returned). */
  call: Float64Array;
  ret: Float64Array;
  /** Per op id, what the model sees of it. */
  ops: ModelOp[];
}

/** When the search gives up (`valid: 'unknown'`); all optional. */
export interface SearchBudget {
  /** Stop after this many distinct configurations (cache entries). */
  maxStates?: number;
  /** Stop after this many milliseconds. */
  timeLimitMs?: number;
  /** Aborting it stops the search (reason "cancelled"). */
  signal?: AbortSignal;
  /** New configurations before the first restart in the other candidate order (default 2048; tests use 1). */
  restartAfter?: number;
}

/**
 * How a search ended: a linearization (`order`, op ids in order, every determinate op among
 * them), the op no linearization got past, or a spent budget. `states`: configurations explored.
 */
export type SearchOutcome =
  | { valid: true; order: number[]; states: number }
  | {
      valid: false;
      /** The determinate op that no configuration could linearize. */
      failing: number;
      /** Up to a few of the longest linearizations that reached it (op ids in order). */
      paths: number[][];
      states: number;
    }
  | {
      valid: 'unknown';
      /** "time limit reached", "cancelled", or the state limit reached. */
      reason: string;
      /** Which budget ran out. */
      exhausted: 'states' | 'time';
      states: number;
      /** ok ops linearized contiguously, at best */
      reached: number;
    };

const DEFAULT_MAX_STATES = 10_000_000;

/**
 * Searches for a linearization of `problem`'s ops from model state `initial` (see this file's
 * header) within `budget`. A problem that does not linearize is `valid: false`, with the
 * determinate op no configuration got past and a few of the longest paths that reached it; a
 * spent budget or an aborted signal is `valid: 'unknown'`. The verdict does not depend on the
 * model's pruning: an invalid key found with it is searched again without it, for paths that
 * end at a step the model rejects.
 *
 * @example
 * const [problem] = problemsOf(history, false);
 * const outcome = searchLinearizable(problem, casRegister, casRegister.init(0), { timeLimitMs: 5_000 });
 * if (outcome.valid === false) console.log(`op ${outcome.failing} cannot be linearized`);
 */
export function searchLinearizable<S>(problem: LinearProblem, model: Model<S>, initial: S, budget: SearchBudget = {}): SearchOutcome {
  const started = performance.now();
  const stats = { pruned: false };
  const pruned = searchWith(problem, model, initial, budget, true, stats);
  if (pruned.valid !== false || !stats.pruned) return pruned;
  // The model's pruning gave up on configurations before their op failed, so the op reported
  // may be one the model accepts. For the explanation, search again without it (its verdict
  // cannot differ), as far as the budget allows: every configuration then fails at a step the
  // model rejects, as Knossos reports it.
  const left = budget.timeLimitMs === undefined ? undefined : Math.max(0, budget.timeLimitMs - (performance.now() - started));
  const states = Math.min(EXPLAIN_STATES, Math.max(EXPLAIN_MIN_STATES, EXPLAIN_FACTOR * pruned.states));
  const full = searchWith(problem, model, initial, { ...budget, maxStates: states, timeLimitMs: left }, false, stats);
  return full.valid === false ? { ...full, states: full.states + pruned.states } : pruned;
}

/** Configurations spent re-searching an invalid key for its explanation: 20× the pruned search's, within [100 k, 1 M]. */
const EXPLAIN_FACTOR = 20;
const EXPLAIN_MIN_STATES = 100_000;
const EXPLAIN_STATES = 1_000_000;

/**
 * One search; sets `stats.pruned` if the model's pruning (when `prune`) cut a configuration
 * short. The Wing–Gong–Lowe loop: in each configuration take the next candidate (candidates.ts)
 * and lift it, unless its configuration was seen; with none left, undo the last choice; done
 * when every determinate op is linearized, failed when there is nothing left to undo.
 */
function searchWith<S>(problem: LinearProblem, model: Model<S>, initial: S, budget: SearchBudget, prune: boolean, stats: { pruned: boolean }): SearchOutcome {
  if (problem.determinate === 0) return { valid: true, order: [], states: 1 };
  const w = new Walk(problem, model as Model, statesOf(model, problem.ops, initial, problem));
  const prunes = prune && w.table.viable !== undefined;
  const scan = windowScan(problem.n);
  const restarts = new Restarts(budget.restartAfter);
  const maxStates = Math.min(budget.maxStates ?? DEFAULT_MAX_STATES, 100_000_000);
  const deadline = budget.timeLimitMs === undefined ? Infinity : performance.now() + budget.timeLimitMs;
  let steps = 0;
  for (;;) {
    if (w.remaining === 0) return { valid: true, order: w.order(), states: w.seen.size };
    if ((++steps & 1023) === 0 && (performance.now() > deadline || budget.signal?.aborted)) return gaveUp(w, budget.signal?.aborted ? 'cancelled' : 'time limit reached', 'time');
    scanWindow(w, scan, prunes);
    if (scan.doomed) stats.pruned = true;
    const op = next(w, scan);
    if (op >= 0 && restarts.due(w.seen.size, maxStates)) {
      // Unwind to the root, forgetting the unfinished configurations, and go on in the other order.
      while (w.undo(true) >= 0);
      w.flipOrder();
      restarts.begin(w.seen.size, w.retOrder);
      continue;
    }
    if (op >= 0) {
      if (w.seen.size >= maxStates) return gaveUp(w, `state limit of ${maxStates} configurations reached`, 'states');
      w.lift(op, scan.liftTo, op === scan.read && scan.liftTo === w.state);
      continue;
    }
    // Nothing left to try here: undo the last choice and resume after it.
    const undone = w.undo(false);
    if (undone < 0) return { valid: false, failing: Math.max(w.kept.best, 0), paths: w.kept.paths(w.determinate), states: w.seen.size };
    w.resumeAfter(undone);
  }
}

/**
 * The op to lift from the current configuration, in candidates.ts's order, or -1 when none is
 * left (or DEAD). A fresh configuration starts the walk over its candidates; a configuration
 * returned to resumes it where `Walk.resumeAfter` left it.
 */
function next(w: Walk, scan: WindowScan): number {
  if (w.fresh) {
    w.fresh = false;
    w.phase = 1;
    w.cursor = w.retOrder ? -1 : w.rnext[w.RHEAD];
    if (scan.doomed) return DEAD; // (only a fresh configuration is judged by the model's pruning)
    const read = forcedRead(w, scan);
    if (read !== -1) return read;
  }
  if (w.phase === 1) {
    const k = nextDeterminate(w, scan);
    if (k >= 0) return k;
    w.phase = 2;
    w.cursor = w.next[w.HEAD];
  }
  return nextIndeterminate(w, scan);
}

/** The budget ran out: unknown, with how far the walk got. */
function gaveUp(w: Walk, reason: string, exhausted: 'states' | 'time'): SearchOutcome {
  return { valid: 'unknown', reason, exhausted, states: w.seen.size, reached: Math.max(w.kept.best, 0) };
}
