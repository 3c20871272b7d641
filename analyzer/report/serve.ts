/**
 * `hindsight serve`: browse a store. `/` lists every run newest first (test, time, workload,
 * nemesis, verdict, op count; filterable by verdict); `/runs/<test>/<run>/` shows the run's
 * report, made on first request and kept while results.edn is unchanged; `/files/<test>/<run>/<file>`
 * downloads a raw file. Only files inside the store are served: `..`, absolute paths and symlinks
 * that leave the store get 404 like anything missing.
 */
import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { basename, join } from 'node:path';
import { parseEdn } from '../edn/scanner.js';
import { printEdn } from '../edn/print.js';
import { EdnMap, type EdnValue } from '../edn/values.js';
import { listRuns } from '../store/store.js';
import { escapeHtml } from '../render/escape.js';
import { loadRun } from './load.js';
import { renderReport } from './page.js';
import { resolveInside, safeSegments } from './serve-paths.js';
import { verdictWord } from './verdict.js';

export interface RunRow {
  test: string;
  run: string;
  /** ISO-like start time from the run directory's name. */
  time: string;
  workload: string;
  nemesis: string;
  verdict: 'valid' | 'invalid' | 'unknown' | 'incomplete';
  ops: number;
}

function ednFile(file: string): EdnValue | undefined {
  try {
    return parseEdn(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function field(m: EdnValue | undefined, name: string): string {
  if (!(m instanceof EdnMap)) return '';
  const v = m.kw(name);
  if (v === undefined || v === null) return '';
  const s = printEdn(v);
  return s.startsWith(':') ? s.slice(1) : s.replace(/^"|"$/g, '');
}

function countLines(file: string): number {
  if (!existsSync(file)) return 0;
  const buf = readFileSync(file);
  let n = 0;
  for (let i = 0; i < buf.length; i++) if (buf[i] === 10) n++;
  return n;
}

function runTime(run: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})$/.exec(run);
  return m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}` : run;
}

/** Every run in the store, newest first, with what the listing shows. */
export function runRows(store: string): RunRow[] {
  return listRuns(store)
    .reverse()
    .map((r) => {
      const test = ednFile(join(r.dir, 'test.edn'));
      const results = ednFile(join(r.dir, 'results.edn'));
      const verdict = results instanceof EdnMap ? verdictWord(results.kw('valid?')) : 'incomplete';
      return {
        test: r.test,
        run: r.run,
        time: runTime(r.run),
        workload: field(test, 'workload'),
        nemesis: field(test, 'nemesis'),
        verdict,
        ops: countLines(join(r.dir, 'history.edn')),
      };
    });
}

const LIST_CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d1d1f}
table{border-collapse:collapse}th,td{padding:4px 12px;border-bottom:1px solid #eee;text-align:left}
td.valid{color:#1a7f37;font-weight:600}td.invalid{color:#c62828;font-weight:600}td.unknown,td.incomplete{color:#9a6700;font-weight:600}
label{margin-right:12px}`;

export function renderRunList(store: string, rows: RunRow[]): string {
  const body = rows
    .map(
      (r) =>
        `<tr data-verdict="${r.verdict}"><td><a href="/runs/${encodeURIComponent(r.test)}/${encodeURIComponent(r.run)}/">${escapeHtml(r.test)}</a></td>` +
        `<td>${escapeHtml(r.time)}</td><td>${escapeHtml(r.workload)}</td><td>${escapeHtml(r.nemesis)}</td>` +
        `<td class="${r.verdict}">${r.verdict}</td><td>${r.ops}</td>` +
        `<td><a href="/files/${encodeURIComponent(r.test)}/${encodeURIComponent(r.run)}/history.edn" download>history.edn</a> ` +
        `<a href="/files/${encodeURIComponent(r.test)}/${encodeURIComponent(r.run)}/results.edn" download>results.edn</a> ` +
        `<a href="/files/${encodeURIComponent(r.test)}/${encodeURIComponent(r.run)}/">all files</a></td></tr>`,
    )
    .join('\n');
  const filters = ['all', 'valid', 'invalid', 'unknown', 'incomplete']
    .map((v) => `<label><input type="radio" name="verdict" value="${v}"${v === 'all' ? ' checked' : ''}> ${v}</label>`)
    .join('');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>hindsight: ${escapeHtml(basename(store))}</title><style>${LIST_CSS}</style></head><body>
<h1>Runs in ${escapeHtml(store)}</h1>
<p id="filter">Show: ${filters}</p>
<table id="runs"><thead><tr><th>test</th><th>time</th><th>workload</th><th>nemesis</th><th>verdict</th><th>ops</th><th>files</th></tr></thead><tbody>
${body}
</tbody></table>
${rows.length === 0 ? '<p>No runs yet: record one with <code>hindsight record</code>.</p>' : ''}
<script>
document.getElementById('filter').addEventListener('change', function (e) {
  var v = e.target.value;
  document.querySelectorAll('#runs tbody tr').forEach(function (tr) {
    tr.style.display = v === 'all' || tr.getAttribute('data-verdict') === v ? '' : 'none';
  });
});
</script></body></html>`;
}

function fileList(test: string, run: string, dir: string): string {
  const names = listFiles(dir);
  const items = names.map((n) => `<li><a href="/files/${encodeURIComponent(test)}/${encodeURIComponent(run)}/${n.split('/').map(encodeURIComponent).join('/')}" download>${escapeHtml(n)}</a></li>`).join('');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(`${test} ${run}`)}</title></head><body><h1>${escapeHtml(`${test} / ${run}`)}</h1><ul>${items}</ul></body></html>`;
}

function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of (existsSync(dir) ? readdirSync(dir) : []).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p, `${prefix}${name}/`));
    else out.push(prefix + name);
  }
  return out;
}

export interface ServeOptions {
  store: string;
  port: number;
  host: string;
}

const reportCache = new Map<string, { mtime: number; html: string }>();

async function reportFor(dir: string, filesBase: string): Promise<string> {
  const results = join(dir, 'results.edn');
  const mtime = existsSync(results) ? statSync(results).mtimeMs : -1;
  const hit = reportCache.get(dir);
  if (hit && hit.mtime === mtime) return hit.html;
  const html = renderReport(await loadRun(dir), { filesBase });
  reportCache.set(dir, { mtime, html });
  return html;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.edn': 'application/edn; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.dot': 'text/plain; charset=utf-8',
};

/** Starts the server; resolves once listening. */
export function serve(opts: ServeOptions): Promise<Server> {
  const server = createServer((req, res) => {
    const send = (status: number, body: string, type = 'text/html; charset=utf-8'): void => {
      res.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff' });
      res.end(body);
    };
    const notFound = (): void => send(404, 'not found\n', 'text/plain; charset=utf-8');
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const raw = req.url ?? '/';
      // Refuse traversal before any normalisation a URL parser does (`/files/../x` → `/x`).
      if (/(^|\/)\.\.(\/|$)|%2e%2e/i.test(raw)) return notFound();
      if (url.pathname === '/' || url.pathname === '/index.html') return send(200, renderRunList(opts.store, runRows(opts.store)));
      const segs = safeSegments(url.pathname);
      if (segs === undefined || segs.length < 3) return notFound();
      const [kind, test, run, ...rest] = segs;
      const dir = await resolveInside(opts.store, [test, run]);
      if (dir === undefined) return notFound();
      if (kind === 'runs') {
        if (rest.length > 0) return notFound();
        try {
          return send(200, await reportFor(dir, `/files/${encodeURIComponent(test)}/${encodeURIComponent(run)}/`));
        } catch (e) {
          return send(500, `<!DOCTYPE html><p>cannot make this run's report: ${escapeHtml(e instanceof Error ? e.message : String(e))}</p>`);
        }
      }
      if (kind === 'files') {
        if (rest.length === 0) return send(200, fileList(test, run, dir));
        const file = await resolveInside(opts.store, [test, run, ...rest]);
        if (file === undefined || !statSync(file).isFile()) return notFound();
        const ext = /\.[a-z]+$/.exec(file)?.[0] ?? '';
        res.writeHead(200, {
          'content-type': TYPES[ext] ?? 'application/octet-stream',
          'content-disposition': `attachment; filename="${basename(file).replace(/"/g, '')}"`,
          'x-content-type-options': 'nosniff',
        });
        createReadStream(file).pipe(res);
        return;
      }
      return notFound();
    })().catch(() => send(500, 'internal error\n', 'text/plain; charset=utf-8'));
  });
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolveListen(server));
  });
}
