/**
 * The two doubly linked lists the linearizability search (search.ts) walks, built once per
 * search: the history list of call and return entries in time order (whose calls before the
 * first return are the window), and the candidate list of determinate ops in the order they
 * are tried. Lifting an op unlinks its entries in O(1); undoing it relinks them, since an
 * unlinked entry keeps its own `next` and `prev` (Knuth's dancing links).
 */
import type { LinearProblem } from './search.js';

/** The search's lists as typed arrays: `next`/`prev` over entries, `rnext`/`rprev` over ops. */
export interface EntryLists {
  /** The history list's sentinel, 2n: entry 2k is op k's call, 2k + 1 its return. */
  readonly head: number;
  readonly next: Int32Array;
  readonly prev: Int32Array;
  /** The candidate list's sentinel, `determinate`: its members are determinate op ids. */
  readonly candidateHead: number;
  readonly rnext: Int32Array;
  readonly rprev: Int32Array;
  /** Determinate ops by completion, and by invocation: the two candidate orders. */
  readonly byRet: Int32Array;
  readonly byCall: Int32Array;
  /** Each determinate op's position in `byRet`. */
  readonly rank: Int32Array;
}

/**
 * Builds both lists for `problem`, the candidate list in completion order. Ties in time put
 * calls before returns, then lower ids first, so the lists (and the search) are deterministic.
 */
export function entryLists(problem: LinearProblem): EntryLists {
  const { n, determinate, call, ret } = problem;
  const head = 2 * n;
  const next = new Int32Array(2 * n + 1);
  const prev = new Int32Array(2 * n + 1);
  const byTime = new Int32Array(2 * n);
  for (let e = 0; e < 2 * n; e++) byTime[e] = e;
  const at = (e: number): number => ((e & 1) === 0 ? call[e >> 1] : ret[e >> 1]);
  byTime.sort((a, b) => at(a) - at(b) || (a & 1) - (b & 1) || a - b);
  linkInOrder(next, prev, head, byTime);
  const candidateHead = determinate;
  const rnext = new Int32Array(determinate + 1);
  const rprev = new Int32Array(determinate + 1);
  const byRet = new Int32Array(determinate);
  for (let k = 0; k < determinate; k++) byRet[k] = k;
  byRet.sort((a, b) => ret[a] - ret[b] || a - b);
  const byCall = byRet.slice().sort((a, b) => call[a] - call[b] || a - b);
  const rank = new Int32Array(determinate);
  for (let i = 0; i < determinate; i++) rank[byRet[i]] = i;
  linkInOrder(rnext, rprev, candidateHead, byRet);
  return { head, next, prev, candidateHead, rnext, rprev, byRet, byCall, rank };
}

/** Links `items` into a doubly linked list after `head`, in that order (-1 ends it). */
export function linkInOrder(next: Int32Array, prev: Int32Array, head: number, items: Int32Array): void {
  let last = head;
  for (const e of items) {
    next[last] = e;
    prev[e] = last;
    last = e;
  }
  next[last] = -1;
  prev[head] = -1;
}

/** Takes entry `e` out of its list; `e` keeps its links, for `relink`. */
export function unlink(next: Int32Array, prev: Int32Array, e: number): void {
  next[prev[e]] = next[e];
  if (next[e] >= 0) prev[next[e]] = prev[e];
}

/** Puts back an entry taken out by `unlink`, undoing the unlinks after it first (LIFO). */
export function relink(next: Int32Array, prev: Int32Array, e: number): void {
  next[prev[e]] = e;
  if (next[e] >= 0) prev[next[e]] = e;
}
