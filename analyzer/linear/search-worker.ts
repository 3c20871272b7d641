/** Piscina worker: search one key's problem (see wire.ts) under a budget. */
import { parseEdn } from '../edn/scanner.js';
import { modelNamed } from './models/index.js';
import { type SearchOutcome, searchLinearizable } from './search.js';
import { type WireProblem, fromWire } from './wire.js';

/** One key to search, as sent to a worker: the model goes by name, since a model object cannot be sent. */
export interface SearchTask {
  problem: WireProblem;
  /** A name in `models`. */
  model: string;
  /** `--init` as EDN text, or undefined for the model's default. */
  init?: string;
  maxStates: number;
  timeLimitMs?: number;
}

/** Searches one task's problem; throws for a model name not in `models` (the pool then falls back in-process). */
export default function search(task: SearchTask): SearchOutcome {
  const model = modelNamed(task.model);
  if (model === undefined) throw new Error(`unknown model ${task.model}`);
  const init = model.init(task.init === undefined ? undefined : parseEdn(task.init));
  return searchLinearizable(fromWire(task.problem), model, init, { maxStates: task.maxStates, timeLimitMs: task.timeLimitMs });
}
