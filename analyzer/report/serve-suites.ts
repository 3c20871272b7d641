/**
 * The suites in `hindsight serve`: the "Suites" section of `/` (every finished suite run,
 * `<store>/suites/<name>/<start>/` with a suite.edn, newest first) and the page at
 * `/suites/<name>/<start>/` (suite-page.ts, its runs linked to `/runs/<test>/<run>/`).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Keyword } from '../edn/values.js';
import { compareRunNames, isRunDirName } from '../store/store.js';
import { escapeHtml } from '../render/escape.js';
import { isDirectory, isFile } from '../util/paths.js';
import { resolveInside, safeSegments } from './serve-paths.js';
import { readSuiteEdn, renderSuitePage, suiteCounts } from './suite-page.js';

/** One finished suite run in the index. */
export interface SuiteRow {
  /** The suite's directory name under `<store>/suites/`. */
  suite: string;
  /** The suite run's directory name (its start time). */
  start: string;
  /** Its start time, as the run list shows one. */
  time: string;
  /** suite.edn's `:tier` ('' when it cannot be read). */
  tier: string;
  /** suite.edn's counts; undefined when it cannot be read. */
  counts?: { runs: number; asExpected: number; unexpected: number };
}

const list = (d: string): string[] => {
  try {
    return readdirSync(d);
  } catch {
    return [];
  }
};

const startTime = (name: string): string => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.\d{3}/.exec(name);
  return m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}` : name;
};

/** Every finished suite run of the store (those with a suite.edn), newest first. */
export function suiteRows(store: string): SuiteRow[] {
  const root = join(store, 'suites');
  const rows: SuiteRow[] = [];
  for (const suite of list(root).sort()) {
    if (!isDirectory(join(root, suite))) continue;
    for (const start of list(join(root, suite))) {
      const dir = join(root, suite, start);
      if (!isRunDirName(start) || !isFile(join(dir, 'suite.edn'))) continue;
      try {
        const s = readSuiteEdn(dir);
        const tier = s.kw('tier');
        const c = suiteCounts(s);
        rows.push({ suite, start, time: startTime(start), tier: tier instanceof Keyword ? tier.name : typeof tier === 'string' ? tier : '', counts: { runs: c.runs, asExpected: c.asExpected, unexpected: c.unexpected } });
      } catch {
        rows.push({ suite, start, time: startTime(start), tier: '' });
      }
    }
  }
  return rows.sort((a, b) => compareRunNames(b.start, a.start) || a.suite.localeCompare(b.suite));
}

/** The index's "Suites" section, or '' when the store has none. */
export function renderSuiteList(rows: SuiteRow[]): string {
  if (rows.length === 0) return '';
  const body = rows
    .map((r) => {
      const href = `/suites/${encodeURIComponent(r.suite)}/${encodeURIComponent(r.start)}/`;
      const c = r.counts;
      const outcome =
        c === undefined
          ? '<td class="unknown">suite.edn cannot be read</td>'
          : `<td>${c.runs} runs: ${c.asExpected} as expected, <span class="${c.unexpected > 0 ? 'unexpected' : 'none-unexpected'}">${c.unexpected} not</span></td>`;
      return `<tr><td><a href="${href}">${escapeHtml(r.suite)}</a></td><td>${escapeHtml(r.tier)}</td><td>${escapeHtml(r.time)}</td>${outcome}</tr>`;
    })
    .join('\n');
  return `<h2>Suites</h2>
<table id="suites"><thead><tr><th>suite</th><th>tier</th><th>time</th><th>runs</th></tr></thead><tbody>
${body}
</tbody></table>
<h2>Runs</h2>
`;
}

/** `/runs/<test>/<run>/` for a run's `:dir` of two safe segments; undefined for anything else. */
export function serveRunHref(dir: string): string | undefined {
  const segs = safeSegments(dir);
  if (segs === undefined || segs.length !== 2 || dir.split('/').length !== 2) return undefined;
  return `/runs/${segs.map(encodeURIComponent).join('/')}/`;
}

/**
 * The page of the suite run `<store>/suites/<suite>/<start>/`, or undefined when there is none
 * (names that leave the store, a start that is no run name, no suite.edn). Throws when its
 * suite.edn cannot be parsed.
 */
export async function suitePageAt(store: string, suite: string, start: string): Promise<string | undefined> {
  if (!isRunDirName(start)) return undefined;
  const dir = await resolveInside(store, ['suites', suite, start]);
  if (dir === undefined || !isFile(join(dir, 'suite.edn'))) return undefined;
  return renderSuitePage(readSuiteEdn(dir), { runHref: serveRunHref, title: `hindsight: suite ${suite} ${startTime(start)}` });
}
