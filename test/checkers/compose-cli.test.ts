import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCheck } from '../../analyzer/cli/check.js';

async function run(file: string, checker: string, out?: string): Promise<{ code: number; log: string[]; err: string[] }> {
  const log: string[] = [];
  const err: string[] = [];
  const code = await runCheck([file], { checker, out, quiet: false }, (s) => log.push(s), (s) => err.push(s));
  return { code, log, err };
}

test('hindsight check --checker sequential,perf,timeline: worst verdict sets the exit status, files land in --out', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hindsight-compose-cli-'));
  try {
    const bad = await run('fixtures/couchbase/sample-history-non-sequential.edn', 'sequential,perf,timeline', dir);
    assert.equal(bad.code, 1);
    // The line names each checker's verdict, and why the failing one failed.
    assert.deepEqual(bad.log, [
      'invalid — sequential invalid (no single order of the writes fits every process: process 27 wrote 244 (op 947) before it read 482 (op 2341), so the register held 244 before 482; process 27 read 482 (op 2341) before it read 244 (op 8033), so the register held 482 before 244: a loop), perf valid, timeline valid',
    ]);
    assert.deepEqual((await readdir(dir)).sort(), ['latency-quantiles.svg', 'latency-raw.svg', 'rate.svg', 'results.edn', 'timeline.html']);
    const edn = await readFile(join(dir, 'results.edn'), 'utf8');
    assert.match(edn, /^\{:valid\? false, :sequential \{:valid\? false, :op-count 151, :anomaly :cycle/);
    assert.match(edn, /:perf \{:valid\? true, :latency-ms \{:all \{:count 151,/);
    assert.match(edn, /:timeline \{:valid\? true, :op-count 308, :file "timeline.html"\}/);

    const good = await run('fixtures/couchbase/sample-history-sequential.edn', 'sequential,perf');
    assert.equal(good.code, 0);
    const lone = await run('fixtures/couchbase/sample-history-sequential.edn', 'sequential');
    assert.deepEqual(lone.log, ['valid — sequentially consistent (140 ops)']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
