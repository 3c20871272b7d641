/**
 * Three in-memory multi-version databases, each a textbook isolation level, for checking the
 * Elle checkers against histories whose guarantees are known by construction.
 *
 *   serializable        every transaction runs atomically at one instant between its
 *                       invocation and completion: strict serializability by construction.
 *   snapshot-isolation  reads come from the snapshot taken when the transaction began (plus its
 *                       own writes); at commit, first committer wins: if another transaction
 *                       committed a write to a key this one writes since the snapshot, abort.
 *   read-committed      each read sees the latest committed state at that moment; writes take a
 *                       per-key lock held until commit (no-wait: a conflicting writer aborts)
 *                       and are installed at commit. No read locks, no snapshot.
 *
 * The store keeps every committed version of every key with its commit timestamp. Keys hold a
 * list (list-append) or a single value (rw-register); both workloads share the engines.
 */

export type Workload = 'list-append' | 'rw-register';
export type Isolation = 'serializable' | 'snapshot-isolation' | 'read-committed';
/** A key's state: the list so far (list-append) or the register's value (rw-register). */
export type KeyState = readonly number[] | number | null;

/** A micro-op to run: a read, or a write (append for list-append) of a unique value. */
export interface MopSpec {
  read: boolean;
  key: number;
  value: number;
}

export interface Txn {
  mops: MopSpec[];
  /** What each read returned (undefined for writes and reads not yet run). */
  results: (KeyState | undefined)[];
  /** For each read, the commit timestamp of the committed version it was based on (0: initial). */
  readTs: (number | undefined)[];
  /** When it committed (its writes' version timestamp), if it did. */
  commitTs?: number;
  /** Micro-ops run so far. */
  pc: number;
  begun: boolean;
  writes: Map<number, KeyState>;
  startTs: number;
}

export function newTxn(mops: MopSpec[]): Txn {
  return { mops, results: new Array<KeyState | undefined>(mops.length), readTs: new Array<number | undefined>(mops.length), pc: 0, begun: false, writes: new Map(), startTs: 0 };
}

export class Store {
  private readonly versions = new Map<number, { ts: number; state: KeyState }[]>();
  clock = 0;

  latest(k: number): KeyState {
    const v = this.versions.get(k);
    return v === undefined ? null : v[v.length - 1].state;
  }

  latestTs(k: number): number {
    const v = this.versions.get(k);
    return v === undefined ? 0 : v[v.length - 1].ts;
  }

  /** The state of k as of timestamp ts, and the timestamp of that version (0: initial). */
  at(k: number, ts: number): [KeyState, number] {
    const v = this.versions.get(k);
    if (v === undefined) return [null, 0];
    for (let i = v.length - 1; i >= 0; i--) if (v[i].ts <= ts) return [v[i].state, v[i].ts];
    return [null, 0];
  }

  /** The latest committed state of k and its timestamp. */
  current(k: number): [KeyState, number] {
    return [this.latest(k), this.latestTs(k)];
  }

  install(writes: Map<number, KeyState>): number {
    const ts = ++this.clock;
    for (const [k, state] of writes) {
      let v = this.versions.get(k);
      if (v === undefined) this.versions.set(k, (v = []));
      v.push({ ts, state });
    }
    return ts;
  }
}

function applyWrite(workload: Workload, base: KeyState, value: number): KeyState {
  if (workload === 'rw-register') return value;
  return [...((base as readonly number[] | null) ?? []), value];
}

export type Step = 'running' | 'committed' | 'aborted';

export interface Engine {
  /** Runs the transaction's next piece of work. */
  advance(t: Txn): Step;
  /** Gives the transaction up before commit (client abort or crash): release what it holds. */
  abort(t: Txn): void;
}

/**
 * Runs one micro-op, reading committed state through `readState` and buffering writes. A read
 * of a key the transaction wrote sees its own writes on top of the committed version.
 */
function runMop(workload: Workload, t: Txn, readState: (k: number) => [KeyState, number]): void {
  const i = t.pc++;
  const m = t.mops[i];
  const [committed, ts] = readState(m.key);
  const own = t.writes.get(m.key);
  const base = own !== undefined ? own : committed;
  if (m.read) {
    t.results[i] = base;
    t.readTs[i] = ts;
  } else t.writes.set(m.key, applyWrite(workload, base, m.value));
}

export function makeEngine(isolation: Isolation, workload: Workload, store: Store): Engine {
  switch (isolation) {
    case 'serializable':
      return {
        advance(t) {
          while (t.pc < t.mops.length) runMop(workload, t, (k) => store.current(k));
          t.commitTs = store.install(t.writes);
          return 'committed';
        },
        abort() {},
      };
    case 'snapshot-isolation':
      return {
        advance(t) {
          if (!t.begun) {
            t.begun = true;
            t.startTs = store.clock;
            return 'running';
          }
          if (t.pc < t.mops.length) {
            runMop(workload, t, (k) => store.at(k, t.startTs));
            return 'running';
          }
          for (const k of t.writes.keys()) if (store.latestTs(k) > t.startTs) return 'aborted';
          t.commitTs = store.install(t.writes);
          return 'committed';
        },
        abort() {},
      };
    case 'read-committed': {
      const locks = new Map<number, Txn>();
      const release = (t: Txn) => {
        for (const k of t.writes.keys()) if (locks.get(k) === t) locks.delete(k);
      };
      return {
        advance(t) {
          if (t.pc < t.mops.length) {
            const m = t.mops[t.pc];
            if (!m.read) {
              const holder = locks.get(m.key);
              if (holder !== undefined && holder !== t) {
                release(t);
                return 'aborted';
              }
              locks.set(m.key, t);
            }
            runMop(workload, t, (k) => store.current(k));
            return 'running';
          }
          t.commitTs = store.install(t.writes);
          release(t);
          return 'committed';
        },
        abort: release,
      };
    }
  }
}
