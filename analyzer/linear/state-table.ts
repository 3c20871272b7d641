/**
 * Model states as dense ints for the search: the model's own compiled form when it has one
 * (see `Model.compile`), else states interned by their canonical `key` text with a memo of
 * transitions (state, op) → state | -1.
 *
 * The search never compares model states itself: it works on state ids, so a cache entry is
 * (bitset hash, int) and equal states reached by different paths meet in the cache. A state is
 * interned once, when a transition first produces it; every later (state, op) step is one
 * probe in a flat hash table.
 */
import { type CompiledModel, type Model, type ModelOp, type OpTiming, isInconsistent } from './models/model.js';
import { PairMap } from '../util/int-tables.js';

/** Marks a transition not computed yet (transitions themselves are ≥ -1). */
const UNKNOWN_STEP = -2;

/** The problem's ops over int states, compiled by the model if it can, else interned. */
export function statesOf<S>(model: Model<S>, ops: readonly ModelOp[], initial: S, timing?: OpTiming): CompiledModel {
  return model.compile?.(ops, initial, timing) ?? new StateTable(model, ops, initial);
}

/** The `CompiledModel` of a model without `compile`: states interned by `key`, steps memoised. */
export class StateTable<S> implements CompiledModel {
  /** States by id. */
  readonly states: S[] = [];
  readonly initial: number;
  private readonly ids = new Map<string, number>();
  private readonly transitions = new PairMap();
  constructor(
    readonly model: Model<S>,
    private readonly ops: readonly ModelOp[],
    initial: S,
  ) {
    this.initial = this.intern(initial);
  }
  /** The id of state `s` (equal keys, equal ids), interned on first sight. */
  intern(s: S): number {
    const k = this.model.key(s);
    let id = this.ids.get(k);
    if (id === undefined) {
      id = this.states.length;
      this.states.push(s);
      this.ids.set(k, id);
    }
    return id;
  }
  step(state: number, opId: number): number {
    let next = this.transitions.get(state, opId, UNKNOWN_STEP);
    if (next === UNKNOWN_STEP) {
      const s = this.model.step(this.states[state], this.ops[opId]);
      next = isInconsistent(s) ? -1 : this.intern(s);
      this.transitions.set(state, opId, next);
    }
    return next;
  }
}
