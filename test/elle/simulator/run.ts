/**
 * Runs random transactions from concurrent logical processes against one of the engines and
 * records what a Jepsen client would see: an :invoke when a transaction starts, then :ok (with
 * the values its reads returned), :fail (it certainly did not happen) or :info (the client
 * crashed: it may or may not have happened, and the process is replaced by a fresh one, as
 * Jepsen does, numbered `p + concurrency`).
 *
 * Now and then a nemesis op (`:process :nemesis`, `:type :info`) appears between them, as in
 * a real test with faults, which the checkers must ignore.
 *
 * Each scheduler step picks one process at random and moves its transaction on by one piece
 * of work, so invocations, micro-ops and commits of different processes interleave.
 */
import { type EdnValue, kw } from '../../../analyzer/edn/values.js';
import { type History, historyOf } from '../../../analyzer/history/history.js';
import type { OpInput, OpType } from '../../../analyzer/history/op.js';
import { type Engine, type Isolation, type KeyState, type MopSpec, Store, type Txn, type Workload, makeEngine, newTxn } from './engines.js';
import { SeededRandom } from '../../../analyzer/util/random.js';

export interface SimConfig {
  workload: Workload;
  isolation: Isolation;
  seed: number;
  /** Transactions to invoke in all. */
  txns: number;
  concurrency: number;
  keys: number;
  /** Micro-ops per transaction, at most. */
  maxMops: number;
  /** Chance that a transaction is empty (no micro-ops), which checkers must take in stride. */
  empty?: number;
  /** End with one transaction reading every key, once all others are done (Jepsen's final reads). */
  finalReads?: boolean;
  /**
   * Retire a key once it has been given this many writes, and use a fresh key in its place, as
   * Jepsen's list-append generator does: `keys` is then the number of live keys, and lists stay
   * short however long the run. Unlimited when absent.
   */
  writesPerKey?: number;
  /** Per step, the chance that a process with a transaction under way crashes (:info). */
  crash: number;
  /** Per step, the chance that a running transaction is aborted by its client (:fail). */
  clientAbort: number;
  /** Per step, the chance of a nemesis op (`:process :nemesis`), which checkers must ignore. */
  nemesis?: number;
}

export const DEFAULT_SIM: Omit<SimConfig, 'workload' | 'isolation' | 'seed'> = {
  txns: 20,
  concurrency: 3,
  keys: 3,
  maxMops: 4,
  crash: 0.01,
  clientAbort: 0.01,
};

const TXN = kw('txn');
const NEMESIS = kw('nemesis');
const NEMESIS_FS = [kw('start-partition'), kw('stop-partition'), kw('kill')];
const R = kw('r');

function mopValue(workload: Workload, m: MopSpec, result: KeyState | undefined): EdnValue[] {
  if (m.read) {
    const v: EdnValue = result === undefined ? null : Array.isArray(result) ? [...result] : result === null && workload === 'list-append' ? [] : (result as EdnValue);
    return [R, m.key, v];
  }
  return [kw(workload === 'list-append' ? 'append' : 'w'), m.key, m.value];
}

interface Slot {
  process: number;
  txn?: Txn;
  truth?: TxnTruth;
  committed: boolean;
}

/** What really happened to one transaction, for checking a checker's claims against. */
export interface TxnTruth {
  process: number;
  invokeIndex: number;
  completeIndex: number;
  outcome: OpType;
  /** The engine's record: micro-ops, what each read saw (`readTs`), `commitTs` if committed. */
  txn: Txn;
}

export interface SimRun {
  ops: OpInput[];
  /** Every transaction, by invocation and by completion op index. */
  byIndex: Map<number, TxnTruth>;
}

/** The ops of one simulated run. */
export function simulateOps(cfg: SimConfig): OpInput[] {
  return simulateRun(cfg).ops;
}

/** The ops of one simulated run, with the truth about each transaction. */
export function simulateRun(cfg: SimConfig): SimRun {
  const rng = new SeededRandom(cfg.seed, 'raw');
  // A separate stream, so that nemesis ops do not change which transactions a seed produces.
  const nemesisRng = new SeededRandom(cfg.seed ^ 0x5bd1e995, 'raw');
  const nemesis = cfg.nemesis ?? 0.02;
  const store = new Store();
  const engine: Engine = makeEngine(cfg.isolation, cfg.workload, store);
  const live = Array.from({ length: cfg.keys }, (_, k) => k);
  const nextValue = new Map<number, number>(live.map((k) => [k, 1]));
  let nextKey = cfg.keys;
  const slots: Slot[] = Array.from({ length: cfg.concurrency }, (_, p) => ({ process: p, committed: false }));
  const ops: OpInput[] = [];
  const byIndex = new Map<number, TxnTruth>();
  let invoked = 0;
  let time = 0;

  const emit = (slot: Slot, type: OpType, withResults: boolean) => {
    const t = slot.txn!;
    time += 1 + rng.int(1000);
    const value = t.mops.map((m, i) => mopValue(cfg.workload, m, withResults ? t.results[i] : undefined));
    ops.push({ index: ops.length, time, type, process: slot.process, f: TXN, value });
  };
  const finish = (slot: Slot, type: OpType) => {
    emit(slot, type, type === 'ok');
    const truth = slot.truth!;
    truth.completeIndex = ops.length - 1;
    truth.outcome = type;
    byIndex.set(truth.completeIndex, truth);
    if (type === 'info') slot.process += cfg.concurrency;
    slot.txn = undefined;
    slot.truth = undefined;
    slot.committed = false;
  };
  const generate = (): MopSpec[] => {
    const n = cfg.empty !== undefined && rng.chance(cfg.empty) ? 0 : 1 + rng.int(cfg.maxMops);
    return Array.from({ length: n }, () => {
      const slot = rng.int(cfg.keys);
      const key = live[slot];
      const read = rng.chance(0.5);
      if (read) return { read, key, value: 0 };
      const value = nextValue.get(key)!;
      nextValue.set(key, value + 1);
      if (cfg.writesPerKey !== undefined && value >= cfg.writesPerKey) {
        live[slot] = nextKey;
        nextValue.set(nextKey++, 1);
      }
      return { read, key, value };
    });
  };

  while (invoked < cfg.txns || slots.some((s) => s.txn !== undefined)) {
    if (nemesisRng.chance(nemesis)) {
      time += 1 + nemesisRng.int(1000);
      const f = NEMESIS_FS[nemesisRng.int(NEMESIS_FS.length)];
      ops.push({ index: ops.length, time, type: 'info', process: NEMESIS, f, value: nemesisRng.chance(0.5) ? null : [kw('isolated'), 'n1'] });
    }
    const slot = slots[rng.int(slots.length)];
    if (slot.txn === undefined) {
      if (invoked >= cfg.txns) continue;
      invoked++;
      slot.txn = newTxn(generate());
      emit(slot, 'invoke', false);
      slot.truth = { process: slot.process, invokeIndex: ops.length - 1, completeIndex: -1, outcome: 'info', txn: slot.txn };
      byIndex.set(slot.truth.invokeIndex, slot.truth);
      continue;
    }
    if (rng.chance(cfg.crash)) {
      if (!slot.committed) engine.abort(slot.txn);
      finish(slot, 'info');
      continue;
    }
    if (slot.committed) {
      finish(slot, 'ok');
      continue;
    }
    if (rng.chance(cfg.clientAbort)) {
      engine.abort(slot.txn);
      finish(slot, 'fail');
      continue;
    }
    const step = engine.advance(slot.txn);
    if (step === 'aborted') finish(slot, 'fail');
    else if (step === 'committed') {
      slot.committed = true;
      // Sometimes the client hears back at once, sometimes only after others moved on.
      if (rng.chance(0.5)) finish(slot, 'ok');
    }
  }
  if (cfg.finalReads === true) {
    const slot = slots[0];
    slot.txn = newTxn(Array.from({ length: nextKey }, (_, key) => ({ read: true, key, value: 0 })));
    emit(slot, 'invoke', false);
    slot.truth = { process: slot.process, invokeIndex: ops.length - 1, completeIndex: -1, outcome: 'info', txn: slot.txn };
    byIndex.set(slot.truth.invokeIndex, slot.truth);
    // Nothing else runs now, so it cannot conflict: run it to its commit.
    while (engine.advance(slot.txn) === 'running');
    finish(slot, 'ok');
  }
  return { ops, byIndex };
}

/** A simulated run as a History. */
export function simulate(cfg: SimConfig): History {
  return historyOf(simulateOps(cfg));
}
