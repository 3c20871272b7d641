/**
 * The shared scheduler: `concurrency` Jepsen client processes driving one simulated database.
 *
 * Each step picks a process at random and moves its operation on by one stage:
 *
 *   idle     → invoke a new op (the workload chooses it)              → :invoke
 *   invoked  → the op takes effect at the database (`apply`), which is its linearization point
 *              (or its commit), somewhere between invocation and completion
 *   applied  → the client hears the answer                             → :ok / :fail
 *
 * so several processes are in flight at once and their invocations, effects and completions
 * interleave. Now and then a client crashes (:info, with the invocation's value): before the
 * op took effect (it may or may not take effect, chosen at random) or after (the answer was
 * lost). As in Jepsen, a crashed process never comes back: its slot continues as process
 * `p + concurrency`. Nemesis ops (`:process :nemesis`, `:type :info`) appear in pairs now and
 * then; checkers must ignore them.
 *
 * A correct database yields a valid history. To inject an anomaly, the scheduler stops
 * invoking at the chosen point, lets every op in flight finish, and hands the quiet database to
 * the workload's script, which writes a few ops that exhibit the fault (and leaves the database
 * in a state the rest of the run continues from). Quiet, so that nothing concurrent can explain
 * the fault away: each injected anomaly is certain, not likely.
 *
 * The history has exactly `ops` entries (lines) when `ops` is even and at least the script's
 * size: invocations stop when the rest of the budget is needed for completions (and for the
 * workload's final ops, such as a final read of every key).
 */
import { type EdnMap, type EdnValue, type Keyword, kw } from '../edn/values.js';
import type { OpInput } from '../history/op.js';
import { SeededRandom as Rng } from '../util/random.js';

/** What a client asks the database to do. */
export interface Invocation {
  f: Keyword;
  /** The invocation's :value (a read's is nil, or `[k nil]` with independent keys). */
  value: EdnValue;
  /** Other op fields, e.g. Porcupine's `:key`. */
  extra?: EdnMap;
}

/** What the database answers. */
export interface Completion {
  type: 'ok' | 'fail';
  value: EdnValue;
  error?: EdnValue;
}

/** A simulated database together with the client workload that drives it. */
export interface SimDb<I extends Invocation = Invocation> {
  /** The next op a client invokes. */
  invoke(rng: Rng): I;
  /** The op takes effect (or is refused): what the client hears, if it hears anything. */
  apply(inv: I, rng: Rng): Completion;
  /** History entries the anomaly's script writes (reserved from the budget). */
  readonly scriptOps: number;
  /** Writes the anomaly: called once, with no op in flight. */
  inject(script: Script): void;
  /** History entries `finish` writes (reserved from the budget). */
  readonly finalOps?: number;
  /** Writes the last ops (Jepsen's final reads), with no op in flight. */
  finish?(script: Script): void;
}

/** The anomaly script's handle on the clients: slot numbers 0 … slots-1 name processes. */
export interface Script {
  readonly slots: number;
  readonly rng: Rng;
  invoke(slot: number, f: Keyword, value: EdnValue, extra?: EdnMap): void;
  /** Completes the slot's op: ok/fail with a value, or info (the process crashes). */
  complete(slot: number, c: Completion | { type: 'info' }): void;
}

/** How often faults outside the database happen. */
export interface Rates {
  /** Per step of an op in flight, the chance its client crashes (:info). */
  crash: number;
  /** Per step, the chance of a nemesis op pair. */
  nemesis: number;
}

/** The rates `hindsight gen` uses. */
export const DEFAULT_RATES: Rates = { crash: 0.003, nemesis: 0.001 };

/** One run of the scheduler. */
export interface RunConfig {
  ops: number;
  concurrency: number;
  seed: number;
  /** Inject the workload's anomaly script at this fraction of the history; undefined: none. */
  anomalyAt?: number;
  rates?: Partial<Rates>;
}

const NEMESIS = kw('nemesis');
const TIMEOUT = kw('timeout');
const NEMESIS_FS = [kw('start-partition'), kw('stop-partition')];
const MAJORITY = kw('majority');
const ISOLATED = kw('isolated');
const HEALED = kw('network-healed');

interface Slot<I extends Invocation> {
  process: number;
  inv: I | undefined;
  result: Completion | undefined;
}

/** The history of `db` under `cfg`, op by op (lazily: a caller can stream it). */
export function* runClients<I extends Invocation>(db: SimDb<I>, cfg: RunConfig): Generator<OpInput> {
  const rng = new Rng(cfg.seed);
  const rates: Rates = { ...DEFAULT_RATES, ...cfg.rates };
  const C = Math.max(1, Math.floor(cfg.concurrency));
  const slots: Slot<I>[] = Array.from({ length: C }, (_, p) => ({ process: p, inv: undefined, result: undefined }));
  const out: OpInput[] = [];
  let emitted = 0;
  let inflight = 0;
  let time = 0;
  let injected = cfg.anomalyAt === undefined;
  const injectAt = cfg.anomalyAt === undefined ? Infinity : Math.floor(cfg.anomalyAt * cfg.ops);
  let nemesisOn = false;

  const emit = (op: OpInput): void => {
    time += 1 + rng.int(2_000_000);
    op.index = emitted++;
    op.time = time;
    out.push(op);
  };
  const invokeOn = (s: Slot<Invocation>, inv: Invocation): void => {
    s.inv = inv as I;
    s.result = undefined;
    inflight++;
    emit(opOf(inv, 'invoke', s.process, inv.value));
  };
  const completeOn = (s: Slot<Invocation>, c: Completion | { type: 'info' }): void => {
    const inv = s.inv!;
    if (c.type === 'info') {
      emit(opOf(inv, 'info', s.process, inv.value, TIMEOUT));
      s.process += C;
    } else emit(opOf(inv, c.type, s.process, c.value, c.error));
    s.inv = undefined;
    s.result = undefined;
    inflight--;
  };
  const script: Script = {
    slots: C,
    rng,
    invoke: (slot, f, value, extra) => {
      const s = slots[slot];
      if (s.inv !== undefined) throw new Error(`gen: script invoked on busy slot ${slot}`);
      invokeOn(s, extra === undefined ? { f, value } : { f, value, extra });
    },
    complete: (slot, c) => {
      const s = slots[slot];
      if (s.inv === undefined) throw new Error(`gen: script completed idle slot ${slot}`);
      completeOn(s, c);
    },
  };
  // The final ops are kept room for only if the budget has room for them and one more op.
  const finalOps = (db.finalOps ?? 0) + 2 <= cfg.ops ? (db.finalOps ?? 0) : 0;
  const reserve = (): number => (injected ? 0 : db.scriptOps) + finalOps;
  const canInvoke = (extra: number): boolean => emitted + 2 * inflight + extra + reserve() <= cfg.ops;

  for (;;) {
    const draining = !injected && emitted + 2 * inflight >= injectAt;
    if (!injected && inflight === 0 && (draining || !canInvoke(2))) {
      db.inject(script);
      injected = true;
    } else if (inflight === 0 && !canInvoke(2)) {
      if (finalOps > 0) db.finish?.(script);
      for (let i = 0; i < out.length; i++) yield out[i];
      break;
    } else if (rates.nemesis > 0 && rng.chance(rates.nemesis)) {
      if (!draining && canInvoke(2)) {
        const f = NEMESIS_FS[nemesisOn ? 1 : 0];
        emit({ index: 0, time: 0, type: 'info', process: NEMESIS, f, value: nemesisOn ? null : MAJORITY });
        emit({ index: 0, time: 0, type: 'info', process: NEMESIS, f, value: nemesisOn ? HEALED : [ISOLATED, 'n1'] });
        nemesisOn = !nemesisOn;
      }
    } else {
      const s = slots[rng.int(C)];
      if (s.inv === undefined) {
        if (!draining && canInvoke(2)) invokeOn(s, db.invoke(rng));
      } else if (rng.chance(rates.crash)) {
        // Crashed before hearing back; an op not yet applied may still take effect.
        if (s.result === undefined && rng.chance(0.5)) db.apply(s.inv, rng);
        completeOn(s, { type: 'info' });
      } else if (s.result === undefined) s.result = db.apply(s.inv, rng);
      else completeOn(s, s.result);
    }
    if (out.length > 0) {
      for (let i = 0; i < out.length; i++) yield out[i];
      out.length = 0;
    }
  }
}

/** An op; index and time are set when it is emitted (declared here so all ops share one shape). */
function opOf(inv: Invocation, type: OpInput['type'], process: number, value: EdnValue, error?: EdnValue): OpInput {
  const op: OpInput = { index: 0, time: 0, type, process, f: inv.f, value };
  if (inv.extra !== undefined) op.extra = inv.extra;
  if (error !== undefined) op.error = error;
  return op;
}
