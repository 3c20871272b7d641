/**
 * `--time-limit` is the whole check's budget, reading included, and `--memory-limit` caps its
 * heap: past either, the answer is `:unknown` naming the budget and the phase, never a late
 * verdict or a V8 crash. These run checks the way the CLI does (guarded, on a worker thread).
 *
 * The bound asserted is the promise, max(1 s, 10 %) past the limit, measured around the
 * whole call (worker start-up included); it is a contract, not a speed target.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCheck } from '../../analyzer/cli/check.js';
import { graceMs } from '../../analyzer/cli/guard.js';
import { streamGenerated } from '../../analyzer/gen/index.js';
import { tmpFile } from '../history/tmp.js';

const dir = mkdtempSync(join(tmpdir(), 'hindsight-budget-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function guarded(file: string, opts: Record<string, unknown>): Promise<{ code: number; out: string[]; err: string[]; seconds: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const t0 = performance.now();
  const code = await runCheck([file], opts as never, (s) => out.push(s), (s) => err.push(s), true);
  return { code, out, err, seconds: (performance.now() - t0) / 1000 };
}

const tolerance = (limit: number) => Math.max(1, 0.1 * limit);

/** 26 overlapping writes and a read of a value none wrote: a search that cannot finish. */
function unfinishableRegister(): string {
  const lines: string[] = [];
  for (let p = 0; p < 26; p++) lines.push(`{:type :invoke, :process ${p}, :f :write, :value ${p}}`);
  lines.push('{:type :invoke, :process 26, :f :read, :value nil}', '{:type :ok, :process 26, :f :read, :value 99}');
  for (let p = 0; p < 26; p++) lines.push(`{:type :ok, :process ${p}, :f :write, :value ${p}}`);
  return tmpFile('unfinishable.edn', lines.join('\n') + '\n');
}

const big: Record<string, string> = {};
before(async () => {
  // Big enough that no machine reads and checks them in the limits below.
  for (const [workload, ops] of [['list-append', 200_000], ['rw-register', 200_000], ['set', 600_000]] as const) {
    big[workload] = join(dir, `${workload}.edn`);
    await streamGenerated({ workload, ops, concurrency: 5, keys: 4, seed: 1 }, big[workload]);
  }
});

test('linearizable: a search that cannot finish is :unknown within the whole-check time limit', async () => {
  const limit = 2;
  const r = await guarded(unfinishableRegister(), { checker: 'linearizable', timeLimit: String(limit), algorithm: 'wgl' });
  assert.equal(r.code, 2, r.out.join('\n') + r.err.join('\n'));
  assert.ok(r.seconds <= limit + tolerance(limit), `took ${r.seconds.toFixed(2)} s for a ${limit} s limit`);
  assert.match(r.out[0]!, /^unknown/);
});

for (const [workload, checker] of [['list-append', 'list-append'], ['rw-register', 'rw-register'], ['set', 'set-full']] as const) {
  test(`${checker}: the time limit covers reading and checking; an unfinished check is :unknown naming its phase`, async () => {
    // 1 ms always runs out (the worker alone takes longer to start); 1.5 s may or may not,
    // depending on the machine: either way the answer must come within the bound, and be the
    // history's own verdict (these generated histories are valid) or :unknown saying where.
    for (const limit of [0.001, 1.5]) {
      const out = join(dir, `out-${checker}-${limit}`);
      const r = await guarded(big[workload]!, { checker, timeLimit: String(limit), out });
      assert.ok(r.seconds <= limit + tolerance(limit), `${checker}: took ${r.seconds.toFixed(2)} s for a ${limit} s limit`);
      const saved = readFileSync(join(out, 'results.edn'), 'utf8');
      assert.deepEqual(readdirSync(out).filter((n) => n.endsWith('.tmp')), []);
      if (limit > 1 && r.code === 0) {
        assert.match(saved, /:valid\? true/);
        continue;
      }
      assert.equal(r.code, 2, `${checker} at ${limit} s: ${r.out.join('\n')}`);
      assert.match(r.out[0]!, new RegExp(`^unknown — the time limit of ${limit} s \\(--time-limit\\) ran out while (starting|reading|checking ${checker}|writing results)`));
      // The result file is whole and says why.
      assert.match(saved, /:valid\? :unknown/);
      assert.match(saved, /:phase "/);
    }
  });
}

test('--memory-limit: a check that needs more heap is :unknown naming the phase, not a crash', async () => {
  const r = await guarded(big['list-append']!, { checker: 'list-append', memoryLimit: '24' });
  assert.equal(r.code, 2, r.out.join('\n') + r.err.join('\n'));
  // V8 stops the worker at its cap, or the reader stops first when the heap is nearly full.
  assert.match(r.out[0]!, /^unknown — (the memory budget of 24 MB \(--memory-limit\) ran out while (reading|checking list-append)|.*: needs about [\d.]+ MB of memory to read)/);
});

test('budget flags are checked: a bad value is a usage error', async () => {
  const f = unfinishableRegister();
  await assert.rejects(guarded(f, { checker: 'linearizable', timeLimit: '-1' }), /--time-limit must be a positive number of seconds, got -1/);
  await assert.rejects(guarded(f, { checker: 'linearizable', memoryLimit: '2' }), /--memory-limit must be a whole number of MB, at least 16, got 2/);
  assert.equal(graceMs(1000), 500);
  assert.equal(graceMs(60_000), 3000);
});
