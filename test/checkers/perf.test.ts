import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkPerf } from '../../analyzer/checkers/perf/index.js';
import { nemesisIntervals } from '../../analyzer/checkers/perf/nemesis.js';
import { bucketsFor, quantileOfSorted } from '../../analyzer/checkers/perf/samples.js';
import { type EdnRecord, kw } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';

const MS = 1e6;
const S = 1e9;
const nemesis = kw('nemesis');

/**
 * Ten reads taking 1..10 ms (invoked one second apart), two failed writes (3 and 5 ms), one
 * write that timed out (info after 100 ms) and one never completed; a partition from 2 s to 4 s.
 */
function sample(fName = 'read'): OpInput[] {
  const ops: OpInput[] = [];
  for (let k = 0; k < 10; k++) {
    ops.push({ type: 'invoke', process: 0, f: kw(fName), time: k * S });
    ops.push({ type: 'ok', process: 0, f: kw(fName), time: k * S + (k + 1) * MS, value: k });
  }
  ops.push({ type: 'invoke', process: 1, f: kw('write'), time: 0.5 * S, value: 1 });
  ops.push({ type: 'fail', process: 1, f: kw('write'), time: 0.5 * S + 3 * MS, value: 1 });
  ops.push({ type: 'invoke', process: 1, f: kw('write'), time: 1.5 * S, value: 2 });
  ops.push({ type: 'fail', process: 1, f: kw('write'), time: 1.5 * S + 5 * MS, value: 2 });
  ops.push({ type: 'invoke', process: 1, f: kw('write'), time: 2.5 * S, value: 3 });
  ops.push({ type: 'info', process: 1, f: kw('write'), time: 2.5 * S + 100 * MS, value: 3 });
  ops.push({ type: 'invoke', process: 2, f: kw('write'), time: 3.5 * S, value: 4 });
  ops.push({ type: 'invoke', process: nemesis, f: kw('start-partition'), time: 2 * S });
  ops.push({ type: 'info', process: nemesis, f: kw('start-partition'), time: 2.2 * S });
  ops.push({ type: 'invoke', process: nemesis, f: kw('stop-partition'), time: 4 * S });
  ops.push({ type: 'info', process: nemesis, f: kw('stop-partition'), time: 4.1 * S });
  // History order is time order (stable for equal times).
  return ops.map((o, i) => ({ o, i })).sort((a, b) => a.o.time! - b.o.time! || a.i - b.i).map((x) => x.o);
}

test('quantiles pick floor(q·n), capped at the last', () => {
  const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  assert.deepEqual([0.5, 0.95, 0.99, 1].map((q) => quantileOfSorted(sorted, q)), [6, 10, 10, 10]);
  assert.equal(quantileOfSorted([4], 0.5), 4);
  assert.ok(Number.isNaN(quantileOfSorted([], 0.5)));
});

test('latency quantiles per :f and outcome, throughput, nemesis intervals', async () => {
  const r = await checkPerf(historyOf(sample()), { perfBucket: 1 }, {});
  assert.equal(r['valid?'], true);
  const lat = r['latency-ms'] as EdnRecord;
  const byF = lat['by-f'] as EdnRecord;
  assert.deepEqual((byF.read as EdnRecord).ok, { count: 10, mean: 5.5, p50: 6, p95: 10, p99: 10, max: 10 });
  const write = byF.write as EdnRecord;
  assert.deepEqual(write.fail, { count: 2, mean: 4, p50: 5, p95: 5, p99: 5, max: 5 });
  assert.deepEqual(write.info, { count: 1, mean: 100, p50: 100, p95: 100, p99: 100, max: 100 });
  assert.equal((write.all as EdnRecord).count, 3);
  assert.equal(write.ok, undefined);
  assert.deepEqual((lat['by-outcome'] as EdnRecord).fail, { count: 2, mean: 4, p50: 5, p95: 5, p99: 5, max: 5 });
  assert.equal((lat.all as EdnRecord).count, 13);
  assert.equal((lat.all as EdnRecord).max, 100);
  // The write never completed has no latency.
  assert.equal(r['incomplete-count'], 1);

  const t = r.throughput as EdnRecord;
  assert.equal(t['bucket-s'], 1);
  assert.equal(t['duration-s'], 9.01);
  // Completions per 1 s bucket: reads at 0.001, 1.002, … 9.010; writes at 0.503, 1.505, 2.6.
  assert.deepEqual(t['ops-per-s'], [2, 2, 2, 1, 1, 1, 1, 1, 1, 1]);
  assert.equal(t['peak-ops-per-s'], 2);
  assert.equal(t['mean-ops-per-s'], Math.round((13 / 9.01) * 1000) / 1000);

  assert.deepEqual(r.nemesis, [{ f: 'start-partition', 'from-s': 2, 'to-s': 4.1, 'closed-by': 'stop-partition' }]);
  assert.equal(r.files, undefined);
});

test('nemesis intervals: lone info ops, heal closes every open fault, unclosed ones run to the end', () => {
  const h = historyOf([
    { type: 'info', process: nemesis, f: kw('isolate-completely'), time: 1 * S },
    { type: 'info', process: nemesis, f: kw('kill'), time: 2 * S },
    { type: 'info', process: nemesis, f: kw('heal-network'), time: 3 * S },
    { type: 'info', process: nemesis, f: kw('start-clock-skew'), time: 4 * S },
    { type: 'info', process: nemesis, f: kw('start-pause'), time: 5 * S },
    { type: 'info', process: nemesis, f: kw('stop-pause'), time: 6 * S },
  ]);
  const { intervals, events } = nemesisIntervals(h, 0, 10);
  assert.deepEqual(intervals, [
    { from: 1, to: 3, f: 'isolate-completely', closedBy: 'heal-network' },
    { from: 2, to: 3, f: 'kill', closedBy: 'heal-network' },
    { from: 4, to: 10, f: 'start-clock-skew' },
    { from: 5, to: 6, f: 'start-pause', closedBy: 'stop-pause' },
  ]);
  assert.equal(events.length, 6);
  const db = historyOf([
    { type: 'info', process: nemesis, f: kw('kill'), time: 1 * S },
    { type: 'info', process: nemesis, f: kw('start'), time: 2 * S },
    { type: 'info', process: nemesis, f: kw('start'), time: 3 * S },
    { type: 'info', process: nemesis, f: kw('stop'), time: 4 * S },
  ]);
  // :start after :kill restarts; a :start with no kill open begins a fault that :stop ends.
  assert.deepEqual(nemesisIntervals(db, 0, 10).intervals, [
    { from: 1, to: 2, f: 'kill', closedBy: 'start' },
    { from: 3, to: 4, f: 'start', closedBy: 'stop' },
  ]);
});

test('buckets: about 100 of a round width unless one is given', () => {
  assert.deepEqual(bucketsFor(72.5), { width: 1, count: 73 });
  assert.deepEqual(bucketsFor(300), { width: 5, count: 61 });
  assert.deepEqual(bucketsFor(300, 100, 10), { width: 10, count: 31 });
});

test('with an output directory, writes the three SVG plots with escaped labels', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hindsight-perf-'));
  try {
    const r = await checkPerf(historyOf(sample('<script>alert(1)</script>')), {}, { outDir: dir });
    assert.deepEqual(r.files, ['latency-raw.svg', 'latency-quantiles.svg', 'rate.svg']);
    assert.deepEqual((await readdir(dir)).sort(), ['latency-quantiles.svg', 'latency-raw.svg', 'rate.svg']);
    for (const name of r.files as string[]) {
      const svg = await readFile(join(dir, name), 'utf8');
      assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.match(svg, /<\/svg>\n$/);
      assert.ok(!svg.includes('<script>'), `${name} must escape the :f name`);
      assert.ok(svg.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), `${name} shows the escaped :f name`);
      assert.ok(svg.includes('class="nemesis"'), `${name} shades the partition`);
    }
    const raw = await readFile(join(dir, 'latency-raw.svg'), 'utf8');
    // One dot per op (all far apart) for the ten reads: ten "h0" moves in the read series.
    const readPath = raw.split('\n').find((l) => l.startsWith('<path') && l.includes('#81bffc') && l.includes('round'))!;
    assert.equal(readPath.match(/h0/g)?.length, 10);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a history without times: no latencies, no crash', async () => {
  const r = await checkPerf(historyOf([{ type: 'invoke', process: 0, f: kw('read') }, { type: 'ok', process: 0, f: kw('read'), value: 1 }]), {}, {});
  assert.deepEqual((r['latency-ms'] as EdnRecord).all, { count: 0 });
  assert.equal(r['incomplete-count'], 1);
});
