/**
 * A suite run's summary page: one self-contained HTML page made from its `suite.edn`
 * (recorder/suite/summary.ts): the suite, tier and times, the verdict line the terminal prints,
 * the budget, what changed since the previous run, and a table of the runs linking each one.
 * `writeSuitePage` puts it beside suite.edn as `suite.html`; `hindsight serve` shows it at
 * `/suites/<name>/<start>/`. Light on imports: the recorder calls it when a suite ends.
 */
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseEdn } from '../edn/scanner.js';
import { EdnMap, type EdnValue, Keyword, numberValue } from '../edn/values.js';
import { escapeHtml } from '../render/escape.js';
import { writeFileAtomicSync } from '../util/atomic-write.js';
import { isDirectory, isFile } from '../util/paths.js';

/** The run list's style, shared with `hindsight serve`'s index: the same verdict colours, and UNEXPECTED's. */
export const LIST_CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d1d1f}
table{border-collapse:collapse}th,td{padding:4px 12px;border-bottom:1px solid #eee;text-align:left}
td.valid{color:#1a7f37;font-weight:600}td.invalid{color:#c62828;font-weight:600}td.unknown,td.incomplete{color:#9a6700;font-weight:600}
label{margin-right:12px}.unexpected{color:#fff;background:#c62828;font-weight:700;padding:1px 6px;border-radius:3px}`;

const PAGE_CSS = `${LIST_CSS}
td.error{color:#c62828;font-weight:600}td.ok{color:#1a7f37}
td.why{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px;color:#c62828;max-width:48em}
p.verdict{font-size:16px;font-weight:600}p.verdict.bad{color:#c62828}p.verdict.good{color:#1a7f37}`;

/** How the page links each run and what its title is. */
export interface SuitePageOptions {
  /** The href of a run, from its `:dir` (relative to the store root); undefined: no link. */
  runHref: (dir: string) => string | undefined;
  /** The page's `<title>`; default `hindsight suite NAME STARTED`. */
  title?: string;
}

/** A keyword's name, a string as is, a number or boolean printed; '' for nil or missing. */
function text(v: EdnValue | undefined): string {
  if (v === undefined || v === null) return '';
  if (v instanceof Keyword) return v.name;
  if (typeof v === 'string') return v;
  const n = numberValue(v);
  return n !== undefined ? String(n) : typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : '';
}

const num = (v: EdnValue | undefined): number => (v === undefined ? NaN : (numberValue(v) ?? NaN));
const list = (v: EdnValue | undefined): string[] => (Array.isArray(v) ? v.map(text) : []);
const mapAt = (m: EdnMap, name: string): EdnMap => {
  const v = m.kw(name);
  return v instanceof EdnMap ? v : new EdnMap([], []);
};

/** The counts of `suite.edn` as the terminal's closing line gives them. */
export interface SuiteCounts {
  runs: number;
  asExpected: number;
  unexpected: number;
  valid: number;
  invalid: number;
  unknown: number;
  error: number;
}

/** `:counts` of a suite.edn (missing entries: 0). */
export function suiteCounts(summary: EdnMap): SuiteCounts {
  const c = mapAt(summary, 'counts');
  const n = (k: string): number => num(c.kw(k)) || 0;
  return { runs: n('runs'), asExpected: n('as-expected'), unexpected: n('unexpected'), valid: n('valid'), invalid: n('invalid'), unknown: n('unknown'), error: n('error') };
}

/** Wall seconds the suite took: `:wall-seconds`, or (a suite.edn from before `--parallel`) the runs' `:seconds`. */
const wallSeconds = (summary: EdnMap): number => num(summary.kw('wall-seconds')) || num(summary.kw('seconds')) || 0;

/**
 * The verdict line, worded as `hindsight suite` prints it: `12 runs: 12 as expected, 0 not (…); 20.1 s`,
 * and `… s of runs in W s, N at once` for a suite run with `:parallel` above 1.
 */
export function verdictLine(summary: EdnMap): string {
  return countsLine(suiteCounts(summary), num(summary.kw('seconds')) || 0, wallSeconds(summary), num(summary.kw('parallel')) || 1);
}

/** The counts line itself, from the numbers: what the terminal prints at the end of a suite and the page shows. */
export function countsLine(c: SuiteCounts, seconds: number, wallSeconds: number, parallel: number): string {
  const at = parallel > 1 ? ` of runs in ${wallSeconds.toFixed(1)} s, ${parallel} at once` : '';
  return `${c.runs} runs: ${c.asExpected} as expected, ${c.unexpected} not (${c.valid} valid, ${c.invalid} invalid, ${c.unknown} unknown, ${c.error} errors); ${seconds.toFixed(1)} s${at}`;
}

/** `budget: W s of B s` (held against the wall time), as the terminal says it, with OVER BUDGET highlighted. */
function budgetLine(summary: EdnMap): string {
  const budget = num(summary.kw('budget'));
  if (Number.isNaN(budget)) return 'budget: none given for this tier';
  const over = summary.kw('within-budget?') === false;
  return `budget: ${wallSeconds(summary).toFixed(1)} s of ${budget} s${over ? ' — <span class="unexpected">OVER BUDGET</span>' : ''}`;
}

function changesLine(summary: EdnMap): string {
  const ch = mapAt(summary, 'changes');
  const previous = text(ch.kw('previous'));
  if (previous === '') return 'changes: none to compare (the first finished run of this suite)';
  const names = (k: string, cls: string): string => list(ch.kw(k)).map((t) => `<span class="${cls}">${escapeHtml(t)}</span>`).join(', ') || 'none';
  return `changes since ${escapeHtml(previous)}: newly failing: ${names('newly-failing', 'unexpected')}; newly passing: ${names('newly-passing', 'ok')}`;
}

function runRow(r: EdnMap, opts: SuitePageOptions): string {
  const expected = text(r.kw('expected'));
  const actual = text(r.kw('actual'));
  const ok = r.kw('as-expected?') === undefined ? expected === actual : r.kw('as-expected?') === true;
  const dir = text(r.kw('dir'));
  const href = dir === '' ? undefined : opts.runHref(dir);
  const seconds = num(r.kw('seconds'));
  const anomalies = list(r.kw('anomaly-types')).join(' ') || '-';
  const cells = [
    `<td>${escapeHtml(text(r.kw('test')))}</td>`,
    `<td>${escapeHtml(text(r.kw('seed')))}</td>`,
    `<td>${escapeHtml(expected)}</td>`,
    `<td class="${escapeHtml(actual)}">${escapeHtml(actual)}</td>`,
    ok ? '<td class="ok">ok</td>' : '<td><span class="unexpected">UNEXPECTED</span></td>',
    `<td>${Number.isNaN(seconds) ? '' : `${seconds.toFixed(1)} s`}</td>`,
    `<td>${escapeHtml(text(r.kw('ops')))}</td>`,
    `<td>${escapeHtml(anomalies)}</td>`,
    `<td>${href === undefined ? escapeHtml(dir) : `<a href="${escapeHtml(href)}">${escapeHtml(dir)}</a>`}</td>`,
    `<td class="why">${escapeHtml(text(r.kw('error')))}</td>`,
  ];
  return `<tr data-outcome="${ok ? 'ok' : 'unexpected'}">${cells.join('')}</tr>`;
}

/** The summary page of one suite run, from its `suite.edn` map: self-contained (no external resources). */
export function renderSuitePage(summary: EdnMap, opts: SuitePageOptions): string {
  const suite = text(summary.kw('suite'));
  const started = text(summary.kw('started'));
  const runs = (Array.isArray(summary.kw('runs')) ? (summary.kw('runs') as EdnValue[]) : []).filter((r): r is EdnMap => r instanceof EdnMap);
  const good = suiteCounts(summary).unexpected === 0;
  const title = opts.title ?? `hindsight suite ${suite} ${started}`;
  const file = text(summary.kw('file'));
  const filters = ['all', 'unexpected'].map((v) => `<label><input type="radio" name="outcome" value="${v}"${v === 'all' ? ' checked' : ''}> ${v}</label>`).join('');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${escapeHtml(title)}</title><style>${PAGE_CSS}</style></head><body>
<h1>Suite ${escapeHtml(suite)}</h1>
<p>tier <b>${escapeHtml(text(summary.kw('tier')))}</b>${file === '' ? '' : ` · file ${escapeHtml(file)}`} · started ${escapeHtml(started)} · finished ${escapeHtml(text(summary.kw('finished')))}</p>
<p class="verdict ${good ? 'good' : 'bad'}">${escapeHtml(verdictLine(summary))}</p>
<p>${budgetLine(summary)}</p>
<p>${changesLine(summary)}</p>
<p id="filter">Show: ${filters}</p>
<table id="suite-runs"><thead><tr><th>test</th><th>seed</th><th>expected</th><th>actual</th><th></th><th>time</th><th>ops</th><th>anomalies</th><th>run</th><th>error</th></tr></thead><tbody>
${runs.map((r) => runRow(r, opts)).join('\n')}
</tbody></table>
<script>
document.getElementById('filter').addEventListener('change', function (e) {
  var v = e.target.value;
  document.querySelectorAll('#suite-runs tbody tr').forEach(function (tr) {
    tr.style.display = v === 'all' || tr.getAttribute('data-outcome') === v ? '' : 'none';
  });
});
</script></body></html>`;
}

/** Reads `<dir>/suite.edn` (with the project's EDN reader). Throws when it cannot be read, is not EDN or not a map. */
export function readSuiteEdn(dir: string): EdnMap {
  const file = join(dir, 'suite.edn');
  const v = parseEdn(readFileSync(file, 'utf8'));
  if (!(v instanceof EdnMap)) throw new Error(`${file}: expected an EDN map`);
  return v;
}

/** The summary page of the suite run in `dir`, from its suite.edn; throws as `readSuiteEdn` does. */
export function suitePageFromFile(dir: string, opts: SuitePageOptions): string {
  return renderSuitePage(readSuiteEdn(dir), opts);
}

/** A relative path as an href: `/` separators, each segment percent-encoded. */
const hrefOf = (rel: string): string => rel.split(sep).map(encodeURIComponent).join('/');

/**
 * Writes `<suiteRunDir>/suite.html` (whole: temp file + rename) from its suite.edn. Each run
 * links, relative to the suite run directory, to its `report.html` (what `hindsight report`
 * writes into a run directory) when there is one, else to its directory; a run whose directory
 * is missing or was never made has no link. Throws as `readSuiteEdn` does, or on a failed write.
 */
export function writeSuitePage(suiteRunDir: string, store: string): void {
  const runHref = (dir: string): string | undefined => {
    const run = join(store, dir);
    if (isFile(join(run, 'report.html'))) return hrefOf(relative(suiteRunDir, join(run, 'report.html')));
    return isDirectory(run) ? `${hrefOf(relative(suiteRunDir, run))}/` : undefined;
  };
  writeFileAtomicSync(join(suiteRunDir, 'suite.html'), suitePageFromFile(suiteRunDir, { runHref }));
}
