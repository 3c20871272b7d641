/**
 * `--plot FILE.svg`: checking time against history size on log-log axes, one line per
 * checker and concurrency (generated rows only; fixtures have one size each). On log-log
 * axes a straight line of slope 1 is linear cost, slope 2 quadratic. A case that ran out of
 * budget (unknown) is drawn hollow: its time is a floor, not a measurement.
 *
 * Hand-written, self-contained SVG (no scripts, no external references); all text escaped by
 * the project's one escaper (analyzer/render/escape.ts), which also shows invisible characters.
 */
import { escapeHtml } from '../render/escape.js';
import type { BenchRow } from './types.js';

interface Series {
  label: string;
  checker: string;
  concurrency: number;
  points: { ops: number; ms: number; measured: boolean }[];
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];

/** The lines to draw: generated rows with a time, grouped by checker (and workload) and concurrency, each in growing ops. */
export function seriesOf(rows: readonly BenchRow[]): Series[] {
  const map = new Map<string, Series>();
  for (const r of rows) {
    if (r.source !== 'gen' || r.ops === null || r.timeMs === null || r.concurrency === null) continue;
    const name = r.checker === r.workload ? r.checker : `${r.checker} (${r.workload})`;
    const label = `${name} c=${r.concurrency}`;
    let s = map.get(label);
    if (s === undefined) map.set(label, (s = { label, checker: name, concurrency: r.concurrency, points: [] }));
    s.points.push({ ops: r.ops, ms: Math.max(r.timeMs, 0.01), measured: r.verdict === 'valid' || r.verdict === 'invalid' });
  }
  const out = [...map.values()];
  for (const s of out) s.points.sort((a, b) => a.ops - b.ops);
  return out.sort((a, b) => a.checker.localeCompare(b.checker) || a.concurrency - b.concurrency);
}

const decadeLabel = (p: number, unit: (x: number) => string): string => unit(10 ** p);
const opsUnit = (x: number): string => (x >= 1e6 ? `${x / 1e6}M` : x >= 1e3 ? `${x / 1e3}k` : String(x));
const msUnit = (x: number): string => (x >= 1000 ? `${x / 1000} s` : `${x} ms`);

/** The picture's size and the plot area's place in it, px. */
const FRAME = { W: 860, H: 520, left: 70, top: 40, plotW: 520, plotH: 420 };

/** The SVG text; `title` heads it (escaped). */
export function plotSvg(rows: readonly BenchRow[], title: string): string {
  const series = seriesOf(rows);
  const all = series.flatMap((s) => s.points);
  const { W, H, left, top, plotW, plotH } = FRAME;
  const x0 = Math.floor(Math.log10(Math.min(...all.map((p) => p.ops), 1000)));
  const x1 = Math.max(x0 + 1, Math.ceil(Math.log10(Math.max(...all.map((p) => p.ops), 10))));
  const y0 = Math.floor(Math.log10(Math.min(...all.map((p) => p.ms), 10)));
  const y1 = Math.max(y0 + 1, Math.ceil(Math.log10(Math.max(...all.map((p) => p.ms), 100))));
  const X = (ops: number): number => left + ((Math.log10(ops) - x0) / (x1 - x0)) * plotW;
  const Y = (ms: number): number => top + plotH - ((Math.log10(ms) - y0) / (y1 - y0)) * plotH;
  const f = (n: number): string => n.toFixed(1);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${left}" y="22" font-size="14" font-weight="bold">${escapeHtml(title)}</text>`);
  // Grid and ticks at each decade.
  for (let p = x0; p <= x1; p++) {
    const x = f(X(10 ** p));
    out.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${top + plotH}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${x}" y="${top + plotH + 16}" text-anchor="middle">${escapeHtml(decadeLabel(p, opsUnit))}</text>`);
  }
  for (let p = y0; p <= y1; p++) {
    const y = f(Y(10 ** p));
    out.push(`<line x1="${left}" y1="${y}" x2="${left + plotW}" y2="${y}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeHtml(decadeLabel(p, msUnit))}</text>`);
  }
  out.push(`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333333"/>`);
  out.push(`<text x="${left + plotW / 2}" y="${H - 10}" text-anchor="middle">history size (ops, log scale)</text>`);
  out.push(`<text x="16" y="${top + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${top + plotH / 2})">checking time (log scale)</text>`);
  // Guides from the bottom-left corner: slope 1 is cost linear in ops, slope 2 quadratic.
  for (const slope of [1, 2]) {
    const xEnd = Math.min(x1, x0 + (y1 - y0) / slope);
    const yEnd = y0 + (xEnd - x0) * slope;
    const [ax, ay, bx, by] = [X(10 ** x0), Y(10 ** y0), X(10 ** xEnd), Y(10 ** yEnd)];
    out.push(`<line x1="${f(ax)}" y1="${f(ay)}" x2="${f(bx)}" y2="${f(by)}" stroke="#999999" stroke-dasharray="2 3"/>`);
    const label = slope === 1 ? 'slope 1: linear' : 'slope 2: quadratic';
    out.push(`<text x="${f(bx - 6)}" y="${f(by + 16)}" text-anchor="end" fill="#777777" stroke="#ffffff" stroke-width="3" paint-order="stroke">${label}</text>`);
  }
  const checkersSeen = [...new Set(series.map((s) => s.checker))];
  const concSeen = [...new Set(series.map((s) => s.concurrency))].sort((a, b) => a - b);
  series.forEach((s, i) => {
    const color = COLORS[checkersSeen.indexOf(s.checker) % COLORS.length];
    const dash = DASHES[concSeen.indexOf(s.concurrency) % DASHES.length];
    const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${f(X(p.ops))},${f(Y(p.ms))}`).join(' ');
    out.push(`<g><title>${escapeHtml(s.label)}</title>`);
    out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    for (const p of s.points) {
      out.push(`<circle cx="${f(X(p.ops))}" cy="${f(Y(p.ms))}" r="3.5" stroke="${color}" fill="${p.measured ? color : '#ffffff'}"/>`);
    }
    out.push('</g>');
    const ly = top + 8 + i * 18;
    const lx = left + plotW + 20;
    out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 28}" y2="${ly}" stroke="${color}" stroke-width="1.8"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    out.push(`<text x="${lx + 34}" y="${ly}" dominant-baseline="middle">${escapeHtml(s.label)}</text>`);
  });
  const noteY = top + 8 + series.length * 18 + 10;
  out.push(`<text x="${left + plotW + 20}" y="${noteY}" fill="#555555">hollow: out of budget (unknown)</text>`);
  if (series.length === 0) out.push(`<text x="${left + plotW / 2}" y="${top + plotH / 2}" text-anchor="middle">no generated rows to plot</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
