/**
 * Every clean generated history is valid under the checker its header names, and every injected
 * anomaly is caught by it — a property over seeds, shapes and injection points. Checkers run
 * through the registry with exactly the options the CLI would pass.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkers } from '../../analyzer/checkers/registry.js';
import type { CheckResult } from '../../analyzer/check/checker.js';
import { EdnSet, type EdnValue, Keyword, isRecord } from '../../analyzer/edn/values.js';
import { type GenOptions, type GenWorkload, generate, genAnomalies, genWorkloads } from '../../analyzer/gen/index.js';

async function check(o: GenOptions): Promise<{ result: CheckResult; anomalyTypes: string[] }> {
  const g = generate(o);
  assert.equal(g.history.warnings.length, 0, `warnings: ${g.history.warnings.join('; ')}`);
  const checker = checkers.get(g.expected.checker);
  assert.ok(checker !== undefined, g.expected.checker);
  // One worker: keyed linearizability checks would otherwise start a pool per history.
  const options = g.expected.checker === 'linearizable' ? { ...g.expected.options, workers: 1 } : g.expected.options;
  const result = await checker.check(g.history, options, {});
  const types = result['anomaly-types'];
  const anomalyTypes = types instanceof EdnSet || Array.isArray(types) ? (types instanceof EdnSet ? types.items : types).map((t) => (t instanceof Keyword ? t.name : String(t))) : [];
  return { result, anomalyTypes };
}

const shape = fc.record({
  seed: fc.nat({ max: 1_000_000 }),
  ops: fc.integer({ min: 20, max: 400 }),
  concurrency: fc.integer({ min: 1, max: 20 }),
  keys: fc.integer({ min: 1, max: 4 }),
});

const where = (o: GenOptions): string => JSON.stringify(o);

/** set-full's counts, summed over keys when independent. */
function setCount(r: CheckResult, field: 'lost-count' | 'stale-count'): number {
  const direct = r[field];
  if (typeof direct === 'number') return direct;
  const results = r.results;
  let n = 0;
  if (results !== undefined && results !== null && typeof results === 'object' && 'vals' in results) {
    for (const v of (results as { vals: EdnValue[] }).vals) if (isRecord(v) && typeof v[field] === 'number') n += v[field];
  }
  return n;
}

describe('gen: clean histories are valid', () => {
  for (const workload of genWorkloads) {
    it(workload, async () => {
      await fc.assert(
        fc.asyncProperty(shape, async (s) => {
          const o: GenOptions = { workload, ...s };
          const { result } = await check(o);
          assert.equal(result['valid?'], true, `${where(o)} → ${String(result['valid?'])}`);
        }),
        { numRuns: 60, seed: 42 },
      );
    });
  }
});

function assertCaught(workload: GenWorkload, anomaly: string, o: GenOptions, result: CheckResult, anomalyTypes: string[]): void {
  assert.equal(result['valid?'], false, `${where(o)} should be invalid`);
  // The checkers report read skew in Elle's item form.
  const reported = anomaly === 'G-single' ? 'G-single-item' : anomaly;
  if (workload === 'list-append' || workload === 'rw-register') assert.ok(anomalyTypes.includes(reported), `${where(o)}: ${reported} not in ${anomalyTypes.join(', ')}`);
  if (workload === 'set') {
    if (anomaly === 'lost-write') assert.equal(setCount(result, 'lost-count'), 1, where(o));
    else assert.equal(setCount(result, 'stale-count') >= 1, true, where(o));
  }
}

describe('gen: every anomaly is caught by the matching checker', () => {
  for (const workload of genWorkloads) {
    for (const anomaly of genAnomalies[workload]) {
      it(`${workload} ${anomaly}`, async () => {
        await fc.assert(
          fc.asyncProperty(shape, fc.double({ min: 0, max: 1, noNaN: true }), async (s, anomalyAt) => {
            const o: GenOptions = { workload, ...s, anomaly, anomalyAt };
            const { result, anomalyTypes } = await check(o);
            assertCaught(workload, anomaly, o, result, anomalyTypes);
          }),
          { numRuns: 12, seed: 7 },
        );
      });
    }
  }
});
