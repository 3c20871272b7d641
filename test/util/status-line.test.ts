/** The one terminal line the progress bar, the phase line and recheck's progress draw on. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { progressBar } from '../../analyzer/history/progress.js';
import { batchProgress } from '../../analyzer/recheck/progress.js';
import { bar, terminalLine } from '../../analyzer/util/status-line.js';

function fakeStream(isTTY: boolean, columns?: number): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY, columns, write: (s: string) => (written.push(s), true) } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

test('a line draws at once, then at most every 100 ms unless urgent, and clear erases it once', () => {
  let t = 1000;
  const { stream, written } = fakeStream(true, 80);
  const line = terminalLine({ stream, now: () => t });
  line.show(() => 'one');
  line.show(() => 'two'); // within 100 ms: dropped
  t += 100;
  line.show(() => 'three');
  line.show((at) => `four at ${at}`, true);
  line.clear();
  line.clear();
  assert.deepEqual(written, ['\rone\x1b[K', '\rthree\x1b[K', '\rfour at 1100\x1b[K', '\r\x1b[K']);
});

test('a line is cut to the terminal, 80 columns where it reports none or 0', () => {
  for (const columns of [undefined, 0, 20]) {
    const { stream, written } = fakeStream(true, columns);
    terminalLine({ stream }).show(() => 'x'.repeat(200));
    const width = columns === 20 ? 20 : 80;
    assert.equal(written[0], `\r${'x'.repeat(width - 2)}…\x1b[K`, `columns ${columns}`);
  }
});

test('off a terminal or quiet, nothing is rendered or written', () => {
  for (const [isTTY, quiet] of [[false, false], [true, true]] as const) {
    const { stream, written } = fakeStream(isTTY, 80);
    const line = terminalLine({ stream, quiet });
    line.show(() => assert.fail('rendered'), true);
    line.clear();
    assert.deepEqual(written, []);
  }
});

test('the bars fit the terminal and keep their width as the numbers grow', () => {
  assert.equal(bar(0.5, 200, 10), `[${'#'.repeat(20)}${' '.repeat(20)}]`);
  assert.equal(bar(1, 20, 15), `[${'#'.repeat(10)}]`, 'never narrower than 10');
  for (const columns of [60, 80, 100]) {
    const { stream, written } = fakeStream(true, columns);
    const p = batchProgress({ stream });
    for (let i = 1; i <= 150; i++) p.update(i, 150, 'valid');
    const r = progressBar('reading big.edn', { stream, minBytes: 0 });
    r.update(5e6, 150e6);
    r.update(150e6, 150e6);
    const lines = written.map((w) => w.replace(/^\r|\x1b\[K$/g, ''));
    for (const l of lines) assert.ok(l.length < columns, `${columns}: ${l}`);
    const widths = new Set(lines.map((l) => l.indexOf(']') - l.indexOf('[')));
    assert.equal(widths.size, 2, `one width per bar at ${columns} columns: ${[...widths]}`);
  }
});
