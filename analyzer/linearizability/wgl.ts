/**
 * The Wing & Gong linearizability search with Lowe's improvements (as in Knossos's `wgl` and
 * Porcupine).
 *
 * The history becomes a doubly-linked list of entries in real-time order: a call entry per op
 * and a return entry per ok op. The search walks the list from the front. At a call it tries
 * to linearize that op now: if the model accepts it from the current state, the op's call and
 * return are "lifted" out of the list (dancing-links style, so they can be put back in O(1)),
 * the choice is pushed on an explicit stack, and the walk restarts from the front. Reaching a
 * return entry means that op's response was seen before it was linearized: a dead end, so the
 * search pops the last choice, unlifts it and tries the next call after it.
 *
 * Lowe's cache prunes the search: a configuration is (set of linearized ops, model state); if
 * it was reached before, everything after it was already explored. The set is a bitset in
 * Uint32 words, its hash kept incrementally by XOR of per-op random numbers (Zobrist), and
 * states are interned ints, so a cache probe costs one Map lookup plus a word compare.
 *
 * Ops without a return entry (:info, never completed) may be linearized at any point after
 * their call, or never: the search succeeds as soon as every return entry has been passed.
 *
 * For a failure we remember the deepest point reached: the blocking return entry latest in the
 * history (Knossos reports the op that could not be linearized there), with the path that got
 * there and the ops that were pending at that moment.
 */
import type { EdnValue } from '../edn/values.js';
import { printEdn } from '../edn/print.js';
import { type Model, ModelError } from './models.js';
import type { LinOps } from './ops.js';

export interface SearchBudget {
  maxStates: number;
  /** `Date.now()` after which the search gives up; Infinity for none. */
  deadline: number;
}

export interface SearchFailure {
  /** The ok op that could not be linearized. */
  op: number;
  /** Ops linearized on the deepest path, in order, and the state after each. */
  path: number[];
  pathStates: EdnValue[];
  initial: EdnValue;
  /** Ops called but not yet linearized when `op` returned (candidates to go next). */
  pending: number[];
}

export type SearchResult =
  | { kind: 'valid'; order: number[]; states: number }
  | { kind: 'invalid'; failure: SearchFailure; states: number }
  | { kind: 'unknown'; cause: string; deepest: number; states: number };

/** Interns model states to ints and memoizes transitions (state, op) → state | -1. */
export class StateTable {
  readonly states: EdnValue[] = [];
  private readonly ids = new Map<string, number>();
  /** String states (kv) intern by themselves: no printing, no copy. */
  private readonly stringIds = new Map<string, number>();
  private readonly transitions = new Map<number, number>();

  constructor(
    readonly model: Model,
    readonly ops: LinOps,
  ) {}

  intern(s: EdnValue): number {
    const ids = typeof s === 'string' ? this.stringIds : this.ids;
    const key = typeof s === 'string' ? s : printEdn(s);
    let id = ids.get(key);
    if (id === undefined) {
      id = this.states.length;
      ids.set(key, id);
      this.states.push(s);
    }
    return id;
  }

  /** The state after op from state, or -1 if the model rejects it. */
  step(state: number, op: number): number {
    const k = state * this.ops.n + op;
    const hit = this.transitions.get(k);
    if (hit !== undefined) return hit;
    const next = this.model.step(this.states[state], this.ops.f[op], this.ops.value[op]);
    const id = next instanceof ModelError ? -1 : this.intern(next);
    this.transitions.set(k, id);
    return id;
  }

  /** Why the model rejected op from state (after a step returned -1). */
  error(state: number, op: number): string {
    const r = this.model.step(this.states[state], this.ops.f[op], this.ops.value[op]);
    return r instanceof ModelError ? r.error : 'accepted';
  }
}

/** Deterministic 32-bit random numbers for the Zobrist hash. */
function zobrist(n: number): Int32Array {
  const z = new Int32Array(n);
  let x = 0x9e3779b9 | 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    z[i] = x;
  }
  return z;
}

export function searchLinearization(ops: LinOps, table: StateTable, initial: number, budget: SearchBudget): SearchResult {
  const n = ops.n;
  // Entries: a call per op, a return per ok op, sorted by history position.
  let nOk = 0;
  for (let k = 0; k < n; k++) if (ops.ret[k] >= 0) nOk++;
  const E = n + nOk;
  const order = new Int32Array(E);
  const posOf = new Float64Array(E);
  const raw: number[] = [];
  for (let k = 0; k < n; k++) {
    raw.push(k * 2);
    if (ops.ret[k] >= 0) raw.push(k * 2 + 1);
  }
  const pos = (code: number): number => ((code & 1) === 0 ? ops.inv[code >> 1] : ops.ret[code >> 1]);
  raw.sort((a, b) => pos(a) - pos(b));
  for (let e = 0; e < E; e++) {
    order[e] = raw[e];
    posOf[e] = pos(raw[e]);
  }
  const entryOp = new Int32Array(E);
  const isCall = new Uint8Array(E);
  const match = new Int32Array(E).fill(-1);
  const callOf = new Int32Array(n);
  for (let e = 0; e < E; e++) {
    entryOp[e] = order[e] >> 1;
    if ((order[e] & 1) === 0) {
      isCall[e] = 1;
      callOf[entryOp[e]] = e;
    }
  }
  for (let e = 0; e < E; e++) if (!isCall[e]) match[callOf[entryOp[e]]] = e;

  const HEAD = E;
  const next = new Int32Array(E + 1);
  const prev = new Int32Array(E + 1);
  next[HEAD] = E > 0 ? 0 : -1;
  for (let e = 0; e < E; e++) {
    next[e] = e + 1 < E ? e + 1 : -1;
    prev[e] = e === 0 ? HEAD : e - 1;
  }
  const unlink = (x: number): void => {
    next[prev[x]] = next[x];
    if (next[x] !== -1) prev[next[x]] = prev[x];
  };
  const relink = (x: number): void => {
    next[prev[x]] = x;
    if (next[x] !== -1) prev[next[x]] = x;
  };

  // Lowe's cache: configurations as [state, ...bitset words], chained by hash.
  const W = Math.max(1, (n + 31) >>> 5);
  const bits = new Uint32Array(W);
  const z = zobrist(n);
  let hash = 0;
  let store = new Uint32Array(1024 * (W + 1));
  let chain = new Int32Array(1024);
  let stored = 0;
  const heads = new Map<number, number>();
  const keyOf = (state: number): number => (hash ^ Math.imul(state + 1, 0x85ebca6b)) | 0;
  /** Adds the current configuration; false if it was already there. */
  const remember = (state: number): boolean => {
    const h = keyOf(state);
    const first = heads.get(h);
    for (let s = first ?? -1; s !== -1; s = chain[s]) {
      const at = s * (W + 1);
      if (store[at] !== state) continue;
      let same = true;
      for (let w = 0; w < W; w++) {
        if (store[at + 1 + w] !== bits[w]) {
          same = false;
          break;
        }
      }
      if (same) return false;
    }
    if (stored === chain.length) {
      const grownStore = new Uint32Array(store.length * 2);
      grownStore.set(store);
      store = grownStore;
      const grownChain = new Int32Array(chain.length * 2);
      grownChain.set(chain);
      chain = grownChain;
    }
    const at = stored * (W + 1);
    store[at] = state;
    store.set(bits, at + 1);
    chain[stored] = first ?? -1;
    heads.set(h, stored);
    stored++;
    return true;
  };

  const stackEntry = new Int32Array(n);
  const stackState = new Int32Array(n);
  let sp = 0;
  let state = initial;
  let okLeft = nOk;
  let entry = next[HEAD];
  let bestPos = -1;
  let best: SearchFailure | undefined;
  let deepest = 0;
  let iterations = 0;

  for (;;) {
    if (okLeft === 0) {
      return { kind: 'valid', order: Array.from(stackEntry.subarray(0, sp), (e) => entryOp[e]), states: stored };
    }
    if ((++iterations & 0xfff) === 0 && Date.now() > budget.deadline) {
      return { kind: 'unknown', cause: 'time-limit', deepest, states: stored };
    }
    if (entry !== -1 && isCall[entry]) {
      const op = entryOp[entry];
      const ns = table.step(state, op);
      if (ns >= 0) {
        bits[op >>> 5] |= 1 << (op & 31);
        hash ^= z[op];
        if (remember(ns)) {
          if (stored > budget.maxStates) return { kind: 'unknown', cause: 'max-states', deepest, states: stored };
          stackEntry[sp] = entry;
          stackState[sp] = state;
          sp++;
          if (sp > deepest) deepest = sp;
          state = ns;
          unlink(entry);
          if (match[entry] !== -1) {
            unlink(match[entry]);
            okLeft--;
          }
          entry = next[HEAD];
          continue;
        }
        bits[op >>> 5] &= ~(1 << (op & 31));
        hash ^= z[op];
      }
      entry = next[entry];
      continue;
    }
    // A return entry (or, defensively, the end): this path is dead.
    if (entry !== -1 && posOf[entry] > bestPos) {
      bestPos = posOf[entry];
      const path = Array.from(stackEntry.subarray(0, sp), (e) => entryOp[e]);
      const pathStates = Array.from({ length: sp }, (_, i) => table.states[i + 1 < sp ? stackState[i + 1] : state]);
      const pending: number[] = [];
      for (let e = next[HEAD]; e !== -1 && e !== entry; e = next[e]) if (isCall[e]) pending.push(entryOp[e]);
      best = { op: entryOp[entry], path, pathStates, initial: table.states[initial], pending };
    }
    if (sp === 0) {
      if (best === undefined) throw new Error('linearizability search failed without a blocking op');
      return { kind: 'invalid', failure: best, states: stored };
    }
    sp--;
    const back = stackEntry[sp];
    const op = entryOp[back];
    bits[op >>> 5] &= ~(1 << (op & 31));
    hash ^= z[op];
    state = stackState[sp];
    if (match[back] !== -1) {
      relink(match[back]);
      okLeft++;
    }
    relink(back);
    entry = next[back];
  }
}
