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
 * Anomalies are scripted on keys of their own (txn-anomalies.ts).
 */
import { type EdnValue, type Keyword, kw } from '../edn/values.js';
import type { Completion, Invocation, Script, SimDb } from './clients.js';
import type { SeededRandom as Rng } from '../util/random.js';
import { TXN_SCRIPTS, type TxnAnomaly } from './txn-anomalies.js';

export type TxnWorkload = 'list-append' | 'rw-register';

export const TXN = kw('txn');
export const R = kw('r');
export const APPEND = kw('append');
export const W = kw('w');
export const ABORTED = kw('aborted');
const WRITES_PER_KEY = 32;
const MAX_MOPS = 4;

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

  constructor(
    readonly workload: TxnWorkload,
    keys: number,
    anomaly?: TxnAnomaly,
  ) {
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

  invoke(rng: Rng): TxnInvocation {
    const n = 1 + rng.int(MAX_MOPS);
    const mops: Mop[] = [];
    for (let i = 0; i < n; i++) {
      const slot = rng.int(this.live.length);
      const key = this.live[slot];
      if (rng.chance(0.5)) mops.push({ read: true, key, value: 0 });
      else {
        const value = this.nextValue.get(key)!;
        this.nextValue.set(key, value + 1);
        if (value >= WRITES_PER_KEY) {
          this.live[slot] = this.nextKey;
          this.nextValue.set(this.nextKey++, 1);
        }
        mops.push({ read: false, key, value });
      }
    }
    return { f: TXN, value: mops.map((m) => (m.read ? [R, m.key, null] : [this.write, m.key, m.value])), mops };
  }

  apply(inv: TxnInvocation, rng: Rng): Completion {
    if (rng.chance(0.01)) return { type: 'fail', value: inv.value, error: ABORTED };
    const append = this.workload === 'list-append';
    const written = inv.value as EdnValue[];
    const value: EdnValue[] = inv.mops.map((m, i) => {
      const cur = this.state.get(m.key) ?? null;
      if (m.read) return [R, m.key, append ? (cur === null ? [] : (cur as number[]).slice()) : cur];
      if (append) {
        if (cur === null) this.state.set(m.key, [m.value]);
        else (cur as number[]).push(m.value);
      } else this.state.set(m.key, m.value);
      return written[i]; // the same micro-op as invoked
    });
    return { type: 'ok', value };
  }

  inject(s: Script): void {
    this.script?.(this, s);
  }
}
