/**
 * The scheduler on its own, with a toy database: the anomaly's script runs where asked, on a
 * quiet database, and the budget of ops is kept exactly.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { kw } from '../../analyzer/edn/values.js';
import { type Completion, type Invocation, type Script, type SimDb, runClients } from '../../analyzer/gen/clients.js';

const OP = kw('op');
const MARK = kw('mark');

/** Every op succeeds; the script writes one marker op. */
class Toy implements SimDb {
  readonly scriptOps = 2;
  invoke(): Invocation {
    return { f: OP, value: null };
  }
  apply(): Completion {
    return { type: 'ok', value: null };
  }
  inject(s: Script): void {
    s.invoke(s.slots - 1, MARK, null);
    s.complete(s.slots - 1, { type: 'ok', value: null });
  }
}

test('the anomaly script runs near the chosen point, with nothing in flight, and the op budget is exact', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 30 }),
      fc.integer({ min: 1, max: 2000 }).map((n) => 2 * n),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.nat(),
      (concurrency, ops, at, seed) => {
        const all = [...runClients(new Toy(), { ops, concurrency, seed, anomalyAt: at })];
        assert.equal(all.length, ops);
        const marks = all.flatMap((o, i) => (o.f === MARK ? [i] : []));
        assert.equal(marks.length, 2, 'the script ran once');
        const [start] = marks;
        // Nothing in flight: every invocation before the marker is completed before it.
        const open = new Set<unknown>();
        for (let i = 0; i < start; i++) {
          if (all[i].process === kw('nemesis')) continue;
          if (all[i].type === 'invoke') open.add(all[i].process);
          else open.delete(all[i].process);
        }
        assert.equal(open.size, 0);
        // Invocations stop once the in-flight ops would reach the point; they then complete.
        const target = Math.min(Math.floor(at * ops), ops - 2);
        assert.ok(start >= target - concurrency - 2 && start <= target + concurrency + 2, `marker at ${start}, asked ${target} (C ${concurrency})`);
        assert.deepEqual(all.map((o) => o.index), all.map((_, i) => i));
        for (let i = 1; i < all.length; i++) assert.ok(all[i].time! > all[i - 1].time!);
      },
    ),
    { numRuns: 300, seed: 3 },
  );
});
