/**
 * A sequential specification ("model") the linearizability search replays ops against.
 *
 * A model is a pure state machine: `init(initial)` gives the first state, `step(state, op)`
 * gives the next state or an `Inconsistent` with a human reason ("can't read 3 from register 0").
 * States are immutable; `key(state)` is a canonical string the search uses to intern states
 * as small ints, so its cache entries are (bitset, int) and equal states meet in the cache.
 */
import type { EdnValue } from '../../edn/values.js';

/** What the model sees of one op: its `:f` name, the value it checks, and its `:key` if any. */
export interface ModelOp {
  f: string;
  value: EdnValue;
  key?: EdnValue;
}

/**
 * A step that cannot happen in this state. The reason is built only when asked for: the search
 * meets thousands of inconsistent steps and reports a handful.
 */
export class Inconsistent {
  constructor(private readonly explain: string | (() => string)) {}
  /** Why the step cannot happen (built when read, if it was given as a function). */
  get reason(): string {
    return typeof this.explain === 'string' ? this.explain : this.explain();
  }
}

/** When a problem's ops were invoked and completed (ids below `determinate` completed ok; +∞: never). */
export interface OpTiming {
  readonly determinate: number;
  readonly call: ArrayLike<number>;
  readonly ret: ArrayLike<number>;
}

/** A model compiled for one problem: states are ints, ops are the problem's op ids. */
export interface CompiledModel {
  readonly initial: number;
  /** The state after op `opId` in `state`, or -1 if the model rejects it there. */
  step(state: number, opId: number): number;
  /**
   * Optional pruning, told which ops are linearized (`track(op, true)` as the search lifts one,
   * `false` as it undoes it): false if determinate op `opId`, not linearized yet, can no longer
   * be linearized from `state` by any sequence of the ops not linearized yet. Must never say
   * false when it could be.
   */
  track?(opId: number, linearized: boolean): void;
  viable?(state: number, opId: number): boolean;
}

/** A sequential specification (see this file's header); `S` is its state type. */
export interface Model<S = unknown> {
  /** The `--model` name. */
  readonly name: string;
  /** One line for `--help` and docs. */
  readonly summary: string;
  /**
   * The `:f` names the model takes. A history with client ops of any other `:f` is the wrong
   * model (or checker) for the data: the check stops with a usage error saying what would fit.
   */
  readonly fs: readonly string[];
  /** The first state; `initial` is `--init` parsed as EDN (undefined: the model's default). */
  init(initial?: EdnValue): S;
  /** The state after `op` in `state`, or an `Inconsistent` saying why it cannot happen there; `state` is left as it was. */
  step(state: S, op: ModelOp): S | Inconsistent;
  /**
   * True if the op never changes the state where the model accepts it (a read). The search
   * linearizes such an op as soon as it fits, without trying alternatives: moving a read
   * earlier, to where it already fits, cannot make any other op's step fail. Optional; a model
   * without it gets no such shortcut.
   */
  readOnly?(op: ModelOp): boolean;
  /**
   * True if the op is accepted in every state and leads to the same state from every one (a
   * register's write). An indeterminate such op is then worth linearizing only just before an
   * op it makes possible (see search.ts), which prunes most of the places the search would
   * otherwise try it. Optional; a model without it gets no such pruning.
   */
  blindWrite?(op: ModelOp): boolean;
  /**
   * Optionally, the model specialised to one problem's ops and initial state, with states as
   * small ints (equal states, equal ints) and steps that build nothing; undefined when it does
   * not apply. Without it the search interns states by `key` and memoises steps.
   */
  compile?(ops: readonly ModelOp[], initial: S, timing?: OpTiming): CompiledModel | undefined;
  /** Canonical text of a state: equal states, equal keys. */
  key(state: S): string;
  /** The state as EDN, for `:model` in result paths. */
  toEdn(state: S): EdnValue;
}

/** True if a step's result is an `Inconsistent` (the op cannot happen there). */
export function isInconsistent(x: unknown): x is Inconsistent {
  return x instanceof Inconsistent;
}
