/** The failure picture: failing op red, linearized ops green, labels escaped; the checker writes it to --out. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { kw } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import { checkLinearizable } from '../../analyzer/linear/check.js';
import { linearizable } from '../../analyzer/linear/checker.js';
import { register } from '../../analyzer/linear/models/registers.js';
import { linearFailureSvg } from '../../analyzer/linear/picture.js';

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
