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
  const blocks: Block[] = [];
  let placed = 0;
  const roots: number[] = [];
  const initValue = producer.indexOf(INITIAL);
  if (readHead[initValue] !== NONE || casOf[initValue] !== NONE) roots.push(INITIAL);
  for (let k = 0; k < n; k++) if (needed[k] === 1 && kind[k] === WRITE) roots.push(k);
  for (const root of roots) {
    const b = blockFrom(root, root === INITIAL ? initValue : sets[root], readHead, readNext, casOf, sets, call, ret);
    if ('violation' in b) return { valid: false, violation: b.violation };
    placed += b.ops.length;
    blocks.push(b);
  }
  if (placed < neededCount) {
    // Needed cas ops no block reached: each needs a value set only by a cas of that same loop.
    for (let k = 0; k < n; k++) if (needed[k] === 1 && kind[k] === CAS && !blocks.some((b) => b.ops.includes(k))) return { valid: false, violation: { kind: 'cycle', op: k, value: needs[k] } };
  }
  const clash = zonesClash(blocks);
  if (clash !== undefined) return { valid: false, violation: clash };
  return { valid: true, order: linearization(blocks, kind, call, ret, active) };
}

/** One block: its ops layer by layer (`layerEnd[i]` ends layer i in `ops`), and its zone. */
interface Block {
  ops: number[];
  layerEnd: number[];
  zone: Zone;
  /** Where the block goes among the others (see `zonesClash`). */
  at: number;
}

/** The block starting at `root` (an op, or INITIAL), checked layer by layer. */
function blockFrom(root: number, first: number, readHead: Int32Array, readNext: Int32Array, casOf: Int32Array, sets: Int32Array, call: Float64Array, ret: Float64Array): Block | { violation: Violation } {
  const ops: number[] = [];
  const layerEnd: number[] = [];
  const zone: Zone = { value: first, m: Infinity, mOp: NONE, M: -Infinity, MOp: NONE };
  // The latest invocation among earlier layers: no op of a later layer may complete before it.
  let earlier = -Infinity;
  let earlierOp = NONE;
  let layerMax = -Infinity;
  let layerMaxOp = NONE;
  const take = (k: number, value: number): Violation | undefined => {
    if (ret[k] < earlier) return { kind: 'precedes', op: k, before: earlierOp, value };
    ops.push(k);
    if (ret[k] < zone.m) [zone.m, zone.mOp] = [ret[k], k];
    if (call[k] > zone.M) [zone.M, zone.MOp] = [call[k], k];
    if (call[k] > layerMax) [layerMax, layerMaxOp] = [call[k], k];
    return undefined;
  };
  const endLayer = (): void => {
    layerEnd.push(ops.length);
    if (layerMax > earlier) [earlier, earlierOp] = [layerMax, layerMaxOp];
  };
  if (root === INITIAL) zone.m = -Infinity; // the initial value comes before every other
  else {
    take(root, first);
    endLayer();
  }
  let v = first;
  for (;;) {
    for (let r = readHead[v]; r !== NONE; r = readNext[r]) {
      const bad = take(r, v);
      if (bad !== undefined) return { violation: bad };
    }
    endLayer();
    const c = casOf[v];
    if (c === NONE) break;
    const bad = take(c, v);
    if (bad !== undefined) return { violation: bad };
    endLayer();
    v = sets[c];
    if (ops.length > call.length) break; // a loop back into this block cannot happen (values are unique); guard anyway
  }
  return { ops, layerEnd, zone, at: 0 };
}

/**
 * The first clash between zones (two forward zones overlapping, or a backward zone inside a
 * forward one), or undefined; when there is none, sets each block's `at` so that sorting by it
 * gives an order in which every block fits.
 */
function zonesClash(blocks: Block[]): Violation | undefined {
  const forward = blocks.filter((b) => b.zone.m < b.zone.M).sort((a, b) => a.zone.m - b.zone.m);
  for (let i = 0; i + 1 < forward.length; i++) {
    if (forward[i].zone.M > forward[i + 1].zone.m) return { kind: 'overlap', a: forward[i].zone, b: forward[i + 1].zone };
  }
  for (const f of forward) f.at = f.zone.m;
  for (const b of blocks) {
    if (b.zone.m < b.zone.M) continue;
    // The forward zone starting last before this one's stretch begins is the only one that could hold it.
    let lo = 0;
    let hi = forward.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (forward[mid].zone.m < b.zone.M) lo = mid + 1;
      else hi = mid;
    }
    const f = lo > 0 ? forward[lo - 1] : undefined;
    if (f !== undefined && f.zone.M > b.zone.m) return { kind: 'inside', inner: b.zone, outer: f.zone };
    // An instant of its stretch outside every forward zone: just after M, or just after the forward zone holding M.
    b.at = (f !== undefined && f.zone.M > b.zone.M ? f.zone.M : b.zone.M) + 0.5;
  }
  return undefined;
}

/**
 * A linearization: blocks in order, each op at the earliest instant after everything before it
 * and its own invocation (`base`, ties broken by `seq`), and each free read at its invocation.
 */
function linearization(blocks: Block[], kind: Int8Array, call: Float64Array, ret: Float64Array, active: (k: number) => boolean): number[] {
  blocks.sort((a, b) => a.at - b.at);
  const base: number[] = [];
  const ids: number[] = [];
  let t = -Infinity;
  for (const b of blocks) {
    let start = 0;
    for (const end of b.layerEnd) {
      let layerMax = t;
      for (let i = start; i < end; i++) {
        const k = b.ops[i];
        ids.push(k);
        base.push(Math.max(t, call[k]));
        if (call[k] > layerMax) layerMax = call[k];
      }
      t = layerMax;
      start = end;
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
