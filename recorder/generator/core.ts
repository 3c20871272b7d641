/**
 * Generators: Jepsen's model of "what to do next" as pure, composable values.
 *
 * A generator is asked for its next op given a context — the current time and which worker
 * threads are free — and answers with an op plus the generator that follows it, `'pending'`
 * (nothing yet: ask again after something happens or time passes), or `null` (exhausted). It is
 * told about every invocation and completion through `update`, so combinators like `untilOk`
 * and `phases` can react. Nothing is mutated: asking twice with the same context gives the same
 * answer, except for draws from the context's seeded random source, which is why a seeded run
 * of the same generator yields the same ops (see `simulate`).
 *
 * Time is in nanoseconds since the test began; combinators that take durations take seconds,
 * as Jepsen's do.
 */
import type { EdnValue } from '../../analyzer/edn/values.js';

/** A worker thread: an integer for client threads, `'nemesis'` for the nemesis thread. */
export type Thread = number | 'nemesis';

/** The op a generator asks for; the interpreter fills `process` and `time` when absent. */
export interface OpTemplate {
  readonly f: string;
  readonly value?: EdnValue;
  readonly process?: number | 'nemesis';
  /** Not before this time (ns since start). */
  readonly time?: number;
}

/** A filled-in op: which process does what, from when. */
export interface GenOp {
  readonly process: number | 'nemesis';
  readonly f: string;
  readonly value: EdnValue;
  readonly time: number;
}

/** What happened to an op: it was invoked, or completed with a type (`time`: when; `value`: the completion's). */
export interface GenEvent extends GenOp {
  readonly type: 'invoke' | 'ok' | 'fail' | 'info';
}

/** Seeded random numbers in [0, 1). */
export type Random = () => number;

/** What a generator sees when asked for an op. */
export interface GenContext {
  /** Now, ns since the test began. */
  readonly time: number;
  /** Threads this generator may use (combinators narrow it). */
  readonly threads: readonly Thread[];
  /** Of `threads`, the ones idle now. */
  readonly free: readonly Thread[];
  /** The process a thread currently runs as (a thread's process changes after an `info`). */
  processOf(thread: Thread): number | 'nemesis';
  /** The thread running a process, if any. */
  threadOf(process: number | 'nemesis'): Thread | undefined;
  readonly random: Random;
}

/** An op and the generator after it; `'pending'` (ask again later); or `null` (exhausted). */
export type GenResult = { readonly op: GenOp; readonly next: Generator | null } | 'pending' | null;

/** A pure source of ops (see the module doc). */
export interface Generator {
  /** The next op (and the generator after it), `'pending'`, or `null` when exhausted. */
  op(ctx: GenContext): GenResult;
  /** Reacts to an invocation or completion; returns the generator to use from now on. */
  update(ctx: GenContext, event: GenEvent): Generator | null;
}

/** Anything that can act as a generator: a generator, an op template (once), a function (called per op), or a sequence. */
// null stands for "nothing to do" (an exhausted or empty generator), so combinator results compose directly.
export type GenLike = Generator | OpTemplate | ((ctx: GenContext) => OpTemplate | null) | readonly GenLike[] | null;

/** Nanoseconds per second (generator time is in ns, durations in s). */
export const NS_PER_S = 1e9;

/** Whether `g` has a generator's `op` and `update` methods. */
export function isGenerator(g: unknown): g is Generator {
  return typeof g === 'object' && g !== null && typeof (g as Generator).op === 'function' && typeof (g as Generator).update === 'function';
}
