/**
 * The reports in a real browser: Debian's Chromium driven by playwright-core. Screenshots go to
 * test-output/report/ (kept for a person to look at; gitignored).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { renderTimeline } from '../../analyzer/render/timeline/page.js';
import { kw } from '../../analyzer/edn/values.js';
import { HistoryBuilder } from '../../analyzer/history/history.js';
import { INVOKE, OK } from '../../analyzer/history/op.js';
import { readHistory } from '../../analyzer/history/read.js';
import { serve } from '../../analyzer/report/serve.js';
import { chromiumSkip as skip, launchChromium } from '../support/chromium.js';
import { sampleStore } from './store-fixture.js';

const OUT = 'test-output/report';

let browser: Browser;
let store: string;
let server: Server;
let base: string;
let scratch: string;

before(async () => {
  if (skip) return;
  mkdirSync(OUT, { recursive: true });
  scratch = mkdtempSync(join(tmpdir(), 'hindsight-browser-'));
  ({ store } = await sampleStore());
  server = await serve({ store, port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

after(async () => {
  if (skip) return;
  await browser?.close();
  server?.closeAllConnections();
  server?.close();
  rmSync(store, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

test('serve: click into the failing run and find its failing ops highlighted in the timeline, with no console errors', { skip, timeout: 120_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(base + '/');
    // Filter to the invalid runs: only the failing one stays visible.
    await page.check('input[value=invalid]');
    assert.equal(await page.locator('#runs tbody tr:visible').count(), 1);
    await page.screenshot({ path: join(OUT, 'store-list.png') });
    await page.click('text=append-paper');
    await page.waitForSelector('header.verdict.invalid');
    assert.equal(await page.textContent('header.verdict p'), 'list-append: G-single-item anomaly: not consistent-view or repeatable-read (nor any stronger model)');
    // The G-single-item's three transactions (completions 3, 5, 7) are highlighted in the timeline;
    // a box is named by its invocation's index (2, 4, 6).
    await page.waitForSelector('.tl-op.hl');
    const highlighted = await page.$$eval('.tl-op.hl', (els) => els.map((e) => e.getAttribute('data-op-index')).sort());
    assert.deepEqual(highlighted, ['2', '4', '6']);
    // Clicking an op in the explanation scrolls the timeline to that op's box and flashes it.
    await page.click('a.op-link[data-op-index="5"] >> nth=0');
    await page.waitForSelector('.tl-op.flash[data-op-index="4"]');
    // So does clicking a transaction's "op 3" label in the inline cycle picture.
    await page.locator('#checker-list-append figure svg text', { hasText: /^op 3$/ }).click({ timeout: 5000 });
    await page.waitForSelector('.tl-op.flash[data-op-index="2"]', { timeout: 5000 });
    await page.screenshot({ path: join(OUT, 'failing-run.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a 1 M-op timeline opens without freezing: only visible boxes are in the page, and jumping to the last op works', { skip, timeout: 300_000 }, async () => {
  const n = 500_000; // invocations; with completions, 1 M ops
  const b = new HistoryBuilder('<generated 1M>');
  const read = b.internF(kw('read'));
  const write = b.internF(kw('write'));
  const processes = 20;
  let t = 0;
  for (let k = 0; k < n; k += processes) {
    for (let p = 0; p < processes && k + p < n; p++) b.addColumns(undefined, (t += 1000), INVOKE, p, (k + p) % 3 ? read : write, k + p, undefined, undefined, 0);
    for (let p = 0; p < processes && k + p < n; p++) b.addColumns(undefined, (t += 1000), OK, p, (k + p) % 3 ? read : write, k + p, undefined, undefined, 0);
  }
  const history = b.build();
  assert.equal(history.length, 1_000_000);
  const file = join(scratch, 'timeline-1m.html');
  writeFileSync(file, renderTimeline(history, { highlight: [999_999] }));
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await page.goto('file://' + file, { timeout: 240_000 });
    await page.waitForSelector('.tl-op.hl', { timeout: 240_000 });
    // The page answers promptly once loaded (a frozen main thread would not).
    assert.equal(await page.evaluate(() => 1 + 1), 2);
    const boxes = await page.locator('.tl-op').count();
    assert.ok(boxes > 0 && boxes < 5_000, `${boxes} boxes in the DOM: the timeline must render only what is visible`);
    await page.evaluate('window.hindsightTimeline.scrollToOp(0)');
    await page.waitForSelector('.tl-op[data-op-index="0"]');
    await page.screenshot({ path: join(OUT, 'timeline-1m.png') });
  } finally {
    await page.close();
  }
});

test('the checked-in Knossos example: clicking the red bar in the linearizability picture flashes op 491 in the timeline', { skip, timeout: 120_000 }, async () => {
  const history = await readHistory('docs/examples/knossos-cas-failure/history.edn');
  const at = [...history.index].indexOf(491);
  assert.ok(at >= 0 && history.pair[at] >= 0);
  // A timeline box is named by its invocation's index.
  const invocation = history.index[history.pair[at]];
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto('file://' + resolve('docs/examples/knossos-cas-failure/report.html'));
    await page.waitForSelector('header.verdict.invalid');
    // In the close-up and in the checker's overview picture alike.
    const bar = page.locator('#checker-linearizable figure svg g', { has: page.locator('title', { hasText: '(index 491)' }) });
    assert.equal(await bar.count(), 2);
    // The bar's own label lies over it; either is the op (the handler looks for the enclosing <g>'s title).
    await bar.nth(1).locator('rect').click({ force: true, timeout: 5000 });
    await page.waitForSelector(`.tl-op.flash[data-op-index="${invocation}"]`, { timeout: 5000 });
    await page.screenshot({ path: join(OUT, 'example-linearizable-click.png') });
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
