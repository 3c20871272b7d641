/**
 * Interning: EDN values (elements, keys, ids) to dense small integers, so hot loops index
 * typed arrays instead of hashing values. One interner for every checker.
 */
import { type EdnValue, ednEquals, ednHash } from '../edn/values.js';

/** Integers below this are interned through a dense table (at most 64 MB). */
const DENSE_LIMIT = 1 << 24;

/**
 * Interns EDN values as dense ints, in first-seen order (`values[id]` is the value). Numbers and
 * strings hash natively; other values by their structural hash, compared with ednEquals.
 */
export class Interner {
  /** Every value interned, by id. */
  readonly values: EdnValue[] = [];
  private dense = new Int32Array(0);
  private readonly nums = new Map<number, number>();
  private readonly strs = new Map<string, number>();
  private readonly others = new Map<number, number[]>();

  /** The id of v, interning it (the next id) if it is new. */
  id(v: EdnValue): number {
    if (typeof v === 'number') {
      // Fast path: small non-negative integers (Jepsen's elements) index a dense table.
      if ((v >>> 0) === v && v < DENSE_LIMIT) {
        if (v >= this.dense.length) this.growDense(v);
        const k = this.dense[v];
        if (k >= 0) return k;
        return (this.dense[v] = this.push(v));
      }
      let k = this.nums.get(v);
      if (k === undefined) this.nums.set(v, (k = this.push(v)));
      return k;
    }
    if (typeof v === 'string') {
      let k = this.strs.get(v);
      if (k === undefined) this.strs.set(v, (k = this.push(v)));
      return k;
    }
    const h = ednHash(v);
    let bucket = this.others.get(h);
    if (bucket === undefined) this.others.set(h, (bucket = []));
    for (const k of bucket) if (ednEquals(this.values[k], v)) return k;
    const k = this.push(v);
    bucket.push(k);
    return k;
  }

  private scratchIds = new Int32Array(1024);

  /**
   * Interns every item of `items` (a read's contents) and returns their ids in an Int32Array
   * that is reused by the next call (only its first `items.length` entries are meaningful).
   * Small non-negative integers take a tight loop over the dense table.
   */
  idsOf(items: readonly EdnValue[]): Int32Array {
    const n = items.length;
    if (this.scratchIds.length < n) this.scratchIds = new Int32Array(Math.max(n, this.scratchIds.length * 2));
    const out = this.scratchIds;
    let dense = this.dense;
    for (let i = 0; i < n; i++) {
      const v = items[i];
      if (typeof v === 'number' && (v | 0) === v && v >= 0 && v < dense.length) {
        let k = dense[v];
        if (k < 0) k = dense[v] = this.push(v);
        out[i] = k;
      } else {
        out[i] = this.id(v);
        dense = this.dense; // id may have grown it
      }
    }
    return out;
  }

  /** The id of v if interned, else -1. */
  find(v: EdnValue): number {
    if (typeof v === 'number' && (v >>> 0) === v && v < DENSE_LIMIT) return v < this.dense.length ? this.dense[v] : -1;
    if (typeof v === 'number') return this.nums.get(v) ?? -1;
    if (typeof v === 'string') return this.strs.get(v) ?? -1;
    const bucket = this.others.get(ednHash(v));
    if (bucket) for (const k of bucket) if (ednEquals(this.values[k], v)) return k;
    return -1;
  }

  get size(): number {
    return this.values.length;
  }

  private growDense(v: number): void {
    let n = Math.max(1024, this.dense.length * 2);
    while (n <= v) n *= 2;
    const d = new Int32Array(Math.min(n, DENSE_LIMIT)).fill(-1);
    d.set(this.dense);
    this.dense = d;
  }

  private push(v: EdnValue): number {
    this.values.push(v);
    return this.values.length - 1;
  }
}
