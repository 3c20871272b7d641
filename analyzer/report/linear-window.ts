/**
 * The linearizability failure up close, drawn by the report from the history and the result:
 * only the ops of the last steps of the longest order the search found (`:final-paths`) and
 * the op it could not add, one lane per process, each a bar from invocation to completion in
 * history order. Each step is numbered in linearization order and labelled with the model
 * state after it ("→ 2"); the failing op is red with the model's reason. Read left to right it
 * says why: here the register became 2, and a read of 0 that began after that cannot follow.
 *
 * The checker's own `linear.svg` is the overview (hundreds of ops); this is the part a person
 * needs to see first. Every bar's `<title>` names its `index`, which the report turns into a
 * click that scrolls the timeline there. Labels are escaped.
 */
import { printEdn } from '../edn/print.js';
import { type EdnRecord, type EdnValue, Keyword, isRecord } from '../edn/values.js';
import type { History } from '../history/history.js';
import { escapeHtml } from '../render/escape.js';

const LANE = 40;
const TOP = 44;
const LEFT = 96;
/** Room right of the last bar for the failing op's reason. */
const RIGHT = 230;
const WIDTH = 980;
const NO_POSITION = -1;

interface Step {
  op: EdnRecord;
  /** Model state after this step, or (for the failing op) the reason it is impossible. */
  model: EdnValue;
  failing: boolean;
}

/** The failing key's result inside a split (`:results`), or the result itself. */
function failingResult(r: EdnRecord): EdnRecord {
  const results = Array.isArray(r.results) ? r.results.filter(isRecord) : [];
  return results.find((x) => x['valid?'] === false) ?? r;
}

function stepsOf(r: EdnRecord): Step[] {
  const inner = failingResult(r);
  const paths = Array.isArray(inner['final-paths']) ? inner['final-paths'] : [];
  const path = Array.isArray(paths[0]) ? paths[0].filter(isRecord) : [];
  const steps = path.filter((s) => isRecord(s.op)).map((s, i, all) => ({ op: s.op as EdnRecord, model: s.model ?? null, failing: i === all.length - 1 }));
  if (steps.length === 0 && isRecord(inner.op)) steps.push({ op: inner.op, model: inner.reason ?? null, failing: true });
  return steps;
}

/** History positions of the given `:index` values, in one pass. */
function positionsOf(history: History, indices: number[]): Map<number, number> {
  const want = new Set(indices);
  const out = new Map<number, number>();
  for (let p = 0; p < history.length && out.size < want.size; p++) if (want.has(history.index[p])) out.set(history.index[p], p);
  return out;
}

const fName = (op: EdnRecord): string => (op.f instanceof Keyword ? op.f.name : op.f === undefined ? 'op' : printEdn(op.f));
const short = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The SVG, or undefined when the result has no failing op this history can place. */
export function linearWindowSvg(history: History, result: EdnRecord): string | undefined {
  if (result['valid?'] !== false) return undefined;
  const steps = stepsOf(result);
  const indices = steps.map((s) => s.op.index).filter((i): i is number => typeof i === 'number');
  if (indices.length !== steps.length || steps.length === 0) return undefined;
  const pos = positionsOf(history, indices);
  const bars = steps.map((s) => {
    const p = pos.get(s.op.index as number) ?? NO_POSITION;
    const partner = p === NO_POSITION ? -1 : history.pair[p];
    const isInvoke = p !== NO_POSITION && history.type[p] === 0;
    // An op named by its invocation never completed: its bar runs to the right edge.
    const start = partner >= 0 && !isInvoke ? partner : p;
    const end = isInvoke ? (partner >= 0 ? partner : NO_POSITION) : p;
    return { ...s, start, end, process: p === NO_POSITION ? 0 : history.process[p] };
  });
  if (bars.some((b) => b.start === NO_POSITION)) return undefined;
  const lo = Math.min(...bars.map((b) => b.start));
  const hi = Math.max(...bars.map((b) => (b.end === NO_POSITION ? b.start : b.end))) + 1;
  const x = (p: number): number => LEFT + ((p - lo) / Math.max(1, hi - lo)) * (WIDTH - LEFT - RIGHT);
  const processes = [...new Set(bars.map((b) => b.process))].sort((a, b) => a - b);
  const lane = new Map(processes.map((p, i) => [p, i]));
  const height = TOP + processes.length * LANE + 10;
  const failing = bars[bars.length - 1];
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<text x="8" y="18" font-size="13" font-weight="bold">${escapeHtml(`Why op ${String(failing.op.index)} cannot be linearized: the last ${bars.length - 1} steps of the longest order found`)}</text>`,
    `<text x="8" y="34" fill="#555">${escapeHtml('bars run from invocation to completion (history order); numbers are the linearization order, → the state after each step')}</text>`,
  ];
  processes.forEach((p, i) => {
    const y = TOP + i * LANE;
    out.push(`<line x1="${LEFT - 6}" y1="${y + LANE - 4}" x2="${WIDTH - 10}" y2="${y + LANE - 4}" stroke="#eee"/>`);
    out.push(`<text x="8" y="${y + 24}">${escapeHtml(`process ${p}`)}</text>`);
  });
  bars.forEach((b, i) => {
    const y = TOP + (lane.get(b.process) ?? 0) * LANE;
    const x0 = x(b.start);
    const x1 = Math.max(x0 + 8, b.end === NO_POSITION ? WIDTH - RIGHT : x(b.end + 1) - 2);
    const value = b.op.value === undefined ? '' : ` ${printEdn(b.op.value)}`;
    const label = `${b.failing ? '' : `${i + 1}. `}${fName(b.op)}${short(value, 24)}`;
    const after = b.failing ? `✗ ${typeof b.model === 'string' ? b.model : printEdn(b.model)}` : `→ ${short(printEdn(b.model), 20)}`;
    const title = `${fName(b.op)}${value} (index ${String(b.op.index)})${b.end === NO_POSITION ? ', never completed' : ''}`;
    const fill = b.failing ? '#d62728' : '#2ca02c';
    out.push(
      `<g><title>${escapeHtml(title)}</title>` +
        `<rect x="${x0.toFixed(1)}" y="${y + 12}" width="${(x1 - x0).toFixed(1)}" height="14" rx="3" fill="${fill}" fill-opacity="${b.end === NO_POSITION ? 0.4 : 0.85}"/>` +
        `<text x="${x0.toFixed(1)}" y="${y + 9}" font-weight="bold">${escapeHtml(label)}</text>` +
        `<text x="${(x1 + 4).toFixed(1)}" y="${y + 23}" fill="${b.failing ? '#d62728' : '#333'}">${escapeHtml(b.failing ? after : short(after, 24))}</text></g>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}
