/**
 * The search's walk (search.ts): where it is — the ops linearized so far, on a stack, with the
 * model state they lead to — and what it has seen. Lifting an op linearizes it (unlinks its
 * entries from the history list, pushes it); undoing pops it and relinks them (entry-lists.ts).
 *
 * Lowe's cache: every configuration (set of linearized ops, model state) reached is remembered,
 * as a 63-bit Zobrist hash of the set (updated incrementally on lift and undo) with the state's
 * id. Arriving at a configuration seen before cannot lead anywhere new — from it, the same ops
 * remain in the same state — so the search never lifts into one.
 *
 * Also here, because they are part of where the walk stands: which op of the current
 * configuration to try next (`phase`, `cursor`, `fresh`), and the candidate order (completion or
 * invocation; restarts.ts switches it).
 */
import { TripleSet } from '../util/int-tables.js';
import { SeededRandom } from '../util/random.js';
import { blindWriteStates } from './blind-writes.js';
import { entryLists, linkInOrder, relink, unlink } from './entry-lists.js';
import type { CompiledModel, Model } from './models/model.js';
import { KeptPaths } from './paths.js';
import type { LinearProblem } from './search.js';

/** Deterministic pseudo-random words for the Zobrist hash, masked to `mask`. */
function zobrist(n: number, seed: number, mask: number): Int32Array {
  const out = new Int32Array(n);
  const random = new SeededRandom(seed);
  for (let i = 0; i < n; i++) out[i] = random.uint32() & mask;
  return out;
}

/** One search's configuration, cache and lists (see this file's header). */
export class Walk {
  readonly n: number;
  readonly determinate: number;
  readonly call: Float64Array;
  readonly ret: Float64Array;
  /** The model compiled to int states for this problem. */
  readonly table: CompiledModel;
  /** 1 for a read-only op (Model.readOnly). */
  readonly readOnly: Uint8Array;
  /** Per op, the state a blind write leads to, or -1 (blind-writes.ts). */
  readonly blindState: Int32Array;
  // The history list (head HEAD) and the candidate list (head RHEAD): entry-lists.ts.
  readonly HEAD: number;
  readonly next: Int32Array;
  readonly prev: Int32Array;
  readonly RHEAD: number;
  readonly rnext: Int32Array;
  readonly rprev: Int32Array;
  readonly rank: Int32Array;
  private readonly byRet: Int32Array;
  private readonly byCall: Int32Array;
  /** Candidates by completion (true) or by invocation. */
  retOrder = true;

  /** The current model state. */
  state: number;
  /** Determinate ops not linearized yet. */
  remaining: number;
  depth = 0;
  readonly stackOp: Int32Array;
  private readonly stackState: Int32Array;
  /** 1 where the frame is a read lifted as soon as it fit (no alternatives): undoing it undoes its parent too. */
  private readonly stackForced: Uint8Array;
  /** The linearized set: a bitset and its hash (31 bits in hLo, never the cache's EMPTY, 32 in hHi). */
  private readonly bits: Uint32Array;
  private readonly zLo: Int32Array;
  private readonly zHi: Int32Array;
  private hLo = 0;
  private hHi = 0;
  /** Every configuration reached (Lowe's cache). */
  readonly seen = new TripleSet();
  readonly kept: KeptPaths;

  /** True when the current configuration has not been looked at yet. */
  fresh = true;
  /** Phase 1 tries determinate ops, phase 2 indeterminate ones; `cursor` is where it resumes (candidates.ts). */
  phase = 1;
  cursor = 0;

  /** `table`: `model` compiled for `problem` (state-table.ts's `statesOf`). */
  constructor(problem: LinearProblem, model: Model, table: CompiledModel) {
    const { n, determinate, ops } = problem;
    this.n = n;
    this.determinate = determinate;
    this.call = problem.call;
    this.ret = problem.ret;
    this.table = table;
    this.state = this.table.initial;
    this.remaining = determinate;
    const lists = entryLists(problem);
    this.HEAD = lists.head;
    this.next = lists.next;
    this.prev = lists.prev;
    this.RHEAD = lists.candidateHead;
    this.rnext = lists.rnext;
    this.rprev = lists.rprev;
    this.rank = lists.rank;
    this.byRet = lists.byRet;
    this.byCall = lists.byCall;
    this.readOnly = new Uint8Array(n);
    if (model.readOnly !== undefined) for (let k = 0; k < n; k++) this.readOnly[k] = model.readOnly(ops[k]) ? 1 : 0;
    // An indeterminate read-only op (a read that timed out) changes nothing and need not happen:
    // leaving it out of every linearization loses none, so it leaves the history list for good.
    // (The window holds every pending indeterminate op, so each one left costs every step.)
    for (let k = determinate; k < n; k++) {
      if (this.readOnly[k] === 1) {
        unlink(this.next, this.prev, 2 * k);
        unlink(this.next, this.prev, 2 * k + 1);
      }
    }
    this.blindState = blindWriteStates(model, ops, this.table);
    this.bits = new Uint32Array((n + 31) >>> 5);
    this.zLo = zobrist(n, 0x9e3779b9, 0x7fffffff);
    this.zHi = zobrist(n, 0x7f4a7c15, -1);
    this.stackOp = new Int32Array(n);
    this.stackState = new Int32Array(n);
    this.stackForced = new Uint8Array(n);
    this.kept = new KeptPaths(n);
  }

  /** Whether lifting op `k` into state `s` reaches a configuration seen before. */
  seenAfter(k: number, s: number): boolean {
    return this.seen.has(this.hLo ^ this.zLo[k], this.hHi ^ this.zHi[k], s);
  }

  /** Linearizes op `k`, leading to state `s`; `forced`: a read lifted with no alternatives. */
  lift(k: number, s: number, forced: boolean): void {
    this.hLo ^= this.zLo[k];
    this.hHi ^= this.zHi[k];
    this.seen.add(this.hLo, this.hHi, s);
    this.stackOp[this.depth] = k;
    this.stackState[this.depth] = this.state;
    this.stackForced[this.depth] = forced ? 1 : 0;
    this.depth++;
    this.bits[k >>> 5] |= 1 << (k & 31);
    this.state = s;
    if (this.table.track !== undefined) this.table.track(k, true);
    unlink(this.next, this.prev, 2 * k);
    unlink(this.next, this.prev, 2 * k + 1);
    if (k < this.determinate) {
      this.remaining--;
      unlink(this.rnext, this.rprev, k);
    }
    this.kept.offer(this.bits, this.determinate, this.stackOp, this.depth);
    this.fresh = true;
  }

  /**
   * Undoes the last lift, and every forced read under it; with `forget`, the configurations it
   * leaves are dropped from the cache (they were not finished). Returns the op undone last, or
   * -1 at the root.
   */
  undo(forget: boolean): number {
    let k = -1;
    do {
      if (this.depth === 0) return -1;
      if (forget) this.seen.delete(this.hLo, this.hHi, this.state);
      this.depth--;
      k = this.stackOp[this.depth];
      this.state = this.stackState[this.depth];
      this.bits[k >>> 5] &= ~(1 << (k & 31));
      this.hLo ^= this.zLo[k];
      this.hHi ^= this.zHi[k];
      relink(this.next, this.prev, 2 * k + 1);
      relink(this.next, this.prev, 2 * k);
      if (this.table.track !== undefined) this.table.track(k, false);
      if (k < this.determinate) {
        this.remaining++;
        relink(this.rnext, this.rprev, k);
      }
    } while (this.stackForced[this.depth] === 1);
    return k;
  }

  /** Back at the root: candidates in the other order from now on. */
  flipOrder(): void {
    this.retOrder = !this.retOrder;
    linkInOrder(this.rnext, this.rprev, this.RHEAD, this.retOrder ? this.byRet : this.byCall);
    this.fresh = true;
  }

  /** Resume the configuration's walk after op `k`, just undone. */
  resumeAfter(k: number): void {
    if (k < this.determinate) {
      this.phase = 1;
      this.cursor = this.retOrder ? this.rank[k] : this.rnext[k];
    } else {
      this.phase = 2;
      this.cursor = this.next[2 * k];
    }
  }

  /** The linearization on the stack. */
  order(): number[] {
    return Array.from(this.stackOp.subarray(0, this.depth));
  }
}
