/**
 * `perf`: latency and throughput, as Jepsen's perf checker: quantiles (p50 / p95 / p99 / max,
 * in milliseconds) overall, per outcome, and per :f and outcome; completions per second over
 * time buckets; the nemesis's fault intervals. With `--out`, writes `latency-raw.svg`,
 * `latency-quantiles.svg` and `rate.svg` (Jepsen's names). Valid whenever there is a client op
 * to measure (unknown when there is none): it measures, it does not judge.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { positiveNumber } from '../../util/options.js';
import type { EdnRecord } from '../../edn/values.js';
import type { History } from '../../history/history.js';
import { type CheckContext, type CheckResult, type Checker } from '../../check/checker.js';
import { nothingToJudge } from '../../check/results.js';
import { type NemesisInterval, nemesisIntervals } from './nemesis.js';
import { latencyQuantilesSvg, latencyRawSvg, rateSeriesOf, rateSvg } from './plots.js';
import { type Buckets, OUTCOMES, QUANTILES, QUANTILE_NAMES, type Samples, bucketsFor, collectSamples, quantileOfSorted } from './samples.js';

/** Options for `perfData` (the `perf` checker's `--perf-bucket`). */
export interface PerfOptions {
  /** Width of throughput / quantile time buckets in seconds; default about 100 buckets. */
  perfBucket?: number;
}

/** Everything perf computes, for the checker and for the HTML report. */
export interface PerfData {
  samples: Samples;
  buckets: Buckets;
  nemesis: NemesisInterval[];
}

/** Perf's measurements of a history: latency samples, time buckets (about 100 unless `perfBucket` says), nemesis intervals. */
export function perfData(history: History, options: PerfOptions = {}): PerfData {
  const samples = collectSamples(history);
  const buckets = bucketsFor(samples.duration, 100, options.perfBucket);
  const { intervals } = nemesisIntervals(history, samples.origin, samples.duration);
  return { samples, buckets, nemesis: intervals };
}

/** `{count, mean, p50, p95, p99, max}` in ms for sorted latencies (quantiles nil when count is 0). */
function summary(sorted: Float64Array): EdnRecord {
  const r: EdnRecord = { count: sorted.length };
  if (sorted.length === 0) return r;
  let sum = 0;
  for (const v of sorted) sum += v;
  r.mean = round3(sum / sorted.length);
  QUANTILES.forEach((q, i) => (r[QUANTILE_NAMES[i]] = round3(quantileOfSorted(sorted, q))));
  return r;
}

/** Microsecond precision is plenty for millisecond latencies, and keeps results readable. */
const round3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * Latencies sorted within each (:f, outcome) group, groups laid out f-major (group = f·3 +
 * outcome) in one array: one counting-sort pass, then a native sort per group.
 */
function groupedLatencies(s: Samples): { sorted: Float64Array; offsets: Int32Array } {
  const groups = s.fNames.length * OUTCOMES.length;
  const offsets = new Int32Array(groups + 1);
  for (let k = 0; k < s.n; k++) offsets[s.f[k] * 3 + s.outcome[k] + 1]++;
  for (let g = 0; g < groups; g++) offsets[g + 1] += offsets[g];
  const fill = offsets.slice(0, groups);
  const sorted = new Float64Array(s.n);
  for (let k = 0; k < s.n; k++) sorted[fill[s.f[k] * 3 + s.outcome[k]]++] = s.latency[k];
  for (let g = 0; g < groups; g++) sorted.subarray(offsets[g], offsets[g + 1]).sort();
  return { sorted, offsets };
}

/**
 * The perf result map for `data`: latency summaries in ms (overall, per outcome, per :f and
 * outcome), throughput per bucket, the nemesis intervals and the incomplete-op count. Always valid.
 */
export function perfResult(data: PerfData): CheckResult {
  const { samples: s, buckets: b } = data;
  const { sorted, offsets } = groupedLatencies(s);
  const group = (fi: number, o: number) => sorted.subarray(offsets[fi * 3 + o], offsets[fi * 3 + o + 1]);
  const byOutcome: EdnRecord = {};
  OUTCOMES.forEach((name, o) => {
    const parts = s.fNames.map((_, fi) => group(fi, o));
    const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    if (all.length > 0) byOutcome[name] = summary(all.sort());
  });
  const byF: EdnRecord = {};
  s.fNames.forEach((name, fi) => {
    const entry: EdnRecord = { all: summary(sorted.slice(offsets[fi * 3], offsets[fi * 3 + 3]).sort()) };
    OUTCOMES.forEach((outcome, o) => {
      if (group(fi, o).length > 0) entry[outcome] = summary(group(fi, o));
    });
    byF[name] = entry;
  });
  const overall = new Float64Array(b.count);
  for (let k = 0; k < s.n; k++) overall[Math.min(b.count - 1, Math.floor(s.end[k] / b.width))]++;
  let peak = 0;
  for (let j = 0; j < b.count; j++) peak = Math.max(peak, overall[j] / b.width);
  return {
    'valid?': true,
    'latency-ms': { all: summary(sorted.slice().sort()), 'by-outcome': byOutcome, 'by-f': byF },
    throughput: {
      'duration-s': round3(s.duration),
      'bucket-s': b.width,
      'mean-ops-per-s': s.duration > 0 ? round3(s.n / s.duration) : 0,
      'peak-ops-per-s': round3(peak),
      'ops-per-s': Array.from(overall, (v) => round3(v / b.width)),
    },
    nemesis: data.nemesis.map((iv) => {
      const r: EdnRecord = { f: iv.f, 'from-s': round3(iv.from), 'to-s': round3(iv.to) };
      if (iv.closedBy !== undefined) r['closed-by'] = iv.closedBy;
      return r;
    }),
    'incomplete-count': s.incomplete,
  };
}

/** The three plots by file name. */
export function perfPlots(data: PerfData): Record<string, string> {
  const { samples: s, buckets: b, nemesis } = data;
  return {
    'latency-raw.svg': latencyRawSvg(s, nemesis),
    'latency-quantiles.svg': latencyQuantilesSvg(s, b, nemesis),
    'rate.svg': rateSvg(s, b, rateSeriesOf(s, b), nemesis),
  };
}

/** The plots perf writes into --out (the keys of `perfPlots`). */
export const PERF_FILES: readonly string[] = ['latency-raw.svg', 'latency-quantiles.svg', 'rate.svg'];

/**
 * The `perf` checker's work: measures the history and, with `ctx.outDir`, writes `PERF_FILES`
 * there (listed under `:files`). Unknown when there is no client op to measure.
 */
export async function checkPerf(history: History, options: PerfOptions, ctx: CheckContext): Promise<CheckResult> {
  if (history.invocations().length === 0) return nothingToJudge('no client operation to measure');
  const data = perfData(history, options);
  const result = perfResult(data);
  if (ctx.outDir !== undefined) {
    await mkdir(ctx.outDir, { recursive: true });
    const plots = perfPlots(data);
    for (const [name, svg] of Object.entries(plots)) await writeFileAtomic(join(ctx.outDir, name), svg);
    result.files = Object.keys(plots);
  }
  return result;
}

function parseSeconds(raw: string): number {
  return positiveNumber('--perf-bucket', raw, 'seconds');
}

/**
 * The `perf` checker (`--checker perf`): `checkPerf`, with `--perf-bucket <seconds>` (on the
 * command line a `UsageError` unless a positive number).
 *
 * @example
 * const result = await check(history, [perf], { perfBucket: 10 }, { outDir: 'out' });
 */
export const perf: Checker<PerfOptions> = {
  name: 'perf',
  summary: 'latency quantiles per :f and outcome, throughput over time, nemesis intervals; SVG plots in --out',
  options: [{ flags: '--perf-bucket <seconds>', description: 'perf: time bucket width for throughput and quantile plots (default: about 100 buckets)', parse: parseSeconds }],
  writes: PERF_FILES,
  check: (history, options, ctx) => checkPerf(history, options, ctx),
  describe: (r) => {
    const all = (r['latency-ms'] as EdnRecord).all as EdnRecord;
    const t = r.throughput as EdnRecord;
    return `${String(all.count)} ops, latency p50 ${String(all.p50 ?? '-')} ms, p99 ${String(all.p99 ?? '-')} ms, ${String(t['mean-ops-per-s'])} ops/s`;
  },
};
