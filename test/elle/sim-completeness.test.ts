/**
 * Completeness against ground truth, for list-append. When a run ends with a transaction
 * reading every key (Jepsen's final reads), every committed append is observed, so a checker
 * can know each key's whole version order. The dependency edges it can then derive include, at
 * least, the true ones built here from the simulator's record:
 *
 *   ww  between consecutive committed writers of a key
 *   wr  from the writer of the version an :ok transaction's read was based on, to the reader
 *   rw  from that reader to the writer of the key's next version
 *
 * (only reads made before the transaction's own write of that key; :info transactions' reads
 * are unknown to a checker and are left out). If this true graph has a cycle, the history is
 * not serializable and the checker must say so with a cycle anomaly; and since the soundness
 * test shows every edge it reports is true, it must not report a cycle when there is none.
 * For strict-serializable, real-time order joins the graph (an :ok transaction precedes every
 * transaction invoked after it completed).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { EdnValue, Keyword } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import { checkListAppend } from '../../analyzer/elle/check.js';
import type { Isolation } from './simulator/engines.js';
import { type SimRun, type TxnTruth, simulateRun } from './simulator/run.js';

const RUNS = 200;
const CYCLE = /^(G0|G1c|G-single-item|G-nonadjacent-item|G2-item)(-process|-realtime)?$/;

/**
 * The true dependency graph over committed transactions, as adjacency lists; with `realtime`,
 * also T1 → T2 whenever T1 completed :ok before T2 was invoked (which covers process order).
 */
function trueGraph(run: SimRun, realtime = false): Map<TxnTruth, Set<TxnTruth>> {
  const txns = [...new Set(run.byIndex.values())].filter((t) => t.txn.commitTs !== undefined);
  const out = new Map<TxnTruth, Set<TxnTruth>>(txns.map((t) => [t, new Set()]));
  const edge = (a: TxnTruth, b: TxnTruth) => {
    if (a !== b) out.get(a)!.add(b);
  };
  // Committed writers of each key, in commit order.
  const writers = new Map<number, TxnTruth[]>();
  for (const t of txns) {
    for (const m of t.txn.mops) {
      if (m.read) continue;
      const list = writers.get(m.key) ?? [];
      if (!list.includes(t)) list.push(t);
      writers.set(m.key, list);
    }
  }
  for (const list of writers.values()) {
    list.sort((a, b) => a.txn.commitTs! - b.txn.commitTs!);
    for (let i = 0; i + 1 < list.length; i++) edge(list[i], list[i + 1]);
  }
  if (realtime) {
    for (const a of txns) if (a.outcome === 'ok') for (const b of txns) if (a.completeIndex < b.invokeIndex) edge(a, b);
  }
  for (const t of txns) {
    if (t.outcome !== 'ok') continue;
    const wrote = new Set<number>();
    t.txn.mops.forEach((m, i) => {
      if (!m.read) return void wrote.add(m.key);
      if (wrote.has(m.key)) return;
      const ts = t.txn.readTs[i]!;
      const list = writers.get(m.key) ?? [];
      const from = list.find((w) => w.txn.commitTs === ts);
      if (from !== undefined) edge(from, t);
      const next = list.find((w) => w.txn.commitTs! > ts);
      if (next !== undefined) edge(t, next);
    });
  }
  return out;
}

function hasCycle(g: Map<TxnTruth, Set<TxnTruth>>): boolean {
  const state = new Map<TxnTruth, 1 | 2>();
  for (const root of g.keys()) {
    if (state.has(root)) continue;
    const stack: [TxnTruth, Iterator<TxnTruth>][] = [[root, g.get(root)![Symbol.iterator]()]];
    state.set(root, 1);
    while (stack.length > 0) {
      const [v, it] = stack[stack.length - 1];
      const n = it.next();
      if (n.done) {
        state.set(v, 2);
        stack.pop();
      } else if (state.get(n.value) === 1) return true;
      else if (!state.has(n.value)) {
        state.set(n.value, 1);
        stack.push([n.value, g.get(n.value)![Symbol.iterator]()]);
      }
    }
  }
  return false;
}

const CASES: [Isolation, string][] = [
  ['read-committed', 'serializable'],
  ['snapshot-isolation', 'serializable'],
  ['serializable', 'serializable'],
  ['read-committed', 'strict-serializable'],
  ['snapshot-isolation', 'strict-serializable'],
];
for (const [isolation, model] of CASES) {
  test(`list-append with final reads, ${isolation} engine, ${model}: a cycle is reported exactly when the true graph has one`, async () => {
    let cyclic = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 0x7fffffff }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        async (seed, concurrency, keys) => {
          const run = simulateRun({ workload: 'list-append', isolation, seed, txns: 25, concurrency, keys, maxMops: 4, crash: 0.02, clientAbort: 0.01, finalReads: true });
          const truth = hasCycle(trueGraph(run, model === 'strict-serializable'));
          if (truth) cyclic++;
          const r = await checkListAppend(historyOf(run.ops), { consistencyModels: [model], workers: 1 });
          const types = (r['anomaly-types'] as EdnValue[]).map((k) => (k as Keyword).name);
          const reported = types.some((t) => CYCLE.test(t));
          assert.equal(reported, truth, `seed ${seed}, ${concurrency} processes, ${keys} keys: true graph ${truth ? 'has' : 'has no'} cycle; reported ${types.join(', ') || 'nothing'}`);
        },
      ),
      { numRuns: RUNS },
    );
    if (isolation === 'serializable') assert.equal(cyclic, 0);
    else assert.ok(cyclic > 0, 'the property never met a cyclic history');
  });
}
