/**
 * Runs a generator against a simulated system with virtual time: every op completes after
 * `latency` ns with the outcome `complete` gives it. No database, no wall clock — so tests can
 * check what a generator emits, and that a seed always gives the same ops.
 */
import type { EdnValue } from '../../analyzer/edn/values.js';
import { type GenEvent, type GenLike, type Thread } from './core.js';
import { LOG, SLEEP, gen } from './combinators.js';
import { randomFunction } from '../../analyzer/util/random.js';
import { Threads } from './context.js';

/** The simulated system `simulate` runs a generator against. */
export interface SimulateOptions {
  /** Client threads. */
  concurrency: number;
  /** Add the nemesis thread. */
  nemesis?: boolean;
  /** Seed of the context's random source (default 0). */
  seed?: number;
  /** Virtual ns each op takes (default 1 ms). */
  latency?: number;
  /** The completion of an invocation (default ok with the same value). */
  complete?: (e: GenEvent) => { type: 'ok' | 'fail' | 'info'; value?: EdnValue };
  /** Stop after this many events (guards against infinite generators). */
  maxEvents?: number;
}

/** The invocations and completions, in time order. */
export function simulate(g: GenLike, o: SimulateOptions): GenEvent[] {
  const random = randomFunction(o.seed ?? 0, 'raw');
  const latency = o.latency ?? 1e6;
  const threads = new Threads(o.concurrency, o.nemesis ?? false);
  const out: GenEvent[] = [];
  let cur = gen(g);
  let now = 0;
  // Pending completions, ordered by time then thread.
  const inflight: Array<{ time: number; thread: Thread; event: GenEvent | null }> = [];
  const max = o.maxEvents ?? 100_000;
  while (out.length < max) {
    const ctx = threads.context(now, random);
    const r = cur === null ? null : cur.op(ctx);
    const nextDone = inflight.length > 0 ? inflight.reduce((a, b) => (b.time < a.time ? b : a)) : undefined;
    if (r === null || r === 'pending' || (nextDone !== undefined && nextDone.time <= r.op.time)) {
      if (nextDone === undefined) break;
      inflight.splice(inflight.indexOf(nextDone), 1);
      now = Math.max(now, nextDone.time);
      threads.setBusy(nextDone.thread, false);
      if (nextDone.event === null) continue;
      out.push(nextDone.event);
      if (cur !== null) cur = cur.update(threads.context(now, random), nextDone.event);
      if (nextDone.event.type === 'info') threads.retire(nextDone.thread);
      continue;
    }
    now = Math.max(now, r.op.time);
    cur = r.next;
    const thread = threads.threadOf(r.op.process)!;
    if (r.op.f === LOG) continue;
    threads.setBusy(thread, true);
    if (r.op.f === SLEEP) {
      inflight.push({ time: now + Number(r.op.value) * 1e9, thread, event: null });
      continue;
    }
    const inv: GenEvent = { type: 'invoke', process: r.op.process, f: r.op.f, value: r.op.value, time: now };
    out.push(inv);
    if (cur !== null) cur = cur.update(threads.context(now, random), inv);
    const c = o.complete?.(inv) ?? { type: r.op.process === 'nemesis' ? 'info' as const : 'ok' as const };
    inflight.push({ time: now + latency, thread, event: { type: c.type, process: inv.process, f: inv.f, value: c.value ?? inv.value, time: now + latency } });
  }
  return out;
}
