/** Piscina worker: search one key's problem (see wire.ts) under a budget. */
import { parseEdn } from '../edn/scanner.js';
import { modelNamed } from './models/index.js';
import { type SearchOutcome, searchLinearizable } from './search.js';
import { type WireProblem, fromWire } from './wire.js';

export interface SearchTask {
  problem: WireProblem;
  model: string;
  /** `--init` as EDN text, or undefined for the model's default. */
  init?: string;
  maxStates: number;
  timeLimitMs?: number;
}

export default function search(task: SearchTask): SearchOutcome {
  const model = modelNamed(task.model);
  if (model === undefined) throw new Error(`unknown model ${task.model}`);
  const init = model.init(task.init === undefined ? undefined : parseEdn(task.init));
  return searchLinearizable(fromWire(task.problem), model, init, { maxStates: task.maxStates, timeLimitMs: task.timeLimitMs });
}
