/**
 * The timeline's data, column-wise and compact, to embed as JSON in the page: one box per
 * operation (an invocation with its completion, a lone :info, or a completion with no
 * invocation), spanning the history positions from invocation to completion, in a column per
 * process. Boxes come out sorted by start row, which the page's script relies on to find the
 * visible ones by binary search.
 */
import { printEdn } from '../../edn/print.js';
import { type EdnValue, Keyword } from '../../edn/values.js';
import { printEdnBounded } from '../../render/edn-text.js';
import type { History } from '../../history/history.js';
import { FAIL, INFO, INVOKE, NO_PROCESS, OK } from '../../history/op.js';

/** Box outcome codes in the page. */
export const BOX_OK = 0;
export const BOX_FAIL = 1;
export const BOX_INFO = 2;
/** An invocation that never completed: drawn to the end of the history. */
export const BOX_OPEN = 3;

/** Longest value text kept per op (the box shows one line; the tooltip shows this much). */
const VALUE_CHARS = 160;

export interface TimelineData {
  /** Total rows (history positions). */
  rows: number;
  /** Column labels (processes), nemesis-like processes first. */
  cols: string[];
  /** :f names. */
  fs: string[];
  /** Per box: column, first row, last row, outcome code, :f index (-1 none). */
  c: number[];
  s: number[];
  e: number[];
  o: number[];
  f: number[];
  /**
   * Per box: :index of the invocation (or the lone op), and of the completion (-1 none).
   * Omitted when every op's :index is its position (the usual case): then i = s, and j = e
   * for completed boxes.
   */
  i?: number[];
  j?: number[];
  /** Per box: invocation and completion times in ms since the first op (null when absent). */
  t0: (number | null)[];
  t1: (number | null)[];
  /** Per box: the invocation's value, and the completion's when it differs ("" when not). */
  v: string[];
  w: string[];
  /** Box numbers to highlight. */
  hl: number[];
  /** Whether any op is a nemesis op (nemesis boxes get their own colour). */
  nemesisCols: number[];
}

function label(v: unknown): string {
  return v instanceof Keyword ? v.name : typeof v === 'string' ? v : printEdn(v as never);
}

function text(v: EdnValue): string {
  return v === null ? '' : printEdnBounded(v, VALUE_CHARS);
}

export function timelineData(h: History, highlight: ReadonlyArray<number> = []): TimelineData {
  // Columns: non-integer processes (nemesis…) first, then clients by number.
  const procs = new Set<number>();
  for (let k = 0; k < h.length; k++) procs.add(h.process[k]);
  const order = [...procs].sort((a, b) => (a < 0 !== b < 0 ? (a < 0 ? -1 : 1) : a < 0 ? b - a : a - b));
  const colOf = new Map<number, number>(order.map((p, k) => [p, k]));
  const cols = order.map((p) => (p === NO_PROCESS ? '(no process)' : p >= 0 ? String(p) : label(h.processNames[-1 - p])));
  const nemesisCols = order.flatMap((p, k) => (p < 0 && p !== NO_PROCESS ? [k] : []));

  let origin = Infinity;
  for (let k = 0; k < h.length; k++) if (h.time[k] < origin) origin = h.time[k];
  const ms = (k: number): number | null => (Number.isNaN(h.time[k]) ? null : Math.round((h.time[k] - origin) / 1e3) / 1e3);

  const fIndex = new Map<number, number>();
  const fs: string[] = [];
  const i: number[] = [];
  const j: number[] = [];
  const d: TimelineData = { rows: h.length, cols, fs, c: [], s: [], e: [], o: [], f: [], t0: [], t1: [], v: [], w: [], hl: [], nemesisCols };
  let positional = true;
  const wanted = new Set(highlight);
  for (let k = 0; k < h.length; k++) {
    const done = h.pair[k];
    if (h.type[k] !== INVOKE && done >= 0) continue; // drawn with its invocation
    let fi = -1;
    if (h.f[k] >= 0) {
      const got = fIndex.get(h.f[k]);
      if (got !== undefined) fi = got;
      else {
        fi = fs.length;
        fIndex.set(h.f[k], fi);
        fs.push(label(h.fTable[h.f[k]]));
      }
    }
    const t = h.type[k];
    const outcomeType = h.type[k] === INVOKE ? (done >= 0 ? h.type[done] : -1) : t;
    const o = outcomeType === OK ? BOX_OK : outcomeType === FAIL ? BOX_FAIL : outcomeType === INFO ? BOX_INFO : BOX_OPEN;
    const box = d.c.length;
    d.c.push(colOf.get(h.process[k])!);
    d.s.push(k);
    d.e.push(t === INVOKE ? (done >= 0 ? done : h.length - 1) : k);
    d.o.push(o);
    d.f.push(fi);
    i.push(h.index[k]);
    j.push(done >= 0 ? h.index[done] : -1);
    if (h.index[k] !== k || (done >= 0 && h.index[done] !== done)) positional = false;
    d.t0.push(ms(k));
    d.t1.push(done >= 0 ? ms(done) : null);
    const v = text(h.value[k]);
    d.v.push(v);
    const w = done >= 0 ? text(h.value[done]) : '';
    d.w.push(w === v ? '' : w);
    if (wanted.has(h.index[k]) || (done >= 0 && wanted.has(h.index[done]))) d.hl.push(box);
  }
  if (!positional) {
    d.i = i;
    d.j = j;
  }
  return d;
}
