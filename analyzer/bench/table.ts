/**
 * The terminal table of a bench run, printed a row at a time as cases finish (widths are
 * fixed from the planned cases up front), and the `--compare` table of ratios new / old.
 */
import type { BenchCase, BenchRow } from './types.js';

/** The table's column headings. */
export const COLUMNS = ['checker', 'workload', 'ops', 'conc', 'prep ms', 'time ms', 'ops/s', 'peak RSS MB', 'verdict'] as const;

/** 1234.5 → "1235"; 12.34 → "12.3"; null → "-". */
export function fmtNum(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '-';
  return Math.abs(x) >= 100 ? String(Math.round(x)) : x.toFixed(1);
}

/** The verdict column: the verdict, a contradiction of the known one, or why there is no full measurement. */
export function verdictCell(r: Pick<BenchRow, 'verdict' | 'expected' | 'detail'>): string {
  const wrong = r.expected !== null && (r.verdict === 'valid' || r.verdict === 'invalid') && r.verdict !== r.expected;
  if (wrong) return `${r.verdict} (expected ${r.expected}!)`;
  // Why there is no (full) measurement: killed, crashed, out of memory, skipped.
  if ((r.verdict === 'unknown' || r.verdict === 'error' || r.verdict === 'skipped') && r.detail !== '') {
    // Checkers' own descriptions often start with the verdict already.
    const own = r.detail.startsWith(`${r.verdict}: `) ? r.detail.slice(r.verdict.length + 2) : r.detail;
    const d = own.length > 70 ? `${own.slice(0, 69)}…` : own;
    return `${r.verdict}: ${d}`;
  }
  return r.verdict;
}

/** A row's cells, in COLUMNS order. */
export function rowCells(r: BenchRow): string[] {
  return [
    r.checker,
    r.workload,
    r.ops === null ? '-' : String(r.ops),
    r.concurrency === null ? '-' : String(r.concurrency),
    fmtNum(r.prepMs),
    fmtNum(r.timeMs),
    r.opsPerSec === null ? '-' : String(r.opsPerSec),
    fmtNum(r.peakRssMB),
    verdictCell(r),
  ];
}

/** The header and row lines of one run's table. */
export interface TableFormat {
  header(): string;
  line(r: BenchRow): string;
}

const NUMERIC = new Set([2, 3, 4, 5, 6, 7]);

/** A table whose checker and workload columns fit every planned case. */
export function tableFormat(cases: readonly BenchCase[]): TableFormat {
  const widths = COLUMNS.map((c) => c.length);
  for (const c of cases) {
    widths[0] = Math.max(widths[0], c.checker.length);
    widths[1] = Math.max(widths[1], c.workload.length);
  }
  widths[2] = Math.max(widths[2], 7);
  for (const i of [4, 5, 6]) widths[i] = Math.max(widths[i], 7);
  const join = (cells: readonly string[]): string =>
    cells
      .map((s, i) => (i === cells.length - 1 ? s : NUMERIC.has(i) ? s.padStart(widths[i]) : s.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return { header: () => join(COLUMNS), line: (r) => join(rowCells(r)) };
}

/** The identity of a row across runs. */
export function rowKey(r: Pick<BenchRow, 'checker' | 'workload' | 'ops' | 'concurrency' | 'keys'>): string {
  return `${r.checker}|${r.workload}|${String(r.ops)}|${String(r.concurrency)}|${String(r.keys)}`;
}

/** A row of this run beside its match in the old report. */
export interface Comparison {
  row: BenchRow;
  old: BenchRow;
  /** new / old; null where either is missing. */
  time: number | null;
  rss: number | null;
}

const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b <= 0 ? null : a / b);

/** Matches this run's rows with the old report's by rowKey: the pairs, and the rows of each side without a match. */
export function compareRows(rows: readonly BenchRow[], old: readonly BenchRow[]): { matched: Comparison[]; onlyNew: BenchRow[]; onlyOld: BenchRow[] } {
  const byKey = new Map(old.map((r) => [rowKey(r), r]));
  const matched: Comparison[] = [];
  const onlyNew: BenchRow[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const o = byKey.get(rowKey(row));
    if (o === undefined) {
      onlyNew.push(row);
      continue;
    }
    seen.add(rowKey(row));
    matched.push({ row, old: o, time: ratio(row.timeMs, o.timeMs), rss: ratio(row.peakRssMB, o.peakRssMB) });
  }
  return { matched, onlyNew, onlyOld: old.filter((r) => !seen.has(rowKey(r))) };
}

const fmtRatio = (x: number | null): string => (x === null ? '-' : `${x.toFixed(2)}x`);

/** Geometric mean of the defined ratios. */
export function geomean(xs: readonly (number | null)[]): number | null {
  const ok = xs.filter((x): x is number => x !== null && x > 0);
  return ok.length === 0 ? null : Math.exp(ok.reduce((s, x) => s + Math.log(x), 0) / ok.length);
}

/** The comparison table: ratios new/old (below 1: faster or smaller now). */
export function formatComparison(c: ReturnType<typeof compareRows>, oldLabel: string): string[] {
  const head = ['checker', 'workload', 'ops', 'conc', 'time new/old', 'RSS new/old', 'time ms (old)', 'verdict'];
  const body = c.matched.map((m) => [
    m.row.checker,
    m.row.workload,
    m.row.ops === null ? '-' : String(m.row.ops),
    m.row.concurrency === null ? '-' : String(m.row.concurrency),
    fmtRatio(m.time),
    fmtRatio(m.rss),
    `${fmtNum(m.row.timeMs)} (${fmtNum(m.old.timeMs)})`,
    m.row.verdict === m.old.verdict ? m.row.verdict : `${m.old.verdict} -> ${m.row.verdict}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const fmt = (cells: string[]): string =>
    cells.map((s, i) => (i === cells.length - 1 ? s : i >= 2 ? s.padStart(widths[i]) : s.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [`compared with ${oldLabel} (ratios new/old; below 1 is faster or smaller now):`, fmt(head), ...body.map(fmt)];
  out.push(`geometric mean: time ${fmtRatio(geomean(c.matched.map((m) => m.time)))}, RSS ${fmtRatio(geomean(c.matched.map((m) => m.rss)))} over ${c.matched.length} matching rows`);
  if (c.onlyNew.length > 0) out.push(`${c.onlyNew.length} rows have no match in the old run`);
  if (c.onlyOld.length > 0) out.push(`${c.onlyOld.length} old rows have no match in this run`);
  return out;
}
