/**
 * hindsight as a library: the package's one public entry (`import … from 'hindsight'`).
 *
 * Read a history with `readHistory`, judge it with `check` (checkers by name, as the CLI's
 * `--checker`, or as objects), and read the Jepsen-style result map: `result['valid?']` is
 * true, false or `UNKNOWN`, the rest is evidence as EDN values (`printEdn`, `toJson`). A custom
 * linearizability `Model` runs through `checkModel`. Everything else under dist/ is internal
 * and may change without notice; docs/api.md describes this module.
 *
 * @packageDocumentation
 */

import { compose } from './check/compose.js';
import { type CheckContext, type CheckResult, type Checker, UsageError } from './check/checker.js';
import { resolveCheckers } from './checkers/registry.js';
import { nothingToJudge, okCount } from './check/results.js';
import type { EdnValue } from './edn/values.js';
import type { History } from './history/history.js';
import { checkLinearizable } from './linear/linearize.js';
import { misfit } from './linear/fit.js';
import type { Model } from './linear/models/model.js';
import type { NilReads } from './linear/nil-reads.js';
import type { LinearAlgorithm } from './linear/linearize.js';

/** Reading histories: EDN (one op a line or a vector), JSON (array or lines) and Jepsen logs. */
export { readHistory, type HistoryFormat, type ReadOptions } from './history/read.js';
/** A history as read (column-wise); `history.op(i)` gives op i as a plain `Op`. */
export type { History } from './history/history.js';
/** One op as a plain object, and its `:type`. */
export type { Op, OpType } from './history/op.js';
/** A problem a reader recovered from (`ReadOptions.onWarning`, `history.warnings`). */
export type { Warning } from './history/diagnostics.js';
/** Bad input (`file:line: …`): what `readHistory` rejects with, and what a checker throws on a malformed op. */
export { HistoryError } from './history/diagnostics.js';

/** The checker contract and its result; `UNKNOWN` is the `:unknown` verdict. `UsageError`: a bad checker name or option. */
export { UNKNOWN, UsageError, type CheckContext, type CheckResult, type Checker, type CheckerOption, type Validity } from './check/checker.js';
/** Every checker by its `--checker` name, and the lookup. */
export { checkerNamed, checkers } from './checkers/registry.js';
/** Each checker object (the registry's entries), for `check(history, [listAppend])` or `listAppend.describe(result)`. */
export { bank } from './checkers/bank.js';
export { counter } from './checkers/counter.js';
export { linearizable } from './linear/checker.js';
export { listAppend, rwRegister, type ElleOptions } from './elle/checker.js';
export { lockSet } from './checkers/lock-set.js';
export { perf } from './checkers/perf/index.js';
export { queue, totalQueue } from './checkers/queue.js';
export { sanity } from './checkers/sanity.js';
export { sequential } from './checkers/sequential/index.js';
export { set } from './checkers/set.js';
export { setFull } from './checkers/set-full.js';
export { stats } from './checkers/stats.js';
export { timeline } from './checkers/timeline.js';
export { uniqueIds } from './checkers/unique-ids.js';
export { unhandledExceptions } from './checkers/unhandled-exceptions.js';
export { watch } from './checkers/watch.js';

/**
 * Linearizability models (`--model`): the interface a custom model implements, and the built-in
 * ones. Exported with a `Model` suffix because `set` (and `queue`) already name checkers.
 */
export { Inconsistent, isInconsistent, type CompiledModel, type Model, type ModelOp, type OpTiming } from './linear/models/model.js';
export { modelNamed, models } from './linear/models/index.js';
export { casRegister as casRegisterModel, multiRegister as multiRegisterModel, mutex as mutexModel, register as registerModel } from './linear/models/registers.js';
export { fifoQueue as fifoQueueModel, set as setModel, unorderedQueue as unorderedQueueModel } from './linear/models/collections.js';
export { kv as kvModel } from './linear/models/kv.js';
/** What an `:ok` read of nil means to the register models (`--nil any|absent`). */
export { NIL_READS, type NilReads } from './linear/nil-reads.js';
export { LINEAR_ALGORITHMS, type LinearAlgorithm } from './linear/linearize.js';

/** The EDN value model results are made of, and the ways out of it (EDN text, JSON). */
export { EdnMap, EdnSet, Keyword, type EdnRecord, type EdnValue } from './edn/values.js';
export { printEdn, toJson, type Json, type PrintOptions } from './edn/print.js';
export { parseEdn } from './edn/scanner.js';

/**
 * Options for `check`: one record handed to every checker, keyed by each checker's CLI flag in
 * camelCase (`--consistency-models` → `consistencyModels`, `--model` → `model`). Values are
 * the parsed ones (`accounts: [0, 1]`); numbers may also be given as strings, as the CLI does.
 */
export type CheckOptions = Readonly<Record<string, unknown>>;

/**
 * Runs checkers on a history and returns their result, as `hindsight check --checker a,b`:
 * one checker's result as it is; several merged under their names, with the worst verdict as
 * `valid?` (false over unknown over true), a crashed checker becoming unknown under its name.
 *
 * `which` holds registry names (`'linearizable'`) or checker objects (a custom `Checker` too).
 * Rejects with `UsageError` for an unknown name, an empty list, a bad option or a checker whose
 * kind of ops the history does not hold, and with `HistoryError` when a checker meets an op it
 * cannot read. A lone checker that crashes rejects with its error.
 *
 * @example
 * const history = await readHistory('history.edn');
 * const result = await check(history, ['list-append'], { consistencyModels: ['serializable'] });
 * if (result['valid?'] === false) console.log(printEdn(result['anomaly-types'] ?? null));
 */
export async function check(
  history: History,
  // Checker<never>: any Checker<O> fits, whatever its options type (they are the caller's to match).
  which: ReadonlyArray<string | Checker<never>>,
  options: CheckOptions = {},
  context: CheckContext = {},
): Promise<CheckResult> {
  if (which.length === 0) throw new UsageError('check needs at least one checker');
  const named = which.map((c) => {
    if (typeof c !== 'string') return c as unknown as Checker<Record<string, unknown>>;
    return resolveCheckers(c)[0]!;
  });
  return compose(named, history, { ...options }, context);
}

/** Options for `checkModel`; the linearizable checker's, less the model's name. */
export interface CheckModelOptions {
  /** The model's initial state (`--init`); undefined: the model's default. */
  init?: EdnValue;
  /** Values are Jepsen `[key value]` tuples: check each key separately (`--independent`). */
  independent?: boolean;
  /** What an `:ok` read of nil means (`--nil`): `any` value (Knossos's rule, the default) or `absent`, no value. */
  nil?: NilReads;
  /** Give up (`valid?` unknown) after this many milliseconds. */
  timeLimitMs?: number;
  /** Give up (`valid?` unknown) after this many search configurations. */
  maxStates?: number;
  /** Check every key even after one is not linearizable. */
  allKeys?: boolean;
  /** How keys are decided (`--algorithm`): `auto` (the default: unique values without search where they qualify), `wgl`, or `unique-values`. */
  algorithm?: LinearAlgorithm;
  // No AbortSignal: this search is synchronous, so no abort could be seen before it ends.
}

/**
 * Checks a history for linearizability against a model object, such as a custom `Model`: the
 * `linearizable` checker takes a model by name only, since its worker threads look the model up
 * by name. This search runs in the calling thread, key after key. Throws `UsageError` when the
 * history's client ops have an `:f` the model does not take (the wrong model, not a bad history).
 * A history with no `:ok` client op gives `valid?` unknown: there was nothing to check.
 *
 * @example
 * const result = checkModel(await readHistory('register.edn'), casRegisterModel, { timeLimitMs: 10_000 });
 * console.log(result['valid?'], result.reason);
 */
export function checkModel<S>(history: History, model: Model<S>, options: CheckModelOptions = {}): CheckResult {
  const m: Model = model;
  const wrong = misfit(history, m);
  if (wrong !== undefined) throw new UsageError(wrong);
  // As the linearizable checker: with no :ok op every history "linearizes", which is no verdict.
  if (okCount(history) === 0) return nothingToJudge('no client operation completed :ok, so nothing was checked', { model: m.name, 'op-count': 0 });
  return checkLinearizable(history, { ...options, model: m }).result;
}
