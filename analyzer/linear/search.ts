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
 * On top of that (docs/linearizability.md explains why each is sound):
 * - a read-only op that fits is linearized at once, with no alternatives (Model.readOnly);
 * - an indeterminate blind write (Model.blindWrite) is linearized only where the window holds
 *   an op it makes possible, or whose result it changes (see `enablesSome`), and an
 *   indeterminate read-only op is never linearized (it changes nothing and need not happen);
 * - the window's determinate ops are tried by completion or by invocation, the search
 *   restarting in the other order with a doubled budget, keeping the finished part of the cache;
 * - a compiled model may declare a configuration hopeless (CompiledModel.viable), and an
 *   invalid key so decided is searched again unpruned for its explanation.
 *
 * Data layout: ops are ids 0..n-1, determinate (ok) ops first in completion order, so "how far
 * the search got" is the first op id never linearized in any reached configuration (Knossos's
 * highest contiguous entry id). The linearized set is a bitset with an incremental 63-bit
 * Zobrist hash; a cache entry is (that hash, the state id) in a typed-array hash set.
 */
import { TripleSet } from '../util/int-tables.js';
import { blindWriteStates, enablesSome, gatherNeeders } from './blind-writes.js';
import { entryLists, linkInOrder, relink, unlink } from './entry-lists.js';
import type { Model, ModelOp } from './models/model.js';
import { statesOf } from './state-table.js';
import { SeededRandom } from '../util/random.js';

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
const MAX_PATHS = 4;
/** New configurations in the first run, before the first restart. */
const FIRST_RUN = 2048;

/** Deterministic pseudo-random words for the Zobrist hash, masked to `mask`. */
function zobrist(n: number, seed: number, mask: number): Int32Array {
  const out = new Int32Array(n);
  const random = new SeededRandom(seed);
  for (let i = 0; i < n; i++) out[i] = random.uint32() & mask;
  return out;
}

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

/** One search; sets `stats.pruned` if the model's pruning (when `prune`) cut a configuration short. */
function searchWith<S>(problem: LinearProblem, model: Model<S>, initial: S, budget: SearchBudget, prune: boolean, stats: { pruned: boolean }): SearchOutcome {
  const { n, determinate, call, ret, ops } = problem;
  const table = statesOf(model, ops, initial, problem);
  let state = table.initial;
  // Called as methods (no bound copies): optimised code specialises on their targets.
  const tracks = table.track !== undefined;
  const prunes = prune && table.viable !== undefined;
  if (determinate === 0) return { valid: true, order: [], states: 1 };

  // The history list (calls before its first return entry are the ops that may be linearized
  // now) and the candidate list: determinate ops not yet linearized, in the order they are
  // tried, by completion (most urgent first) or by invocation. Which order finds a valid
  // history's linearization sooner depends on the history, so the search alternates them (see
  // restarts below). See entry-lists.ts.
  const { head: HEAD, next, prev, candidateHead: RHEAD, rnext, rprev, byRet, byCall, rank } = entryLists(problem);
  let retOrder = true;

  const readOnly = new Uint8Array(n);
  if (model.readOnly !== undefined) for (let k = 0; k < n; k++) readOnly[k] = model.readOnly(ops[k]) ? 1 : 0;
  // An indeterminate read-only op (a read that timed out) changes nothing and need not happen:
  // leaving it out of every linearization loses none, so it leaves the history list for good.
  // (The window holds every pending indeterminate op, so each one left costs every step.)
  for (let k = determinate; k < n; k++) {
    if (readOnly[k] === 1) {
      unlink(next, prev, 2 * k);
      unlink(next, prev, 2 * k + 1);
    }
  }
  const blindState = blindWriteStates(model, ops, table);
  // The window's ops that an indeterminate blind write could be needed by, gathered once per
  // phase 2 in a configuration, at its first blind write (see `enablesSome`): the window holds
  // every pending :info op, so scanning all of it for each such write would cost its square.
  const needers = new Int32Array(n);
  let neederCount = 0;

  const bits = new Uint32Array((n + 31) >>> 5);
  // A 63-bit hash of the linearized set: 31 bits in lo (never the table's EMPTY), 32 in hi.
  const zLo = zobrist(n, 0x9e3779b9, 0x7fffffff);
  const zHi = zobrist(n, 0x7f4a7c15, -1);
  let hLo = 0;
  let hHi = 0;
  const seen = new TripleSet();
  const maxStates = Math.min(budget.maxStates ?? DEFAULT_MAX_STATES, 100_000_000);
  const deadline = budget.timeLimitMs === undefined ? Infinity : performance.now() + budget.timeLimitMs;

  const stackOp = new Int32Array(n);
  const stackState = new Int32Array(n);
  /** 1 where the frame is a read linearized as soon as it fit: popping it pops its parent too. */
  const stackForced = new Uint8Array(n);
  let depth = 0;
  let remaining = determinate;
  let best = -1;
  // Up to MAX_PATHS linearizations that reached `best`, copied off the stack (no allocation).
  const pathOps = new Int32Array(MAX_PATHS * n);
  const pathLength = new Int32Array(MAX_PATHS);
  let pathCount = 0;

  // Where the current configuration's walk over candidates resumes: phase 1 (determinate ops)
  // after completion rank `cursor` in completion order, or from op `cursor` of the candidate
  // list in call order; phase 2 (indeterminate ops) from entry `cursor` of the history list.
  let fresh = true;
  let phase = 1;
  let cursor = 0;
  let steps = 0;
  // Restarts: after a run of `runBudget` new configurations, unwind to the root (forgetting
  // the configurations on the stack, which are not explored yet, and keeping every other: each
  // of those was explored to the end and failed) and go on in the other order with twice the
  // budget. A valid history costs about what the better order costs; an invalid one, what
  // either costs, since both must then exhaust the same configurations.
  let runBudget = Math.max(1, budget.restartAfter ?? FIRST_RUN);
  let runEnd = runBudget;
  for (;;) {
    if (remaining === 0) return { valid: true, order: Array.from(stackOp.subarray(0, depth)), states: seen.size };
    if ((++steps & 1023) === 0 && (performance.now() > deadline || budget.signal?.aborted)) {
      return { valid: 'unknown', reason: budget.signal?.aborted ? 'cancelled' : 'time limit reached', exhausted: 'time', states: seen.size, reached: Math.max(best, 0) };
    }
    // The window: ops called before the first pending completion (which some determinate op
    // has, since remaining > 0); in a fresh configuration also the first read that fits now,
    // and whether the model sees an op there that can no longer be linearized.
    let read = -1;
    let doomed = false;
    let e = next[HEAD];
    for (; (e & 1) === 0; e = next[e]) {
      const k = e >> 1;
      if (fresh && read < 0 && readOnly[k] === 1 && table.step(state, k) === state) read = k;
      if (fresh && prunes && k < determinate && !doomed && !table.viable!(state, k)) doomed = stats.pruned = true;
    }
    const windowEnd = ret[e >> 1];
    let lift = -1;
    let liftState = -1;
    let dead = doomed;
    if (fresh) {
      fresh = false;
      phase = 1;
      cursor = retOrder ? -1 : rnext[RHEAD];
      // A read that may be linearized now and fits is linearized now, with no alternatives
      // (see Model.readOnly); if that configuration was seen already, it failed, so does this.
      if (read >= 0 && !dead) {
        if (seen.has(hLo ^ zLo[read], hHi ^ zHi[read], state)) dead = true;
        else {
          lift = read;
          liftState = state;
        }
      }
    }
    if (!dead && lift < 0 && phase === 1) {
      if (retOrder) {
        // The window's determinate ops by completion rank, after `cursor` (the rank last tried):
        // picked from the window each time, as a walk of the candidate list would pass every
        // op nested inside a long-running one.
        for (;;) {
          let k = -1;
          let kr = 0x7fffffff;
          for (let w = next[HEAD]; (w & 1) === 0; w = next[w]) {
            const j = w >> 1;
            if (j < determinate && rank[j] > cursor && rank[j] < kr) {
              kr = rank[j];
              k = j;
            }
          }
          if (k < 0) break;
          cursor = kr;
          const s2 = table.step(state, k);
          if (s2 >= 0 && !seen.has(hLo ^ zLo[k], hHi ^ zHi[k], s2)) {
            lift = k;
            liftState = s2;
            break;
          }
        }
      } else {
        // By invocation: the window's determinate ops are a prefix of the candidate list.
        for (let k = cursor; k >= 0 && call[k] < windowEnd; k = rnext[k]) {
          const s2 = table.step(state, k);
          if (s2 >= 0 && !seen.has(hLo ^ zLo[k], hHi ^ zHi[k], s2)) {
            lift = k;
            liftState = s2;
            break;
          }
        }
      }
      if (lift < 0) {
        phase = 2;
        cursor = next[HEAD];
      }
    }
    if (!dead && lift < 0 && phase === 2) {
      neederCount = -1; // gathered at the first blind write met here, if any
      for (let e = cursor; (e & 1) === 0; e = next[e]) {
        const k = e >> 1;
        if (k < determinate) continue;
        // Most pending ops are blind writes, whose state needs no step.
        const blindTo = blindState[k];
        const s2 = blindTo >= 0 ? blindTo : table.step(state, k);
        if (s2 < 0 || seen.has(hLo ^ zLo[k], hHi ^ zHi[k], s2)) continue;
        if (blindTo >= 0) {
          if (neederCount < 0) neederCount = gatherNeeders(table, next, HEAD, state, blindState, readOnly, needers);
          if (!enablesSome(table, needers, neederCount, k, state, s2)) continue;
        }
        lift = k;
        liftState = s2;
        break;
      }
    }
    // Time to restart in the other order (see above): unwind below instead of lifting.
    const restart = lift >= 0 && seen.size >= runEnd && seen.size < maxStates;
    if (lift >= 0 && !restart) {
      const k = lift;
      if (seen.size >= maxStates) return { valid: 'unknown', reason: `state limit of ${maxStates} configurations reached`, exhausted: 'states', states: seen.size, reached: Math.max(best, 0) };
      hLo ^= zLo[k];
      hHi ^= zHi[k];
      seen.add(hLo, hHi, liftState);
      stackOp[depth] = k;
      stackState[depth] = state;
      stackForced[depth] = liftState === state && readOnly[k] === 1 && read === k ? 1 : 0;
      depth++;
      bits[k >>> 5] |= 1 << (k & 31);
      state = liftState;
      if (tracks) table.track!(k, true);
      unlink(next, prev, 2 * k);
      unlink(next, prev, 2 * k + 1);
      if (k < determinate) {
        remaining--;
        unlink(rnext, rprev, k);
      }
      const r = reached(bits, determinate);
      if (r > best) {
        best = r;
        keepPath(pathOps, pathLength, 0, stackOp, depth);
        pathCount = 1;
      } else if (r === best && pathCount < MAX_PATHS) keepPath(pathOps, pathLength, pathCount++, stackOp, depth);
      fresh = true;
      continue;
    }
    // No candidate left here (or a dead configuration): undo the last choice, and every forced
    // read under it. A restart undoes every choice, forgetting the configurations it leaves:
    // they were not finished.
    let k = -1;
    do {
      if (depth === 0) {
        if (restart) break;
        return { valid: false, failing: Math.max(best, 0), paths: pathsKept(pathOps, pathLength, pathCount).filter((p) => prefixReaches(p, best, determinate)), states: seen.size };
      }
      if (restart) seen.delete(hLo, hHi, state);
      depth--;
      k = stackOp[depth];
      state = stackState[depth];
      bits[k >>> 5] &= ~(1 << (k & 31));
      hLo ^= zLo[k];
      hHi ^= zHi[k];
      relink(next, prev, 2 * k + 1);
      relink(next, prev, 2 * k);
      if (tracks) table.track!(k, false);
      if (k < determinate) {
        remaining++;
        relink(rnext, rprev, k);
      }
    } while (restart || stackForced[depth] === 1);
    if (restart) {
      retOrder = !retOrder;
      linkInOrder(rnext, rprev, RHEAD, retOrder ? byRet : byCall);
      if (retOrder) runBudget *= 2;
      runEnd = seen.size + runBudget;
      fresh = true;
    } else if (k < determinate) {
      phase = 1;
      cursor = retOrder ? rank[k] : rnext[k];
    } else {
      phase = 2;
      cursor = next[2 * k];
    }
  }
}

// Helpers are top-level functions, not closures made per search: the search's optimised code
// specialises on the functions it calls, and a new closure each search would undo that.

/** How many determinate ops from id 0 on are all linearized (the lowest clear bit). */
function reached(bits: Uint32Array, determinate: number): number {
  let w = 0;
  const words = (determinate + 31) >>> 5;
  while (w < words && bits[w] === 0xffffffff) w++;
  if (w === words) return determinate;
  const free = ~bits[w] & -~bits[w];
  return Math.min(determinate, w * 32 + 31 - Math.clz32(free));
}

/** Copies the stack's ops into path slot `slot` (each slot `stackOp.length` long). */
function keepPath(pathOps: Int32Array, pathLength: Int32Array, slot: number, stackOp: Int32Array, depth: number): void {
  pathOps.set(stackOp.subarray(0, depth), slot * stackOp.length);
  pathLength[slot] = depth;
}

function pathsKept(pathOps: Int32Array, pathLength: Int32Array, count: number): number[][] {
  const n = pathOps.length / MAX_PATHS;
  const out: number[][] = [];
  for (let i = 0; i < count; i++) out.push(Array.from(pathOps.subarray(i * n, i * n + pathLength[i])));
  return out;
}

/** A path is worth showing if it linearized every ok op before the failing one. */
function prefixReaches(path: number[], best: number, determinate: number): boolean {
  const have = new Set(path);
  for (let k = 0; k < Math.min(best, determinate); k++) if (!have.has(k)) return false;
  return true;
}
