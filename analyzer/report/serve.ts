/**
 * `hindsight serve`: browse a store. `/` lists every run newest first (test, time, workload,
 * nemesis, verdict, op count; filterable by verdict); `/runs/<test>/<run>/` shows the run's
 * report, made on first request and kept while results.edn is unchanged; `/files/<test>/<run>/<file>`
 * downloads a raw file; `/suites/<suite>/<start>/` shows a finished suite run's summary, and `/`
 * lists those above the runs (serve-suites.ts). Only files inside the store are served: `..`,
 * absolute paths and symlinks that leave the store get 404 like anything missing, with a body
 * that names no server path.
 * Only GET and HEAD are answered, and only for a `Host` naming this server (DNS rebinding).
 */
import { existsSync, lstatSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseEdn } from '../edn/scanner.js';
import { printEdn } from '../edn/print.js';
import { EdnMap, type EdnValue } from '../edn/values.js';
import { listRuns } from '../store/store.js';
import { escapeHtml, showInvisible } from '../render/escape.js';
import { loadRun } from './load.js';
import { renderReport } from './page.js';
import { allowedHosts, hostAllowed } from './serve-host.js';
import { isDirectory, isFile } from '../util/paths.js';
import { resolveInside, safeSegments } from './serve-paths.js';
import { verdictWord } from './verdict.js';
import { renderSuiteList, suitePageAt, suiteRows } from './serve-suites.js';
import { LIST_CSS } from './suite-page.js';

/** One line of the run list. */
export interface RunRow {
  /** The test's directory name. */
  test: string;
  /** The run's directory name. */
  run: string;
  /** ISO-like start time from the run directory's name. */
  time: string;
  /** test.edn's `:workload` and `:nemesis`, or ''. */
  workload: string;
  nemesis: string;
  /** results.edn's verdict; `incomplete` when the run has no results.edn (yet). */
  verdict: 'valid' | 'invalid' | 'unknown' | 'incomplete';
  /** Lines of history.edn (0 when it has none): ops, invocations and completions. */
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

/**
 * The `/` page: the rows as a table, newest first as given, filterable by verdict; `suites` (the
 * "Suites" section, serve-suites.ts) goes above it.
 */
export function renderRunList(store: string, rows: RunRow[], suites = ''): string {
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
${suites}<p id="filter">Show: ${filters}</p>
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

function fileList(test: string, run: string, dir: string, store: string): string {
  const names = listFiles(dir, realpathSync(store));
  const items = names.map((n) => `<li><a href="/files/${encodeURIComponent(test)}/${encodeURIComponent(run)}/${n.split('/').map(encodeURIComponent).join('/')}" download>${escapeHtml(n)}</a></li>`).join('');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(`${test} ${run}`)}</title></head><body><h1>${escapeHtml(`${test} / ${run}`)}</h1><ul>${items}</ul></body></html>`;
}

/**
 * The files under `dir`, relative. Symlinks are not followed into directories (a link to `/`
 * would list the whole disk) and a linked file is listed only if it resolves inside the store,
 * as a download of it would be refused otherwise; entries that cannot be read are left out.
 */
function listFiles(dir: string, realStore: string, prefix = ''): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    const p = join(dir, name);
    try {
      const st = lstatSync(p);
      if (st.isDirectory()) out.push(...listFiles(p, realStore, `${prefix}${name}/`));
      else if (st.isFile()) out.push(prefix + name);
      else if (st.isSymbolicLink() && isInside(realStore, realpathSync(p)) && statSync(p).isFile()) out.push(prefix + name);
    } catch {
      // A broken link, or an entry removed while listing: not a file to offer.
    }
  }
  return out;
}

/** What `serve` serves and where. */
export interface ServeOptions {
  /** The store root. */
  store: string;
  /** The port to listen on (0: any free one). */
  port: number;
  /** The address to bind; its name is also accepted in `Host` (see serve-host.ts). */
  host: string;
  /** More names a request's `Host` may carry (a DNS name, a reverse proxy's). */
  allowHosts?: ReadonlyArray<string>;
  /** Told why a request failed with 500; the client only ever sees a generic body. */
  onError?: (message: string) => void;
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

const HTML = 'text/html; charset=utf-8';
const TEXT = 'text/plain; charset=utf-8';

/** What to answer: a body, or an open file to stream (only its first `size` bytes: it may be growing). */
type Reply =
  | { status: number; type: string; body: string; headers?: Record<string, string> }
  | { status: 200; file: FileHandle; size: number; name: string };

// Bodies name no server path: a client learns only whether something is there.
const NOT_FOUND: Reply = { status: 404, type: TEXT, body: 'not found\n' };
const NO_RESULTS: Reply = { status: 404, type: TEXT, body: 'not found: this run has no results.edn yet (`hindsight report --check` on its directory makes one)\n' };
const NO_REPORT: Reply = { status: 500, type: TEXT, body: "cannot make this run's report: the server's log says why\n" };
const INTERNAL: Reply = { status: 500, type: TEXT, body: "internal error: the server's log says why\n" };
const BAD_METHOD: Reply = { status: 405, type: TEXT, body: 'method not allowed: only GET and HEAD\n', headers: { allow: 'GET, HEAD' } };
const BAD_HOST: Reply = {
  status: 403,
  type: TEXT,
  body: 'forbidden: this server answers only requests addressed to its own names (localhost, 127.0.0.1, [::1], its --host); start it with --allow-host NAME to accept another\n',
};

function isInside(realRoot: string, real: string): boolean {
  const rel = relative(realRoot, real);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}



/** `Content-Disposition` for a download: an ASCII name always, the exact one as `filename*` when they differ. */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  if (ascii === name) return `attachment; filename="${name}"`;
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

/** The reply to a GET of `rawUrl` (HEAD gets the same, without its body). */
async function route(opts: ServeOptions, rawUrl: string): Promise<Reply> {
  // Refuse traversal before any normalisation (`/files/../x` → `/x`); an absolute-form or
  // `*` target is not a path in the store either.
  if (/(^|\/)\.\.(\/|$)|%2e%2e/i.test(rawUrl) || !rawUrl.startsWith('/')) return NOT_FOUND;
  const path = rawUrl.replace(/[?#][\s\S]*$/, '');
  if (path === '/' || path === '/index.html') return { status: 200, type: HTML, body: renderRunList(opts.store, runRows(opts.store), renderSuiteList(suiteRows(opts.store))) };
  const segs = safeSegments(path);
  if (segs === undefined || segs.length < 3) return NOT_FOUND;
  const [kind, test, run, ...rest] = segs;
  if (kind === 'suites') {
    const page = rest.length === 0 ? await suitePageAt(opts.store, test, run) : undefined;
    return page === undefined ? NOT_FOUND : { status: 200, type: HTML, body: page };
  }
  if (kind !== 'runs' && kind !== 'files') return NOT_FOUND;
  // `<test>/<run>` must be a directory: `/files/latest/history.edn` names a file, not a run.
  const dir = await resolveInside(opts.store, [test, run]);
  if (dir === undefined || !isDirectory(dir)) return NOT_FOUND;
  if (kind === 'runs') {
    if (rest.length > 0) return NOT_FOUND;
    if (!isFile(join(dir, 'results.edn'))) return isFile(join(dir, 'history.edn')) || isFile(join(dir, 'test.edn')) ? NO_RESULTS : NOT_FOUND;
    try {
      return { status: 200, type: HTML, body: await reportFor(dir, `/files/${encodeURIComponent(test)}/${encodeURIComponent(run)}/`) };
    } catch (e) {
      opts.onError?.(`cannot make the report of ${test}/${run}: ${e instanceof Error ? e.message : String(e)}`);
      return NO_REPORT;
    }
  }
  if (rest.length === 0) return { status: 200, type: HTML, body: fileList(test, run, dir, opts.store) };
  const file = await resolveInside(opts.store, [test, run, ...rest]);
  // Checked before opening: opening a FIFO would wait for a writer.
  if (file === undefined || !isFile(file)) return NOT_FOUND;
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch {
    return NOT_FOUND;
  }
  const st = await handle.stat().catch(() => undefined);
  if (st === undefined || !st.isFile()) {
    await handle.close();
    return NOT_FOUND;
  }
  return { status: 200, file: handle, size: st.size, name: basename(file) };
}

async function send(req: IncomingMessage, res: ServerResponse, reply: Reply): Promise<void> {
  const head = req.method === 'HEAD';
  if ('file' in reply) {
    const ext = /\.[a-z]+$/.exec(reply.name)?.[0] ?? '';
    try {
      res.writeHead(200, {
        'content-type': TYPES[ext] ?? 'application/octet-stream',
        'content-length': String(reply.size),
        'content-disposition': attachment(reply.name),
        'x-content-type-options': 'nosniff',
      });
    } catch (e) {
      await reply.file.close();
      throw e;
    }
    if (head || reply.size === 0) {
      await reply.file.close();
      res.end();
      return;
    }
    // A failed read (or a client gone away) destroys the response; the stream closes the file.
    await pipeline(reply.file.createReadStream({ start: 0, end: reply.size - 1 }), res).catch(() => undefined);
    return;
  }
  const body = Buffer.from(reply.body, 'utf8');
  res.writeHead(reply.status, { ...reply.headers, 'content-type': reply.type, 'content-length': String(body.length), 'x-content-type-options': 'nosniff' });
  res.end(head ? undefined : body);
}

/**
 * Starts the server; resolves once listening. Only GET and HEAD are answered (else 405), only
 * for a `Host` that names this server (else 403; see serve-host.ts), and nothing but the run
 * list, reports, suite pages, file lists and files inside the store (else 404). Rejects when it
 * cannot listen (the port is taken, the host is not this machine's).
 */
export function serve(opts: ServeOptions): Promise<Server> {
  const allowed = allowedHosts(opts.host, opts.allowHosts);
  // The detail goes to the server's log, escaped: a name in it could hold terminal escapes.
  const logError = (message: string): void => opts.onError?.(showInvisible(message));
  const options = { ...opts, onError: logError };
  const server = createServer((req, res) => {
    const answer = async (): Promise<void> => {
      if (!hostAllowed(req.headers.host, allowed)) return send(req, res, BAD_HOST);
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(req, res, BAD_METHOD);
      let reply: Reply;
      try {
        reply = await route(options, req.url ?? '/');
      } catch (e) {
        logError(`${req.method} ${req.url ?? ''}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        reply = INTERNAL;
      }
      return send(req, res, reply);
    };
    answer().catch((e: unknown) => {
      logError(`${req.method ?? ''} ${req.url ?? ''}: ${e instanceof Error ? e.message : String(e)}`);
      if (res.headersSent) res.destroy();
      else void send(req, res, INTERNAL).catch(() => res.destroy());
    });
  });
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolveListen(server));
  });
}
