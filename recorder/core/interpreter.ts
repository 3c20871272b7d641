/**
 * The run loop: asks the generator for ops and hands each to its worker thread, in real time.
 *
 * One loop owns the generator. Each worker thread runs one op at a time (invoke → await the
 * completion); the loop records the invocation, starts the op, and goes back to the generator
 * until it is exhausted and every thread is idle. Completions are queued by the workers and fed
 * back to the generator by the loop, so the generator is only ever touched by one caller. An op
 * with no completion after `opTimeoutMs` is recorded `info :timeout`; an `info` retires the
 * process (its thread continues as process + concurrency with a fresh client).
 */
import { type EdnValue, kw } from '../../analyzer/edn/values.js';
import type { Op } from '../../analyzer/history/op.js';
import type { GenEvent, GenOp, Generator, Random, Thread } from '../generator/core.js';
import { LOG, SLEEP } from '../generator/combinators.js';
import { Threads } from '../generator/context.js';
import type { Completion, Invocation } from './types.js';

/** What `interpret` runs ops against: the workers' clients and nemesis, the clock, and the journal. */
export interface InterpreterEnv {
  concurrency: number;
  withNemesis: boolean;
  random: Random;
  /** ns since the test began. */
  now(): number;
  opTimeoutMs: number;
  /** Runs a client op on a thread as a process. */
  invokeClient(thread: number, op: Invocation): Promise<Completion>;
  invokeNemesis(op: Invocation): Promise<Completion>;
  /** A process retired after `info`: release its client. */
  retired(thread: number, process: number): void;
  record(op: Omit<Op, 'index'>): void;
  log(message: string): void;
  /** Stops asking the generator for ops (outstanding ones still finish or time out). */
  signal?: AbortSignal;
}

interface Done {
  thread: Thread;
  op: GenOp;
  c: Completion | null;
}

function timeout(ms: number): { promise: Promise<Completion>; cancel: () => void } {
  let t: NodeJS.Timeout;
  const promise = new Promise<Completion>((res) => {
    t = setTimeout(() => res({ type: 'info', error: kw('timeout') }), ms);
  });
  return { promise, cancel: () => clearTimeout(t) };
}

function describeError(e: unknown): EdnValue {
  return e instanceof Error ? e.message : String(e);
}

/** Completions waiting for the loop, and a way to sleep until one arrives (or a time passes). */
class Inbox {
  private readonly items: Done[] = [];
  private wake: (() => void) | undefined;

  push(d: Done): void {
    this.items.push(d);
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  shift(): Done | undefined {
    return this.items.shift();
  }

  async waitFor(ms: number): Promise<void> {
    if (this.items.length > 0) return;
    let t: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((res) => (this.wake = res)), new Promise<void>((res) => (t = setTimeout(res, Math.max(0, ms))))]);
    clearTimeout(t);
    this.wake = undefined;
  }
}

/** The history op for `op` of `process` at `time` (the nemesis process as `:nemesis`). */
function historyOp(time: number, type: Op['type'], process: number | 'nemesis', f: string, value: EdnValue, error?: EdnValue): Omit<Op, 'index'> {
  return { time, type, process: process === 'nemesis' ? kw('nemesis') : process, f: kw(f), value, ...(error === undefined ? {} : { error }) };
}

/**
 * Runs `gen` until it is exhausted (or `env.signal` fires) and every op has completed, recording
 * each invocation and completion through `env.record`. Rejects only if the generator names a
 * process no thread runs; a client or nemesis op that throws is recorded as `info`.
 */
export async function interpret(gen: Generator | null, env: InterpreterEnv): Promise<void> {
  const threads = new Threads(env.concurrency, env.withNemesis);
  const inbox = new Inbox();

  const start = (thread: Thread, op: GenOp): void => {
    const inv: Invocation = { process: op.process, f: op.f, value: op.value };
    const run = thread === 'nemesis' ? env.invokeNemesis(inv) : env.invokeClient(thread, inv);
    const t = timeout(thread === 'nemesis' ? Math.max(env.opTimeoutMs, 60_000) : env.opTimeoutMs);
    Promise.race([run.catch((e: unknown): Completion => ({ type: 'info', error: describeError(e) })), t.promise]).then((c) => {
      t.cancel();
      inbox.push({ thread, op, c });
    });
  };

  // Threads idling in a `sleep` op: they do not keep the run alive once the generator is exhausted.
  const sleeping = new Map<Thread, NodeJS.Timeout>();

  for (;;) {
    for (let d = inbox.shift(); d !== undefined; d = inbox.shift()) {
      threads.setBusy(d.thread, false);
      if (d.c === null) {
        sleeping.delete(d.thread);
        continue; // a sleep ended
      }
      const time = env.now();
      const type = d.thread === 'nemesis' ? 'info' : d.c.type;
      const value = d.c.value === undefined ? d.op.value : d.c.value;
      env.record(historyOp(time, type, d.op.process, d.op.f, value, d.c.error));
      const event: GenEvent = { type, process: d.op.process, f: d.op.f, value, time };
      if (gen !== null) gen = gen.update(threads.context(time, env.random), event);
      if (type === 'info' && d.thread !== 'nemesis') {
        const old = d.op.process as number;
        threads.retire(d.thread);
        env.retired(d.thread, old);
      }
    }
    const now = env.now();
    const stopping = env.signal?.aborted ?? false;
    const r = gen === null || stopping ? null : gen.op(threads.context(now, env.random));
    if (r === null || r === 'pending') {
      if (r === null && threads.busyCount === sleeping.size) {
        for (const t of sleeping.values()) clearTimeout(t);
        return;
      }
      const nemesisNap = sleeping.get('nemesis');
      if (r === 'pending' && nemesisNap !== undefined && threads.busyCount === 1) {
        // Only the nemesis's schedule sleep stands in the way (a phase waits for every thread after
        // the time limit): end it now. Client sleeps (e.g. a calm period before final reads) run out.
        clearTimeout(nemesisNap);
        threads.setBusy('nemesis', false);
        sleeping.delete('nemesis');
        continue;
      }
      await inbox.waitFor(r === null ? 1000 : 10);
      continue;
    }
    if (r.op.time > now) {
      await inbox.waitFor((r.op.time - now) / 1e6);
      continue; // re-ask: a completion may have changed what comes next
    }
    gen = r.next;
    const thread = threads.threadOf(r.op.process);
    if (thread === undefined) throw new Error(`generator produced an op for unknown process ${String(r.op.process)}`);
    if (r.op.f === LOG) {
      env.log(String(r.op.value));
      continue;
    }
    threads.setBusy(thread, true);
    if (r.op.f === SLEEP) {
      const op = r.op;
      sleeping.set(thread, setTimeout(() => inbox.push({ thread, op, c: null }), Number(op.value) * 1000));
      continue;
    }
    const type = thread === 'nemesis' ? 'info' : 'invoke';
    env.record(historyOp(now, type, r.op.process, r.op.f, r.op.value));
    const event: GenEvent = { type: 'invoke', process: r.op.process, f: r.op.f, value: r.op.value, time: now };
    if (gen !== null) gen = gen.update(threads.context(now, env.random), event);
    start(thread, r.op);
  }
}
