/**
 * Linearizability of a register or cas-register whose writes are unique, decided exactly in
 * O(n log n) with no search (Gibbons & Korach's zones, carried over to cas chains; the argument
 * is in docs/linearizability.md, "Unique values").
 *
 * A history qualifies when no two ops can set the same value: the initial value, every write's
 * value and every cas's new value are pairwise distinct (and plain scalars, so that equal values
 * print alike). Then each value v has one producer P(v) (the initial state, a write, or a cas
 * [u v]), and once another value is set, v never returns. So in any linearization the ops
 * reading v (reads of v, and the cas [v w] that ends it) come right after P(v), before the next
 * producer; a cas [v w] is the last of them and P(w). Following cas links from a value no cas
 * produces gives a *block*: P(v0), reads of v0, cas [v0 v1], reads of v1, cas [v1 v2], …, which
 * every linearization holds contiguously, its layers in that order.
 *
 * A block fits in a stretch of time (s, e) that holds no other block exactly when its layers
 * fit in order (no op of a later layer completes before an op of an earlier one is invoked) and
 * s < m (the earliest completion among its ops) and e > M (the latest invocation): taking each
 * op as early as it can go shows this. Blocks fit one after another in some order exactly when
 * every *forward* block (m < M: it must hold the whole stretch [m, M]) is disjoint from every
 * other forward block, and no *backward* block (M < m: every op of it is open throughout
 * [M, m], so it can be squeezed to an instant there) has its stretch inside a forward one.
 * The initial value's block has m = -∞: it must come first.
 *
 * Ops that may not have happened (`:info`, never completed) are taken only when needed: a read
 * never, a write or cas only when a value it alone sets is read by an op that must happen (a
 * determinate op, or a cas taken because it is needed). An `:ok` read of nil under `--nil any`
 * fits every state and is placed wherever its interval allows.
 */
import { printEdn } from '../edn/print.js';
import { Keyword, type EdnValue } from '../edn/values.js';
import type { ModelOp } from './models/model.js';
import { isAbsent } from './nil-reads.js';
import type { LinearProblem } from './search.js';

const READ = 0;
const WRITE = 1;
const CAS = 2;
/** An :ok read of nil under `--nil any`: it fits every state. */
const FREE = 3;
/** No value / no op. */
const NONE = -1;
/** The producer of the initial value (not an op). */
const INITIAL = -2;

/** A problem prepared for deciding: each op's kind, the value it needs and the value it sets, as small ints. */
export interface UniqueProblem {
  readonly problem: LinearProblem;
  readonly kind: Int8Array;
  /** The value an op needs the register to hold (reads, cas), or NONE. */
  readonly needs: Int32Array;
  /** The value an op sets (writes, cas), or NONE. */
  readonly sets: Int32Array;
  /** Per value, the op setting it (INITIAL for the initial value), or NONE. */
  readonly producer: Int32Array;
  /** Each value as it prints, for explanations. */
  readonly values: string[];
}

/** Why a history is not linearizable, in terms of op ids: see `describeViolation` (unique-explain.ts). */
export type Violation =
  | { kind: 'unwritten'; op: number; value: number }
  | { kind: 'precedes'; op: number; before: number; value: number }
  | { kind: 'two-cas'; op: number; other: number; value: number }
  | { kind: 'cycle'; op: number; value: number }
  | { kind: 'overlap'; a: Zone; b: Zone }
  | { kind: 'inside'; inner: Zone; outer: Zone };

/** A block's stretch of time: its first value, its earliest completion (m) and latest invocation (M), with the ops at each end. */
export interface Zone {
  value: number;
  m: number;
  mOp: number;
  M: number;
  MOp: number;
}

/** What deciding gives: a linearization (op ids in order), or a violation. */
export type Decision = { valid: true; order: number[] } | { valid: false; violation: Violation };

/** A value's canonical text, or undefined for a value this procedure does not compare (collections, …). */
function valueText(v: EdnValue): string | undefined {
  if (isAbsent(v) || v === null) return 'nil';
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint' || v instanceof Keyword) return printEdn(v);
  return undefined;
}

/**
 * `problem` prepared for `decideUnique`, or why it does not qualify (see this file's header): a
 * value set twice, a value that is not a scalar, or an op other than read, write and cas [old
 * new]. `initial` is the register's first state.
 */
export function prepareUnique(problem: LinearProblem, initial: EdnValue): UniqueProblem | string {
  const { n, ops } = problem;
  const ids = new Map<string, number>();
  const values: string[] = [];
  const intern = (v: EdnValue): number | undefined => {
    const t = valueText(v);
    if (t === undefined) return undefined;
    let id = ids.get(t);
    if (id === undefined) {
      ids.set(t, (id = values.length));
      values.push(t);
    }
    return id;
  };
  const kind = new Int8Array(n);
  const needs = new Int32Array(n).fill(NONE);
  const sets = new Int32Array(n).fill(NONE);
  const init = intern(initial);
  if (init === undefined) return `the initial value ${printEdn(initial)} is not a number, string, keyword or boolean`;
  const notScalar = (v: EdnValue): string => `${printEdn(v)} is not a number, string, keyword or boolean`;
  const twice = (v: EdnValue): string => `${printEdn(v)} is set twice (by two ops, or by one and the initial state)`;
  const producerOf = new Map<number, number>([[init, INITIAL]]);
  const produce = (value: number, op: number): boolean => {
    if (producerOf.has(value)) return false;
    producerOf.set(value, op);
    return true;
  };
  for (let k = 0; k < n; k++) {
    const op: ModelOp = ops[k];
    if (op.f === 'read') {
      if (op.value === null) {
        kind[k] = FREE; // nil read under --nil any (absent reads carry ABSENT), or an :info read
        continue;
      }
      const v = intern(op.value);
      if (v === undefined) return notScalar(op.value);
      kind[k] = READ;
      needs[k] = v;
    } else if (op.f === 'write') {
      const v = intern(op.value);
      if (v === undefined) return notScalar(op.value);
      if (!produce(v, k)) return twice(op.value);
      kind[k] = WRITE;
      sets[k] = v;
    } else if (op.f === 'cas' && Array.isArray(op.value) && op.value.length === 2) {
      const from = intern(op.value[0]);
      const to = intern(op.value[1]);
      if (from === undefined) return notScalar(op.value[0]);
      if (to === undefined) return notScalar(op.value[1]);
      if (!produce(to, k)) return twice(op.value[1]);
      kind[k] = CAS;
      needs[k] = from;
      sets[k] = to;
    } else return `${op.f} ${printEdn(op.value)} is not a read, a write or a cas [old new]`;
  }
  const producer = new Int32Array(values.length).fill(NONE);
  for (const [v, op] of producerOf) producer[v] = op;
  return { problem, kind, needs, sets, producer, values };
}

/**
 * Decides the prepared problem as it stood at history position `cut` (default: all of it): only
 * ops invoked before `cut` exist, and only those that completed `:ok` by then must have
 * happened. Valid gives a linearization of the ops it took (every op that must have happened,
 * free reads included); invalid, the first rule broken (see this file's header).
 */
export function decideUnique(u: UniqueProblem, cut = Infinity): Decision {
  const { problem, kind, needs, sets, producer } = u;
  const { n, determinate, call } = problem;
  const ret = new Float64Array(n);
  for (let k = 0; k < n; k++) ret[k] = k < determinate && problem.ret[k] <= cut ? problem.ret[k] : Infinity;
  const active = (k: number): boolean => call[k] < cut;
  // What must happen: every determinate op, and whatever sets a value one of them needs.
  const needed = new Uint8Array(n);
  const stack: number[] = [];
  for (let k = 0; k < n; k++) {
    if (active(k) && ret[k] !== Infinity && kind[k] !== FREE) {
      needed[k] = 1;
      stack.push(k);
    }
  }
  while (stack.length > 0) {
    const k = stack.pop()!;
    const v = needs[k];
    if (v === NONE) continue;
    const p = producer[v];
    if (p === NONE || (p >= 0 && !active(p))) return { valid: false, violation: { kind: 'unwritten', op: k, value: v } };
    if (p >= 0 && needed[p] === 0) {
      needed[p] = 1;
      stack.push(p);
    }
  }
  // Per value: the reads of it that must happen (a linked list) and the one cas that ends it.
  const values = producer.length;
  const readHead = new Int32Array(values).fill(NONE);
  const readNext = new Int32Array(n).fill(NONE);
  const casOf = new Int32Array(values).fill(NONE);
  let neededCount = 0;
  for (let k = n - 1; k >= 0; k--) {
    if (needed[k] === 0) continue;
    neededCount++;
    if (kind[k] === READ) {
      readNext[k] = readHead[needs[k]];
      readHead[needs[k]] = k;
    } else if (kind[k] === CAS) {
      if (casOf[needs[k]] !== NONE) return { valid: false, violation: { kind: 'two-cas', op: Math.max(k, casOf[needs[k]]), other: Math.min(k, casOf[needs[k]]), value: needs[k] } };
      casOf[needs[k]] = k;
    }
  }
  // Blocks, from each value no cas sets (the initial one, each write's), their layers in order.
  const b = new Blocks(n, call, ret);
  const initValue = producer.indexOf(INITIAL);
  if (readHead[initValue] !== NONE || casOf[initValue] !== NONE) {
    const bad = b.add(INITIAL, initValue, readHead, readNext, casOf, sets);
    if (bad !== undefined) return { valid: false, violation: bad };
  }
  for (let k = 0; k < n; k++) {
    if (needed[k] === 1 && kind[k] === WRITE) {
      const bad = b.add(k, sets[k], readHead, readNext, casOf, sets);
      if (bad !== undefined) return { valid: false, violation: bad };
    }
  }
  if (b.placed < neededCount) {
    // Needed cas ops no block reached: each needs a value set only by a cas of that same loop.
    const reached = new Uint8Array(n);
    for (let i = 0; i < b.placed; i++) reached[b.ops[i]] = 1;
    for (let k = 0; k < n; k++) if (needed[k] === 1 && kind[k] === CAS && reached[k] === 0) return { valid: false, violation: { kind: 'cycle', op: k, value: needs[k] } };
  }
  const clash = zonesClash(b);
  if (clash !== undefined) return { valid: false, violation: clash };
  return { valid: true, order: linearization(b, kind, call, ret, active) };
}

/**
 * Every block of a decision in flat typed arrays (thousands of blocks per decision, and a
 * bisection makes ~20 decisions: no object per block): block i's ops are
 * `ops[start[i] .. start[i+1])`, its layers end at `layerEnd[layerStart[i] .. layerStart[i+1])`,
 * its zone is `m[i]`, `M[i]` (with the ops there) and `value[i]`, and `at[i]` is where it goes.
 */
class Blocks {
  count = 0;
  placed = 0;
  readonly ops: Int32Array;
  readonly start: Int32Array;
  readonly layerEnd: Int32Array;
  readonly layerStart: Int32Array;
  private layers = 0;
  readonly value: Int32Array;
  readonly m: Float64Array;
  readonly mOp: Int32Array;
  readonly M: Float64Array;
  readonly MOp: Int32Array;
  readonly at: Float64Array;
  // The block being built: the latest invocation among its earlier layers (no op of a later
  // layer may complete before it), and among its current layer.
  private earlier = -Infinity;
  private earlierOp = NONE;
  private layerMax = -Infinity;
  private layerMaxOp = NONE;

  constructor(n: number, private readonly call: Float64Array, private readonly ret: Float64Array) {
    const most = n + 1;
    this.ops = new Int32Array(n);
    this.start = new Int32Array(most + 1);
    this.layerEnd = new Int32Array(2 * n + 2);
    this.layerStart = new Int32Array(most + 1);
    this.value = new Int32Array(most);
    this.m = new Float64Array(most);
    this.mOp = new Int32Array(most);
    this.M = new Float64Array(most);
    this.MOp = new Int32Array(most);
    this.at = new Float64Array(most);
  }

  /** The block starting at `root` (an op, or INITIAL) with value `first`, checked layer by layer; a violation, or undefined. */
  add(root: number, first: number, readHead: Int32Array, readNext: Int32Array, casOf: Int32Array, sets: Int32Array): Violation | undefined {
    const i = this.count;
    this.start[i] = this.placed;
    this.layerStart[i] = this.layers;
    this.value[i] = first;
    this.m[i] = Infinity;
    this.mOp[i] = NONE;
    this.M[i] = -Infinity;
    this.MOp[i] = NONE;
    this.earlier = -Infinity;
    this.earlierOp = NONE;
    this.layerMax = -Infinity;
    this.layerMaxOp = NONE;
    if (root === INITIAL) this.m[i] = -Infinity; // the initial value comes before every other
    else {
      this.take(i, root, first);
      this.endLayer();
    }
    let v = first;
    for (;;) {
      for (let r = readHead[v]; r !== NONE; r = readNext[r]) {
        const bad = this.take(i, r, v);
        if (bad !== undefined) return bad;
      }
      this.endLayer();
      const c = casOf[v];
      if (c === NONE) break;
      const bad = this.take(i, c, v);
      if (bad !== undefined) return bad;
      this.endLayer();
      v = sets[c];
    }
    this.count++;
    this.start[this.count] = this.placed;
    this.layerStart[this.count] = this.layers;
    return undefined;
  }

  /** Block `i`'s zone, for a violation's explanation. */
  zone(i: number): Zone {
    return { value: this.value[i], m: this.m[i], mOp: this.mOp[i], M: this.M[i], MOp: this.MOp[i] };
  }

  private take(i: number, k: number, value: number): Violation | undefined {
    const { call, ret } = this;
    if (ret[k] < this.earlier) return { kind: 'precedes', op: k, before: this.earlierOp, value };
    this.ops[this.placed++] = k;
    if (ret[k] < this.m[i]) {
      this.m[i] = ret[k];
      this.mOp[i] = k;
    }
    if (call[k] > this.M[i]) {
      this.M[i] = call[k];
      this.MOp[i] = k;
    }
    if (call[k] > this.layerMax) {
      this.layerMax = call[k];
      this.layerMaxOp = k;
    }
    return undefined;
  }

  private endLayer(): void {
    this.layerEnd[this.layers++] = this.placed;
    if (this.layerMax > this.earlier) {
      this.earlier = this.layerMax;
      this.earlierOp = this.layerMaxOp;
    }
  }
}

/**
 * The first clash between zones (two forward zones overlapping, or a backward zone inside a
 * forward one), or undefined; when there is none, sets each block's `at` so that sorting by it
 * gives an order in which every block fits.
 */
function zonesClash(b: Blocks): Violation | undefined {
  const { m, M, at } = b;
  let forwardCount = 0;
  for (let i = 0; i < b.count; i++) if (m[i] < M[i]) forwardCount++;
  const forward = new Int32Array(forwardCount);
  forwardCount = 0;
  for (let i = 0; i < b.count; i++) if (m[i] < M[i]) forward[forwardCount++] = i;
  forward.sort((x, y) => m[x] - m[y] || x - y);
  for (let j = 0; j + 1 < forward.length; j++) {
    if (M[forward[j]] > m[forward[j + 1]]) return { kind: 'overlap', a: b.zone(forward[j]), b: b.zone(forward[j + 1]) };
  }
  for (const f of forward) at[f] = m[f];
  for (let i = 0; i < b.count; i++) {
    if (m[i] < M[i]) continue;
    // The forward zone starting last before this one's stretch begins is the only one that could hold it.
    let lo = 0;
    let hi = forward.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (m[forward[mid]] < M[i]) lo = mid + 1;
      else hi = mid;
    }
    const f = lo > 0 ? forward[lo - 1] : NONE;
    if (f !== NONE && M[f] > m[i]) return { kind: 'inside', inner: b.zone(i), outer: b.zone(f) };
    // An instant of its stretch outside every forward zone: just after M, or just after the forward zone holding M.
    at[i] = (f !== NONE && M[f] > M[i] ? M[f] : M[i]) + 0.5;
  }
  return undefined;
}

/**
 * A linearization: blocks in order, each op at the earliest instant after everything before it
 * and its own invocation (`base`, ties broken by `seq`), and each free read at its invocation.
 */
function linearization(b: Blocks, kind: Int8Array, call: Float64Array, ret: Float64Array, active: (k: number) => boolean): number[] {
  const blocks = Array.from({ length: b.count }, (_, i) => i).sort((x, y) => b.at[x] - b.at[y] || x - y);
  const base: number[] = [];
  const ids: number[] = [];
  let t = -Infinity;
  for (const i of blocks) {
    let from = b.start[i];
    for (let l = b.layerStart[i]; l < b.layerStart[i + 1]; l++) {
      const end = b.layerEnd[l];
      let layerMax = t;
      for (let j = from; j < end; j++) {
        const k = b.ops[j];
        ids.push(k);
        base.push(Math.max(t, call[k]));
        if (call[k] > layerMax) layerMax = call[k];
      }
      t = layerMax;
      from = end;
    }
  }
  const seq = ids.map((_, i) => i);
  for (let k = 0; k < kind.length; k++) {
    if (kind[k] === FREE && ret[k] !== Infinity && active(k)) {
      ids.push(k);
      base.push(call[k]);
      seq.push(-1);
    }
  }
  const at = ids.map((_, i) => i);
  at.sort((i, j) => base[i] - base[j] || seq[i] - seq[j]);
  return at.map((i) => ids[i]);
}
