/**
 * linear.html, the linearizability viewer, in Debian's Chromium: the failing op selected on
 * load with the model's reason; a click on an op of the partial linearization gives its step
 * and the state after it (computed here by replaying the model); keys by keyboard; zoom; no
 * console errors. Its data: delta-coded columns, nemesis intervals; and a 100 000-op history
 * stays under 5 MB. Screenshots go to test-output/linear/.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { printEdn } from '../../analyzer/edn/print.js';
import { kw } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import { readHistory } from '../../analyzer/history/read.js';
import { checkLinearizable } from '../../analyzer/linear/linearize.js';
import { isInconsistent } from '../../analyzer/linear/models/model.js';
import { casRegister, register } from '../../analyzer/linear/models/registers.js';
import { viewerData } from '../../analyzer/linear/viewer/data.js';
import { chromiumSkip as skip, launchChromium } from '../support/chromium.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

const OUT = 'test-output/linear';
let browser: Browser;

before(async () => {
  if (skip) return;
  mkdirSync(OUT, { recursive: true });
  browser = await launchChromium();
});
after(async () => {
  if (!skip) await browser?.close();
});

async function open(file: string): Promise<{ page: Page; errors: string[] }> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('file://' + resolve(file));
  return { page, errors };
}

const call = <T>(page: Page, fn: string, ...args: unknown[]): Promise<T> => page.evaluate(([f, a]) => (globalThis as unknown as Record<string, Record<string, (...x: unknown[]) => unknown>>).hindsightLinear[f as string](...(a as unknown[])), [fn, args] as const) as Promise<T>;

test('Knossos cas-failure: the failing op is selected with its reason; clicking a step of the partial linearization shows the state after it', { skip, timeout: 120_000 }, async () => {
  const file = 'fixtures/knossos/cas-register/bad/cas-failure.edn';
  const out = tempDir('hindsight-viewer-');
  const r = await runCli(['check', file, '--checker', 'linearizable', '--init', '0', '--out', out], { analyzer: true });
  assert.equal(r.code, 1, r.err);
  const { page, errors } = await open(join(out, 'linear.html'));
  try {
    assert.match(await call<string>(page, 'header'), /^key history \(1 of 1\): not linearizable, 206 ops · partial linearization 1 of \d+ \(\d+ ops\) in green, the failing op in red$/);
    assert.equal(await call<string>(page, 'panel'), "process 70: read 0 (index 491, ok)\ninvoked position 488, completed position 491\ncannot be linearized: can't read 0 from register 2");
    // The state after a path's step, by replaying the model here.
    const h = await readHistory(file);
    const { runs } = checkLinearizable(h, { model: casRegister, init: 0 });
    const run = runs[0];
    assert.equal(run.outcome.valid, false);
    const path = run.outcome.valid === false ? run.outcome.paths[0] : [];
    const step = 10;
    let s: unknown = 0;
    for (const id of path.slice(0, step)) s = casRegister.step(s as never, run.problem.ops[id]);
    assert.ok(!isInconsistent(s));
    const id = path[step - 1];
    const index = h.index[run.problem.complete[id]];
    // Zoom in, bring it into view (selecting an op out of view centres it), unselect, then click it.
    for (let i = 0; i < 4; i++) await call(page, 'zoom', 0.5);
    await call(page, 'select', index);
    await call(page, 'select', -1);
    assert.equal(await call<string>(page, 'panel'), "Click an op to see its step and the model's state.");
    const box = await call<{ x: number; y: number } | null>(page, 'boxOf', index);
    assert.ok(box !== null);
    await page.mouse.click(box.x, box.y);
    const panel = await call<string>(page, 'panel');
    assert.match(panel, new RegExp(`^process \\d+: \\w+ .* \\(index ${index}, ok\\)\\ninvoked position \\d+, completed position \\d+\\nstep ${step} of ${path.length}; state after it: ${printEdn(s as never)}$`));
    await page.screenshot({ path: join(OUT, 'cas-failure.png'), fullPage: true });
    // 0 fits the whole key again; f selects the failing op.
    await page.keyboard.press('0');
    await page.keyboard.press('f');
    assert.match(await call<string>(page, 'panel'), /cannot be linearized/);
    assert.deepEqual(errors, []);
  } finally {
    await page.context().close();
  }
});

test('several keys: the failing ones first, then with --draw-valid the valid ones; n and p move between them; the wheel zooms', { skip, timeout: 120_000 }, async () => {
  const out = tempDir('hindsight-viewer-keys-');
  const gen = join(out, 'stale.edn');
  assert.equal((await runCli(['gen', '--workload', 'register', '--ops', '4000', '--concurrency', '10', '--keys', '3', '--anomaly', 'stale-read', '--out', gen], { analyzer: true })).code, 0);
  const r = await runCli(['check', gen, '--checker', 'linearizable', '--model', 'register', '--independent', '--all-keys', '--draw-valid', '--out', out], { analyzer: true });
  assert.equal(r.code, 1, r.err);
  const { page, errors } = await open(join(out, 'linear.html'));
  try {
    assert.equal(await call<number>(page, 'keyCount'), 3);
    assert.match(await call<string>(page, 'header'), /^key 0 \(1 of 3\): not linearizable, /);
    await page.keyboard.press('n');
    assert.match(await call<string>(page, 'header'), /^key \d \(2 of 3\): linearizable, \d+ ops · its linearization in green$/);
    await page.keyboard.press('p');
    await page.keyboard.press('p');
    assert.match(await call<string>(page, 'header'), /^key \d \(3 of 3\): linearizable/);
    const [a, b] = await call<[number, number]>(page, 'zoom', 1);
    const canvas = await page.locator('#lv-canvas').boundingBox();
    await page.mouse.move(canvas!.x + canvas!.width / 2, canvas!.y + 40);
    await page.mouse.wheel(0, -100);
    const [c, d] = await call<[number, number]>(page, 'zoom', 1);
    assert.ok(d - c < b - a, `zoomed in: ${d - c} < ${b - a}`);
    await page.screenshot({ path: join(OUT, 'keys.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await page.context().close();
  }
});

test('viewer data: delta-coded columns decode to the ops, nemesis start/stop pairs become intervals', () => {
  const w = (process: number | string, type: 'invoke' | 'ok' | 'info', f: string, value: unknown, time: number) => ({ process, type, f: kw(f), value: value as never, time });
  const h = historyOf([
    w(0, 'invoke', 'write', 1, 1000),
    w('nemesis', 'invoke', 'start-partition', null, 1500),
    w('nemesis', 'info', 'start-partition', kw('majority'), 2000),
    w(0, 'ok', 'write', 1, 3000),
    w(1, 'invoke', 'read', null, 4000),
    w('nemesis', 'invoke', 'stop-partition', null, 5000),
    w('nemesis', 'info', 'stop-partition', null, 6000),
    w(1, 'ok', 'read', 1, 9000),
    w(2, 'invoke', 'write', 2, 9500),
  ]);
  const { runs } = checkLinearizable(h, { model: register, init: null });
  const d = viewerData(h, runs, { model: register, init: null }, 't');
  assert.equal(d.unit, 'us');
  assert.deepEqual(d.lanes, ['process 0', 'process 1', 'process 2']);
  // Times in µs, rounded (9.5 µs is 10, a delta of 6 from the read at 4); the first op's start is its time.
  assert.deepEqual(d.nemesis, [[2, 5, 'start-partition :majority']]);
  const k = d.keys[0];
  assert.deepEqual([k.start, k.dur, k.index, k.type, k.value], [[1, 3, 6], [2, 5, -1], [3, 4, 1], [0, 0, 2], ['1', '1', '2']]);
  assert.deepEqual(k.paths, [{ ops: [0, 1], states: ['1', ''] }]);
});

test('a 100 000-op history with every key drawn stays under 5 MB', { timeout: 300_000 }, async () => {
  const out = tempDir('hindsight-viewer-big-');
  const gen = join(out, 'big.edn');
  assert.equal((await runCli(['gen', '--workload', 'register', '--ops', '202000', '--concurrency', '100', '--keys', '4', '--out', gen], { analyzer: true })).code, 0);
  const r = await runCli(['check', gen, '--checker', 'linearizable', '--model', 'register', '--independent', '--draw-valid', '--out', out], { analyzer: true });
  assert.equal(r.code, 0, r.err);
  const size = statSync(join(out, 'linear.html')).size;
  const data = JSON.parse(/<script type="application\/json" id="lv-data">(.*)<\/script>/.exec(readFileSync(join(out, 'linear.html'), 'utf8'))![1]) as { keys: { lane: number[]; paths: unknown[] }[] };
  // 202 000 entries: about 100 000 ops after the failed ones (not ops on the register) are left out.
  assert.ok(data.keys.reduce((n, k) => n + k.lane.length, 0) >= 100_000);
  assert.ok(data.keys.every((k) => k.paths.length === 1), 'each key with its linearization');
  assert.ok(size < 5_000_000, `${size} bytes`);
});
