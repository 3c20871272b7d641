/**
 * `hindsight shrink`: ddmin itself, then Knossos's failing cas-register histories and generated
 * 10 000-entry G1c / G2-item / lost-update histories shrunk to a few ops that still fail the
 * same way — the same failing op, the same anomaly types — and a shrunk file that re-checks.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readHistory } from '../../analyzer/history/read.js';
import { resolveCheckers } from '../../analyzer/checkers/registry.js';
import type { Checker } from '../../analyzer/check/checker.js';
import { ddmin } from '../../analyzer/shrink/ddmin.js';
import { type Shrunk, shrinkHistory } from '../../analyzer/shrink/shrink.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

test('ddmin finds a 1-minimal failing subset, in order, and stops at its deadline with the smallest so far', async () => {
  const items = Array.from({ length: 100 }, (_, i) => i);
  const needs = [17, 42, 88];
  const m = await ddmin(items, async (s) => needs.every((x) => s.includes(x)));
  assert.deepEqual(m.items, needs);
  assert.equal(m.finished, true);
  assert.ok(m.tests < 200, `${m.tests} tests`);
  const early = await ddmin(items, async (s) => needs.every((x) => s.includes(x)), Date.now() - 1);
  assert.deepEqual([early.items.length, early.finished, early.tests], [100, false, 0]);
});

const linear = resolveCheckers('linearizable') as Checker<Record<string, unknown>>[];
const ops = (s: Shrunk): string[] => [...s.history.ops()].map((o) => `${String(o.process)} ${o.type} ${(o.f as { name: string }).name} ${JSON.stringify(o.value)}`);

for (const [file, init, failing, size] of [
  ['cas-failure.edn', '0', 491, 3],
  ['rethink-fail.edn', 'nil', 217, 3],
  ['rethink-fail-smaller.edn', 'nil', 217, 3],
  ['mongodb-v0-ack-rollback-6.edn', '0', 811, 3],
  ['bad-analysis.edn', '0', 14, 3],
] as const) {
  test(`Knossos cas-register/bad/${file} shrinks to ${size} ops that still fail at op ${failing}`, async () => {
    const h = await readHistory(`fixtures/knossos/cas-register/bad/${file}`);
    const s = await shrinkHistory(h, { checkers: linear, options: { model: 'cas-register', init } });
    assert.ok(typeof s !== 'string', String(s));
    assert.equal(s.kind.describe, `not valid at op ${failing}`);
    assert.equal(s.after['valid?'], false);
    assert.equal((s.after.op as { index: number }).index, failing);
    assert.equal(s.opsAfter, size, ops(s).join('\n'));
    assert.equal(s.finished, true);
  });
}

test('cas-failure shrinks to the stale read itself: a write of 2 completes, then a read of 0 whose only write begins after it', async () => {
  const h = await readHistory('fixtures/knossos/cas-register/bad/cas-failure.edn');
  const s = await shrinkHistory(h, { checkers: linear, options: { model: 'cas-register', init: '0' } });
  assert.ok(typeof s !== 'string');
  assert.deepEqual(ops(s), ['76 invoke write 2', '76 ok write 2', '70 invoke read null', '70 ok read 0', '75 invoke write 0', '75 ok write 0']);
  assert.equal(s.after.reason, "can't read 0 from register 2");
});

for (const [workload, anomaly, types] of [
  ['list-append', 'G1c', 'G1c'],
  ['list-append', 'G2-item', 'G2-item'],
  // Its header checks only the models lost-update rules out, so that is the one type shown.
  ['list-append', 'lost-update', 'lost-update'],
  ['rw-register', 'G1c', 'G1c'],
] as const) {
  test(`shrink through the CLI: a generated 10 000-entry ${workload} history with ${anomaly} comes down to at most 4 ops showing ${types}, and re-checks so`, async () => {
    const dir = tempDir();
    const file = join(dir, `${anomaly}.edn`);
    const gen = await runCli(['gen', '--workload', workload, '--ops', '10000', '--anomaly', anomaly, '--out', file], { analyzer: true });
    assert.equal(gen.code, 0, gen.err);
    const out = join(dir, 'min.edn');
    const r = await runCli(['shrink', file, '--out', out], { analyzer: true });
    assert.equal(r.code, 1, r.err);
    const line = r.out.split('\n').find((l) => l.startsWith('shrunk '));
    assert.match(line ?? '', new RegExp(`^shrunk ${file.replace(/[.]/g, '\\.')}: 5013 → [2-4] ops, still ${types} \\(\\d+ checks, \\d+\\.\\d s\\)$`));
    const text = readFileSync(out, 'utf8');
    const header = text.split('\n')[0];
    assert.match(header, new RegExp(`^; hindsight-shrink \\{:original "${file.replace(/[.]/g, '\\.')}", :kept \\{:anomalies \\[${types.split(', ').map((t) => `:${t}`).join(' ')}\\]\\}, :still "${types}", :check "--checker ${workload}[^"]*", :ops-before 5013, :ops-after [2-4], `));
    assert.match(text.split('\n')[1], /^\{:index 0, :time \d+, :type :invoke, .*, :original-index \d+\}$/);
    const flags = /:check "([^"]*)"/.exec(header)![1].split(' ');
    const again = await runCli(['check', out, ...flags], { analyzer: true });
    assert.equal(again.code, 1);
    for (const t of types.split(', ')) assert.ok((again.out + again.err).includes(t), again.out);
  });
}

test('shrink: a valid history has nothing to shrink (exit 0), an anomaly it does not show is a usage problem (exit 3)', async () => {
  const valid = await runCli(['shrink', 'fixtures/knossos/cas-register/good/memstress3-0.edn', '--checker', 'linearizable', '--init', '0', '--out', join(tempDir(), 'x.edn')], { analyzer: true });
  assert.equal(valid.code, 0, valid.err);
  assert.equal(valid.out, 'fixtures/knossos/cas-register/good/memstress3-0.edn: the history is valid: there is no failure to shrink toward\n');
  const file = join(tempDir(), 'g.edn');
  assert.equal((await runCli(['gen', '--workload', 'list-append', '--ops', '2000', '--anomaly', 'G1c', '--out', file], { analyzer: true })).code, 0);
  const none = await runCli(['shrink', file, '--anomaly', 'G0', '--out', join(tempDir(), 'y.edn')], { analyzer: true });
  assert.equal(none.code, 3);
  assert.match(none.out, /: the history shows no G0 \(it shows G1c\)\n$/);
});

test('a generated set-full history with a lost write shrinks to the add and a later read without it: elements go from the reads as their adds go', async () => {
  const dir = tempDir();
  const file = join(dir, 'lost.edn');
  assert.equal((await runCli(['gen', '--workload', 'set', '--ops', '5000', '--anomaly', 'lost-write', '--out', file], { analyzer: true })).code, 0);
  const out = join(dir, 'min.edn');
  const r = await runCli(['shrink', file, '--out', out], { analyzer: true });
  assert.equal(r.code, 1, r.err);
  assert.match(r.out, /\nshrunk .*lost\.edn: 2504 → 2 ops, still not valid on key 0 \(lost-count > 0\) \(\d+ checks, \d+\.\d s\)\n/);
  const lines = readFileSync(out, 'utf8').split('\n').slice(1, -1);
  assert.equal(lines.length, 4);
  assert.match(lines[1], /:type :ok, .*:f :add, :value \[0 (\d+)\]/);
  const added = /:value \[0 (\d+)\]/.exec(lines[1])![1];
  assert.match(lines[3], /:type :ok, .*:f :read, :value \[0 #\{([^}]*)\}\]/);
  assert.ok(!/#\{([^}]*)\}/.exec(lines[3])![1].split(' ').includes(added), 'the read does not hold the element added');
});
