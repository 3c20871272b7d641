/**
 * The perf checker's three pictures, as SVG strings (the HTML report embeds the same strings):
 *   - latency-raw: every op's latency at its invocation time, log scale, coloured by outcome,
 *     round or square dots per :f. Points are thinned to one per 2×2-pixel cell per series,
 *     which keeps outliers (a lone slow op still shows) and bounds the file on 1 M ops.
 *   - latency-quantiles: p50 / p95 / p99 / max per time bucket, a colour per :f.
 *   - rate: completions per second per time bucket, per :f and outcome.
 * Nemesis fault intervals are shaded in all three.
 */
import { type LegendEntry, PALETTE, PlotFrame, polylinePath, r1 } from '../../render/svg.js';
import type { NemesisInterval } from './nemesis.js';
import { type Buckets, OUTCOMES, QUANTILE_NAMES, type Samples, bucketQuantiles, rateSeries } from './samples.js';

const WIDTH = 960;
const HEIGHT = 420;
/** Jepsen's outcome colours. */
export const OUTCOME_COLOURS = { ok: '#81bffc', fail: '#ff1e90', info: '#ffa400' } as const;
const QUANTILE_DASH = ['', '6 3', '2 2', '1 4'];
const OUTCOME_DASH = ['', '6 3', '2 2'];

function shading(frame: PlotFrame, nemesis: ReadonlyArray<NemesisInterval>): string {
  return frame.intervals(nemesis.map((iv) => ({ from: iv.from, to: iv.to, label: `${iv.f}${iv.closedBy ? ` … ${iv.closedBy}` : ''}` })));
}

function latencyRange(s: Samples): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = 0;
  for (let k = 0; k < s.n; k++) {
    const v = s.latency[k];
    if (v > 0 && v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) lo = hi = 1;
  return { lo: 10 ** Math.floor(Math.log10(lo)), hi: 10 ** Math.ceil(Math.log10(Math.max(hi, lo * 10))) };
}

/** The latency-raw plot: each op's latency (log scale) at its invocation time, thinned (see this file's header). */
export function latencyRawSvg(s: Samples, nemesis: ReadonlyArray<NemesisInterval>, title = 'Latency (raw)'): string {
  const { lo, hi } = latencyRange(s);
  const frame = new PlotFrame({ width: WIDTH, height: HEIGHT, title, xLabel: 'time (s)', yLabel: 'latency (ms)', xMin: 0, xMax: Math.max(s.duration, 1e-9), yMin: lo, yMax: hi, yLog: true });
  const cellsX = Math.ceil((frame.right - frame.left) / 2) + 1;
  const cellsY = Math.ceil((frame.bottom - frame.top) / 2) + 1;
  const cells = cellsX * cellsY;
  // One pass: series = f·3 + outcome, each with its own occupied-cell bitmap and path pieces.
  const series = s.fNames.length * OUTCOMES.length;
  const seen = new Uint8Array(series * cells);
  const paths: string[][] = Array.from({ length: series }, () => []);
  const counts = new Int32Array(series);
  for (let k = 0; k < s.n; k++) {
    const g = s.f[k] * 3 + s.outcome[k];
    counts[g]++;
    const x = frame.x(s.start[k]);
    const y = frame.y(s.latency[k]);
    const cx = Math.floor((x - frame.left) / 2);
    const cy = Math.floor((y - frame.top) / 2);
    if (cx < 0 || cx >= cellsX || cy < 0 || cy >= cellsY) continue;
    const cell = g * cells + cx * cellsY + cy;
    if (seen[cell]) continue;
    seen[cell] = 1;
    paths[g].push(`M${r1(x)} ${r1(y)}h0`);
  }
  const marks: string[] = [];
  const legend: LegendEntry[] = [];
  for (let g = 0; g < series; g++) {
    if (counts[g] === 0) continue;
    const fi = Math.floor(g / 3);
    const o = g % 3;
    const cap = fi % 2 === 0 ? 'round' : 'square';
    const colour = OUTCOME_COLOURS[OUTCOMES[o]];
    marks.push(`<path d="${paths[g].join('')}" stroke="${colour}" stroke-width="3" stroke-linecap="${cap}" fill="none"/>`);
    legend.push({ label: `${s.fNames[fi]} ${OUTCOMES[o]} (${counts[g]})`, colour, mark: cap });
  }
  return frame.document(marks.join('\n'), shading(frame, nemesis) + frame.legend(legend));
}

/** The latency-quantiles plot: p50 / p95 / p99 / max per bucket of invocation time, a colour per :f. */
export function latencyQuantilesSvg(s: Samples, b: Buckets, nemesis: ReadonlyArray<NemesisInterval>, title = 'Latency quantiles'): string {
  const { lo, hi } = latencyRange(s);
  const frame = new PlotFrame({ width: WIDTH, height: HEIGHT, title: `${title} (${b.width} s buckets)`, xLabel: 'time (s)', yLabel: 'latency (ms)', xMin: 0, xMax: Math.max(s.duration, 1e-9), yMin: lo, yMax: hi, yLog: true });
  const xs = Float64Array.from({ length: b.count }, (_, j) => frame.x((j + 0.5) * b.width));
  const marks: string[] = [];
  const legend: LegendEntry[] = [];
  s.fNames.forEach((name, fi) => {
    const colour = PALETTE[fi % PALETTE.length];
    bucketQuantiles(s, fi, b).forEach((qs, qi) => {
      const ys = qs.map((v) => (Number.isNaN(v) ? NaN : frame.y(v)));
      const dash = QUANTILE_DASH[qi];
      marks.push(`<path d="${polylinePath(xs, ys)}" stroke="${colour}" stroke-width="1.5" fill="none"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
      legend.push({ label: `${name} ${QUANTILE_NAMES[qi]}`, colour, dash });
    });
  });
  return frame.document(marks.join('\n'), shading(frame, nemesis) + frame.legend(legend));
}

/** One line of the rate plot: completions per second in each bucket, for one :f and outcome. */
export interface RateSeries {
  f: string;
  outcome: string;
  perSecond: Float64Array;
}

/** The rate plot's lines: one per :f and outcome that completed at least once. */
export function rateSeriesOf(s: Samples, b: Buckets): RateSeries[] {
  const out: RateSeries[] = [];
  s.fNames.forEach((f, fi) => {
    OUTCOMES.forEach((outcome, o) => {
      const series = rateSeries(s, b, (k) => s.f[k] === fi && s.outcome[k] === o);
      if (series.some((v) => v > 0)) out.push({ f, outcome, perSecond: series });
    });
  });
  return out;
}

/** The rate plot: completions per second per time bucket, a line per series. */
export function rateSvg(s: Samples, b: Buckets, series: ReadonlyArray<RateSeries>, nemesis: ReadonlyArray<NemesisInterval>, title = 'Throughput'): string {
  let max = 0;
  for (const r of series) for (const v of r.perSecond) if (v > max) max = v;
  const frame = new PlotFrame({ width: WIDTH, height: HEIGHT, title: `${title} (${b.width} s buckets)`, xLabel: 'time (s)', yLabel: 'completions / s', xMin: 0, xMax: Math.max(s.duration, 1e-9), yMin: 0, yMax: max * 1.05 || 1 });
  const xs = Float64Array.from({ length: b.count }, (_, j) => frame.x((j + 0.5) * b.width));
  const marks: string[] = [];
  const legend: LegendEntry[] = [];
  for (const r of series) {
    const colour = PALETTE[s.fNames.indexOf(r.f) % PALETTE.length];
    const dash = OUTCOME_DASH[OUTCOMES.indexOf(r.outcome as (typeof OUTCOMES)[number])];
    const ys = r.perSecond.map((v) => frame.y(v));
    marks.push(`<path d="${polylinePath(xs, ys)}" stroke="${colour}" stroke-width="1.5" fill="none"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    legend.push({ label: `${r.f} ${r.outcome}`, colour, dash });
  }
  return frame.document(marks.join('\n'), shading(frame, nemesis) + frame.legend(legend));
}
