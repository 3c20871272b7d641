/**
 * Small typed-array containers for the checker's hot paths: a growable Int32 vector and an
 * open-addressing hash map from a pair of non-negative ints (key id, value id) to an int.
 * They let the checker index millions of micro-ops without one JS object per element.
 */

/** A growable Int32Array. */
export class IntVec {
  a: Int32Array;
  n = 0;
  constructor(capacity = 16) {
    this.a = new Int32Array(Math.max(4, capacity));
  }
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

/** Map from (a, b), a in [0, 2^31 - 1) and b any int32, to an int32 >= 0; get gives -1 when absent. */
export class PairMap {
  private ka: Int32Array;
  private kb: Int32Array;
  private vals: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 16) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.ka = new Int32Array(cap);
    this.kb = new Int32Array(cap);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
  }

  private slot(a: number, b: number): number {
    const a1 = a + 1; // stored keys are a + 1, so that 0 (the fill) means empty
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    let i = h & this.mask;
    const ka = this.ka;
    const kb = this.kb;
    while (ka[i] !== 0 && (ka[i] !== a1 || kb[i] !== b)) i = (i + 1) & this.mask;
    return i;
  }

  get(a: number, b: number): number {
    const i = this.slot(a, b);
    return this.ka[i] === 0 ? -1 : this.vals[i];
  }

  has(a: number, b: number): boolean {
    return this.ka[this.slot(a, b)] !== 0;
  }

  /** Sets (a, b) -> v; returns the previous value or -1. */
  set(a: number, b: number, v: number): number {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    const i = this.slot(a, b);
    if (this.ka[i] === 0) {
      this.ka[i] = a + 1;
      this.kb[i] = b;
      this.vals[i] = v;
      this.size++;
      return -1;
    }
    const old = this.vals[i];
    this.vals[i] = v;
    return old;
  }

  private grow(): void {
    const { ka, kb, vals } = this;
    const cap = (this.mask + 1) * 2;
    this.ka = new Int32Array(cap);
    this.kb = new Int32Array(cap);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] === 0) continue;
      const s = this.slot(ka[i] - 1, kb[i]);
      this.ka[s] = ka[i];
      this.kb[s] = kb[i];
      this.vals[s] = vals[i];
    }
  }
}
