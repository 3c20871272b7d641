/**
 * The recheck report three ways: an aligned table for the terminal, `recheck.csv` (one header
 * line, one line per history, RFC 4180 quoting) and `recheck.json` (the rows plus totals).
 * Multi-line messages are folded onto one line in the table and the CSV, so each history is
 * exactly one line there; the JSON keeps them as they are. Beside them: the list of rows that
 * disagree with their archived verdict, and each row's `hindsight check` command line.
 */
import type { RecheckRow } from './run.js';

/** How many rows had each verdict, came from the cache, and agreed or disagreed with the archived verdict. */
export interface Totals {
  histories: number;
  valid: number;
  invalid: number;
  unknown: number;
  error: number;
  cached: number;
  agree: number;
  disagree: number;
}

/** The totals of `rows`. */
export function totalsOf(rows: readonly RecheckRow[]): Totals {
  const t: Totals = { histories: rows.length, valid: 0, invalid: 0, unknown: 0, error: 0, cached: 0, agree: 0, disagree: 0 };
  for (const r of rows) {
    t[r.verdict]++;
    if (r.cached) t.cached++;
    if (r.agrees === true) t.agree++;
    if (r.agrees === false) t.disagree++;
  }
  return t;
}

const oneLine = (s: string): string => s.replace(/\s*\r?\n\s*/g, ' ');

/** A row's time cell: `cached`, `-` when it has no time, else seconds. */
export function timeCell(r: RecheckRow): string {
  if (r.cached) return 'cached';
  return r.seconds === null ? '-' : `${r.seconds.toFixed(2)} s`;
}

/** A row's agreement cell: `yes`, `no (was …)`, `?` for an unreadable archived verdict, `-` without one. */
export function agreesCell(r: RecheckRow): string {
  if (r.archived === 'unreadable') return '?';
  // A disagreement says what the archive held: "no (was unknown)".
  return r.agrees === true ? 'yes' : r.agrees === false ? `no (was ${r.archived})` : '-';
}

/** What `--only` can select: verdicts, and `disagree` (rows whose verdict differs from the archived one). */
export const ROW_KINDS = ['valid', 'invalid', 'unknown', 'error', 'disagree'] as const;
/** One of `ROW_KINDS`. */
export type RowKind = (typeof ROW_KINDS)[number];

/** Whether a row is of one of `kinds`. */
export function rowIs(r: RecheckRow, kinds: ReadonlySet<RowKind>): boolean {
  return kinds.has(r.verdict) || (kinds.has('disagree') && r.agrees === false);
}

/** The table's column names. */
export const TABLE_HEADER = ['path', 'ops', 'checker', 'verdict', 'time', 'agrees', 'detail'] as const;

/** The cells of a row as the table shows them. */
export function tableCells(r: RecheckRow): string[] {
  return [r.path, r.ops === null ? '-' : String(r.ops), r.checker || '-', r.verdict, timeCell(r), agreesCell(r), oneLine(r.detail)];
}

/** The rows as an aligned table under a header line (no trailing newline); ops right-aligned. */
export function formatTable(rows: readonly RecheckRow[]): string {
  const cells = [[...TABLE_HEADER], ...rows.map(tableCells)];
  const widths = TABLE_HEADER.map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  const right = new Set([1]); // numbers right-aligned
  return cells
    .map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 ? cell : right.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * The rows whose verdict differs from the run's archived one, one line each, for reading before
 * the totals: these are what a re-check of an archive is for. Empty when there are none.
 */
export function formatDisagreements(rows: readonly RecheckRow[]): string {
  const differ = rows.filter((r) => r.agrees === false);
  if (differ.length === 0) return '';
  const lines = differ.map((r) => `  ${r.path}: ours ${r.verdict}, archived ${r.archived ?? '-'}`);
  return [`${differ.length} disagree${differ.length === 1 ? 's' : ''} with the archived verdict:`, ...lines].join('\n');
}

/** The totals as one line, with the run's `seconds`: `12 histories: 10 valid, …; 3 from the cache (4.2 s)`. */
export function formatTotals(t: Totals, seconds: number): string {
  const parts = [`${t.valid} valid`, `${t.invalid} invalid`, `${t.unknown} unknown`, `${t.error} could not be checked`];
  const archive = t.agree + t.disagree > 0 ? `; ${t.agree} agree${t.agree === 1 ? 's' : ''} and ${t.disagree} disagree${t.disagree === 1 ? 's' : ''} with the archived verdict` : '';
  return `${t.histories} histor${t.histories === 1 ? 'y' : 'ies'}: ${parts.join(', ')}; ${t.cached} from the cache${archive} (${seconds.toFixed(1)} s)`;
}

/** A shell word: bare when safe, else single-quoted. */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `hindsight check` command line that repeats one row's check, for looking into it:
 * `hindsight check store/x/history.edn --checker linearizable --model cas-register --init 0`.
 */
export function checkCommand(file: string, checkers: readonly string[], options: Record<string, unknown>): string {
  const flags = checkFlags(checkers, options);
  return `${['hindsight', 'check', file].map(shellWord).join(' ')}${flags === '' ? '' : ` ${flags}`}`;
}

/** The flags of `checkCommand` alone, shell-quoted: `--checker linearizable --init 0 --model cas-register`. */
export function checkFlags(checkers: readonly string[], options: Record<string, unknown>): string {
  // No checkers: `check` chooses from the ops as recheck did.
  const words = checkers.length === 0 ? [] : ['--checker', checkers.join(',')];
  for (const [k, v] of Object.entries(options).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (k === 'workers' || v === undefined || v === false || v === null) continue;
    words.push('--' + k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()));
    if (v !== true) words.push(Array.isArray(v) ? v.map(String).join(',') : String(v));
  }
  return words.map(shellWord).join(' ');
}

/** recheck.csv's column names. */
export const CSV_HEADER = ['path', 'ops', 'checker', 'verdict', 'seconds', 'cached', 'archived', 'agrees', 'detail', 'warnings', 'file'] as const;

/** One CSV field: quoted when it holds a comma, quote, line break or edge space; quotes doubled. */
export function csvField(v: string | number | boolean | null): string {
  const s = v === null ? '' : String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The rows as recheck.csv: the header line, then one line per row. */
export function formatCsv(rows: readonly RecheckRow[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const r of rows) {
    lines.push(
      [r.path, r.ops, r.checker, r.verdict, r.seconds, r.cached, r.archived, r.agrees, oneLine(r.detail), r.warnings, r.file].map(csvField).join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** What recheck.json holds. */
export interface RecheckReport {
  /** The directories and files recheck was given. */
  roots: string[];
  /** `codeVersion()`: the code that gave these verdicts. */
  codeVersion: string;
  /** When, as an ISO 8601 time. */
  generated: string;
  /** The whole run's wall-clock time. */
  seconds: number;
  /** The run's exit status. */
  exit: number;
  totals: Totals;
  rows: RecheckRow[];
}

/** The report as recheck.json: indented JSON and a final newline. */
export function formatJson(report: RecheckReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
