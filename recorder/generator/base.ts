/**
 * The generator basics: turning op templates, functions and sequences into generators, filling
 * in an op's process and time, and the two special ops (`sleep`, `log`) the run loop performs.
 */
import { type GenContext, type GenEvent, type GenLike, type GenOp, type GenResult, type Generator, type OpTemplate, isGenerator } from './core.js';

/** Special op names the interpreter handles without a client. */
export const SLEEP = 'sleep';
/** `log`: writes `value` to the run log (see `log()`). */
export const LOG = 'log';

type Fn = (ctx: GenContext) => OpTemplate | null;

/** Turns anything generator-like into a Generator (null: nothing to do). */
export function gen(g: GenLike | null | undefined): Generator | null {
  if (g === null || g === undefined) return null;
  if (isGenerator(g)) return g;
  if (typeof g === 'function') return new FnGen(g as Fn);
  if (Array.isArray(g)) return seq(g as readonly GenLike[]);
  return new OnceTemplate(g as OpTemplate);
}

/** Picks a free thread at random (Jepsen's choice) and fills process and time. */
export function fill(t: OpTemplate, ctx: GenContext): GenOp | 'pending' {
  let process = t.process;
  if (process === undefined) {
    if (ctx.free.length === 0) return 'pending';
    const thread = ctx.free[Math.floor(ctx.random() * ctx.free.length)];
    process = ctx.processOf(thread);
  } else {
    const th = ctx.threadOf(process);
    if (th === undefined || !ctx.free.includes(th)) return 'pending';
  }
  return { process, f: t.f, value: t.value ?? null, time: Math.max(ctx.time, t.time ?? 0) };
}

class OnceTemplate implements Generator {
  constructor(private readonly t: OpTemplate) {}
  op(ctx: GenContext): GenResult {
    const op = fill(this.t, ctx);
    return op === 'pending' ? op : { op, next: null };
  }
  update(): Generator {
    return this;
  }
}

class FnGen implements Generator {
  constructor(private readonly fn: Fn) {}
  op(ctx: GenContext): GenResult {
    if (ctx.free.length === 0) return 'pending';
    const t = this.fn(ctx);
    if (t === null) return null;
    const op = fill(t, ctx);
    return op === 'pending' ? op : { op, next: this };
  }
  update(): Generator {
    return this;
  }
}

/** A generator that calls `fn` for every op (an infinite source unless fn returns null). */
export function fromFn(fn: Fn): Generator {
  return new FnGen(fn);
}

/** Runs each generator to exhaustion, one after another (Jepsen's vector). */
export function seq(gs: readonly GenLike[]): Generator | null {
  const list = gs.map(gen).filter((g): g is Generator => g !== null);
  return list.length === 0 ? null : new Seq(list);
}

class Seq implements Generator {
  constructor(private readonly gs: readonly Generator[]) {}
  op(ctx: GenContext): GenResult {
    for (let i = 0; i < this.gs.length; i++) {
      const r = this.gs[i].op(ctx);
      if (r === null) continue;
      if (r === 'pending') return r;
      const rest = this.gs.slice(i + 1);
      const next = r.next === null ? rest : [r.next, ...rest];
      return { op: r.op, next: next.length === 0 ? null : new Seq(next) };
    }
    return null;
  }
  update(ctx: GenContext, e: GenEvent): Generator | null {
    const head = this.gs[0].update(ctx, e);
    const rest = this.gs.slice(1);
    const next = head === null ? rest : [head, ...rest];
    return next.length === 0 ? null : new Seq(next);
  }
}

/** Idles the thread that takes it for `seconds` (the nemesis schedule's "wait"). */
export function sleep(seconds: number): Generator {
  return new OnceTemplate({ f: SLEEP, value: seconds });
}

/** Writes a message to the run log when reached. */
export function log(message: string): Generator {
  return new OnceTemplate({ f: LOG, value: message });
}
