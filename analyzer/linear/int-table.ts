/**
 * Open-addressing hash tables keyed by small tuples of int32s, stored in typed arrays: the
 * search's cache of configurations and its memo of model transitions. A JS `Set<number>` of
 * 52-bit keys boxes every key as a heap number and a `Map` rehashes by allocation; these keep
 * all entries in a few flat arrays, so a million entries cost a few tens of MB and no garbage.
 *
 * Linear probing over a power-of-two capacity, grown at 1/2 load. Slots are empty while their
 * first key word is EMPTY, so that value is reserved (callers keep it out of their keys).
 */

export const EMPTY = -1;

/** A set of (a, b, c) triples: the search's (bitset hash lo, bitset hash hi, state id) configurations. */
export class TripleSet {
  private mask: number;
  private a: Int32Array;
  private b: Int32Array;
  private c: Int32Array;
  size = 0;
  constructor(capacityLog2 = 12) {
    const cap = 1 << capacityLog2;
    this.mask = cap - 1;
    this.a = new Int32Array(cap).fill(EMPTY);
    this.b = new Int32Array(cap);
    this.c = new Int32Array(cap);
  }
  /** Adds the triple; false if it was already there. `a` must not be EMPTY. */
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
  private grow(): void {
    const { a, b, c } = this;
    const cap = a.length * 2;
    this.mask = cap - 1;
    this.a = new Int32Array(cap).fill(EMPTY);
    this.b = new Int32Array(cap);
    this.c = new Int32Array(cap);
    this.size = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== EMPTY) this.add(a[i], b[i], c[i]);
  }
}

/** A map (a, b) → int32, for the memo of transitions (state id, op id) → next state id. */
export class PairMap {
  private mask: number;
  private a: Int32Array;
  private b: Int32Array;
  private v: Int32Array;
  size = 0;
  constructor(capacityLog2 = 12) {
    const cap = 1 << capacityLog2;
    this.mask = cap - 1;
    this.a = new Int32Array(cap).fill(EMPTY);
    this.b = new Int32Array(cap);
    this.v = new Int32Array(cap);
  }
  /** The value stored for (a, b), or `missing`. */
  get(a: number, b: number, missing: number): number {
    const { mask } = this;
    let i = hash2(a, b) & mask;
    for (;;) {
      const x = this.a[i];
      if (x === EMPTY) return missing;
      if (x === a && this.b[i] === b) return this.v[i];
      i = (i + 1) & mask;
    }
  }
  /** Stores (a, b) → v; (a, b) must not be present yet. */
  set(a: number, b: number, v: number): void {
    const { mask } = this;
    let i = hash2(a, b) & mask;
    while (this.a[i] !== EMPTY) i = (i + 1) & mask;
    this.a[i] = a;
    this.b[i] = b;
    this.v[i] = v;
    if (++this.size * 2 > mask) this.grow();
  }
  private grow(): void {
    const { a, b, v } = this;
    const cap = a.length * 2;
    this.mask = cap - 1;
    this.a = new Int32Array(cap).fill(EMPTY);
    this.b = new Int32Array(cap);
    this.v = new Int32Array(cap);
    this.size = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== EMPTY) this.set(a[i], b[i], v[i]);
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
