/**
 * Random histories of the workloads analyzer/gen has no generator for (counter, queue,
 * unique-ids, bank), from a small simulated database: concurrent clients whose ops take effect
 * at a random moment between invocation and completion, some crashing (`:info`, before or after
 * the effect) or refused (`:fail`, no effect), and a database that, when `faulty`, now and then
 * answers wrongly. The same seed gives the same history.
 */
import { EdnMap, type EdnValue, kw } from '../../../analyzer/edn/values.js';
import { type History, historyOf } from '../../../analyzer/history/history.js';
import type { OpInput } from '../../../analyzer/history/op.js';
import { SeededRandom } from '../../../analyzer/util/random.js';

/** One kind of database: what a client asks next, and what asking does to the state (undefined: refused). */
interface Db {
  ask(rng: SeededRandom): { f: string; value: EdnValue };
  apply(rng: SeededRandom, f: string, value: EdnValue): { value: EdnValue } | undefined;
}

/** The workloads here. */
export type CollectionWorkload = 'counter' | 'queue' | 'unique-ids' | 'bank';

function counterDb(faulty: boolean): Db {
  let n = 0;
  return {
    ask: (rng) => (rng.chance(0.4) ? { f: 'read', value: null } : { f: 'add', value: 1 + rng.int(5) }),
    apply: (rng, f, value) => {
      if (f === 'read') return { value: faulty && rng.chance(0.05) ? n + (rng.chance(0.5) ? 7 : -7) : n };
      n += value as number;
      return { value };
    },
  };
}

function queueDb(faulty: boolean): Db {
  const items: number[] = [];
  let next = 0;
  let last = -1;
  return {
    ask: (rng) => (rng.chance(0.5) ? { f: 'enqueue', value: next++ } : { f: 'dequeue', value: null }),
    apply: (rng, f, value) => {
      if (f === 'enqueue') {
        items.push(value as number);
        return { value };
      }
      // A faulty queue hands out the last value again, or one never offered.
      if (faulty && last >= 0 && rng.chance(0.04)) return { value: rng.chance(0.5) ? last : 10_000 + rng.int(100) };
      if (items.length === 0) return undefined;
      last = items.splice(rng.int(items.length), 1)[0];
      return { value: last };
    },
  };
}

function uniqueIdsDb(faulty: boolean): Db {
  let next = 0;
  return {
    ask: () => ({ f: 'generate', value: null }),
    apply: (rng) => ({ value: faulty && next > 3 && rng.chance(0.03) ? next - 1 - rng.int(3) : next++ }),
  };
}

function bankDb(faulty: boolean): Db {
  const balances = [20, 20, 20, 20, 20];
  return {
    ask: (rng) => (rng.chance(0.4) ? { f: 'read', value: null } : { f: 'transfer', value: new EdnMap([kw('from'), kw('to'), kw('amount')], [rng.int(5), rng.int(5), 1 + rng.int(5)]) }),
    apply: (rng, f, value) => {
      if (f === 'read') {
        const shown = [...balances];
        // A faulty bank shows half a transfer.
        if (faulty && rng.chance(0.06)) shown[rng.int(5)] -= 1 + rng.int(3);
        return { value: new EdnMap([0, 1, 2, 3, 4], shown) };
      }
      const m = value as EdnMap;
      const [from, to, amount] = ['from', 'to', 'amount'].map((k) => m.kw(k) as number);
      if (balances[from] < amount) return undefined;
      balances[from] -= amount;
      balances[to] += amount;
      return { value };
    },
  };
}

const DBS: Record<CollectionWorkload, (faulty: boolean) => Db> = { counter: counterDb, queue: queueDb, 'unique-ids': uniqueIdsDb, bank: bankDb };

/** A random history of `workload`: `ops` invocations by `concurrency` clients (see the file's header). */
export function collectionHistory(workload: CollectionWorkload, seed: number, faulty: boolean, ops = 200, concurrency = 4): History {
  const rng = new SeededRandom(seed);
  const db = DBS[workload](faulty);
  const out: OpInput[] = [];
  const process = Array.from({ length: concurrency }, (_, p) => p);
  type Flight = { f: string; value: EdnValue; result?: { value: EdnValue }; applied: boolean };
  const flight: (Flight | undefined)[] = Array.from({ length: concurrency }, () => undefined);
  let invoked = 0;
  while (invoked < ops || flight.some((x) => x !== undefined)) {
    const c = rng.int(concurrency);
    const op = flight[c];
    if (op === undefined) {
      if (invoked >= ops) continue;
      const { f, value } = db.ask(rng);
      out.push({ process: process[c], type: 'invoke', f: kw(f), value });
      flight[c] = { f, value, applied: false };
      invoked++;
    } else if (!op.applied && rng.chance(0.5)) {
      // Now and then the database refuses an op outright (:fail, no effect).
      op.result = rng.chance(0.03) ? undefined : db.apply(rng, op.f, op.value);
      op.applied = true;
    } else if (rng.chance(0.03)) {
      // A crash, before or after the effect: the client's process is replaced.
      out.push({ process: process[c], type: 'info', f: kw(op.f), value: op.value });
      process[c] += concurrency;
      flight[c] = undefined;
    } else if (op.applied) {
      out.push(op.result === undefined ? { process: process[c], type: 'fail', f: kw(op.f), value: op.value } : { process: process[c], type: 'ok', f: kw(op.f), value: op.result.value });
      flight[c] = undefined;
    }
  }
  return historyOf(out);
}
