/** The failure picture: failing op red, linearized ops green, labels escaped; the checker writes it to --out. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { kw } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import { checkLinearizable } from '../../analyzer/linear/linearize.js';
import { linearizable } from '../../analyzer/linear/checker.js';
import { register } from '../../analyzer/linear/models/registers.js';
import { fitLabel, linearFailureSvg } from '../../analyzer/linear/picture.js';

const h = historyOf([
  { process: 0, type: 'invoke', f: kw('write'), value: '<b>' },
  { process: 0, type: 'ok', f: kw('write'), value: '<b>' },
  { process: 1, type: 'invoke', f: kw('read'), value: null },
  { process: 1, type: 'ok', f: kw('read'), value: 'a&b' },
]);

test('the picture marks the failing op and escapes values', () => {
  const { runs } = checkLinearizable(h, { model: register });
  const svg = linearFailureSvg(h, runs[0]);
  assert.match(svg, /fill="#d62728"/);
  assert.match(svg, /fill="#2ca02c"/);
  assert.ok(svg.includes('1. write &quot;&lt;b&gt;&quot;'), svg);
  assert.ok(svg.includes('read &quot;a&amp;b&quot;'));
  assert.ok(!svg.includes('<b>'));
});

test('the checker writes linear.svg and linear.html to the out directory on failure', async () => {
  const out = mkdtempSync(join(tmpdir(), 'linear-pic-'));
  const r = await linearizable.check(h, { model: 'register' }, { outDir: out });
  assert.equal(r['valid?'], false);
  assert.ok(existsSync(join(out, 'linear.svg')));
  assert.match(readFileSync(join(out, 'linear.html'), 'utf8'), /not linearizable: process 1&#39;s read of &quot;a&amp;b&quot;/);
});

test('labels fit the room up to the next bar of their lane: whole, cut with an ellipsis, the rank alone, or nothing', () => {
  assert.equal(fitLabel('12.', 'write 3', 100), '12. write 3');
  assert.equal(fitLabel('12.', 'write 3', 60), '12. write…');
  assert.equal(fitLabel('12.', 'write 3', 30), '12.');
  assert.equal(fitLabel('12.', 'write 3', 12), '');
  assert.equal(fitLabel('', 'read [1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16]', 1000), 'read [1 2 3 4 5 6 7 8 9 10 11 12 13 14 …');
});

test('dense ops: no label runs into the next bar of its lane', () => {
  // Process 0 writes 1..60 back to back, process 1 reads a value never written at the end.
  const ops = [];
  for (let v = 1; v <= 60; v++) ops.push({ process: 0, type: 'invoke' as const, f: kw('write'), value: v }, { process: 0, type: 'ok' as const, f: kw('write'), value: v });
  ops.push({ process: 1, type: 'invoke' as const, f: kw('read'), value: null }, { process: 1, type: 'ok' as const, f: kw('read'), value: 99 });
  const dense = historyOf(ops);
  const { runs } = checkLinearizable(dense, { model: register });
  const svg = linearFailureSvg(dense, runs[0]);
  const bars = [...svg.matchAll(/<rect x="([\d.]+)" y="(\d+)"[^>]*\/>(?:<text x="([\d.]+)" y="\d+">([^<]*)<\/text>)?/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), label: m[4] ?? '' }));
  assert.equal(bars.length, 61);
  const lane0 = bars.filter((b) => b.y === bars[0].y).sort((a, b) => a.x - b.x);
  for (let i = 0; i + 1 < lane0.length; i++) {
    assert.ok(lane0[i].x + 2 + lane0[i].label.length * 6 <= lane0[i + 1].x, `label ${JSON.stringify(lane0[i].label)} at ${lane0[i].x} runs into the bar at ${lane0[i + 1].x}`);
  }
  assert.ok(lane0.some((b) => b.label !== ''), 'some labels are drawn');
  assert.match(svg, /<title>read 99 \(index 121\)<\/title><rect [^>]*fill="#d62728"[^>]*\/><text [^>]*>read 99<\/text>/, 'the failing op is red and labelled');
});
