/**
 * Thread bookkeeping shared by the interpreter and the simulator: which process each worker
 * thread runs as, which threads are busy, and the `GenContext` built from that. A thread whose
 * op completes `info` gets a fresh process id (old id + concurrency), as in Jepsen, because the
 * old process may still be acting on the database.
 */
import type { GenContext, Random, Thread } from './core.js';

/**
 * The worker threads of one run (clients `0…concurrency-1`, plus `nemesis` if asked): the process
 * each runs as and which are busy.
 */
export class Threads {
  /** Every thread, clients first. */
  readonly all: readonly Thread[];
  private readonly processes = new Map<Thread, number | 'nemesis'>();
  private readonly byProcess = new Map<number | 'nemesis', Thread>();
  private readonly busy = new Set<Thread>();

  constructor(readonly concurrency: number, withNemesis: boolean) {
    const all: Thread[] = [];
    for (let t = 0; t < concurrency; t++) all.push(t);
    if (withNemesis) all.push('nemesis');
    this.all = all;
    for (const t of all) this.assign(t, t);
  }

  private assign(t: Thread, p: number | 'nemesis'): void {
    const old = this.processes.get(t);
    if (old !== undefined) this.byProcess.delete(old);
    this.processes.set(t, p);
    this.byProcess.set(p, t);
  }

  /** The process thread `t` runs as now. */
  processOf(t: Thread): number | 'nemesis' {
    return this.processes.get(t)!;
  }

  /** The thread running process `p`; undefined for a retired or unknown process. */
  threadOf(p: number | 'nemesis'): Thread | undefined {
    return this.byProcess.get(p);
  }

  /** Whether `t` is running an op (or sleeping). */
  isBusy(t: Thread): boolean {
    return this.busy.has(t);
  }

  /** How many threads are busy. */
  get busyCount(): number {
    return this.busy.size;
  }

  /** Marks `t` busy or idle. */
  setBusy(t: Thread, b: boolean): void {
    if (b) this.busy.add(t);
    else this.busy.delete(t);
  }

  /** After an `info` completion: the thread continues as a new process. Returns the new id. */
  retire(t: Thread): number | 'nemesis' {
    const p = this.processOf(t);
    if (p === 'nemesis') return p;
    const fresh = p + this.concurrency;
    this.assign(t, fresh);
    return fresh;
  }

  /** The `GenContext` at `time`: every thread, the idle ones free. */
  context(time: number, random: Random): GenContext {
    return {
      time,
      threads: this.all,
      free: this.all.filter((t) => !this.busy.has(t)),
      processOf: (t) => this.processOf(t),
      threadOf: (p) => this.threadOf(p),
      random,
    };
  }
}
