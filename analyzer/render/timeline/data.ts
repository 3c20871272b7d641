/**
 * The timeline's data, column-wise and compact, to embed as JSON in the page: one box per
 * operation (an invocation with its completion, a lone :info, or a completion with no
 * invocation), spanning the history positions from invocation to completion, in a column per
 * process. Boxes come out sorted by start row, which the page's script relies on to find the
 * visible ones by binary search.
 */
import { printEdn } from '../../edn/print.js';
import { type EdnValue, Keyword } from '../../edn/values.js';
import { printEdnBounded } from '../edn-text.js';
import type { History } from '../../history/history.js';
import { FAIL, INFO, INVOKE, NO_PROCESS, OK } from '../../history/op.js';

/** Box outcome codes in the page (`TimelineData.o`): completed :ok. */
export const BOX_OK = 0;
/** Completed :fail. */
export const BOX_FAIL = 1;
/** Completed :info, or a lone :info op. */
export const BOX_INFO = 2;
/** An invocation that never completed: drawn to the end of the history. */
export const BOX_OPEN = 3;

/** Longest value text kept per op (the box shows one line; the tooltip shows this much). */
const VALUE_CHARS = 160;

/** The page's data (see this file's header): one entry per box in each per-box array, short names to keep the JSON small. */
export interface TimelineData {
  /** Total rows (history positions). */
  rows: number;
  /** Column labels: nemesis-like processes first, then lanes of client processes (see `columns`). */
  cols: string[];
  /** When some lane holds several processes: per box, its process as an index into `pn`. */
  p?: number[];
  pn?: string[];
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
  /** The columns of non-client processes other than "no process" (their boxes get their own colour). */
  nemesisCols: number[];
}

function label(v: unknown): string {
  return v instanceof Keyword ? v.name : typeof v === 'string' ? v : printEdn(v as never);
}

function text(v: EdnValue): string {
  return v === null ? '' : printEdnBounded(v, VALUE_CHARS);
}

/**
 * Columns. Each non-client process (the nemesis…) gets its own, first. Client processes are
 * packed into lanes: Jepsen replaces a crashed process p by p + concurrency, so a long run has
 * thousands of processes but only `concurrency` of them alive at once; a process takes the
 * first lane free since its predecessor's last op (interval partitioning in order of first
 * row, which uses the fewest lanes). Lanes are ordered by their lowest process. With few
 * crashes (no more than twice as many processes as lanes) each process keeps its own column.
 */
function columns(h: History): { colOf: Map<number, number>; cols: string[]; nemesisCols: number[]; shared: boolean } {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  for (let k = 0; k < h.length; k++) {
    const p = h.process[k];
    if (!first.has(p)) first.set(p, k);
    const end = h.type[k] === INVOKE && h.pair[k] < 0 ? h.length - 1 : k;
    if ((last.get(p) ?? -1) < end) last.set(p, end);
  }
  const others = [...first.keys()].filter((p) => p < 0).sort((a, b) => b - a);
  const clients = [...first.keys()].filter((p) => p >= 0).sort((a, b) => first.get(a)! - first.get(b)!);
  const laneEnd: number[] = [];
  const laneProcs: number[][] = [];
  for (const p of clients) {
    let lane = laneEnd.findIndex((end) => end < first.get(p)!);
    if (lane < 0) {
      lane = laneEnd.length;
      laneProcs.push([]);
      laneEnd.push(0);
    }
    laneEnd[lane] = last.get(p)!;
    laneProcs[lane].push(p);
  }
  // Few crashes: one column per process reads better than lanes.
  if (clients.length <= 2 * laneProcs.length) laneProcs.splice(0, laneProcs.length, ...clients.map((p) => [p]));
  for (const ps of laneProcs) ps.sort((a, b) => a - b);
  laneProcs.sort((a, b) => a[0] - b[0]);
  const colOf = new Map<number, number>();
  const cols: string[] = [];
  const nemesisCols: number[] = [];
  for (const p of others) {
    colOf.set(p, cols.length);
    if (p !== NO_PROCESS) nemesisCols.push(cols.length);
    cols.push(p === NO_PROCESS ? '(no process)' : label(h.processNames[-1 - p]));
  }
  for (const ps of laneProcs) {
    for (const p of ps) colOf.set(p, cols.length);
    cols.push(ps.length <= 3 ? ps.join(' ') : `${ps.slice(0, 3).join(' ')} +${ps.length - 3}`);
  }
  return { colOf, cols, nemesisCols, shared: laneProcs.some((ps) => ps.length > 1) };
}

/** The timeline data of `h`; `highlight` holds the `:index` values of ops whose boxes are highlighted. */
export function timelineData(h: History, highlight: ReadonlyArray<number> = []): TimelineData {
  const { colOf, cols, nemesisCols, shared } = columns(h);
  const procIndex = new Map<number, number>();
  const procNames: string[] = [];
  const boxProc: number[] = [];

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
    if (shared) {
      let pi = procIndex.get(h.process[k]);
      if (pi === undefined) {
        pi = procNames.length;
        procIndex.set(h.process[k], pi);
        procNames.push(String(h.process[k] >= 0 ? h.processValue(k) : cols[colOf.get(h.process[k])!]));
      }
      boxProc.push(pi);
    }
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
  if (shared) {
    d.p = boxProc;
    d.pn = procNames;
  }
  if (!positional) {
    d.i = i;
    d.j = j;
  }
  return d;
}
