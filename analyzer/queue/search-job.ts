/**
 * A search job: one key of one huge history, as the linearizable checker's parallel search
 * hands it to a thread (linear/search-worker.ts's `SearchTask`), sent instead to a `hindsight
 * worker` through the queue (`recheck --queue --split-over`). Its typed arrays travel as base64;
 * a worker validates every field and every index before it searches (a queue is input).
 */
import { parseEdn } from '../edn/scanner.js';
import { modelNamed } from '../linear/models/index.js';
import type { SearchOutcome } from '../linear/search.js';
import type { SearchTask } from '../linear/search-worker.js';
import type { WireProblem } from '../linear/wire.js';
import { InvalidJob, JOB_FORMAT, isJsonObject } from './job.js';

/** A search job's data. */
export interface SearchJob {
  format: typeof JOB_FORMAT;
  kind: 'search';
  /** The coordinator's code version (a worker running other code refuses the job). */
  code: string;
  /** The history it is a key of, for logs. */
  name: string;
  task: WireTask;
}

/** A `SearchTask` with its typed arrays as base64. */
interface WireTask {
  problem: Omit<WireProblem, 'call' | 'ret' | 'f' | 'value' | 'key'> & { call: string; ret: string; f: string; value: string; key: string };
  model: string;
  init?: string;
  maxStates: number;
  timeLimitMs?: number;
}

const b64 = (a: Float64Array | Int32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/** `task` as a search job's `task`. */
export function encodeSearchTask(task: SearchTask): WireTask {
  const p = task.problem;
  return {
    problem: { n: p.n, determinate: p.determinate, call: b64(p.call), ret: b64(p.ret), f: b64(p.f), value: b64(p.value), key: b64(p.key), fNames: p.fNames, texts: p.texts },
    model: task.model,
    ...(task.init === undefined ? {} : { init: task.init }),
    maxStates: task.maxStates,
    ...(task.timeLimitMs === undefined ? {} : { timeLimitMs: task.timeLimitMs }),
  };
}


function typed<T extends Float64Array | Int32Array>(v: unknown, what: string, n: number, make: (b: ArrayBuffer) => T, width: number): T {
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw new InvalidJob(`task.problem.${what} is not base64`);
  const bytes = Buffer.from(v, 'base64');
  if (bytes.length !== n * width) throw new InvalidJob(`task.problem.${what} holds ${bytes.length} bytes, not ${n * width}`);
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return make(copy);
}

/** A search job's data as the `SearchTask` it carries, or throws `InvalidJob` saying what is wrong. */
export function validateSearchJob(data: Record<string, unknown>): { job: SearchJob; task: SearchTask } {
  if (typeof data.code !== 'string' || data.code.length > 200) throw new InvalidJob('code is not a version string');
  if (typeof data.name !== 'string' || data.name.length > 4096) throw new InvalidJob('name is not a file name');
  const t = data.task;
  if (!isJsonObject(t) || !isJsonObject(t.problem)) throw new InvalidJob('task is not a search task');
  const p = t.problem;
  const n = p.n;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n > 50_000_000) throw new InvalidJob('task.problem.n is not an op count');
  if (typeof p.determinate !== 'number' || !Number.isSafeInteger(p.determinate) || p.determinate < 0 || p.determinate > n) throw new InvalidJob('task.problem.determinate is not a count of its ops');
  const strings = (v: unknown, what: string): string[] => {
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw new InvalidJob(`task.problem.${what} is not a list of strings`);
    return v as string[];
  };
  const fNames = strings(p.fNames, 'fNames');
  const texts = strings(p.texts, 'texts');
  for (const text of texts) {
    try {
      parseEdn(text);
    } catch {
      throw new InvalidJob(`task.problem.texts holds ${JSON.stringify(text.slice(0, 40))}, which is not EDN`);
    }
  }
  const call = typed(p.call, 'call', n, (b) => new Float64Array(b), 8);
  const ret = typed(p.ret, 'ret', n, (b) => new Float64Array(b), 8);
  const f = typed(p.f, 'f', n, (b) => new Int32Array(b), 4);
  const value = typed(p.value, 'value', n, (b) => new Int32Array(b), 4);
  const key = typed(p.key, 'key', n, (b) => new Int32Array(b), 4);
  for (let i = 0; i < n; i++) {
    if (f[i] < 0 || f[i] >= fNames.length) throw new InvalidJob(`task.problem.f[${i}] names no :f`);
    if (value[i] < 0 || value[i] >= texts.length) throw new InvalidJob(`task.problem.value[${i}] names no value`);
    if (key[i] < -1 || key[i] >= texts.length) throw new InvalidJob(`task.problem.key[${i}] names no key`);
  }
  if (typeof t.model !== 'string' || modelNamed(t.model) === undefined) throw new InvalidJob(`task.model ${JSON.stringify(t.model)} is no model`);
  if (t.init !== undefined) {
    if (typeof t.init !== 'string') throw new InvalidJob('task.init is not EDN text');
    try {
      parseEdn(t.init);
    } catch {
      throw new InvalidJob('task.init is not EDN text');
    }
  }
  if (typeof t.maxStates !== 'number' || !Number.isSafeInteger(t.maxStates) || t.maxStates < 1) throw new InvalidJob('task.maxStates is not a positive integer');
  if (t.timeLimitMs !== undefined && !(typeof t.timeLimitMs === 'number' && Number.isFinite(t.timeLimitMs) && t.timeLimitMs >= 0)) throw new InvalidJob('task.timeLimitMs is not a duration');
  const problem: WireProblem = { n, determinate: p.determinate, call, ret, f, value, key, fNames, texts };
  const task: SearchTask = { problem, model: t.model, init: t.init as string | undefined, maxStates: t.maxStates, timeLimitMs: t.timeLimitMs as number | undefined };
  return { job: data as unknown as SearchJob, task };
}

/** A search outcome a worker stored, when it has that shape; undefined otherwise. */
export function parseSearchOutcome(v: unknown): SearchOutcome | undefined {
  if (!isJsonObject(v) || typeof v.states !== 'number') return undefined;
  const ints = (a: unknown): boolean => Array.isArray(a) && a.every((x) => Number.isSafeInteger(x));
  if (v.valid === true && ints(v.order)) return v as unknown as SearchOutcome;
  if (v.valid === false && Number.isSafeInteger(v.failing) && Array.isArray(v.paths) && v.paths.every(ints)) return v as unknown as SearchOutcome;
  if (v.valid === 'unknown' && typeof v.reason === 'string' && (v.exhausted === 'states' || v.exhausted === 'time') && typeof v.reached === 'number') return v as unknown as SearchOutcome;
  return undefined;
}

