/**
 * The generator combinators Jepsen users know, over the pure model in `core.ts`.
 *
 * Each combinator is a small immutable object; "advancing" one returns a new object with the
 * remaining state (a count, a deadline, the next scheduled time). Durations are seconds.
 * `sleep` and `log` are special ops the interpreter performs itself (never recorded as history).
 */
import type { EdnValue } from '../../analyzer/edn/values.js';
import { type GenContext, type GenEvent, type GenLike, type GenOp, type GenResult, type Generator, NS_PER_S } from './core.js';
import { gen, seq, sleep } from './base.js';

export * from './base.js';
export * from './threads.js';

/** Jepsen's `once`: only the first op of `g`. */
export function once(g: GenLike): Generator | null {
  const inner = gen(g);
  if (inner === null) return null;
  return limit(1, inner);
}

/** The first op of `g`, again and again (`n` times, or forever); `g` itself never advances. */
export function repeat(g: GenLike, n = Infinity): Generator | null {
  const inner = gen(g);
  return inner === null || n <= 0 ? null : new Repeat(inner, n);
}

class Repeat implements Generator {
  constructor(private readonly g: Generator, private readonly n: number) {}
  op(ctx: GenContext): GenResult {
    const r = this.g.op(ctx);
    if (r === null || r === 'pending') return r;
    return { op: r.op, next: this.n - 1 > 0 ? new Repeat(this.g, this.n - 1) : null };
  }
  update(ctx: GenContext, e: GenEvent): Generator {
    return new Repeat(this.g.update(ctx, e) ?? this.g, this.n);
  }
}

/** Runs `g` to exhaustion, then starts it over (`times` times, or forever). */
export function cycle(g: GenLike, times = Infinity): Generator | null {
  const inner = gen(g);
  return inner === null || times <= 0 ? null : new Cycle(inner, inner, times);
}

class Cycle implements Generator {
  constructor(private readonly original: Generator, private readonly cur: Generator, private readonly times: number) {}
  op(ctx: GenContext): GenResult {
    let cur: Generator | null = this.cur;
    let times = this.times;
    for (let guard = 0; guard < 2; guard++) {
      const r: GenResult = cur!.op(ctx);
      if (r === 'pending') return r;
      if (r !== null) return { op: r.op, next: r.next === null ? (times - 1 > 0 ? new Cycle(this.original, this.original, times - 1) : null) : new Cycle(this.original, r.next, times) };
      // The current round is exhausted without an op: start the next one (once, to avoid spinning on an empty generator).
      times -= 1;
      if (times <= 0) return null;
      cur = this.original;
    }
    return null;
  }
  update(ctx: GenContext, e: GenEvent): Generator | null {
    const cur = this.cur.update(ctx, e);
    if (cur === null) return this.times - 1 > 0 ? new Cycle(this.original, this.original, this.times - 1) : null;
    return new Cycle(this.original, cur, this.times);
  }
}

/** At most `n` ops of `g`. */
export function limit(n: number, g: GenLike): Generator | null {
  const inner = gen(g);
  return inner === null || n <= 0 ? null : new Limit(n, inner);
}

class Limit implements Generator {
  constructor(private readonly n: number, private readonly g: Generator) {}
  op(ctx: GenContext): GenResult {
    const r = this.g.op(ctx);
    if (r === null || r === 'pending') return r;
    return { op: r.op, next: this.n > 1 && r.next !== null ? new Limit(this.n - 1, r.next) : null };
  }
  update(ctx: GenContext, e: GenEvent): Generator | null {
    const g = this.g.update(ctx, e);
    return g === null ? null : new Limit(this.n, g);
  }
}

/** Ops of `g` for `seconds` from the first time it is asked; ops scheduled past the deadline are dropped. */
export function timeLimit(seconds: number, g: GenLike): Generator | null {
  const inner = gen(g);
  return inner === null ? null : new TimeLimit(seconds * NS_PER_S, undefined, inner);
}

class TimeLimit implements Generator {
  constructor(private readonly dt: number, private readonly deadline: number | undefined, private readonly g: Generator) {}
  op(ctx: GenContext): GenResult {
    const deadline = this.deadline ?? ctx.time + this.dt;
    if (ctx.time >= deadline) return null;
    const r = this.g.op(ctx);
    if (r === null || r === 'pending') return r;
    if (r.op.time >= deadline) return null;
    return { op: r.op, next: r.next === null ? null : new TimeLimit(this.dt, deadline, r.next) };
  }
  update(ctx: GenContext, e: GenEvent): Generator | null {
    const g = this.g.update(ctx, e);
    return g === null ? null : new TimeLimit(this.dt, this.deadline, g);
  }
}

/** Spaces the ops of `g` by random gaps averaging `seconds` (uniform in [0, 2·seconds)), across all threads. */
export function stagger(seconds: number, g: GenLike): Generator | null {
  const inner = gen(g);
  return inner === null ? null : new Spaced(seconds * NS_PER_S, true, undefined, inner);
}

/** Spaces the ops of `g` exactly `seconds` apart. */
export function delay(seconds: number, g: GenLike): Generator | null {
  const inner = gen(g);
  return inner === null ? null : new Spaced(seconds * NS_PER_S, false, undefined, inner);
}

class Spaced implements Generator {
  constructor(private readonly dt: number, private readonly random: boolean, private readonly nextTime: number | undefined, private readonly g: Generator) {}
  op(ctx: GenContext): GenResult {
    const r = this.g.op(ctx);
    if (r === null || r === 'pending') return r;
    const time = Math.max(r.op.time, this.nextTime ?? ctx.time);
    const gap = this.random ? Math.floor(ctx.random() * 2 * this.dt) : this.dt;
    return { op: { ...r.op, time }, next: r.next === null ? null : new Spaced(this.dt, this.random, time + gap, r.next) };
  }
  update(ctx: GenContext, e: GenEvent): Generator | null {
    const g = this.g.update(ctx, e);
    return g === null ? null : new Spaced(this.dt, this.random, this.nextTime, g);
  }
}

/** Each op comes from one of `gs` chosen at random; exhausted ones drop out. */
export function mix(gs: readonly GenLike[]): Generator | null {
  const list = gs.map(gen).filter((g): g is Generator => g !== null);
  return list.length === 0 ? null : new Mix(list);
}

class Mix implements Generator {
  constructor(private readonly gs: readonly Generator[]) {}
  op(ctx: GenContext): GenResult {
    let gs = this.gs;
    while (gs.length > 0) {
      const i = Math.floor(ctx.random() * gs.length);
      const r = gs[i].op(ctx);
      if (r === 'pending') return r;
      if (r === null) {
        gs = gs.filter((_, j) => j !== i);
        continue;
      }
      const next = r.next === null ? gs.filter((_, j) => j !== i) : gs.map((g, j) => (j === i ? r.next! : g));
      return { op: r.op, next: next.length === 0 ? null : new Mix(next) };
    }
    return null;
  }
  update(ctx: GenContext, e: GenEvent): Generator | null {
    const next = this.gs.map((g) => g.update(ctx, e)).filter((g): g is Generator => g !== null);
    return next.length === 0 ? null : new Mix(next);
  }
}

/** Waits until every thread of its context is free, then behaves as `g` (Jepsen's synchronize). */
export function synchronize(g: GenLike): Generator | null {
  const inner = gen(g);
  return inner === null ? null : new Synchronize(inner);
}

class Synchronize implements Generator {
  constructor(private readonly g: Generator) {}
  op(ctx: GenContext): GenResult {
    if (ctx.free.length < ctx.threads.length) return 'pending';
    return this.g.op(ctx);
  }
  update(ctx: GenContext, e: GenEvent): Generator | null {
    const g = this.g.update(ctx, e);
    return g === null ? null : new Synchronize(g);
  }
}

/** Runs generators one after another, each starting only once every thread is idle. */
export function phases(...gs: GenLike[]): Generator | null {
  return seq(gs.map((g, i) => (i === 0 ? gen(g) : synchronize(g))).filter((g): g is Generator => g !== null));
}

/** Alternates ops of `a` and `b` (a, b, a, …) until either is exhausted. */
export function flipFlop(a: GenLike, b: GenLike): Generator | null {
  const ga = gen(a);
  const gb = gen(b);
  return ga === null || gb === null ? null : new FlipFlop([ga, gb], 0);
}

class FlipFlop implements Generator {
  constructor(private readonly gs: readonly [Generator, Generator], private readonly i: 0 | 1) {}
  op(ctx: GenContext): GenResult {
    const r = this.gs[this.i].op(ctx);
    if (r === null || r === 'pending') return r;
    if (r.next === null) return { op: r.op, next: null };
    const gs: [Generator, Generator] = this.i === 0 ? [r.next, this.gs[1]] : [this.gs[0], r.next];
    return { op: r.op, next: new FlipFlop(gs, this.i === 0 ? 1 : 0) };
  }
  update(ctx: GenContext, e: GenEvent): Generator | null {
    const a = this.gs[0].update(ctx, e);
    const b = this.gs[1].update(ctx, e);
    return a === null || b === null ? null : new FlipFlop([a, b], this.i);
  }
}

/** Ops of `g` until one of them completes `ok` (e.g. retry a final read until it succeeds). */
export function untilOk(g: GenLike): Generator | null {
  const inner = gen(g);
  return inner === null ? null : new UntilOk(inner, new Set(), false);
}

class UntilOk implements Generator {
  constructor(private readonly g: Generator, private readonly mine: ReadonlySet<number | 'nemesis'>, private readonly done: boolean) {}
  op(ctx: GenContext): GenResult {
    if (this.done) return null;
    const r = this.g.op(ctx);
    if (r === null || r === 'pending') return r;
    // Keep going even if `g` is exhausted while its ops are outstanding: wait for their outcome.
    const mine = new Set(this.mine).add(r.op.process);
    return { op: r.op, next: new UntilOk(r.next ?? EMPTY, mine, false) };
  }
  update(ctx: GenContext, e: GenEvent): Generator | null {
    if (!this.mine.has(e.process)) return new UntilOk(this.g.update(ctx, e) ?? EMPTY, this.mine, this.done);
    if (e.type === 'ok') return null;
    const mine = new Set(this.mine);
    if (e.type !== 'invoke') mine.delete(e.process);
    const g = this.g.update(ctx, e) ?? EMPTY;
    if (g === EMPTY && mine.size === 0) return null;
    return new UntilOk(g, mine, false);
  }
}

/** Never yields an op (exhausted): a placeholder while waiting for outstanding ops. */
const EMPTY: Generator = {
  op: () => null,
  update() {
    return EMPTY;
  },
};

/** Draws a value at random when first asked, then continues as `build(value)` (for schedules whose steps depend on one choice). */
export function choose<T>(pick: (random: () => number) => T, build: (choice: T) => GenLike): Generator {
  return {
    op(ctx: GenContext): GenResult {
      const g = gen(build(pick(ctx.random)));
      return g === null ? null : g.op(ctx);
    },
    update(): Generator {
      return this;
    },
  };
}

/**
 * The standard fault schedule: wait `interval`, start one of `faults` at random, wait
 * `interval`, stop it; forever. Fault ops are `start-<fault>` / `stop-<fault>` with a nil value.
 */
export function faultSchedule(faults: readonly string[], interval: number): Generator | null {
  if (faults.length === 0) return null;
  return cycle(
    choose(
      (r) => faults[Math.floor(r() * faults.length)],
      (fault) => [sleep(interval), { f: `start-${fault}` }, sleep(interval), { f: `stop-${fault}` }],
    ),
  );
}

/** Transforms each op's value (e.g. wrap in an independent key). */
export function mapOps(fn: (op: GenOp) => GenOp, g: GenLike): Generator | null {
  const inner = gen(g);
  return inner === null ? null : new MapOps(fn, inner);
}

class MapOps implements Generator {
  constructor(private readonly fn: (op: GenOp) => GenOp, private readonly g: Generator) {}
  op(ctx: GenContext): GenResult {
    const r = this.g.op(ctx);
    if (r === null || r === 'pending') return r;
    return { op: this.fn(r.op), next: r.next === null ? null : new MapOps(this.fn, r.next) };
  }
  update(ctx: GenContext, e: GenEvent): Generator | null {
    const g = this.g.update(ctx, e);
    return g === null ? null : new MapOps(this.fn, g);
  }
}

/** Re-exported so generator code can type op values from this one module. */
export type { EdnValue };
