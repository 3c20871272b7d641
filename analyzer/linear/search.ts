/**
 * The Wing & Gong linearizability search with Lowe's improvements (as in Knossos `wgl` and
 * Porcupine).
 *
 * Every op contributes a call entry (at its invocation) and a return entry (at its completion;
 * +∞ for an op that may or may not have happened). The entries form a doubly linked list in
 * time order. Walking the list from the front, a call may be linearized now if the model
 * accepts it in the current state: it is "lifted" (its call and return unlinked), pushed on a
 * stack, and the walk restarts at the front. Reaching a return entry means that op's call was
 * never linearized although its response was seen, so the last choice is undone (popped,
 * relinked) and the walk resumes after it. Lowe's cache remembers every (set of linearized
 * ops, model state) reached: arriving there again cannot lead anywhere new, so that branch is
 * skipped. The history is linearizable once every determinate op is lifted; indeterminate ops
 * left over simply never took effect.
 *
 * Data layout: ops are ids 0..n-1, determinate (ok) ops first in completion order, so "how far
 * the search got" is the first op id never linearized in any reached configuration (Knossos's
 * highest contiguous entry id). The linearized set is a bitset with an incremental 52-bit
 * Zobrist hash; a cache key is that hash mixed with the interned state id.
 */
import { type Model, type ModelOp, isInconsistent } from './models/model.js';

export interface LinearProblem {
  /** Number of ops. Ids 0..determinate-1 are ok ops sorted by completion; the rest may not have happened. */
  n: number;
  determinate: number;
  /** Sort key of each op's invocation and completion (history positions; +Infinity: never returned). */
  call: Float64Array;
  ret: Float64Array;
  ops: ModelOp[];
}

export interface SearchBudget {
  /** Stop after this many distinct configurations (cache entries). */
  maxStates?: number;
  /** Stop after this many milliseconds. */
  timeLimitMs?: number;
  signal?: AbortSignal;
}

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
      reason: string;
      /** Which budget ran out. */
      exhausted: 'states' | 'time';
      states: number;
      /** ok ops linearized contiguously, at best */
      reached: number;
    };

/** Model states interned to dense ints, with a memo of transitions (state, op) → state | -1. */
export class StateTable<S> {
  readonly states: S[] = [];
  private readonly ids = new Map<string, number>();
  private readonly transitions = new Map<number, number>();
  private readonly rows: (Int32Array | undefined)[] = [];
  private cells = 0;
  constructor(
    readonly model: Model<S>,
    private readonly nOps: number,
  ) {}
  intern(s: S): number {
    const k = this.model.key(s);
    let id = this.ids.get(k);
    if (id === undefined) {
      id = this.states.length;
      this.states.push(s);
      this.ids.set(k, id);
    }
    return id;
  }
  step(state: number, opId: number, op: ModelOp): number {
    // Dense rows (one Int32Array per state, 0 = not computed yet, else next+2) while they fit
    // in a fixed budget of cells; a Map beyond that.
    let row = this.rows[state];
    if (row === undefined && this.cells + this.nOps <= DENSE_CELLS) {
      row = this.rows[state] = new Int32Array(this.nOps);
      this.cells += this.nOps;
    }
    if (row !== undefined) {
      const hit = row[opId];
      if (hit !== 0) return hit - 2;
      const next = this.compute(state, op);
      row[opId] = next + 2;
      return next;
    }
    const key = state * this.nOps + opId;
    let next = this.transitions.get(key);
    if (next === undefined) {
      next = this.compute(state, op);
      this.transitions.set(key, next);
    }
    return next;
  }
  private compute(state: number, op: ModelOp): number {
    const s = this.model.step(this.states[state], op);
    return isInconsistent(s) ? -1 : this.intern(s);
  }
}

const DENSE_CELLS = 1 << 24; // 64 MB of transition rows at most

const DEFAULT_MAX_STATES = 10_000_000; // a JS Set holds at most 2^24 entries

/** Deterministic pseudo-random 26-bit halves for the Zobrist hash (xorshift32). */
function zobrist(n: number, seed: number): Int32Array {
  const out = new Int32Array(n);
  let x = seed | 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0x3ffffff;
  }
  return out;
}

/** A 26-bit hash of a state id, so (set, state) pairs spread over the whole 52-bit key. */
function mix(x: number, seed: number): number {
  let h = Math.imul(x ^ seed, 0x27d4eb2d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x165667b1);
  return (h ^ (h >>> 13)) & 0x3ffffff;
}

export function searchLinearizable<S>(problem: LinearProblem, model: Model<S>, initial: S, budget: SearchBudget = {}): SearchOutcome {
  const { n, determinate, call, ret, ops } = problem;
  const table = new StateTable(model, Math.max(n, 1));
  let state = table.intern(initial);
  if (determinate === 0) return { valid: true, order: [], states: 1 };

  // Entries: 2k is op k's call, 2k+1 its return; HEAD = 2n is the sentinel.
  const HEAD = 2 * n;
  const next = new Int32Array(2 * n + 1);
  const prev = new Int32Array(2 * n + 1);
  const order = new Int32Array(2 * n);
  for (let e = 0; e < 2 * n; e++) order[e] = e;
  const at = (e: number): number => ((e & 1) === 0 ? call[e >> 1] : ret[e >> 1]);
  order.sort((a, b) => at(a) - at(b) || (a & 1) - (b & 1) || a - b);
  let last = HEAD;
  for (let j = 0; j < 2 * n; j++) {
    const e = order[j];
    next[last] = e;
    prev[e] = last;
    last = e;
  }
  next[last] = -1;
  prev[HEAD] = -1;

  const unlink = (e: number): void => {
    next[prev[e]] = next[e];
    if (next[e] >= 0) prev[next[e]] = prev[e];
  };
  const relink = (e: number): void => {
    next[prev[e]] = e;
    if (next[e] >= 0) prev[next[e]] = e;
  };

  const bits = new Uint32Array((n + 31) >>> 5);
  const zLo = zobrist(n, 0x9e3779b9);
  const zHi = zobrist(n, 0x7f4a7c15);
  let hLo = 0;
  let hHi = 0;
  const seen = new Set<number>();
  const maxStates = Math.min(budget.maxStates ?? DEFAULT_MAX_STATES, 16_000_000);
  const deadline = budget.timeLimitMs === undefined ? Infinity : performance.now() + budget.timeLimitMs;

  const stackOp = new Int32Array(n);
  const stackState = new Int32Array(n);
  let depth = 0;
  let remaining = determinate;
  let best = -1;
  let paths: number[][] = [];
  const reachedNow = (): number => {
    let w = 0;
    const words = (determinate + 31) >>> 5;
    while (w < words && bits[w] === 0xffffffff) w++;
    if (w === words) return determinate;
    const free = ~bits[w] & -~bits[w]; // lowest clear bit
    return Math.min(determinate, w * 32 + 31 - Math.clz32(free));
  };

  let entry = next[HEAD];
  let steps = 0;
  for (;;) {
    if (remaining === 0) return { valid: true, order: Array.from(stackOp.subarray(0, depth)), states: seen.size };
    if ((++steps & 4095) === 0 && (performance.now() > deadline || budget.signal?.aborted)) {
      return { valid: 'unknown', reason: budget.signal?.aborted ? 'cancelled' : 'time limit reached', exhausted: 'time', states: seen.size, reached: Math.max(best, 0) };
    }
    if ((entry & 1) === 0) {
      const k = entry >> 1;
      const s2 = table.step(state, k, ops[k]);
      if (s2 >= 0) {
        const lo = hLo ^ zLo[k];
        const hi = hHi ^ zHi[k];
        const full = (hi ^ mix(s2, 0x85ebca6b)) * 0x4000000 + (lo ^ mix(s2, 0xc2b2ae35));
        if (!seen.has(full)) {
          if (seen.size >= maxStates) {
            return { valid: 'unknown', reason: `state limit of ${maxStates} configurations reached`, exhausted: 'states', states: seen.size, reached: Math.max(best, 0) };
          }
          seen.add(full);
          stackOp[depth] = k;
          stackState[depth] = state;
          depth++;
          bits[k >>> 5] |= 1 << (k & 31);
          hLo = lo;
          hHi = hi;
          state = s2;
          if (k < determinate) remaining--;
          unlink(entry);
          unlink(entry + 1);
          const r = reachedNow();
          if (r > best) {
            best = r;
            paths = [Array.from(stackOp.subarray(0, depth))];
          } else if (r === best && paths.length < 4) paths.push(Array.from(stackOp.subarray(0, depth)));
          entry = next[HEAD];
          continue;
        }
      }
      entry = next[entry];
    } else {
      if (depth === 0) break;
      depth--;
      const k = stackOp[depth];
      state = stackState[depth];
      bits[k >>> 5] &= ~(1 << (k & 31));
      hLo ^= zLo[k];
      hHi ^= zHi[k];
      if (k < determinate) remaining++;
      relink(2 * k + 1);
      relink(2 * k);
      entry = next[2 * k];
    }
  }
  return { valid: false, failing: Math.max(best, 0), paths: paths.filter((p) => prefixReaches(p, best, determinate)), states: seen.size };
}

/** A path is worth showing if it linearized every ok op before the failing one. */
function prefixReaches(path: number[], best: number, determinate: number): boolean {
  const have = new Set(path);
  for (let k = 0; k < Math.min(best, determinate); k++) if (!have.has(k)) return false;
  return true;
}
