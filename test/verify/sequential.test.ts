/**
 * sequential certificates: the order of every valid verdict — Couchbase's fixtures, and generated
 * register and cas-register histories (crashes, :info writes, the stale-read anomaly, which is
 * sequentially consistent) — replays; an op left out, a read moved before the write it reads, a
 * process's two ops swapped, are refused with the reason; the invalid verdicts the ops show
 * alone (unwritten read, competing cas, cas loop) verify, and with the wrong ops are refused.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check } from '../../analyzer/index.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import type { EdnMap, EdnRecord } from '../../analyzer/edn/values.js';
import { generate } from '../../analyzer/gen/index.js';
import { type History, historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import { op } from '../support/ops.js';
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

test('invalid verdicts the ops show alone (unwritten read, competing cas, cas loop) verify; the ops altered are refused', async () => {
  const cases: [string, OpInput[], string][] = [
    ['unwritten-read', [op(0, 'invoke', 'write', 1), op(0, 'ok', 'write', 1), op(1, 'invoke', 'read'), op(1, 'ok', 'read', 9)], 'sequential: unwritten-read shown by ops [3]'],
    ['competing-cas', [op(0, 'invoke', 'write', 1), op(0, 'ok', 'write', 1), op(1, 'invoke', 'cas', [1, 2]), op(1, 'ok', 'cas', [1, 2]), op(2, 'invoke', 'cas', [1, 3]), op(2, 'ok', 'cas', [1, 3])], 'sequential: competing-cas shown by ops [3 5]'],
    ['cas-cycle', [op(0, 'invoke', 'write', 1), op(0, 'ok', 'write', 1), op(1, 'invoke', 'cas', [5, 6]), op(1, 'ok', 'cas', [5, 6]), op(2, 'invoke', 'cas', [6, 5]), op(2, 'ok', 'cas', [6, 5])], 'sequential: cas-cycle shown by ops [3 5]'],
  ];
  for (const [anomaly, ops, holding] of cases) {
    const h = historyOf(ops);
    const { valid, evidence } = await certify(h);
    assert.equal(valid, false, anomaly);
    assert.ok(evidence !== undefined, anomaly);
    assert.equal(refusal(verifySequential(h, asRead(evidence))), `holds: ${holding}`);
    // The write of 1 named instead: it is no read of an unwritten value, no cas.
    const why = refusal(verifySequential(h, asRead({ ...evidence, ops: [1, ...(evidence.ops as number[]).slice(1)] })));
    assert.equal(why, {
      'unwritten-read': 'sequential, unwritten-read: 1 is the initial value or written by an op that did not fail',
      'competing-cas': 'sequential, competing-cas: [1 5] are not two cas from one value',
      'cas-cycle': 'sequential, cas-cycle: op 1 is no cas writing what the next one expects',
    }[anomaly]);
  }
  // A second write of 1: the two cas could each take one.
  const h = historyOf([op(0, 'invoke', 'write', 1), op(0, 'ok', 'write', 1), op(1, 'invoke', 'cas', [1, 2]), op(1, 'ok', 'cas', [1, 2]), op(3, 'invoke', 'cas', [2, 1]), op(3, 'info', 'cas', [2, 1]), op(2, 'invoke', 'cas', [1, 3]), op(2, 'ok', 'cas', [1, 3])]);
  const forged = { 'valid?': false, anomaly: parseEdn(':competing-cas'), ops: [3, 7] };
  assert.equal(refusal(verifySequential(h, asRead(forged))), 'sequential, competing-cas: 1 has 2 sources, so both cas could take it');
});
