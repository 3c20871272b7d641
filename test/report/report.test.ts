import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadRun } from '../../analyzer/report/load.js';
import { evidenceOps, renderReport } from '../../analyzer/report/page.js';
import { headline } from '../../analyzer/report/verdict.js';
import { runCliInProcess } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';
import { makeRun, sampleStore } from './store-fixture.js';

let store: string;
let failing: string;

before(async () => {
  ({ store, failing } = await sampleStore());
});
after(() => rmSync(store, { recursive: true, force: true }));

test('a failing run: verdict in words, each checker, the cycle picture inline, the timeline highlighting the cycle ops', async () => {
  const run = await loadRun(failing);
  const top = headline(run.results);
  assert.deepEqual([top.verdict, top.sentence], ['invalid', 'list-append: G-single-item anomaly: not consistent-view or repeatable-read (nor any stronger model)']);
  assert.match(top.detail ?? '', /^The first G-single-item:\nT1 = op 7: .*\nSo T1 < T2 < T3 < T1: a cycle/s);
  // The paper example's G-single-item runs through the ops at indices 3, 5 and 7.
  assert.deepEqual(evidenceOps(run.results).sort(), [3, 5, 7]);
  const html = renderReport(run);
  assert.match(html, /<header class="verdict invalid" id="verdict"><h1>Invalid<\/h1>/);
  assert.match(html, /<h3>list-append<span class="badge invalid">invalid<\/span><\/h3>/);
  assert.match(html, /<h3>timeline<span class="badge valid">valid<\/span><\/h3>/);
  // The cycle is drawn inline, inside the list-append result, ids scoped to the picture.
  const article = html.slice(html.indexOf('<article class="checker" id="checker-list-append">'), html.indexOf('</article>'));
  assert.match(article, /<figure class="picture inline"><svg id="pic1" xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(article, /marker-end="url\(#pic1-arrow-rw\)"/);
  assert.match(article, /<figcaption><a href="elle\/G-single-item-1\.svg">elle\/G-single-item-1\.svg<\/a><\/figcaption>/);
  // The first cycle's explanation is under the headline, its ops linked to the timeline.
  assert.match(html, /<div class="detail">The first G-single-item:\nT1 = <a class="op-link" href="#op-7" data-op-index="7"/);
  assert.match(html, /<a class="op-link" href="#op-3" data-op-index="3"/);
  assert.match(html, /"hl":\[/);
  // Self-contained: nothing fetched from anywhere.
  assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)="(https?:)?\/\//);
});

test('values from the history are escaped: a <script> in a value renders as text', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hindsight-xss-'));
  try {
    const hist = join(dir, 'evil.edn');
    writeFileSync(
      hist,
      [
        '{:index 0, :type :invoke, :process 0, :f :write, :value "<script>alert(1)</script>"}',
        '{:index 1, :type :ok, :process 0, :f :write, :value "<script>alert(1)</script>"}',
        '{:index 2, :type :invoke, :process 1, :f :read, :value nil}',
        '{:index 3, :type :ok, :process 1, :f :read, :value "</script><img src=x onerror=alert(2)>"}',
      ].join('\n') + '\n',
    );
    const runDir = await makeRun(dir, { test: 'evil', run: '20261103T100000.000', history: hist, checkers: 'stats,timeline', workload: 'register' });
    const html = renderReport(await loadRun(runDir));
    assert.doesNotMatch(html, /<script>alert\(1\)/);
    assert.doesNotMatch(html, /<img src=x/);
    assert.equal(html.match(/<script[ >]/g)?.length, html.match(/<\/script>/g)?.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hindsight report on a run directory writes report.html there', async () => {
  const { code, out } = await runCliInProcess(['report', failing]);
  assert.equal(code, 0);
  assert.equal(out.trim(), join(failing, 'report.html'));
  assert.match(readFileSync(join(failing, 'report.html'), 'utf8'), /<title>invalid: append-paper \/ 20261102T100000\.000 — hindsight<\/title>/);
});

test('hindsight report on a run with neither results.edn nor test.edn, whose ops fit no checker, says what to run, exit 3', async () => {
  const dir = tempDir('hindsight-noresults-');
  writeFileSync(join(dir, 'history.edn'), '{:index 0, :type :invoke, :process 0, :f :frobnicate, :value nil}\n');
  const { code, err } = await runCliInProcess(['report', dir]);
  assert.equal(code, 3);
  assert.equal(err, `hindsight: ${dir}: no results.edn or test.edn, and no checker fits the ops (:frobnicate ×1): run \`hindsight check ${join(dir, 'history.edn')} --checker NAMES --out ${dir}\` first\n`);
});
