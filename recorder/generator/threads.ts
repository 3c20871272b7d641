/**
 * Routing generators to worker threads: restricting a generator to some threads (clients only,
 * the nemesis, a reserved few), running several side by side, and a private copy per thread.
 */
import { type GenContext, type GenEvent, type GenLike, type GenOp, type GenResult, type Generator, type Thread } from './core.js';
import { gen } from './base.js';

/** A context limited to some threads. */
export function restrict(ctx: GenContext, threads: readonly Thread[]): GenContext {
  const set = new Set(threads);
  return {
    time: ctx.time,
    threads,
    free: ctx.free.filter((t) => set.has(t)),
    processOf: ctx.processOf,
    threadOf: ctx.threadOf,
    random: ctx.random,
  };
}

function soonest(a: GenResult, b: GenResult): 0 | 1 | -1 {
  const ao = a !== null && a !== 'pending';
  const bo = b !== null && b !== 'pending';
  if (ao && bo) return (b as { op: GenOp }).op.time < (a as { op: GenOp }).op.time ? 1 : 0;
  return ao ? 0 : bo ? 1 : -1;
}

/** `g` only on the threads `pred` accepts; events from other threads are not shown to it. */
export function onThreads(pred: (t: Thread) => boolean, g: GenLike): Generator | null {
  const inner = gen(g);
  return inner === null ? null : new OnThreads(pred, inner);
}

class OnThreads implements Generator {
  constructor(private readonly pred: (t: Thread) => boolean, private readonly g: Generator) {}
  op(ctx: GenContext): GenResult {
    const r = this.g.op(restrict(ctx, ctx.threads.filter(this.pred)));
    if (r === null || r === 'pending') return r;
    return { op: r.op, next: r.next === null ? null : new OnThreads(this.pred, r.next) };
  }
  update(ctx: GenContext, e: GenEvent): Generator | null {
    const t = ctx.threadOf(e.process);
    if (t === undefined || !this.pred(t)) return this;
    const g = this.g.update(restrict(ctx, ctx.threads.filter(this.pred)), e);
    return g === null ? null : new OnThreads(this.pred, g);
  }
}

/** Client threads only. */
export function clients(g: GenLike): Generator | null {
  return onThreads((t) => t !== 'nemesis', g);
}

/** Several generators at once; the op due soonest wins (Jepsen's `any`). Exhausted when all are. */
export function any(...gs: Array<Generator | null>): Generator | null {
  const list = gs.filter((g): g is Generator => g !== null);
  return list.length === 0 ? null : new Any(list);
}

class Any implements Generator {
  constructor(private readonly gs: readonly Generator[]) {}
  op(ctx: GenContext): GenResult {
    let best = -1;
    let bestR: GenResult = null;
    let pending = false;
    for (let i = 0; i < this.gs.length; i++) {
      const r = this.gs[i].op(ctx);
      if (r === 'pending') pending = true;
      if (soonest(bestR, r) === 1) {
        best = i;
        bestR = r;
      }
    }
    if (best < 0) return pending ? 'pending' : null;
    const r = bestR as { op: GenOp; next: Generator | null };
    const next = r.next === null ? this.gs.filter((_, j) => j !== best) : this.gs.map((g, j) => (j === best ? r.next! : g));
    return { op: r.op, next: next.length === 0 ? null : new Any(next) };
  }
  update(ctx: GenContext, e: GenEvent): Generator | null {
    return any(...this.gs.map((g) => g.update(ctx, e)));
  }
}

/** The nemesis schedule on the nemesis thread alongside `clientGen` on the client threads. */
export function nemesis(nemesisGen: GenLike, clientGen?: GenLike): Generator | null {
  return any(onThreads((t) => t === 'nemesis', nemesisGen), clientGen === undefined ? null : clients(clientGen));
}

/** The first `n` client threads run `reserved`, the others `rest` (e.g. a few readers only). */
export function reserve(n: number, reserved: GenLike, rest: GenLike): Generator | null {
  return any(
    onThreads((t) => t !== 'nemesis' && t < n, reserved),
    onThreads((t) => t !== 'nemesis' && t >= n, rest),
  );
}

/** Every thread runs its own copy of `g` (e.g. each thread writes once, then reads once). */
export function eachThread(g: GenLike): Generator | null {
  const inner = gen(g);
  return inner === null ? null : new EachThread(inner, new Map());
}

class EachThread implements Generator {
  /** `per` holds each thread's advanced copy; threads absent from it still start at `fresh`; null: exhausted. */
  constructor(private readonly fresh: Generator, private readonly per: ReadonlyMap<Thread, Generator | null>) {}
  private of(t: Thread): Generator | null {
    return this.per.has(t) ? this.per.get(t)! : this.fresh;
  }
  op(ctx: GenContext): GenResult {
    let bestT: Thread | undefined;
    let bestR: GenResult = null;
    let pending = false;
    for (const t of ctx.threads) {
      const g = this.of(t);
      if (g === null) continue;
      if (!ctx.free.includes(t)) {
        pending = true;
        continue;
      }
      const r = g.op(restrict(ctx, [t]));
      if (r === 'pending') pending = true;
      if (soonest(bestR, r) === 1) {
        bestT = t;
        bestR = r;
      }
    }
    if (bestT === undefined) return pending ? 'pending' : null;
    const r = bestR as { op: GenOp; next: Generator | null };
    const per = new Map(this.per);
    per.set(bestT, r.next);
    return { op: r.op, next: new EachThread(this.fresh, per) };
  }
  update(ctx: GenContext, e: GenEvent): Generator | null {
    const t = ctx.threadOf(e.process);
    if (t === undefined) return this;
    const g = this.of(t);
    if (g === null) return this;
    const per = new Map(this.per);
    per.set(t, g.update(restrict(ctx, [t]), e));
    return new EachThread(this.fresh, per);
  }
}
