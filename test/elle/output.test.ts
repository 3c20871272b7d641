/** What a person sees: JSON output shape through the CLI, pictures written to --out, escaping. */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../analyzer/check/checker.js';
import { type CheckCommandOptions, runCheck } from '../../analyzer/cli/check.js';
import { cycleDot, cycleSvg } from '../../analyzer/elle/render.js';

/** Runs `hindsight check` as the CLI does after parsing (commander camelCases the flags). */
async function check(files: string[], opts: Record<string, unknown>): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runCheck(files, { quiet: false, ...opts } as CheckCommandOptions, (s) => void lines.push(s), () => {});
  return { code, out: lines.join('\n') };
}

test('--json: anomaly-types and not are sorted arrays of names; pictures land in --out', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'elle-'));
  try {
    const { code, out } = await check(['fixtures/elle/si-without-g-single.edn'], { checker: 'list-append', consistencyModels: 'snapshot-isolation,repeatable-read', json: true, out: dir });
    assert.equal(code, 1);
    const json = JSON.parse(out) as Record<string, unknown>;
    assert.equal(json['valid?'], false);
    assert.deepEqual(json['anomaly-types'], ['G2-item']);
    assert.deepEqual(json.not, ['repeatable-read']);
    const files = (await readdir(join(dir, 'elle'))).sort();
    assert.deepEqual(files, ['G2-item-1.dot', 'G2-item-1.svg', 'G2-item-1.txt']);
    const svg = await readFile(join(dir, 'elle', 'G2-item-1.svg'), 'utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg, /rw 9 2→5/);
    const txt = await readFile(join(dir, 'elle', 'G2-item-1.txt'), 'utf8');
    assert.match(txt, /T2 read key 9 = \[2\], everything any read of it saw, without T1's append of 5/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--consistency-models none --anomalies G1 checks only G1 and what implies it', async () => {
  const { code, out } = await check(['fixtures/elle-cli/list-append-gh-30.edn'], { checker: 'list-append', consistencyModels: 'none', anomalies: 'G1', json: true });
  assert.equal(code, 0, 'gh-30 has only a G2-item cycle');
  assert.deepEqual((JSON.parse(out) as Record<string, unknown>)['anomaly-types'], []);
});

test('an unknown model is a usage error', async () => {
  await assert.rejects(check(['fixtures/elle/paper-example.edn'], { checker: 'list-append', consistencyModels: 'bogus' }), (e: Error) => {
    assert.ok(e instanceof UsageError);
    assert.match(e.message, /^unknown consistency model bogus; known: /);
    return true;
  });
});

test('pictures escape history text', () => {
  const p = { type: 'G0', nodes: [{ name: 'T1', detail: 'op <1>' }, { name: 'T2', detail: 'op "2"' }], edges: [{ label: 'ww "k"&<x>' }, { label: 'ww y' }] };
  const svg = cycleSvg(p);
  assert.ok(svg.includes('ww &quot;k&quot;&amp;&lt;x&gt;'));
  assert.ok(!svg.includes('<x>'));
  assert.ok(svg.includes('op &lt;1&gt;'));
  const dot = cycleDot(p);
  assert.ok(dot.includes('label="ww \\"k\\"&<x>"'));
  assert.ok(dot.includes('n1 -> n0'));
});

test('anomalySvg draws a cycle straight from a result map', async () => {
  const { checkListAppend } = await import('../../analyzer/elle/check.js');
  const { readHistory } = await import('../../analyzer/history/read.js');
  const { anomalySvg } = await import('../../analyzer/elle/render.js');
  const r = await checkListAppend(await readHistory('fixtures/elle/paper-example.edn', { format: 'auto', strict: false, onWarning: () => {} }));
  const svg = anomalySvg(((r.anomalies as Record<string, unknown>)['G-single-item'] as Record<string, never>[])[0]);
  assert.match(svg, />G-single-item</);
  assert.match(svg, /rw 255 5→8/);
  assert.match(svg, /wr 255 8/);
  assert.match(svg, /ww 256 4→3/);
  assert.equal((svg.match(/<circle /g) ?? []).length, 3);
});
