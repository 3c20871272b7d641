/** Every linearizability model by name (`--model`). A new model adds one entry to `models`. */
import { fifoQueue, set, unorderedQueue } from './collections.js';
import { kv } from './kv.js';
import type { Model } from './model.js';
import { casRegister, multiRegister, mutex, register } from './registers.js';

export { Inconsistent, isInconsistent, type Model, type ModelOp, type OpTiming } from './model.js';

/** Every built-in model by its `--model` name. */
export const models: ReadonlyMap<string, Model> = new Map(
  ([register, casRegister, mutex, multiRegister, set, unorderedQueue, fifoQueue, kv] as Model[]).map((m) => [m.name, m]),
);

/** The built-in model of that name, or undefined. */
export function modelNamed(name: string): Model | undefined {
  return models.get(name);
}
