/**
 * Property tests: histories from in-memory databases with known isolation levels
 * (test/elle/simulator/) must get the verdicts those levels guarantee, for both workloads.
 *
 *   serializable engine        → valid for strict-serializable
 *   snapshot-isolation engine  → valid for (strong) snapshot isolation; any anomaly a stricter
 *                                check finds is one SI allows, and SI is never ruled out
 *   read-committed engine      → valid for (strong) read committed; never G0 / G1a / G1b / G1c
 *
 * and the same with rw-register's --wfr-keys / --sequential-keys / --linearizable-keys, which
 * all three engines satisfy, and on a few larger histories.
 *
 * Control tests show the checks can fail: the weaker engines do produce the anomalies their
 * level allows (write skew under SI; read skew, lost update under read committed).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { CheckResult } from '../../analyzer/check/checker.js';
import { printEdn } from '../../analyzer/edn/print.js';
import type { EdnSet, Keyword } from '../../analyzer/edn/values.js';
import type { History } from '../../analyzer/history/history.js';
import { anomaliesToCheck, friendlyModel } from '../../analyzer/elle/consistency/index.js';
import { checkListAppend, checkRwRegister } from '../../analyzer/elle/check.js';
import type { Isolation, Workload } from './simulator/engines.js';
import { DEFAULT_SIM, type SimConfig, simulate } from './simulator/run.js';

const RUNS = 300;

const names = (v: unknown): string[] => (v as Keyword[]).map((k) => k.name);
const setNames = (v: unknown): string[] => (v as EdnSet).items.map((k) => (k as Keyword).name);

/** rw-register version-order assumptions; every engine here satisfies all three (see below). */
interface Assumptions {
  wfrKeys?: boolean;
  sequentialKeys?: boolean;
  linearizableKeys?: boolean;
}

function check(workload: Workload, h: History, models: string[], assume: Assumptions = {}): Promise<CheckResult> {
  const opts = { consistencyModels: models, workers: 1, ...assume };
  return workload === 'list-append' ? checkListAppend(h, opts) : checkRwRegister(h, opts);
}

function configs(workload: Workload, isolation: Isolation, large = false): fc.Arbitrary<SimConfig> {
  return fc.record({
    workload: fc.constant(workload),
    isolation: fc.constant(isolation),
    seed: fc.integer({ min: 0, max: 0x7fffffff }),
    txns: large ? fc.integer({ min: 100, max: 400 }) : fc.integer({ min: 1, max: 40 }),
    concurrency: large ? fc.integer({ min: 4, max: 10 }) : fc.integer({ min: 1, max: 5 }),
    keys: large ? fc.integer({ min: 2, max: 12 }) : fc.integer({ min: 1, max: 5 }),
    maxMops: fc.integer({ min: 1, max: 5 }),
    crash: fc.constantFrom(0, 0.01, 0.05, 0.2),
    clientAbort: fc.constantFrom(0, 0.02),
    empty: fc.constantFrom(0, 0.1),
    writesPerKey: fc.constantFrom(undefined, 3),
  });
}

/** Runs `prop` over random configurations; on failure the message carries the result. */
async function forAll(workload: Workload, isolation: Isolation, prop: (h: History) => Promise<void>, runs = RUNS, large = false): Promise<void> {
  await fc.assert(
    fc.asyncProperty(configs(workload, isolation, large), async (cfg) => prop(simulate(cfg))),
    { numRuns: runs },
  );
}

function explainFailure(r: CheckResult): string {
  return printEdn(r).slice(0, 4000);
}

/** Valid, or — when no two transactions are related at all — Elle's :unknown empty graph, and nothing else. */
function assertAllowed(r: CheckResult): void {
  if (r['valid?'] === true) return;
  assert.deepEqual([String(r['valid?']), ...names(r['anomaly-types'])], [':unknown', 'empty-transaction-graph'], explainFailure(r));
}

for (const workload of ['list-append', 'rw-register'] as const) {
  test(`${workload}: the serializable engine's histories are strict-serializable`, async () => {
    await forAll(workload, 'serializable', async (h) => {
      const r = await check(workload, h, ['strict-serializable']);
      assertAllowed(r);
    });
  });

  test(`${workload}: the snapshot-isolation engine shows only what SI allows`, async () => {
    const forbiddenBySI = anomaliesToCheck(['snapshot-isolation'], []);
    await forAll(workload, 'snapshot-isolation', async (h) => {
      const si = await check(workload, h, ['strong-snapshot-isolation']);
      assertAllowed(si);
      const strict = await check(workload, h, ['strict-serializable']);
      for (const t of names(strict['anomaly-types'])) assert.ok(!forbiddenBySI.has(t), `${t} under SI: ${explainFailure(strict)}`);
      assert.ok(!setNames(strict.not).includes('snapshot-isolation'));
      assert.ok(!setNames(strict['also-not']).includes('snapshot-isolation'));
    });
  });

  test(`${workload}: the read-committed engine never shows G0 or G1`, async () => {
    const forbiddenByRC = anomaliesToCheck(['read-committed'], []);
    await forAll(workload, 'read-committed', async (h) => {
      const rc = await check(workload, h, ['strong-read-committed']);
      assertAllowed(rc);
      const strict = await check(workload, h, ['strict-serializable']);
      for (const t of names(strict['anomaly-types'])) {
        assert.ok(!forbiddenByRC.has(t), `${t} under read committed: ${explainFailure(strict)}`);
        assert.ok(!/^G(0|1)/.test(t), t);
      }
    });
  });
}

// Each engine also satisfies rw-register's version-order assumptions: a transaction's write of a
// key is installed after the version it read (wfr); a process's reads of a key never go back
// (sequential); and every read or write of a key takes effect at one instant inside its
// transaction's invoke..complete window (linearizable: SI reads at its snapshot, taken after the
// invocation; writes install at commit, before the completion). The assumptions reveal more of
// the version order, so more edges, and must still never produce an anomaly the level forbids.
const ALL_ASSUMPTIONS: Assumptions = { wfrKeys: true, sequentialKeys: true, linearizableKeys: true };
const LEVELS: [Isolation, string][] = [
  ['serializable', 'strict-serializable'],
  ['snapshot-isolation', 'strong-snapshot-isolation'],
  ['read-committed', 'strong-read-committed'],
];
for (const [isolation, model] of LEVELS) {
  test(`rw-register with --wfr-keys --sequential-keys --linearizable-keys: the ${isolation} engine is valid for ${model}`, async () => {
    await forAll('rw-register', isolation, async (h) => {
      const r = await check('rw-register', h, [model], ALL_ASSUMPTIONS);
      assertAllowed(r);
      assert.deepEqual(names(r.assumptions), ['linearizable-keys', 'sequential-keys', 'wfr-keys']);
    });
  });
}

test('larger histories (100-400 transactions, up to 10 processes) keep their verdicts', async () => {
  for (const workload of ['list-append', 'rw-register'] as const) {
    for (const [isolation, model] of LEVELS) {
      await forAll(workload, isolation, async (h) => {
        const r = await check(workload, h, [model]);
        assertAllowed(r);
      }, 15, true);
    }
  }
});

// The table and the checker agree: whatever model is checked, every anomaly reported is one the
// model forbids, so an invalid verdict always names that model in :not or :also-not.
const MODELS_TO_TRY = [
  'read-uncommitted', 'read-committed', 'cursor-stability', 'monotonic-atomic-view', 'read-atomic', 'update-atomic',
  'consistent-view', 'repeatable-read', 'snapshot-isolation', 'serializable', 'strong-session-read-committed',
  'strong-read-committed', 'strong-session-snapshot-isolation', 'strong-snapshot-isolation', 'strong-session-serializable',
  'strict-serializable', 'PL-2', 'si', 'rr',
];
test('an invalid verdict always rules out the model checked', async () => {
  let invalid = 0;
  await fc.assert(
    fc.asyncProperty(
      configs('list-append', 'read-committed'),
      fc.constantFrom(...MODELS_TO_TRY),
      fc.constantFrom<Workload>('list-append', 'rw-register'),
      async (cfg, model, workload) => {
        const h = simulate({ ...cfg, workload, concurrency: Math.max(2, cfg.concurrency), txns: Math.max(10, cfg.txns) });
        const r = await check(workload, h, [model]);
        if (r['valid?'] !== false) return;
        invalid++;
        const ruledOut = [...setNames(r.not), ...setNames(r['also-not'])];
        assert.ok(ruledOut.includes(friendlyModel(model)), `${model} not ruled out by ${names(r['anomaly-types']).join(', ')}: not ${ruledOut.join(', ')}`);
      },
    ),
    // A fixed seed: the count below depends on which models were drawn, so a random seed made it flaky.
    { numRuns: RUNS, seed: 20261123 },
  );
  // Read committed breaks the stronger models often enough for the property to bite.
  assert.ok(invalid >= RUNS / 10, `only ${invalid} invalid verdicts`);
});

/** Anomaly types found by a strict-serializable check over seeds 0..n-1, with counts. */
async function anomaliesOver(workload: Workload, isolation: Isolation, n: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let seed = 0; seed < n; seed++) {
    const h = simulate({ ...DEFAULT_SIM, workload, isolation, seed, concurrency: 4, txns: 30 });
    const r = await check(workload, h, ['strict-serializable']);
    for (const t of names(r['anomaly-types'])) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return counts;
}

test('controls: the weaker engines do produce the anomalies their levels allow', async () => {
  const si = await anomaliesOver('list-append', 'snapshot-isolation', 100);
  assert.ok((si.get('G2-item') ?? 0) > 0, `write skew under SI: ${[...si].join(' ')}`);
  assert.ok(!si.has('G-single-item') && !si.has('lost-update'));
  const rc = await anomaliesOver('list-append', 'read-committed', 100);
  assert.ok((rc.get('G-single-item') ?? 0) > 0, `read skew under read committed: ${[...rc].join(' ')}`);
  assert.ok((rc.get('lost-update') ?? 0) > 0, `lost update under read committed: ${[...rc].join(' ')}`);
  const rcRegister = await anomaliesOver('rw-register', 'read-committed', 100);
  assert.ok((rcRegister.get('lost-update') ?? 0) > 0, `lost update (registers) under read committed: ${[...rcRegister].join(' ')}`);
  const serial = await anomaliesOver('list-append', 'serializable', 100);
  assert.deepEqual([...serial], []);
});

test('simulated histories look like Jepsen histories', () => {
  const h = simulate({ ...DEFAULT_SIM, workload: 'list-append', isolation: 'snapshot-isolation', seed: 7, txns: 30, crash: 0.05, nemesis: 0.1 });
  const types = new Set<string>();
  let lastTime = -1;
  for (const op of h.ops()) {
    types.add(op.type);
    assert.ok(op.time !== undefined && op.time > lastTime);
    lastTime = op.time;
    if (typeof op.process === 'number') assert.equal((op.f as Keyword).name, 'txn');
    else assert.equal(op.type, 'info');
  }
  assert.ok(types.has('invoke') && types.has('ok'));
  assert.ok([...h.ops()].some((op) => typeof op.process !== 'number' && (op.process as Keyword).name === 'nemesis'));
  // Every invocation completes or is left open only by a crash (:info).
  assert.equal(h.invocations().length, 30);
});
