/**
 * The linearizability failure up close, drawn by the report from the history and the result:
 * only the ops of the last steps of the longest order the search found (`:final-paths`) and
 * the op it could not add, one row per step in linearization order (so labels never collide),
 * each a bar from invocation to completion on a shared history-order axis, labelled with the
 * model state after it ("→ 2"); the failing op is the red last row, with the model's reason.
 * Read top to bottom it says why: the register became 2, and a read of 0 that began after that
 * write completed cannot come before it.
 *
 * The checker's own `linear.svg` is the overview (hundreds of ops); this is the part a person
 * needs to see first. Every bar's `<title>` names its `index`, which the report turns into a
 * click that scrolls the timeline there. Labels are escaped.
 */
import { printEdn } from '../edn/print.js';
import { type EdnRecord, type EdnValue, Keyword, isRecord } from '../edn/values.js';
import type { History } from '../history/history.js';
import { escapeHtml } from '../render/escape.js';

const ROW = 22;
const TOP = 44;
const LEFT = 110;
const WIDTH = 980;
const LABEL_CHARS = 90;
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
  const plotRight = WIDTH - 16;
  const x = (p: number): number => LEFT + ((p - lo) / Math.max(1, hi - lo)) * (plotRight - LEFT);
  const height = TOP + bars.length * ROW + 8;
  const failing = bars[bars.length - 1];
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<text x="8" y="18" font-size="13" font-weight="bold">${escapeHtml(`Why op ${String(failing.op.index)} cannot be linearized: the last ${bars.length - 1} steps of the longest order found`)}</text>`,
    `<text x="8" y="34" fill="#555">${escapeHtml('one row per step, in linearization order; each bar runs from invocation to completion (history order); → the state after the step')}</text>`,
  ];
  bars.forEach((b, i) => {
    const y = TOP + i * ROW;
    const x0 = x(b.start);
    const x1 = Math.max(x0 + 6, b.end === NO_POSITION ? plotRight : x(b.end + 1) - 2);
    const value = b.op.value === undefined ? '' : ` ${printEdn(b.op.value)}`;
    const state = b.failing ? `✗ ${typeof b.model === 'string' ? b.model : printEdn(b.model)}` : `→ ${printEdn(b.model)}`;
    const label = short(`${fName(b.op)}${short(value, 40)} ${state}`, LABEL_CHARS);
    const title = `${fName(b.op)}${value} (index ${String(b.op.index)})${b.end === NO_POSITION ? ', never completed' : ''}${b.failing ? `: ${state}` : ''}`;
    const colour = b.failing ? '#d62728' : '#2ca02c';
    // The label goes right of the bar, or left of it when the bar is near the right edge.
    const right = x1 + 6 + label.length * 6 <= WIDTH;
    const lx = right ? x1 + 6 : x0 - 6;
    out.push(
      `<g><title>${escapeHtml(title)}</title>` +
        (i % 2 === 0 ? `<rect x="0" y="${y}" width="${WIDTH}" height="${ROW}" fill="#f6f8fa"/>` : '') +
        `<text x="8" y="${y + 15}"${b.failing ? ` fill="${colour}" font-weight="bold"` : ''}>${escapeHtml(`${b.failing ? '✗' : `${i + 1}.`} process ${b.process}`)}</text>` +
        `<rect x="${x0.toFixed(1)}" y="${y + 5}" width="${(x1 - x0).toFixed(1)}" height="12" rx="3" fill="${colour}" fill-opacity="${b.end === NO_POSITION ? 0.4 : 0.85}"/>` +
        `<text x="${lx.toFixed(1)}" y="${y + 15}"${right ? '' : ' text-anchor="end"'} fill="${b.failing ? colour : '#222'}">${escapeHtml(label)}</text></g>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}
