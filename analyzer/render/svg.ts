/**
 * Small helpers for self-contained SVG charts (no fonts, scripts or network): a plot frame with
 * linear or log axes, nice ticks, shaded intervals and a legend. Charts build their data marks
 * themselves and hand them to `frame.document(body)`. Every label goes through `escapeHtml`.
 */
import { escapeHtml } from './escape.js';

/** 1, 2 or 5 times a power of ten, at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw * (1 - 1e-9)) return m * p;
  return 10 * p;
}

/** About `count` evenly spaced ticks at nice steps (`niceStep`) within [min, max]; `[min]` when the range is empty. */
export function linearTicks(min: number, max: number, count = 6): number[] {
  if (!(max > min)) return [min];
  const step = niceStep((max - min) / count);
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Powers of ten covering [min, max] (min > 0). */
export function logTicks(min: number, max: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) out.push(10 ** e);
  return out;
}

/** A number short enough for a tick label. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(0).replace('+', '');
  return String(Number(v.toPrecision(6)));
}

/** Distinct colours for series (Tableau 10). */
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** One chart's size, words and axis ranges. */
export interface PlotSpec {
  /** Pixels, legend included (170 px on the right). */
  width: number;
  height: number;
  title: string;
  xLabel: string;
  yLabel: string;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  /** A log y axis; values below its range are drawn at its bottom. */
  yLog?: boolean;
}

/** One line of a chart's legend. */
export interface LegendEntry {
  label: string;
  /** A CSS colour (one of PALETTE, usually). */
  colour: string;
  /** An SVG stroke-dasharray for a dashed line. */
  dash?: string;
  /** 'line' (default), or a dot drawn with this stroke-linecap. */
  mark?: 'line' | 'round' | 'square';
}

/** Coordinates and axes of one chart. */
export class PlotFrame {
  readonly left = 70;
  readonly right: number;
  readonly top = 36;
  readonly bottom: number;
  private readonly yLo: number;
  private readonly yHi: number;

  constructor(readonly spec: PlotSpec) {
    this.right = spec.width - 170;
    this.bottom = spec.height - 46;
    const yMin = spec.yLog ? Math.max(spec.yMin, 1e-9) : spec.yMin;
    const yMax = Math.max(spec.yMax, yMin * (spec.yLog ? 10 : 1) + (spec.yLog ? 0 : 1));
    this.yLo = spec.yLog ? Math.log10(yMin) : yMin;
    this.yHi = spec.yLog ? Math.log10(yMax) : yMax;
  }

  /** The pixel x of data value v. */
  x(v: number): number {
    const { xMin, xMax } = this.spec;
    const span = xMax > xMin ? xMax - xMin : 1;
    return this.left + ((v - xMin) / span) * (this.right - this.left);
  }

  /** The pixel y of data value v (on a log axis, values below its range at its bottom). */
  y(v: number): number {
    const t = this.spec.yLog ? Math.log10(Math.max(v, 10 ** this.yLo)) : v;
    return this.bottom - ((t - this.yLo) / (this.yHi - this.yLo || 1)) * (this.bottom - this.top);
  }

  /** Axes, grid, ticks, labels and title. */
  axes(): string {
    const { spec } = this;
    const parts: string[] = [];
    const xt = linearTicks(spec.xMin, spec.xMax, 8);
    const yt = spec.yLog ? logTicks(10 ** this.yLo, 10 ** this.yHi) : linearTicks(this.yLo, this.yHi, 6);
    for (const t of xt) {
      const x = r1(this.x(t));
      parts.push(`<line x1="${x}" y1="${this.top}" x2="${x}" y2="${this.bottom}" class="grid"/>`);
      parts.push(`<text x="${x}" y="${this.bottom + 16}" text-anchor="middle">${formatTick(t)}</text>`);
    }
    for (const t of yt) {
      const y = r1(this.y(t));
      if (y < this.top - 0.5 || y > this.bottom + 0.5) continue;
      parts.push(`<line x1="${this.left}" y1="${y}" x2="${this.right}" y2="${y}" class="grid"/>`);
      parts.push(`<text x="${this.left - 6}" y="${y + 4}" text-anchor="end">${formatTick(t)}</text>`);
    }
    parts.push(`<rect x="${this.left}" y="${this.top}" width="${this.right - this.left}" height="${this.bottom - this.top}" class="frame"/>`);
    parts.push(`<text x="${(this.left + this.right) / 2}" y="${spec.height - 10}" text-anchor="middle">${escapeHtml(spec.xLabel)}</text>`);
    parts.push(
      `<text transform="translate(16 ${(this.top + this.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(spec.yLabel)}</text>`,
    );
    parts.push(`<text x="${this.left}" y="22" class="title">${escapeHtml(spec.title)}</text>`);
    return parts.join('\n');
  }

  /** Shaded x-intervals (e.g. nemesis faults) with a label each. */
  intervals(list: ReadonlyArray<{ from: number; to: number; label: string }>): string {
    return list
      .map((iv) => {
        const x0 = Math.max(this.left, this.x(iv.from));
        const x1 = Math.min(this.right, Math.max(this.x(iv.to), x0 + 1));
        return `<g class="nemesis"><title>${escapeHtml(iv.label)}</title><rect x="${r1(x0)}" y="${this.top}" width="${r1(x1 - x0)}" height="${this.bottom - this.top}"/></g>`;
      })
      .join('\n');
  }

  /** The legend, right of the plot, one entry a row. */
  legend(entries: ReadonlyArray<LegendEntry>): string {
    const x = this.right + 14;
    return entries
      .map((e, i) => {
        const y = this.top + 8 + i * 18;
        const mark =
          e.mark === undefined || e.mark === 'line'
            ? `<line x1="${x}" y1="${y}" x2="${x + 22}" y2="${y}" stroke="${e.colour}" stroke-width="2"${e.dash ? ` stroke-dasharray="${e.dash}"` : ''}/>`
            : `<path d="M${x + 11} ${y}h0" stroke="${e.colour}" stroke-width="7" stroke-linecap="${e.mark}"/>`;
        return `${mark}<text x="${x + 28}" y="${y + 4}">${escapeHtml(e.label)}</text>`;
      })
      .join('\n');
  }

  /** The whole document around the chart's data marks. */
  document(body: string, extra = ''): string {
    const { width, height } = this.spec;
    return [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
      '<style>.grid{stroke:#e4e4e4;stroke-width:1}.frame{fill:none;stroke:#888}.title{font-size:14px;font-weight:bold}.nemesis rect{fill:#000;fill-opacity:0.08}</style>',
      `<rect width="${width}" height="${height}" fill="#fff"/>`,
      extra,
      this.axes(),
      '<g clip-path="url(#plot-area)">',
      body,
      '</g>',
      `<clipPath id="plot-area"><rect x="${this.left}" y="${this.top - 2}" width="${this.right - this.left}" height="${this.bottom - this.top + 4}"/></clipPath>`,
      '</svg>',
      '',
    ].join('\n');
  }
}

/** One decimal place: enough for pixels, and short. */
export function r1(v: number): number {
  return Math.round(v * 10) / 10;
}

/** An SVG path through points (NaN y breaks the line). */
export function polylinePath(xs: ArrayLike<number>, ys: ArrayLike<number>): string {
  let d = '';
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    if (Number.isNaN(ys[i])) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${r1(xs[i])} ${r1(ys[i])}`;
    pen = true;
  }
  return d;
}
