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
  /** A client crashed after its op took effect (`result`): undo what should not stick. */
  crashed?(f: string, result: EdnValue): void;
  /** Ops to end the run with (a final drain), by a process of their own. */
  finish?(): { f: string; value: EdnValue }[];
}

/** The workloads here. */
export type CollectionWorkload = 'counter' | 'queue' | 'total-queue' | 'unique-ids' | 'bank';

function counterDb(faulty: boolean): Db {
  let n = 0;
  return {
    // Decrements too: a correct database's reads must stay within the bounds either way.
    ask: (rng) => (rng.chance(0.4) ? { f: 'read', value: null } : { f: 'add', value: rng.chance(0.3) ? -(1 + rng.int(3)) : 1 + rng.int(5) }),
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

function totalQueueDb(faulty: boolean): Db {
  const items: number[] = [];
  let next = 0;
  return {
    ask: (rng) => (rng.chance(0.05) ? { f: 'drain', value: null } : rng.chance(0.5) ? { f: 'enqueue', value: next++ } : { f: 'dequeue', value: null }),
    apply: (rng, f, value) => {
      // A faulty queue acknowledges an enqueue it drops, or hands out a value twice.
      if (f === 'enqueue') {
        if (!(faulty && rng.chance(0.05))) items.push(value as number);
        return { value };
      }
      if (f === 'drain') return { value: items.splice(0) };
      if (items.length === 0) return undefined;
      const k = rng.int(items.length);
      return { value: faulty && rng.chance(0.03) ? items[k] : items.splice(k, 1)[0] };
    },
    // What a crashed client took goes back (redelivered), and the run ends with a drain, as Jepsen's queue tests do.
    crashed: (f, result) => {
      if (f === 'dequeue') items.push(result as number);
      else if (f === 'drain') items.push(...(result as number[]));
    },
    finish: () => [{ f: 'drain', value: items.splice(0) }],
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

const DBS: Record<CollectionWorkload, (faulty: boolean) => Db> = { counter: counterDb, queue: queueDb, 'total-queue': totalQueueDb, 'unique-ids': uniqueIdsDb, bank: bankDb };

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
      if (op.result !== undefined) db.crashed?.(op.f, op.result.value);
      process[c] += concurrency;
      flight[c] = undefined;
    } else if (op.applied) {
      out.push(op.result === undefined ? { process: process[c], type: 'fail', f: kw(op.f), value: op.value } : { process: process[c], type: 'ok', f: kw(op.f), value: op.result.value });
      flight[c] = undefined;
    }
  }
  for (const { f, value } of db.finish?.() ?? []) {
    const p = 2 * concurrency + 1_000;
    out.push({ process: p, type: 'invoke', f: kw(f), value: null }, { process: p, type: 'ok', f: kw(f), value });
  }
  return historyOf(out);
}

/**
 * A random watch history: `writers` processes write unique values to one key (some refused,
 * some crashed: taking effect or not), `watchers` processes watch it from where they stopped,
 * and each ends with a `:final-watch` to the last revision. A faulty store now and then leaves a
 * value out of one watch's log or swaps two.
 */
export function watchHistory(seed: number, faulty: boolean, steps = 200, writers = 2, watchers = 3): History {
  const rng = new SeededRandom(seed);
  const out: OpInput[] = [];
  const log: number[] = [];
  const seen = Array.from({ length: watchers }, () => 0);
  let next = 0;
  const watch = (w: number, f: string): void => {
    const p = writers + w;
    out.push({ process: p, type: 'invoke', f: kw(f), value: null });
    if (f === 'watch' && rng.chance(0.05)) {
      // A faulty store's watch may also fail for going backwards, as etcd reports it.
      const error = faulty && rng.chance(0.2) ? [kw('nonmonotonic-watch'), seen[w], seen[w] - 1] : undefined;
      out.push(error === undefined ? { process: p, type: 'fail', f: kw(f), value: null } : { process: p, type: 'fail', f: kw(f), value: null, error });
      return;
    }
    const part = log.slice(seen[w]);
    if (faulty && part.length >= 2 && rng.chance(0.1)) {
      if (rng.chance(0.5)) part.splice(rng.int(part.length), 1);
      else [part[0], part[1]] = [part[1], part[0]];
    }
    seen[w] = log.length;
    out.push({ process: p, type: 'ok', f: kw(f), value: new EdnMap([kw('revision'), kw('log')], [log.length, part]) });
  };
  for (let s = 0; s < steps; s++) {
    if (rng.chance(0.6)) {
      const p = rng.int(writers);
      const v = next++;
      out.push({ process: p, type: 'invoke', f: kw('write'), value: v });
      const fate = rng.next();
      if (fate < 0.05) out.push({ process: p, type: 'fail', f: kw('write'), value: v });
      else {
        if (fate > 0.08) log.push(v);
        out.push({ process: p, type: fate < 0.1 ? 'info' : 'ok', f: kw('write'), value: v });
      }
    } else watch(rng.int(watchers), 'watch');
  }
  for (let w = 0; w < watchers; w++) watch(w, 'final-watch');
  return historyOf(out);
}
