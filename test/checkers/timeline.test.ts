import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BOX_FAIL, BOX_INFO, BOX_OK, BOX_OPEN, type TimelineData, timelineData } from '../../analyzer/render/timeline/data.js';
import { checkTimeline } from '../../analyzer/checkers/timeline.js';
import { renderTimeline, renderTimelineFragment } from '../../analyzer/render/timeline/page.js';
import { kw } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import { chromiumSkip, launchChromium } from '../support/chromium.js';

const EVIL = '</script><script>alert(1)</script>';

function small(): OpInput[] {
  return [
    { type: 'invoke', process: 0, f: kw('write'), value: 1, time: 0 },
    { type: 'invoke', process: 1, f: kw('read'), time: 1e6 },
    { type: 'ok', process: 0, f: kw('write'), value: 1, time: 2e6 },
    { type: 'info', process: kw('nemesis'), f: kw('start-partition'), value: EVIL, time: 2.5e6 },
    { type: 'fail', process: 1, f: kw('read'), value: 7, time: 3e6 },
    { type: 'invoke', process: 0, f: kw('cas'), value: [1, 2], time: 4e6 },
    { type: 'invoke', process: 2, f: kw('write'), value: 3, time: 5e6 },
    { type: 'info', process: 0, f: kw('cas'), value: [1, 2], time: 6e6 },
  ];
}

/** The JSON the page embeds, parsed back. */
function embedded(html: string): TimelineData {
  const m = /<script type="application\/json">(.*?)<\/script>/s.exec(html);
  assert.ok(m, 'the page embeds its data');
  return JSON.parse(m[1]) as TimelineData;
}

test('one box per op, from invocation row to completion row, in a column per process', () => {
  const d = timelineData(historyOf(small()), [7]);
  assert.equal(d.rows, 8);
  assert.deepEqual(d.cols, ['nemesis', '0', '1', '2']);
  assert.deepEqual(d.nemesisCols, [0]);
  assert.deepEqual(d.fs, ['write', 'read', 'start-partition', 'cas']);
  // write p0 rows 0–2 ok; read p1 1–4 fail; nemesis lone info at 3; cas p0 5–7 info; write p2 from 6, never completed.
  assert.deepEqual(d.c, [1, 2, 0, 1, 3]);
  assert.deepEqual(d.s, [0, 1, 3, 5, 6]);
  assert.deepEqual(d.e, [2, 4, 3, 7, 7]);
  assert.deepEqual(d.o, [BOX_OK, BOX_FAIL, BOX_INFO, BOX_INFO, BOX_OPEN]);
  // :index is each op's position here, so the page derives op indices from rows.
  assert.equal(d.i, undefined);
  assert.equal(d.j, undefined);
  assert.deepEqual(d.t0, [0, 1, 2.5, 4, 5]);
  assert.deepEqual(d.t1, [2, 3, null, 6, null]);
  assert.deepEqual(d.v, ['1', '', '"</script><script>alert(1)</script>"', '[1 2]', '3']);
  // A completion value is kept only when it differs from the invocation's.
  assert.deepEqual(d.w, ['', '7', '', '', '']);
  // Highlighting op 7 (the cas's completion) marks the cas box.
  assert.deepEqual(d.hl, [3]);
});

test('many crashed processes are packed into lanes (a replacement takes a free lane); the page gets each box\'s process', () => {
  const ops: OpInput[] = [];
  // Two threads; every op crashes its process, which thread t replaces by process + 2.
  for (let k = 0; k < 6; k++) {
    ops.push({ type: 'invoke', process: k, f: kw('write'), value: k });
    ops.push({ type: 'info', process: k, f: kw('write'), value: k });
  }
  const d = timelineData(historyOf(ops));
  assert.deepEqual(d.cols, ['0 1 2 +3']);
  const two = timelineData(historyOf([...ops.slice(0, 2), { type: 'invoke', process: 9, f: kw('read') }, ...ops.slice(2)]));
  // Process 9 starts after process 0 is done and never completes: it holds 0's lane to the end.
  assert.deepEqual(two.cols, ['0 9', '1 2 3 +2']);
  assert.deepEqual(two.c, [0, 0, 1, 1, 1, 1, 1]);
  assert.deepEqual(two.pn, ['0', '9', '1', '2', '3', '4', '5']);
  assert.deepEqual(two.p, [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(timelineData(historyOf(small())).p, undefined);
});

test('explicit :index values that are not positions are embedded, and long values are cut', () => {
  const ops = small().map((o, k) => ({ ...o, index: 100 + 2 * k }));
  ops[1] = { ...ops[1], value: Array.from({ length: 1000 }, (_, k) => k) };
  const d = timelineData(historyOf(ops), [114]);
  assert.deepEqual(d.i, [100, 102, 106, 110, 112]);
  assert.deepEqual(d.j, [104, 108, -1, 114, -1]);
  assert.deepEqual(d.hl, [3]);
  assert.equal(d.v[1].length, 161);
  assert.ok(d.v[1].startsWith('[0 1 2 3 '));
  assert.ok(d.v[1].endsWith('…'));
});

test('values cannot break out of the page: the script-ending string is escaped, and round-trips', () => {
  const html = renderTimeline(historyOf(small()), { title: `history <b>${EVIL}</b>` });
  assert.ok(!html.includes(EVIL), 'no raw </script> from a value');
  assert.ok(!html.includes('<b>'), 'the title is escaped');
  assert.ok(html.includes('&lt;b&gt;&lt;/script&gt;'));
  // Exactly the page's own two scripts, each closed once.
  assert.equal(html.match(/<script/g)?.length, 2);
  assert.equal(html.match(/<\/script>/g)?.length, 2);
  assert.equal(embedded(html).v[2], `"${EVIL}"`);
});

test('fragments for embedding: scoped root id and op id prefix, anchors by op index', () => {
  const frag = renderTimelineFragment(historyOf(small()), { id: 'tl-2', opIdPrefix: 'x-', highlight: [4] });
  assert.match(frag, /^<div class="tl-root" id="tl-2">/);
  assert.ok(frag.includes('document.getElementById("tl-2")'));
  assert.ok(frag.includes(`el.id = "x-" + 'op-' + i;`));
  assert.ok(frag.includes("el.setAttribute('data-op-index'"));
  assert.deepEqual(embedded(frag).hl, [1]);
});

test('the timeline checker writes timeline.html into the output directory', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hindsight-timeline-'));
  try {
    const r = await checkTimeline(historyOf(small()), { outDir: dir });
    assert.deepEqual(r, { 'valid?': true, 'op-count': 8, file: 'timeline.html' });
    const html = await readFile(join(dir, 'timeline.html'), 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.equal(embedded(html).c.length, 5);
    assert.deepEqual(await checkTimeline(historyOf(small()), {}), { 'valid?': true, 'op-count': 8 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('in a browser: 100 k ops open with only the visible boxes in the DOM, and #op-N scrolls there', { skip: chromiumSkip, timeout: 120_000 }, async () => {
  const ops: OpInput[] = [];
  for (let k = 0; k < 50_000; k++) {
    const p = k % 10;
    ops.push({ type: 'invoke', process: p, f: kw('add'), value: k, time: k * 1e6 });
    ops.push({ type: k % 97 === 0 ? 'info' : 'ok', process: p, f: kw('add'), value: k, time: k * 1e6 + 5e5 });
  }
  const dir = await mkdtemp(join(tmpdir(), 'hindsight-timeline-'));
  const browser = await launchChromium();
  try {
    await checkTimeline(historyOf(ops), { outDir: dir });
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.goto(`file://${join(dir, 'timeline.html')}#op-60001`);
    await page.waitForSelector('[data-op-index="60000"]');
    const count = await page.locator('.tl-op').count();
    assert.ok(count > 10 && count < 400, `only visible boxes are drawn (${count})`);
    assert.equal(await page.locator('.tl-op.flash').getAttribute('data-op-index'), '60000');
    assert.equal(await page.locator('[data-op-index="0"]').count(), 0);
    assert.equal(await page.evaluate('window.hindsightTimeline.scrollToOp(2)'), true);
    await page.waitForSelector('.tl-op.flash[data-op-index="2"]');
    assert.equal(await page.locator('[data-op-index="60000"]').count(), 0);
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
});
