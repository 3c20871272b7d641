/**
 * Flat containers of int32s for the hot paths (the linearizability search's configuration
 * cache and transition memo, Elle's micro-op indexes, set-full's read lists). A JS `Set` or
 * `Map` of numbers boxes keys as heap numbers and grows by allocation; these keep every entry in
 * a few typed arrays, so millions of entries cost tens of MB and leave no garbage behind.
 *
 * The hash tables probe linearly over a power-of-two capacity and grow at half load. A slot is
 * empty while its first key word is EMPTY, so callers keep that one value out of first keys
 * (the search's hashes and states, and Elle's key ids, are never -1).
 */

/** The reserved first key word of an empty slot. */
export const EMPTY = -1;

/** Capacity of a table sized for `expected` entries: a power of two at least twice it. */
function capacityFor(expected: number): number {
  let cap = 16;
  while (cap < expected * 2) cap *= 2;
  return cap;
}

/**
 * A growable Int32Array: `push`, then read `a[0 .. n)` or take `toArray()`. Sized up front
 * where the caller can count, because doubling a large typed array makes V8 sweep the heap.
 */
export class IntVec {
  /** Backing store; entries past `n` are unused. Replaced (not resized) on growth. */
  a: Int32Array;
  /** Number of entries pushed. */
  n = 0;
  /** @param capacity entries to reserve before the first growth (at least 4). */
  constructor(capacity = 16) {
    this.a = new Int32Array(Math.max(4, capacity));
  }
  /** Appends `x`, doubling the store when full. */
  push(x: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = x;
  }
  /** The used part: a view, not a copy (big copies make V8 collect the whole heap). */
  toArray(): Int32Array {
    return this.a.length === this.n ? this.a : this.a.subarray(0, this.n);
  }
}

/**
 * Three Int32 columns over one power-of-two capacity, the layout both hash tables share: slot i
 * holds (a[i], b[i], c[i]), empty while a[i] is EMPTY. Subclasses probe; growing re-inserts
 * every entry through `reinsert`, at double the capacity.
 */
abstract class ThreeColumns {
  protected mask: number;
  protected a: Int32Array;
  protected b: Int32Array;
  protected c: Int32Array;
  /** Number of entries stored. */
  size = 0;
  /** @param expected entries to make room for before the first growth. */
  constructor(expected: number) {
    const cap = capacityFor(expected);
    this.mask = cap - 1;
    this.a = new Int32Array(cap).fill(EMPTY);
    this.b = new Int32Array(cap);
    this.c = new Int32Array(cap);
  }
  /** Doubles the capacity and puts every entry back. */
  protected grow(): void {
    const { a, b, c } = this;
    const cap = a.length * 2;
    this.mask = cap - 1;
    this.a = new Int32Array(cap).fill(EMPTY);
    this.b = new Int32Array(cap);
    this.c = new Int32Array(cap);
    this.size = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== EMPTY) this.reinsert(a[i], b[i], c[i]);
  }
  /** Stores an entry known to be absent, without growing (the table was just resized). */
  protected abstract reinsert(a: number, b: number, c: number): void;
}

/**
 * A map from a pair of int32s (a, b) to an int32: the search's memo (state, op) → next state,
 * Elle's (key, value) → writer micro-op. `a` must not be EMPTY; `b` and the values may be any
 * int32.
 */
export class PairMap extends ThreeColumns {
  /** @param expected entries to make room for before the first growth. */
  constructor(expected = 2048) {
    super(expected);
  }
  /** The slot holding (a, b), or the empty slot where it would go. */
  private slot(a: number, b: number): number {
    const { mask } = this;
    let i = hash2(a, b) & mask;
    for (;;) {
      const x = this.a[i];
      if (x === EMPTY || (x === a && this.b[i] === b)) return i;
      i = (i + 1) & mask;
    }
  }
  /** The value stored for (a, b), or `missing` (-1 unless given) when there is none. */
  get(a: number, b: number, missing = -1): number {
    // The probe written out, not `slot`: this is the search's memo lookup, once per step
    // (measured: about 5 % of a search-heavy check's CPU went to the extra call and load).
    const { mask } = this;
    let i = hash2(a, b) & mask;
    for (;;) {
      const x = this.a[i];
      if (x === EMPTY) return missing;
      if (x === a && this.b[i] === b) return this.c[i];
      i = (i + 1) & mask;
    }
  }
  /** Whether (a, b) has a value. */
  has(a: number, b: number): boolean {
    return this.a[this.slot(a, b)] !== EMPTY;
  }
  /** Stores (a, b) → v; returns the value it replaces, or -1 when (a, b) was new. */
  set(a: number, b: number, v: number): number {
    const i = this.slot(a, b);
    if (this.a[i] !== EMPTY) {
      const old = this.c[i];
      this.c[i] = v;
      return old;
    }
    this.a[i] = a;
    this.b[i] = b;
    this.c[i] = v;
    if (++this.size * 2 > this.mask) this.grow();
    return -1;
  }
  protected reinsert(a: number, b: number, v: number): void {
    const s = this.slot(a, b);
    this.a[s] = a;
    this.b[s] = b;
    this.c[s] = v;
    this.size++;
  }

}

/**
 * A set of int32 triples (a, b, c): the search's cache of configurations (bitset hash lo,
 * bitset hash hi, state id). `a` must not be EMPTY.
 */
export class TripleSet extends ThreeColumns {
  /** @param expected entries to make room for before the first growth. */
  constructor(expected = 2048) {
    super(expected);
  }
  /** Adds the triple; false if it was already there. */
  add(a: number, b: number, c: number): boolean {
    const { mask } = this;
    let i = hash3(a, b, c) & mask;
    for (;;) {
      const x = this.a[i];
      if (x === EMPTY) break;
      if (x === a && this.b[i] === b && this.c[i] === c) return false;
      i = (i + 1) & mask;
    }
    this.a[i] = a;
    this.b[i] = b;
    this.c[i] = c;
    if (++this.size * 2 > mask) this.grow();
    return true;
  }
  /** Whether the triple is in the set. */
  has(a: number, b: number, c: number): boolean {
    const { mask } = this;
    let i = hash3(a, b, c) & mask;
    for (;;) {
      const x = this.a[i];
      if (x === EMPTY) return false;
      if (x === a && this.b[i] === b && this.c[i] === c) return true;
      i = (i + 1) & mask;
    }
  }
  /** Removes the triple if present (backward-shift deletion: no tombstones). */
  delete(a: number, b: number, c: number): boolean {
    const { mask } = this;
    let i = hash3(a, b, c) & mask;
    for (;;) {
      const x = this.a[i];
      if (x === EMPTY) return false;
      if (x === a && this.b[i] === b && this.c[i] === c) break;
      i = (i + 1) & mask;
    }
    // Shift later members of the probe run back into the hole when their home allows it.
    let hole = i;
    for (let j = (i + 1) & mask; this.a[j] !== EMPTY; j = (j + 1) & mask) {
      const home = hash3(this.a[j], this.b[j], this.c[j]) & mask;
      // j's entry may move to the hole unless its home lies cyclically in (hole, j].
      const inRun = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (inRun) continue;
      this.a[hole] = this.a[j];
      this.b[hole] = this.b[j];
      this.c[hole] = this.c[j];
      hole = j;
    }
    this.a[hole] = EMPTY;
    this.size--;
    return true;
  }
  protected reinsert(a: number, b: number, c: number): void {
    const { mask } = this;
    let i = hash3(a, b, c) & mask;
    while (this.a[i] !== EMPTY) i = (i + 1) & mask;
    this.a[i] = a;
    this.b[i] = b;
    this.c[i] = c;
    this.size++;
  }

}

function hash2(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae3d);
  return h ^ (h >>> 13);
}

function hash3(a: number, b: number, c: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae3d);
  return h ^ (h >>> 13);
}
