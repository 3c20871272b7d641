/**
 * `decideUniqueValues`: a key's linearizability by the unique-values procedure
 * (unique-values.ts) instead of the search, with an explanation as good as the search's.
 *
 * A valid key gets the linearization the procedure built. An invalid one gets the op the search
 * would report — the first op, by completion, that no linearization of what came before can
 * take — found without search: "linearizable up to position t" only gets harder as t grows (a
 * linearization up to a later point, cut at its first op invoked after t, is one up to t), so
 * the first completion at which the history stops being linearizable is found by bisection,
 * O(n log² n) in all. The search is then run on the ops invoked before that completion only —
 * the same ops before it, so it reaches the same failing op — for its paths (what Knossos reports);
 * should that run out of budget, the procedure's own contradiction is the explanation.
 */
import type { EdnValue } from '../edn/values.js';
import type { ModelOp } from './models/model.js';
import { type LinearProblem, type SearchOutcome, searchLinearizable } from './search.js';
import { type Decision, type UniqueProblem, type Violation, type Zone, decideUnique, prepareUnique } from './unique-values.js';
import { casRegister, register } from './models/registers.js';
import type { Model } from './models/model.js';

/** Configurations the explaining search may spend on the history up to the failure. */
const EXPLAIN_STATES = 200_000;

/**
 * `SearchOutcome` with how it was reached; for a violation the procedure's own reason, and
 * whether the search on the history up to the failure ran out (`unexplained`: no paths, the
 * contradiction is the explanation).
 */
export type UniqueOutcome = SearchOutcome & { algorithm: 'unique-values'; contradiction?: string; unexplained?: true };

/** Whether `model` is one this procedure decides (the registered register and cas-register). */
export const decidesUnique = (model: Model): boolean => model === register || model === casRegister;

/**
 * The key decided by the unique-values procedure, or why it cannot be (`model` is not a
 * register, or the history does not qualify: a value set twice; see unique-values.ts).
 * `describe(id)` names an op for the contradiction ("process 3's read of 4 (index 17)").
 */
export function decideUniqueValues(problem: LinearProblem, model: Model, initial: EdnValue, describe: (id: number) => string, budget: { timeLimitMs?: number; signal?: AbortSignal } = {}): UniqueOutcome | string {
  if (!decidesUnique(model)) return `the ${model.name} model is not a register`;
  const u = prepareUnique(problem, initial);
  if (typeof u === 'string') return u;
  const whole = decideUnique(u);
  if (whole.valid) return { valid: true, order: whole.order, states: 0, algorithm: 'unique-values' };
  const { failing, decision } = firstFailure(u);
  const contradiction = describeViolation(u, decision.violation, describe);
  const prefix = uptoCompletion(problem, failing);
  const searched = searchLinearizable(prefix.problem, model, initial, { maxStates: EXPLAIN_STATES, timeLimitMs: budget.timeLimitMs, signal: budget.signal });
  if (searched.valid === false) {
    const back = (id: number): number => prefix.ids[id];
    return { valid: false, failing: back(searched.failing), paths: searched.paths.map((p) => p.map(back)), states: searched.states, algorithm: 'unique-values', contradiction };
  }
  // Out of budget (or, were the procedure wrong, valid: then the contradiction is all there is and tests will say so).
  return { valid: false, failing, paths: [], states: searched.states, algorithm: 'unique-values', contradiction, unexplained: true };
}

/** The first determinate op (by completion) at whose completion the history stops being linearizable, by bisection. */
function firstFailure(u: UniqueProblem): { failing: number; decision: Decision & { valid: false } } {
  const { ret, determinate } = u.problem;
  let lo = 0;
  let hi = determinate - 1;
  let found: Decision & { valid: false } = decideUnique(u, ret[hi]) as Decision & { valid: false };
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const d = decideUnique(u, ret[mid]);
    if (d.valid) lo = mid + 1;
    else {
      hi = mid;
      found = d;
    }
  }
  if (found.valid !== false || hi !== lo) throw new Error('unique-values: bisection lost its failure');
  const at = decideUnique(u, ret[lo]);
  return { failing: lo, decision: at.valid ? found : at };
}

/**
 * The ops of `problem` invoked before determinate op `last` completed, as a problem of their own
 * (completions as they were: the search then walks as it would on the whole history, up to
 * there), and each of its op ids' id in `problem`.
 */
function uptoCompletion(problem: LinearProblem, last: number): { problem: LinearProblem; ids: number[] } {
  const t = problem.ret[last];
  const ids: number[] = [];
  for (let k = 0; k < problem.n; k++) if (k <= last || problem.call[k] < t) ids.push(k);
  const n = ids.length;
  const call = new Float64Array(n);
  const ret = new Float64Array(n);
  const ops: ModelOp[] = [];
  ids.forEach((k, i) => {
    call[i] = problem.call[k];
    ret[i] = problem.ret[k];
    ops.push(problem.ops[k]);
  });
  // Determinate ops come first in `problem`, by completion: so they do here.
  const determinate = ids.filter((k) => k < problem.determinate).length;
  return { problem: { n, determinate, call, ret, ops }, ids };
}

/** The violation in words, naming ops through `describe`. */
export function describeViolation(u: UniqueProblem, v: Violation, describe: (id: number) => string): string {
  const value = (x: number): string => u.values[x];
  const setter = (x: number): string => (u.producer[x] >= 0 ? describe(u.producer[x]) : 'the initial state');
  const span = (z: Zone): string => `value ${value(z.value)} (set by ${setter(z.value)}) must hold from before ${z.mOp >= 0 ? describe(z.mOp) : 'the start'} completed until after ${describe(z.MOp)} was invoked`;
  switch (v.kind) {
    case 'unwritten':
      return `${describe(v.op)} needs the register to hold ${value(v.value)}, which no op sets${u.producer[v.value] >= 0 ? ' before it' : ''}`;
    case 'precedes':
      return `${describe(v.op)} completed before ${describe(v.before)} was invoked, yet must come after it (value ${value(v.value)}, set by ${setter(v.value)}, only follows it)`;
    case 'two-cas':
      return `${describe(v.op)} and ${describe(v.other)} both change ${value(v.value)}: once one has, ${value(v.value)} never returns, since no other op sets it`;
    case 'cycle':
      return `${describe(v.op)} needs ${value(v.value)}, set only by a cas that itself needs what this one sets`;
    case 'overlap':
      return `${span(v.a)}, and ${span(v.b)}: both cannot`;
    case 'inside':
      return `${span(v.outer)}; yet value ${value(v.inner.value)} (set by ${setter(v.inner.value)}) must take effect, with any reads of it, wholly within that time, which would end ${value(v.outer.value)} early`;
  }
}
