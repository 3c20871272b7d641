/**
 * sequential certificates: the order of every valid verdict — Couchbase's fixtures, and generated
 * register and cas-register histories (crashes, :info writes, the stale-read anomaly, which is
 * sequentially consistent) — replays; an op left out, a read moved before the write it reads, a
 * process's two ops swapped, are refused with the reason.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check } from '../../analyzer/index.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import type { EdnMap, EdnRecord } from '../../analyzer/edn/values.js';
import { generate } from '../../analyzer/gen/index.js';
import type { History } from '../../analyzer/history/history.js';
import { readHistory } from '../../analyzer/history/read.js';
import type { Check } from '../../analyzer/verify/linear.js';
import { verifySequential } from '../../analyzer/verify/sequential.js';

const asRead = (e: EdnRecord): EdnMap => parseEdn(printEdn(e)) as EdnMap;
const refusal = (v: Check): string => (v.holds ? `holds: ${v.what}` : v.why);

async function certify(h: History): Promise<{ valid: unknown; evidence?: EdnRecord }> {
  let evidence: EdnRecord | undefined;
  const r = await check(h, ['sequential'], {}, { certify: (_c, e) => (evidence = e) });
  return { valid: r['valid?'], evidence };
}

test('Couchbase fixtures: the linearizable and the sequential history replay their order; the non-sequential one has none', async () => {
  for (const f of ['linearizable', 'sequential', 'non-sequential']) {
    const h = await readHistory(`fixtures/couchbase/sample-history-${f}.edn`);
    const { valid, evidence } = await certify(h);
    if (f === 'non-sequential') {
      assert.deepEqual([valid, evidence], [false, undefined]);
      continue;
    }
    assert.equal(valid, true, f);
    const v = verifySequential(h, asRead(evidence!));
    assert.ok(v.holds, `${f}: ${refusal(v)}`);
  }
});

test('generated register histories: every valid order replays; an op left out, a neighbour swap that breaks it are refused', async (t) => {
  let replayed = 0;
  let refused = 0;
  for (let seed = 0; seed < 80; seed++) {
    const workload = seed % 2 === 0 ? 'register' : 'cas-register';
    const anomaly = seed % 4 < 2 ? undefined : 'stale-read';
    const h = generate({ workload, ops: 300, concurrency: 4, keys: 1, seed, anomaly, rates: { crash: 0.02, nemesis: 0 } }).history;
    const { valid, evidence } = await certify(h);
    if (valid !== true) continue;
    const order = evidence!.order as number[];
    const v = verifySequential(h, asRead(evidence!));
    assert.ok(v.holds, `seed ${seed}: ${refusal(v)}`);
    replayed++;
    // A read left out (a write left out would fail the reads of it first).
    const okOp = order.find((x) => h.type[h.index.indexOf(x)] === 1 && h.fName(h.index.indexOf(x)) === 'read')!;
    assert.equal(refusal(verifySequential(h, asRead({ ...evidence!, order: order.filter((x) => x !== okOp) }))), `sequential: op ${okOp} completed :ok but is not in the order`);
    refused++;
    // Every seventh neighbour swap: refused when it puts a process's ops out of order or a read off its write.
    for (let j = 0; j + 1 < order.length; j += 7) {
      const swapped = [...order];
      [swapped[j], swapped[j + 1]] = [swapped[j + 1], swapped[j]];
      const got = verifySequential(h, asRead({ ...evidence!, order: swapped }));
      if (!got.holds) {
        // The swapped pair itself fails, or the first read after it finds the other write.
        const m = /^sequential, order position (\d+) \(op (\d+)\): (comes after op (\d+), which its process invoked later|(reads|expects) \S+, but the register holds \S+)$/.exec(got.why);
        assert.ok(m !== null && Number(m[1]) >= j && Number(m[2]) === swapped[Number(m[1])], got.why);
        if (m[4] !== undefined) assert.equal(`${m[2]} ${m[4]}`, `${swapped[j + 1]} ${swapped[j]}`, got.why);
        refused++;
      }
    }
  }
  t.diagnostic(`${replayed} orders replayed, ${refused} altered orders refused`);
  assert.ok(replayed >= 40 && refused > 100, `${replayed} replayed, ${refused} refused`);
});
