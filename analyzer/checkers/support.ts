/** Small helpers the set / queue / counter family of checkers share. */
import { EdnSet, type EdnRecord, type EdnValue, Keyword, ednCompare, ednEquals, ednHash, kw } from '../edn/values.js';
import { printEdn } from '../edn/print.js';
import type { History } from '../history/history.js';
import { OK, OP_TYPES } from '../history/op.js';
import { type CheckResult, UNKNOWN } from './checker.js';

/**
 * The verdict of a checker that found nothing to judge (no op of the kind it checks completed
 * :ok): :unknown, never valid, with `error` saying what was missing. `extra` keeps the
 * checker's usual counts beside it.
 */
export function nothingToJudge(error: string, extra: EdnRecord = {}): CheckResult {
  return { ...extra, 'valid?': UNKNOWN, error };
}

/** How many client ops with `:f` id `f` (any `:f` when -1) completed :ok. */
export function okCount(history: History, f = -1): number {
  let n = 0;
  for (let i = 0; i < history.length; i++) if (history.type[i] === OK && (f < 0 || history.f[i] === f) && history.isClient(i)) n++;
  return n;
}

/**
 * Which optional keys an op record may carry (both by default). Elle's anomaly maps have never
 * carried :error, nor sequential's citations :time (real time means nothing to it) or :error;
 * those callers turn them off so their results keep exactly the keys they always had.
 */
export interface OpRecordKeys {
  time?: boolean;
  error?: boolean;
}

/** Op i as a result map (`{:index :time :type :process :f :value :error}`), for counterexamples. */
export function opRecord(history: History, i: number, keys: OpRecordKeys = {}): EdnRecord {
  const r: EdnRecord = { index: history.index[i] };
  if (keys.time !== false && !Number.isNaN(history.time[i])) r.time = history.time[i];
  r.type = kw(OP_TYPES[history.type[i]]);
  const p = history.processValue(i);
  if (p !== undefined) r.process = p;
  const f = history.fValue(i);
  if (f !== undefined) r.f = f;
  r.value = history.value[i];
  const e = keys.error === false ? undefined : history.error.get(i);
  if (e !== undefined) r.error = e;
  return r;
}

/** The items of a read value: a vector, list or set; undefined for anything else (nil included). */
export function itemsOf(v: EdnValue): EdnValue[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof EdnSet) return v.items;
  return undefined;
}

/**
 * Interns EDN values as dense ints. Numbers and strings hash natively; other values by their
 * structural hash, compared with ednEquals.
 */
/** Integers below this are interned through a dense table (at most 64 MB). */
const DENSE_LIMIT = 1 << 24;

export class Interner {
  readonly values: EdnValue[] = [];
  private dense = new Int32Array(0);
  private readonly nums = new Map<number, number>();
  private readonly strs = new Map<string, number>();
  private readonly others = new Map<number, number[]>();

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

/** Sorts values as Clojure's `sort` would for the element types histories use. */
export function sortedValues(vs: Iterable<EdnValue>): EdnValue[] {
  return [...vs].sort(ednCompare);
}

/** A name for an error class value (symbol, keyword, string): `java.net.ConnectException`. */
export function className(v: EdnValue): string {
  if (v instanceof Keyword) return v.name;
  if (typeof v === 'string') return v;
  return printEdn(v);
}
