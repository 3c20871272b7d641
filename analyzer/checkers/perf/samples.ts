/**
 * Latency samples and quantiles, column-wise: one entry per completed client op with times,
 * in typed arrays so a million ops cost a few tens of megabytes and sort natively.
 */
import type { History } from '../../history/history.js';
import { FAIL, INFO, INVOKE, OK } from '../../history/op.js';

/** Outcome codes used here: index into OUTCOMES. */
export const OUTCOMES = ['ok', 'fail', 'info'] as const;
/** `'ok'`, `'fail'` or `'info'`. */
export type OutcomeName = (typeof OUTCOMES)[number];

/** The samples (see this file's header), column-wise: arrays indexed 0..n-1. */
export interface Samples {
  n: number;
  /** Invocation time, seconds since the history's first timed op. */
  start: Float64Array;
  /** Completion time, seconds since the same origin. */
  end: Float64Array;
  /** Latency in milliseconds. */
  latency: Float64Array;
  /** Dense :f index into fNames. */
  f: Uint16Array;
  /** 0 ok, 1 fail, 2 info. */
  outcome: Uint8Array;
  /** The :f names, in order of first appearance. */
  fNames: string[];
  /** Origin of the time axis (ns) and the last time seen (seconds since origin). */
  origin: number;
  duration: number;
  /** Client invocations without a completion or without times (no latency). */
  incomplete: number;
}

const outcomeIndex = (t: number) => (t === OK ? 0 : t === FAIL ? 1 : t === INFO ? 2 : -1);

/** A sample per client invocation that completed and has both times; the rest are counted as `incomplete`. */
export function collectSamples(h: History): Samples {
  let origin = Infinity;
  let last = -Infinity;
  for (let i = 0; i < h.length; i++) {
    const t = h.time[i];
    if (t !== t) continue; // NaN: no time
    if (t < origin) origin = t;
    if (t > last) last = t;
  }
  if (origin === Infinity) origin = last = 0;
  const inv = h.invocations();
  const cap = inv.length;
  const start = new Float64Array(cap);
  const end = new Float64Array(cap);
  const latency = new Float64Array(cap);
  const f = new Uint16Array(cap);
  const outcome = new Uint8Array(cap);
  const fIndex = new Map<number, number>();
  const fNames: string[] = [];
  let n = 0;
  let incomplete = 0;
  // Columns as locals: this loop runs once per op.
  const { pair, time, type, f: fCol } = h;
  let lastF = -2;
  let lastFi = 0;
  for (let k = 0; k < inv.length; k++) {
    const i = inv[k];
    const c = pair[i];
    const t0 = time[i];
    const t1 = c >= 0 ? time[c] : NaN;
    const o = c >= 0 ? outcomeIndex(type[c]) : -1;
    if (o < 0 || Number.isNaN(t0) || Number.isNaN(t1) || type[i] !== INVOKE) {
      incomplete++;
      continue;
    }
    let fi = lastFi;
    if (fCol[i] !== lastF) {
      let got = fIndex.get(fCol[i]);
      if (got === undefined) {
        got = fNames.length;
        fIndex.set(fCol[i], got);
        fNames.push(h.fName(i) ?? (fCol[i] < 0 ? 'nil' : String(h.fTable[fCol[i]])));
      }
      fi = lastFi = got;
      lastF = fCol[i];
    }
    start[n] = (t0 - origin) / 1e9;
    end[n] = (t1 - origin) / 1e9;
    latency[n] = (t1 - t0) / 1e6;
    f[n] = fi;
    outcome[n] = o;
    n++;
  }
  return {
    n,
    start: start.subarray(0, n),
    end: end.subarray(0, n),
    latency: latency.subarray(0, n),
    f: f.subarray(0, n),
    outcome: outcome.subarray(0, n),
    fNames,
    origin,
    duration: (last - origin) / 1e9,
    incomplete,
  };
}

/** The quantiles perf reports. */
export const QUANTILES = [0.5, 0.95, 0.99, 1] as const;
/** Their names in results and legends. */
export const QUANTILE_NAMES = ['p50', 'p95', 'p99', 'max'] as const;

/**
 * The q-quantile of sorted values: the element at floor(q·n), capped at the last (as Jepsen's
 * perf checker picks them). NaN for no values.
 */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  return sorted[Math.min(n - 1, Math.floor(q * n))];
}

/** Time buckets: width in seconds and how many cover [0, duration]. */
export interface Buckets {
  width: number;
  count: number;
}

/** About `target` buckets of a round width (1, 2 or 5 × 10^k seconds), unless a width is given. */
export function bucketsFor(duration: number, target = 100, width?: number): Buckets {
  let w = width;
  if (w === undefined || !(w > 0)) {
    const raw = duration / target;
    const p = 10 ** Math.floor(Math.log10(raw > 0 ? raw : 1e-3));
    w = [1, 2, 5, 10].map((m) => m * p).find((c) => c >= raw) ?? 10 * p;
  }
  return { width: w, count: Math.max(1, Math.floor(duration / w) + 1) };
}

/**
 * Per-bucket quantiles of one :f's latencies by invocation time: out[q][b] (NaN for empty
 * buckets). A counting sort by bucket, then a native sort within each bucket.
 */
export function bucketQuantiles(s: Samples, fi: number, b: Buckets): Float64Array[] {
  const counts = new Int32Array(b.count + 1);
  const bucketOf = (k: number) => Math.min(b.count - 1, Math.floor(s.start[k] / b.width));
  for (let k = 0; k < s.n; k++) if (s.f[k] === fi) counts[bucketOf(k) + 1]++;
  for (let j = 0; j < b.count; j++) counts[j + 1] += counts[j];
  const fill = counts.slice(0, b.count);
  const vals = new Float64Array(counts[b.count]);
  for (let k = 0; k < s.n; k++) if (s.f[k] === fi) vals[fill[bucketOf(k)]++] = s.latency[k];
  const out = QUANTILES.map(() => new Float64Array(b.count).fill(NaN));
  for (let j = 0; j < b.count; j++) {
    const part = vals.subarray(counts[j], counts[j + 1]).sort();
    if (part.length === 0) continue;
    QUANTILES.forEach((q, qi) => (out[qi][j] = quantileOfSorted(part, q)));
  }
  return out;
}

/** Completions per second in each bucket, for the samples selected by `keep` (by completion time). */
export function rateSeries(s: Samples, b: Buckets, keep: (k: number) => boolean): Float64Array {
  const out = new Float64Array(b.count);
  for (let k = 0; k < s.n; k++) {
    if (!keep(k)) continue;
    out[Math.min(b.count - 1, Math.floor(s.end[k] / b.width))]++;
  }
  for (let j = 0; j < b.count; j++) out[j] /= b.width;
  return out;
}
