import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type CheckResult, type Checker, UNKNOWN, UsageError, type Validity } from '../../analyzer/check/checker.js';
import { compose, describeComposed } from '../../analyzer/check/compose.js';
import { checkerNamed } from '../../analyzer/checkers/registry.js';
import { kw } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';

const h = historyOf([
  { type: 'invoke', process: 0, f: kw('write'), value: 1, time: 0 },
  { type: 'ok', process: 0, f: kw('write'), value: 1, time: 1e6 },
  { type: 'invoke', process: 1, f: kw('read'), time: 2e6 },
  { type: 'ok', process: 1, f: kw('read'), value: 1, time: 3e6 },
]);

function fixed(name: string, valid: Validity, extra: Record<string, number> = {}): Checker<Record<string, unknown>> {
  return { name, summary: name, check: () => ({ 'valid?': valid, ...extra }) };
}

test('merges results under checker names; the verdict is the worst', async () => {
  const r = await compose([fixed('a', true, { x: 1 }), fixed('b', UNKNOWN), fixed('c', true)], h, {}, {});
  assert.deepEqual(r, { 'valid?': UNKNOWN, a: { 'valid?': true, x: 1 }, b: { 'valid?': UNKNOWN }, c: { 'valid?': true } });
  const worst = async (vs: Validity[]) => (await compose(vs.map((v, i) => fixed(`c${i}`, v)), h, {}, {}))['valid?'];
  assert.equal(await worst([true, true]), true);
  assert.equal(await worst([true, UNKNOWN]), UNKNOWN);
  assert.equal(await worst([UNKNOWN, false, true]), false);
  assert.equal(await worst([false, UNKNOWN]), false);
});

test('a lone checker result is returned unwrapped', async () => {
  assert.deepEqual(await compose([fixed('a', false, { y: 2 })], h, {}, {}), { 'valid?': false, y: 2 });
});

test('a checker named twice is a usage error', async () => {
  await assert.rejects(compose([fixed('a', true), fixed('a', true)], h, {}, {}), (e: unknown) => e instanceof UsageError && e.message === 'checker a named twice');
});

test('a crashing checker becomes unknown without losing the others; usage errors still stop the run', async () => {
  const boom: Checker<Record<string, unknown>> = {
    name: 'boom',
    summary: 'crashes',
    check: () => {
      throw new Error('kaboom');
    },
  };
  const r = await compose([fixed('a', true), boom], h, {}, {});
  assert.deepEqual(r, { 'valid?': UNKNOWN, a: { 'valid?': true }, boom: { 'valid?': UNKNOWN, error: 'boom crashed: kaboom' } });
  const bad: Checker<Record<string, unknown>> = {
    name: 'bad',
    summary: 'bad option',
    check: () => {
      throw new UsageError('--x must be positive');
    },
  };
  await assert.rejects(compose([fixed('a', true), bad], h, {}, {}), /--x must be positive/);
});

test('real checkers composed: sequential, perf, stats and timeline, with their files in one directory', async () => {
  const named = ['sequential', 'perf', 'stats', 'timeline'].map((n) => checkerNamed(n)!);
  const dir = await mkdtemp(join(tmpdir(), 'hindsight-compose-'));
  try {
    const r = await compose(named, h, {}, { outDir: dir });
    assert.equal(r['valid?'], true);
    assert.deepEqual(Object.keys(r), ['valid?', 'sequential', 'perf', 'stats', 'timeline']);
    assert.equal((r.sequential as CheckResult)['op-count'], 2);
    assert.equal((r.stats as CheckResult)['ok-count'], 2);
    assert.deepEqual((await readdir(dir)).sort(), ['latency-quantiles.svg', 'latency-raw.svg', 'rate.svg', 'timeline.html']);
    assert.equal(describeComposed(named, r), 'sequential valid, perf valid, stats valid, timeline valid');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
