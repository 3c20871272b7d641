/**
 * Transactional workloads for Elle: `list-append` (micro-ops `[:append k x]`, `[:r k list]`) and
 * `rw-register` (`[:w k x]`, `[:r k x]`), Jepsen's `:f :txn` ops.
 *
 * The database runs each transaction atomically at the moment it takes effect, which lies
 * between its invocation and its completion: strict serializability by construction. A
 * transaction is sometimes refused (:fail, no effect). Written values are unique per key, and a
 * key is retired after 32 writes and replaced by a fresh one, as Jepsen's generators do, so that
 * reads stay short however long the run: `keys` is the number of live keys.
 *
 * Anomalies are scripted on keys of their own (txn-anomalies.ts). For benchmarks, a TxnShape
 * changes those numbers and TxnFaults make a list-append database answer some reads wrongly
 * at random (a lagging replica, a lost or an aborted append), as bench:elle's histories need.
 */
import { type EdnValue, type Keyword, kw } from '../edn/values.js';
import type { Completion, Invocation, Script, SimDb } from './clients.js';
import type { SeededRandom as Rng } from '../util/random.js';
import { TXN_SCRIPTS, type TxnAnomaly } from './txn-anomalies.js';
import type { WorkloadName } from '../elle/workload.js';

/** The transactional workloads: the names Elle's checkers go by. */
export type TxnGenWorkload = WorkloadName;

/** The keywords of transactional ops: `:f :txn`, micro-op kinds, and a refusal's `:error`. */
export const TXN = kw('txn');
export const R = kw('r');
export const APPEND = kw('append');
export const W = kw('w');
export const ABORTED = kw('aborted');

/** What transactions look like; each default is `hindsight gen`'s. Verdict-neutral. */
export interface TxnShape {
  /** Writes a key takes before it is retired and a fresh key takes its place (32). */
  writesPerKey?: number;
  /** Micro-ops per transaction, at most (4); each is a read or a write, evenly. */
  maxMops?: number;
  /** Chance the database refuses a transaction (:fail, no effect) (0.01). */
  failRate?: number;
}

/**
 * Random faults of a list-append database, for benchmarks: the history is then meant to be
 * invalid, but unlike a scripted anomaly no particular anomaly is certain (a short history
 * may show none).
 */
export interface TxnFaults {
  /** Chance per read of a lagging replica's answer: the key as it was `staleBy` transactions ago. */
  staleRate?: number;
  /** How far the lagging replica is behind, in transactions (1000). */
  staleBy?: number;
  /** Chance per read of a broken answer: the latest append missing or, now and then, an aborted append shown. */
  brokenReadRate?: number;
}

interface Mop {
  read: boolean;
  key: number;
  value: number;
}

interface TxnInvocation extends Invocation {
  mops: Mop[];
}

/** A key's state: its list (list-append) or its register (rw-register; null: never written). */
export type KeyState = number[] | number | null;

/** The database: every transaction atomic at the moment it takes effect (`apply`). */
export class TxnDb implements SimDb<TxnInvocation> {
  /** Each key's state, by key. */
  readonly state = new Map<number, KeyState>();
  /** The live keys, and the next value to write to each. */
  private readonly live: number[];
  private readonly nextValue = new Map<number, number>();
  private nextKey: number;
  private readonly write: Keyword;
  readonly scriptOps: number;
  private readonly script?: (db: TxnDb, s: Script) => void;
  private readonly writesPerKey: number;
  private readonly maxMops: number;
  private readonly failRate: number;
  private readonly faults: Required<TxnFaults>;
  /**
   * The last read of each list, shared by reads until the list changes, as hindsight's reader
   * shares equal small vectors: the History then has the reader's heap shape (fewer live
   * objects, less garbage-collection work for the checker than one copy per read).
   */
  private readonly lastRead = new Map<number, number[]>();
  /** Transactions applied so far, and when (in that count) each key's elements were appended: for stale reads. */
  private applied = 0;
  private readonly appendedAt = new Map<number, number[]>();
  /** The first append of the latest refused transaction, [key, value]: for broken reads. */
  private aborted: [number, number] | undefined;

  /** `keys` live keys; an anomaly from TXN_SCRIPTS (throws if the workload has none of that name). */
  constructor(
    readonly workload: TxnGenWorkload,
    keys: number,
    anomaly?: TxnAnomaly,
    shape: TxnShape = {},
    faults: TxnFaults = {},
  ) {
    this.writesPerKey = shape.writesPerKey ?? 32;
    this.maxMops = shape.maxMops ?? 4;
    this.failRate = shape.failRate ?? 0.01;
    this.faults = { staleRate: faults.staleRate ?? 0, staleBy: faults.staleBy ?? 1000, brokenReadRate: faults.brokenReadRate ?? 0 };
    this.live = Array.from({ length: keys }, (_, k) => k);
    for (const k of this.live) this.nextValue.set(k, 1);
    this.nextKey = keys;
    this.write = workload === 'list-append' ? APPEND : W;
    const sc = anomaly === undefined ? undefined : TXN_SCRIPTS[workload][anomaly];
    if (anomaly !== undefined && sc === undefined) throw new Error(`${workload} has no anomaly ${anomaly}`);
    this.scriptOps = sc?.ops ?? 0;
    this.script = sc?.run;
  }

  /** A key no transaction has touched (for anomaly scripts). */
  freshKey(): number {
    return this.nextKey++;
  }

  /** A new transaction on the live keys; a key that reaches its share of writes is retired. */
  invoke(rng: Rng): TxnInvocation {
    const n = 1 + rng.int(this.maxMops);
    const mops: Mop[] = [];
    for (let i = 0; i < n; i++) {
      const slot = rng.int(this.live.length);
      const key = this.live[slot];
      if (rng.chance(0.5)) mops.push({ read: true, key, value: 0 });
      else {
        const value = this.nextValue.get(key)!;
        this.nextValue.set(key, value + 1);
        if (value >= this.writesPerKey) {
          // Reads of the retired key (by transactions in flight) are rare now: stop keeping its last one.
          this.lastRead.delete(key);
          this.live[slot] = this.nextKey;
          this.nextValue.set(this.nextKey++, 1);
        }
        mops.push({ read: false, key, value });
      }
    }
    return { f: TXN, value: mops.map((m) => (m.read ? [R, m.key, null] : [this.write, m.key, m.value])), mops };
  }

  /** Runs the transaction atomically now (or refuses it): the micro-ops as completed. */
  apply(inv: TxnInvocation, rng: Rng): Completion {
    if (rng.chance(this.failRate)) {
      const a = inv.mops.find((m) => !m.read);
      if (a !== undefined) this.aborted = [a.key, a.value];
      return { type: 'fail', value: inv.value, error: ABORTED };
    }
    const append = this.workload === 'list-append';
    const stale = this.faults.staleRate > 0;
    if (stale) this.applied++;
    const written = inv.value as EdnValue[];
    const value: EdnValue[] = inv.mops.map((m, i) => {
      const cur = this.state.get(m.key) ?? null;
      if (m.read) return [R, m.key, append ? this.readList(m.key, cur as number[] | null, rng) : cur];
      if (append) {
        if (cur === null) this.state.set(m.key, [m.value]);
        else (cur as number[]).push(m.value);
        this.lastRead.delete(m.key);
        if (stale) {
          const at = this.appendedAt.get(m.key);
          if (at === undefined) this.appendedAt.set(m.key, [this.applied]);
          else at.push(this.applied);
        }
      } else this.state.set(m.key, m.value);
      return written[i]; // the same micro-op as invoked
    });
    return { type: 'ok', value };
  }

  /** What a read of list `cur` returns: the list (shared until it changes), or a fault's answer. */
  private readList(key: number, cur: number[] | null, rng: Rng): number[] {
    let read = this.lastRead.get(key);
    // An append drops the key's entry; the length check guards a state an anomaly script set.
    if (read === undefined || read.length !== (cur?.length ?? 0)) {
      read = cur === null ? [] : cur.slice();
      this.lastRead.set(key, read);
    }
    const f = this.faults;
    if (f.staleRate > 0 && rng.chance(f.staleRate)) {
      // The replica has the appends of transactions at least staleBy before this one.
      const at = this.appendedAt.get(key) ?? [];
      let n = at.length;
      while (n > 0 && at[n - 1] > this.applied - f.staleBy) n--;
      read = read.slice(0, n);
    }
    if (f.brokenReadRate > 0 && rng.chance(f.brokenReadRate)) {
      if (this.aborted !== undefined && this.aborted[0] === key && rng.chance(0.5)) read = [...read, this.aborted[1]];
      else if (read.length > 0) read = read.slice(0, read.length - 1);
    }
    return read;
  }

  /** Writes the anomaly's script, if one was asked for. */
  inject(s: Script): void {
    this.script?.(this, s);
  }
}
