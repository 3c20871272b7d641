import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import { EdnMap } from '../../analyzer/edn/values.js';
import { runRows, serve } from '../../analyzer/report/serve.js';
import { suiteRows } from '../../analyzer/report/serve-suites.js';
import { renderSuitePage, suitePageFromFile, writeSuitePage } from '../../analyzer/report/suite-page.js';
import { listRuns } from '../../analyzer/store/store.js';
import { tempDir } from '../support/tmp.js';
import { makeRun } from './store-fixture.js';

const REGISTER = 'register-partition/20261204T051725.123';
const APPEND = 'append-bug/20261204T051730.456';
const SUITE = 'suites/sanity/20261204T051700.000';
const PREVIOUS = 'suites/sanity/20261203T051700.000';
const UNFINISHED = 'suites/sanity/20261205T051700.000';

/** One entry of suite.edn's :runs, as recorder/suite/suite-dir.ts `entryEdn` prints it. */
const REGISTER_RUN = `{:test "register-partition", :seed 1, :tier :sanity, :expected :valid, :actual :valid, :as-expected? true, :seconds 1.25, :ops 922, :anomaly-types [], :dir "${REGISTER}"}`;
const APPEND_RUN = (actual: string, error: string): string =>
  `{:test "append-bug", :seed 2, :tier :sanity, :expected :invalid, :actual :${actual}, :as-expected? ${actual === 'invalid'}, :seconds 2.25, :ops 0, :anomaly-types [:G-single-item], :dir "${APPEND}"${error === '' ? '' : `, :error ${JSON.stringify(error)}`}}`;

let store: string;
let server: Server;
let port: number;

/** A suite run directory with its suite.edn, with the keys recorder/suite/summary.ts `summaryText` writes. */
function suiteRun(rel: string, counts: string, extra: string, changes: string, runs: string[]): void {
  const dir = join(store, rel);
  mkdirSync(join(dir, 'runs'), { recursive: true });
  writeFileSync(join(dir, 'plan.edn'), '{}\n');
  writeFileSync(
    join(dir, 'suite.edn'),
    `{:suite "sanity", :file "suites/sanity.edn", :tier :sanity, :started "2026-12-04T05:17:00.000Z", :finished "2026-12-04T05:17:02.100Z", ${counts}, :seconds 3.5, ${extra}, :budget 60, ` +
      `:changes ${changes}, :runs [${runs.join(' ')}]}\n`,
  );
}

before(async () => {
  store = tempDir('hindsight-suite-page-');
  await makeRun(store, { test: 'register-partition', run: '20261204T051725.123', history: 'fixtures/jepsen-stores/canonical-raft/history.edn', checkers: 'stats', workload: 'register', nemesis: 'partition' });
  await makeRun(store, { test: 'append-bug', run: '20261204T051730.456', history: 'fixtures/elle/paper-example.edn', checkers: 'list-append', workload: 'list-append' });
  // Only the register run has a report: the append run links to its directory.
  writeFileSync(join(store, REGISTER, 'report.html'), '<!DOCTYPE html><title>report</title>\n');
  // The previous run, from before --parallel: no :wall-seconds, no :parallel.
  suiteRun(PREVIOUS, ':as-expected? true, :counts {:runs 2, :as-expected 2, :unexpected 0, :valid 1, :invalid 1, :unknown 0, :error 0}', ':within-budget? true', '{:previous nil, :newly-failing [], :newly-passing []}', [REGISTER_RUN, APPEND_RUN('invalid', '')]);
  suiteRun(
    SUITE,
    ':as-expected? false, :counts {:runs 2, :as-expected 1, :unexpected 1, :valid 1, :invalid 0, :unknown 0, :error 1}',
    ':wall-seconds 2.1, :parallel 2, :within-budget? true',
    `{:previous "${PREVIOUS}", :newly-failing ["append-bug"], :newly-passing []}`,
    [REGISTER_RUN, APPEND_RUN('error', 'db setup failed: <port> 2379 in use')],
  );
  // Newer, but unfinished (no suite.edn): listed nowhere.
  mkdirSync(join(store, UNFINISHED, 'runs'), { recursive: true });
  writeFileSync(join(store, UNFINISHED, 'plan.edn'), '{}\n');
  writeSuitePage(join(store, SUITE), store);
  server = await serve({ store, port: 0, host: '127.0.0.1' });
  port = (server.address() as AddressInfo).port;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

/** A GET with the path sent exactly as given (fetch would normalise `..` away). */
function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('suite.html: names, verdict line, budget, changes, UNEXPECTED, the error, relative links', () => {
  const html = readFileSync(join(store, SUITE, 'suite.html'), 'utf8');
  assert.match(html, /^<!DOCTYPE html>/);
  assert.ok(html.includes('<h1>Suite sanity</h1>'), html);
  assert.ok(html.includes('tier <b>sanity</b> · file suites/sanity.edn · started 2026-12-04T05:17:00.000Z · finished '));
  assert.ok(html.includes('<p class="verdict bad">2 runs: 1 as expected, 1 not (1 valid, 0 invalid, 0 unknown, 1 errors); 3.5 s of runs in 2.1 s, 2 at once</p>'));
  assert.ok(html.includes('<p>budget: 2.1 s of 60 s</p>'));
  assert.ok(html.includes('<p>changes since suites/sanity/20261203T051700.000: newly failing: <span class="unexpected">append-bug</span>; newly passing: none</p>'));
  assert.ok(html.includes('<td>register-partition</td><td>1</td><td>valid</td><td class="valid">valid</td><td class="ok">ok</td><td>1.3 s</td><td>922</td><td>-</td>'));
  assert.ok(html.includes('<tr data-outcome="unexpected"><td>append-bug</td><td>2</td><td>invalid</td><td class="error">error</td><td><span class="unexpected">UNEXPECTED</span></td><td>2.3 s</td><td>0</td><td>G-single-item</td>'));
  assert.ok(html.includes('<td class="why">db setup failed: &lt;port&gt; 2379 in use</td>'));
  assert.ok(!html.includes('<port>'), 'the error text is escaped');
  // The run with a report links to it; the other to its directory; both relative to the suite run directory.
  assert.ok(html.includes(`<a href="../../../${REGISTER}/report.html">${REGISTER}</a>`));
  assert.ok(html.includes(`<a href="../../../${APPEND}/">${APPEND}</a>`));
  assert.ok(html.includes('<label><input type="radio" name="outcome" value="unexpected"> unexpected</label>'));
  // Self-contained: nothing fetched from elsewhere.
  assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)="(?!data:)/);
});

test('a run without a directory, or one runHref refuses, has no link; a first run has nothing to compare', () => {
  const v = parseEdn(
    '{:suite "s", :tier :daily, :started "a", :finished "b", :counts {:runs 2, :as-expected 2, :unexpected 0, :valid 2}, :seconds 1.0, ' +
      ':changes {:previous nil, :newly-failing [], :newly-passing []}, ' +
      ':runs [{:test "t1", :seed 1, :expected :valid, :actual :valid, :as-expected? true, :seconds 0.5, :ops 3, :anomaly-types [], :dir ""} ' +
      '{:test "t2", :seed 2, :expected :valid, :actual :valid, :as-expected? true, :seconds 0.5, :ops 3, :anomaly-types [], :dir "t2/x"}]}',
  );
  assert.ok(v instanceof EdnMap);
  const asked: string[] = [];
  const html = renderSuitePage(v, { runHref: (d) => {
      asked.push(d);
      return undefined;
    },
    title: 'T<1>' });
  assert.deepEqual(asked, ['t2/x'], "runHref is not asked for a run with :dir ''");
  assert.doesNotMatch(html, /<a /);
  assert.ok(html.includes('<td>t2/x</td>'));
  assert.ok(html.includes('<title>T&lt;1&gt;</title>'));
  assert.ok(html.includes('<p class="verdict good">2 runs: 2 as expected, 0 not (2 valid, 0 invalid, 0 unknown, 0 errors); 1.0 s</p>'));
  assert.ok(html.includes('<p>budget: none given for this tier</p>'));
  assert.ok(html.includes('<p>changes: none to compare (the first finished run of this suite)</p>'));
  // A suite.edn from before --parallel holds its budget against :seconds.
  const over = parseEdn('{:suite "s", :seconds 3.0, :budget 1, :within-budget? false, :runs []}');
  assert.ok(over instanceof EdnMap);
  assert.ok(renderSuitePage(over, { runHref: () => undefined }).includes('<p>budget: 3.0 s of 1 s — <span class="unexpected">OVER BUDGET</span></p>'));
  assert.throws(() => suitePageFromFile(join(store, UNFINISHED), { runHref: () => undefined }), /ENOENT/);
});

test('serve: / lists finished suite runs newest first above the runs, and no run row for suites/', async () => {
  const index = await get('/');
  assert.equal(index.status, 200);
  const current = `<tr><td><a href="/suites/sanity/20261204T051700.000/">sanity</a></td><td>sanity</td><td>2026-12-04 05:17:00</td><td>2 runs: 1 as expected, <span class="unexpected">1 not</span></td></tr>`;
  const previous = `<tr><td><a href="/suites/sanity/20261203T051700.000/">sanity</a></td><td>sanity</td><td>2026-12-03 05:17:00</td><td>2 runs: 2 as expected, <span class="none-unexpected">0 not</span></td></tr>`;
  assert.ok(index.body.includes(`${current}\n${previous}`), index.body);
  assert.ok(index.body.indexOf('<h2>Suites</h2>') < index.body.indexOf('<table id="runs">'));
  assert.ok(!index.body.includes('20261205T051700.000'), 'an unfinished suite run is not listed');
  assert.ok(!index.body.includes('/runs/suites/') && !index.body.includes('/files/suites/'), 'suites/ is no test');
  assert.deepEqual(
    runRows(store).map((r) => `${r.test}/${r.run}`),
    [APPEND, REGISTER],
  );
  assert.deepEqual(
    listRuns(store).map((r) => r.test),
    ['register-partition', 'append-bug'],
  );
  assert.deepEqual(
    suiteRows(store).map((r) => r.start),
    ['20261204T051700.000', '20261203T051700.000'],
  );
});

test('serve: /suites/<name>/<start>/ is the suite page, its runs linked to /runs/', async () => {
  const page = await get('/suites/sanity/20261204T051700.000/');
  assert.equal(page.status, 200);
  assert.ok(page.body.includes('<p class="verdict bad">2 runs: 1 as expected, 1 not (1 valid, 0 invalid, 0 unknown, 1 errors); 3.5 s of runs in 2.1 s, 2 at once</p>'));
  assert.ok(page.body.includes('<title>hindsight: suite sanity 2026-12-04 05:17:00</title>'));
  for (const dir of [REGISTER, APPEND]) {
    assert.ok(page.body.includes(`<a href="/runs/${dir}/">${dir}</a>`), dir);
    assert.equal((await get(`/runs/${dir}/`)).status, 200, dir);
  }
});

test('serve: suite paths that leave the store or name no finished suite run are 404', async () => {
  for (const path of [
    '/suites/../x',
    '/suites/../../etc/passwd/',
    '/suites/%2e%2e/%2e%2e/x/',
    '/suites/sanity/..%2f..%2fregister-partition/',
    '/suites/nope/20261204T051700.000/',
    '/suites/sanity/20261205T051700.000/',
    '/suites/sanity/not-a-start/',
    '/suites/sanity/20261204T051700.000/suite.edn',
    '/suites/sanity/',
    '/runs/suites/sanity/',
  ]) {
    const r = await get(path);
    assert.deepEqual([r.status, r.body], [404, 'not found\n'], path);
  }
});
