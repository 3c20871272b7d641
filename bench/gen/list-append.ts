/**
 * Fast generator of realistic list-append histories for benchmarks, shaped like Jepsen's
 * `elle.list-append` generator: a pool of `activeKeys` keys, each retired once it has taken
 * `writesPerKey` appends (so reads stay short, as in real tests) and replaced by a fresh key;
 * transactions of 1..`maxTxnLength` micro-ops, half reads, half appends; `concurrency`
 * processes whose invocations interleave.
 *
 * The database behind it is serial: each transaction takes effect atomically at one instant
 * between its invocation and completion, so the history is strict-serializable unless
 * anomalies are injected on purpose (`anomalyRate`): a read that misses the latest append to
 * its key (read skew / write skew cycles) or, more rarely, a read of an aborted append (G1a).
 *
 * It keeps only each live key's current list, O(1) work per op, and streams ops into a
 * HistoryBuilder, so a million transactions take a few seconds and little memory beyond the
 * History itself.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { type EdnValue, kw } from '../../analyzer/edn/values.js';
import { type History, HistoryBuilder } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import { randomFunction } from '../../analyzer/util/random.js';

export interface GenOptions {
  txns: number;
  seed?: number;
  concurrency?: number;
  activeKeys?: number;
  writesPerKey?: number;
  maxTxnLength?: number;
  /** Chance per read of an injected anomaly (0 for a valid history). */
  anomalyRate?: number;
  /**
   * Chance per read of being served by a lagging replica: it sees the key as it was `staleBy`
   * transactions ago. Each such read points an rw edge far back in time, and together with
   * real-time order they knit the history into huge strongly connected components.
   */
  staleRate?: number;
  staleBy?: number;
  /** Chance a transaction fails (:fail) or crashes (:info). */
  failRate?: number;
  infoRate?: number;
}

const TXN = kw('txn');
const APPEND = kw('append');
const R = kw('r');

interface Pending {
  process: number;
  invoke: EdnValue[][];
}

/** Generates the ops (invocations and completions) of `txns` transactions. */
export function* listAppendOps(o: GenOptions): Generator<OpInput> {
  const rand = randomFunction(o.seed ?? 1, 'raw');
  const concurrency = o.concurrency ?? 10;
  const activeKeys = o.activeKeys ?? 10;
  const writesPerKey = o.writesPerKey ?? 32;
  const maxLen = o.maxTxnLength ?? 4;
  const anomalyRate = o.anomalyRate ?? 0;
  const failRate = o.failRate ?? 0.05;
  const infoRate = o.infoRate ?? 0.01;
  const staleRate = o.staleRate ?? 0;
  const staleBy = o.staleBy ?? 1000;
  /** Transactions run so far, and when (in that count) each element of each key was appended. */
  let executed = 0;
  const appendedAt = new Map<number, number[]>();

  // Live keys (the ones new transactions pick) and every key's current list; a retired key
  // keeps its list, since transactions invoked before it retired may still touch it.
  const live = Array.from({ length: activeKeys }, (_, i) => i);
  const lists = new Map<number, number[]>(live.map((k) => [k, []]));
  const nextValue = new Map<number, number>(live.map((k) => [k, 1]));
  let nextKey = activeKeys;
  // Reads of an unchanged key share one array, as hindsight's reader shares equal small
  // vectors when it reads a history.edn: the in-memory History then has the reader's shape.
  const readCache = new Map<number, number[]>();
  /** An append of a failed transaction, for injected aborted reads: [key, value]. */
  let aborted: [number, number] | undefined;

  const processes = Array.from({ length: concurrency }, (_, p) => p);
  const pending: (Pending | undefined)[] = new Array(concurrency).fill(undefined);
  let index = 0;
  let time = 0;
  let invoked = 0;
  let open = 0;

  const op = (type: OpInput['type'], process: number, value: EdnValue): OpInput => {
    time += 1000 + Math.floor(rand() * 100000);
    return { index: index++, time, type, process, f: TXN, value };
  };

  while (invoked < o.txns || open > 0) {
    const slot = Math.floor(rand() * concurrency);
    const p = pending[slot];
    if (p === undefined) {
      if (invoked >= o.txns) continue;
      const n = 1 + Math.floor(rand() * maxLen);
      const mops: EdnValue[][] = [];
      for (let j = 0; j < n; j++) {
        const s = Math.floor(rand() * activeKeys);
        const k = live[s];
        if (rand() < 0.5) mops.push([R, k, null]);
        else {
          const v = nextValue.get(k)!;
          nextValue.set(k, v + 1);
          mops.push([APPEND, k, v]);
          // Retire a key once it has been given its share of appends.
          if (v >= writesPerKey) {
            live[s] = nextKey;
            lists.set(nextKey, []);
            nextValue.set(nextKey, 1);
            nextKey++;
          }
        }
      }
      pending[slot] = { process: processes[slot], invoke: mops };
      invoked++;
      open++;
      yield op('invoke', processes[slot], mops);
      continue;
    }
    // Run the transaction atomically now, and complete it.
    pending[slot] = undefined;
    open--;
    if (rand() < failRate) {
      const a = p.invoke.find((m) => m[0] === APPEND);
      if (a !== undefined) aborted = [a[1] as number, a[2] as number];
      yield op('fail', p.process, p.invoke);
      continue;
    }
    const done: EdnValue[][] = [];
    executed++;
    for (const m of p.invoke) {
      const k = m[1] as number;
      const list = lists.get(k)!;
      if (m[0] === APPEND) {
        list.push(m[2] as number);
        if (staleRate > 0) {
          let at = appendedAt.get(k);
          if (at === undefined) appendedAt.set(k, (at = []));
          at.push(executed);
        }
        readCache.delete(k);
        done.push(m);
        continue;
      }
      let read = readCache.get(k);
      if (read === undefined) readCache.set(k, (read = list.slice()));
      if (staleRate > 0 && rand() < staleRate) {
        const at = appendedAt.get(k) ?? [];
        let n = at.length;
        while (n > 0 && at[n - 1] > executed - staleBy) n--;
        read = list.slice(0, n);
      }
      if (anomalyRate > 0 && rand() < anomalyRate) {
        if (aborted !== undefined && aborted[0] === k && rand() < 0.5) read = [...read, aborted[1]];
        else if (read.length > 0) read = read.slice(0, read.length - 1);
      }
      done.push([R, k, read]);
    }
    if (rand() < infoRate) {
      yield op('info', p.process, p.invoke);
      processes[slot] += concurrency;
    } else yield op('ok', p.process, done);
  }
}

/** The history of `txns` generated transactions. */
export function generateListAppend(o: GenOptions): History {
  const b = new HistoryBuilder('<generated>');
  let line = 0;
  for (const op of listAppendOps(o)) b.add(op, ++line);
  return b.build();
}

function ednMop(m: EdnValue[]): string {
  const v = m[2];
  const value = v === null ? 'nil' : Array.isArray(v) ? `[${v.join(' ')}]` : String(v);
  return `[:${(m[0] as { name: string }).name} ${String(m[1])} ${value}]`;
}

/** Writes the generated history as a Jepsen history.edn (one op map a line). */
export async function writeListAppendEdn(file: string, o: GenOptions): Promise<void> {
  const out = createWriteStream(file);
  let chunk = '';
  for (const op of listAppendOps(o)) {
    const mops = (op.value as EdnValue[][]).map(ednMop).join(' ');
    chunk += `{:index ${op.index}, :time ${op.time}, :type :${op.type}, :process ${String(op.process)}, :f :txn, :value [${mops}]}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
