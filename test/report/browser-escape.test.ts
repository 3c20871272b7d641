/**
 * In a real browser (Debian's Chromium, as browser.test.ts): a history value holding a
 * right-to-left override shows as the text `\u202E` everywhere a reader looks, including the
 * timeline's boxes, which its script builds from JSON with `textContent`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { INVISIBLE_CLASS } from '../../analyzer/render/escape.js';
import { loadRun } from '../../analyzer/report/load.js';
import { renderReport } from '../../analyzer/report/page.js';
import { chromiumSkip as skip, launchChromium } from '../support/chromium.js';
import { bidiRun } from './store-fixture.js';

let browser: Browser;
let store: string;
let dir: string;

before(async () => {
  if (skip) return;
  store = mkdtempSync(join(tmpdir(), 'hindsight-browser-bidi-'));
  dir = await bidiRun(store);
  writeFileSync(join(dir, 'report.html'), renderReport(await loadRun(dir)));
  browser = await launchChromium();
});

after(async () => {
  if (skip) return;
  await browser?.close();
  rmSync(store, { recursive: true, force: true });
});

/** Every text node and attribute value in the page, as the DOM holds them (after scripts ran). A string: the project's types have no DOM. */
const PAGE_STRINGS = `(() => {
  const out = [];
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let n = walker.currentNode; n !== null; n = walker.nextNode()) {
    if (n.nodeType === Node.TEXT_NODE) out.push(n.nodeValue);
    else for (const a of Array.from(n.attributes)) out.push(a.value);
  }
  return out;
})()`;

function pageStrings(page: Page): Promise<string[]> {
  return page.evaluate(PAGE_STRINGS) as Promise<string[]>;
}

for (const file of ['timeline.html', 'report.html']) {
  test(`${file}: no raw bidi control anywhere in the DOM; the timeline's boxes and tooltips show \\u202E`, { skip, timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto('file://' + join(dir, file));
      await page.waitForSelector('.tl-op[data-op-index="0"]');
      const dangerous = new RegExp(INVISIBLE_CLASS);
      const strings = await pageStrings(page);
      assert.ok(strings.some((s) => s.includes('abc\\u202Edef')), 'the walk reaches the values');
      assert.deepEqual(strings.filter((s) => dangerous.test(s)), [], 'strings in the DOM holding a raw invisible character');
      const box = page.locator('.tl-op[data-op-index="0"]');
      assert.equal(await box.textContent(), 'write "abc\\u202Edef"');
      assert.match((await box.getAttribute('title')) ?? '', /^process 0 :write ok\nop 0 → 1\n.*\nvalue "abc\\u202Edef"$/);
      assert.equal(await page.locator('.tl-op[data-op-index="2"]').textContent(), 'read  → "exe.txt\\u202E\\u2066"');
      assert.ok((await page.locator('.tl-col').allTextContents()).includes('nemesis\\u202Ex'));
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
}
