/**
 * One recheck task, run on a piscina worker thread: read one history, run its checkers, and
 * send back a small summary (never the history or the full result, which can be large and
 * would have to be copied between threads).
 */
import { type CheckContext, type CheckResult, type Checker, UNKNOWN, UsageError, verdictWord } from '../check/checker.js';
import { compose, describeComposed } from '../check/compose.js';
import { chooseChecker, choiceFlags, looksIndependent } from '../check/choose.js';
import { checkerNamed } from '../checkers/registry.js';
import type { History } from '../history/history.js';
import { readHistory } from '../history/read.js';
import type { MessagePort } from 'node:worker_threads';
// This thread runs checkers: their lazy parts are loaded here, statically (util/lazy.ts).
import '../util/lazy-modules.js';
import type { Verdict } from './plan.js';

/** One history to check on a worker thread. */
export interface RecheckTask {
  /** The history file. */
  file: string;
  /** Its name in messages (default `file`): the path the user gave, where a queue worker reads a copy or its own mount. */
  name?: string;
  /** `--checker` names; empty: chosen from the ops. */
  checkers: string[];
  /** Checker options, camelCased as the CLI passes them. */
  options: Record<string, unknown>;
  /** Decide `--independent` from the values (register workloads of runs without `:checkers`). */
  guessIndependent: boolean;
  /** Told when the task starts on its thread, so its deadline does not count the thread's start-up. */
  started?: MessagePort;
}

/** What a worker sends back for one history (see this file's header). */
export interface CheckSummary {
  /** The history's length; null when it could not be read. */
  ops: number | null;
  verdict: Verdict;
  /** The checker's one-line description, or the error. */
  detail: string;
  /** Reading plus checking. */
  seconds: number;
  /** Reader warnings (torn last line, unpaired completions…). */
  warnings: number;
  /** False for outcomes of this run's circumstances rather than of the history (a crash). */
  cacheable: boolean;
  /** The values were found to be `[key value]` tuples and checked per key (`guessIndependent`). */
  perKey?: boolean;
  /** The checkers chosen from the ops, as `--checker` flags would say (a task that named none). */
  chosen?: string;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Whether values look like `[key value]` tuples, re-exported from check/choose.ts (the tests import it from here). */
export { looksIndependent };


/**
 * Reads and checks one task's history. An unreadable history, a `UsageError` or ops no checker can
 * be chosen for resolve as `error`; a crashing checker as `unknown`, not cacheable. Rejects only
 * when reading fails in a way that is neither a `HistoryError` nor a file-system error.
 */
export default async function recheckOne(task: RecheckTask, ctx: CheckContext = {}): Promise<CheckSummary> {
  task.started?.postMessage('started');
  task.started?.close();
  const started = performance.now();
  const seconds = (): number => Math.round(performance.now() - started) / 1000;
  let history: History;
  try {
    history = await readHistory(task.file, { name: task.name });
  } catch (e) {
    if (e instanceof Error && e.name === 'HistoryError') return { ops: null, verdict: 'error', detail: e.message, seconds: seconds(), warnings: 0, cacheable: true };
    if (e instanceof Error && (e as NodeJS.ErrnoException).code !== undefined) {
      return { ops: null, verdict: 'error', detail: `${task.name ?? task.file}: ${e.message.split(task.file).join(task.name ?? task.file)}`, seconds: seconds(), warnings: 0, cacheable: false };
    }
    throw e;
  }
  let checkerNames = task.checkers;
  let options = { ...task.options };
  let note = '';
  let chosen: string | undefined;
  if (checkerNames.length === 0) {
    // No --checker, test.edn or workload: the ops say (and the row says they did).
    const choice = chooseChecker(history);
    if (!('checkers' in choice)) {
      return { ops: history.length, verdict: 'error', detail: `cannot choose a checker from the ops (${choice.shapes}); pass --checker`, seconds: seconds(), warnings: history.warnings.length, cacheable: true };
    }
    checkerNames = choice.checkers;
    options = { ...choice.options, ...options };
    chosen = choiceFlags(choice);
    note = ` (chosen from the ops: ${choice.reason})`;
  }
  const named = checkerNames.map((n) => checkerNamed(n)).filter((c): c is Checker<Record<string, unknown>> => c !== undefined);
  if (task.guessIndependent && options.independent === undefined && looksIndependent(history)) {
    options.independent = true;
    note = ' (values are [key value] tuples: checked per key)';
  }
  const base = { ops: history.length, warnings: history.warnings.length };
  try {
    const result = await compose(named, history, options, ctx);
    const described = describeComposed(named, result);
    const error = result['valid?'] === UNKNOWN && typeof result.error === 'string' ? result.error : '';
    return { ...base, verdict: verdictWord(result['valid?']), detail: (described || error) + note, seconds: seconds(), cacheable: true, perKey: options.independent === true && task.options.independent === undefined, chosen };
  } catch (e) {
    if (e instanceof UsageError) return { ...base, verdict: 'error', detail: message(e), seconds: seconds(), cacheable: true };
    return { ...base, verdict: 'unknown', detail: `${checkerNames.join(',')} crashed: ${message(e)}`, seconds: seconds(), cacheable: false };
  }
}
