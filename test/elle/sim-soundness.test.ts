/**
 * Soundness against ground truth: the simulator knows what really happened (each
 * transaction's commit timestamp, and which committed version each read was based on), so
 * every edge of every cycle the checker reports can be checked against it:
 *
 *   ww  T1 → T2 on k   both wrote k, and T1 committed before T2
 *   wr  T1 → T2 on k   T2 read a version of k that includes T1's write (list-append: T1's
 *                      commit or later; rw-register: exactly T1's version)
 *   rw  T1 → T2 on k   T1 read a version of k older than T2's committed write
 *   process            same process, T1 completed before T2 was invoked
 *   realtime           T1 completed before T2 was invoked
 *
 * A checker that infers an edge the truth contradicts would report cycles that are not there.
 * Likewise `internal` (two reads of a key in one transaction disagree: they must have seen
 * different versions) and `lost-update` (committed writers of a key that all read one version).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { CheckResult } from '../../analyzer/check/checker.js';
import { type EdnRecord, type EdnValue, type Keyword, ednEquals } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import { checkListAppend, checkRwRegister } from '../../analyzer/elle/check.js';
import type { Isolation, Workload } from './simulator/engines.js';
import { type TxnTruth, simulateRun } from './simulator/run.js';

const RUNS = 150;

function writesKey(t: TxnTruth, k: EdnValue): boolean {
  return t.txn.mops.some((m) => !m.read && ednEquals(m.key, k));
}

/** Commit timestamps of the committed versions T's reads of k were based on. */
function readVersions(t: TxnTruth, k: EdnValue): number[] {
  const out: number[] = [];
  t.txn.mops.forEach((m, i) => {
    if (m.read && ednEquals(m.key, k) && t.txn.readTs[i] !== undefined) out.push(t.txn.readTs[i]!);
  });
  return out;
}

/** Why the step a → b is false, or undefined if the truth bears it out. */
function contradiction(workload: Workload, step: EdnRecord, a: TxnTruth, b: TxnTruth): string | undefined {
  const type = (step.type as Keyword).name;
  const k = step.key as EdnValue;
  const ca = a.txn.commitTs;
  const cb = b.txn.commitTs;
  switch (type) {
    case 'ww':
      if (!writesKey(a, k) || !writesKey(b, k)) return 'a ww edge between transactions that do not both write the key';
      if (ca === undefined || cb === undefined) return 'a ww edge with an uncommitted transaction';
      return ca < cb ? undefined : `ww, but T1 committed at ${ca}, T2 at ${cb}`;
    case 'wr': {
      if (!writesKey(a, k) || ca === undefined) return 'a wr edge from a transaction that did not commit a write of the key';
      const seen = readVersions(b, k);
      const ok = workload === 'list-append' ? seen.some((ts) => ts >= ca) : seen.some((ts) => ts === ca);
      return ok ? undefined : `wr, but T2's reads were based on versions ${seen.join(', ')} and T1 committed at ${ca}`;
    }
    case 'rw': {
      if (!writesKey(b, k) || cb === undefined) return 'an rw edge to a transaction that did not commit a write of the key';
      const seen = readVersions(a, k);
      return seen.some((ts) => ts < cb) ? undefined : `rw, but T1's reads were based on versions ${seen.join(', ')} and T2 committed at ${cb}`;
    }
    case 'process':
      return a.process === b.process && a.completeIndex >= 0 && a.completeIndex < b.invokeIndex ? undefined : 'not in process order';
    case 'realtime':
      return a.completeIndex >= 0 && a.completeIndex < b.invokeIndex ? undefined : 'not in real-time order';
    default:
      return `unknown step type ${type}`;
  }
}

async function checkSoundness(workload: Workload, isolation: Isolation, seed: number, assume: boolean): Promise<number> {
  const run = simulateRun({ workload, isolation, seed, txns: 30, concurrency: 4, keys: 3, maxMops: 4, crash: 0.02, clientAbort: 0.01 });
  const h = historyOf(run.ops);
  const opts = { consistencyModels: ['strict-serializable'], workers: 1, ...(assume ? { wfrKeys: true, sequentialKeys: true, linearizableKeys: true } : {}) };
  const r: CheckResult = workload === 'list-append' ? await checkListAppend(h, opts) : await checkRwRegister(h, opts);
  let cycles = 0;
  const where = `${workload} ${isolation} seed ${seed}`;
  for (const [type, list] of Object.entries(r.anomalies as EdnRecord)) {
    for (const anomaly of list as EdnRecord[]) {
      if (type === 'internal') {
        // Two reads of one key in one transaction that disagree: they saw different versions.
        const t = run.byIndex.get((anomaly.op as EdnRecord).index as number)!;
        const versions = new Set(readVersions(t, (anomaly.mop as EdnValue[])[1]));
        assert.ok(versions.size > 1, `${where}: internal, but every read of the key saw version ${[...versions].join(', ')}`);
        continue;
      }
      if (type === 'lost-update') {
        // Committed transactions that read the same version of the key and all wrote it.
        const ts = (anomaly.txns as EdnRecord[]).map((op) => run.byIndex.get(op.index as number)!);
        const k = anomaly.key as EdnValue;
        assert.ok(ts.every((t) => t.txn.commitTs !== undefined && writesKey(t, k)), `${where}: lost-update of transactions that did not all commit writes of the key`);
        const common = readVersions(ts[0], k).filter((v) => ts.every((t) => readVersions(t, k).includes(v)));
        assert.ok(common.length > 0, `${where}: lost-update, but the transactions read no common version of the key`);
        continue;
      }
      if (anomaly.cycle === undefined) continue;
      cycles++;
      const ops = anomaly.cycle as EdnRecord[];
      const steps = anomaly.steps as EdnRecord[];
      assert.equal(ops.length, steps.length + 1, `${type}: a cycle of n transactions has n steps`);
      assert.equal(ops[0].index, ops[ops.length - 1].index, `${type}: a cycle ends where it began`);
      steps.forEach((step, i) => {
        const a = run.byIndex.get(ops[i].index as number);
        const b = run.byIndex.get(ops[i + 1].index as number);
        assert.ok(a !== undefined && b !== undefined, `${type}: cycle ops are transactions`);
        const why = contradiction(workload, step, a, b);
        assert.equal(why, undefined, `${where}: ${type} step ${i} ${JSON.stringify(step, (_k, v) => (typeof v === 'object' && v !== null && 'name' in v ? `:${String(v.name)}` : v))}: ${why}\n${String(anomaly.explanation)}`);
      });
    }
  }
  return cycles;
}

for (const workload of ['list-append', 'rw-register'] as const) {
  for (const isolation of ['read-committed', 'snapshot-isolation'] as const) {
    test(`${workload}, ${isolation} engine: every cycle edge, internal read and lost update reported is true`, async () => {
      let cycles = 0;
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: 0x7fffffff }), fc.boolean(), async (seed, assume) => {
          cycles += await checkSoundness(workload, isolation, seed, assume && workload === 'rw-register');
        }),
        { numRuns: RUNS },
      );
      // The property must have had cycles to look at.
      assert.ok(cycles > 0, 'no cycles reported at all');
    });
  }
}
