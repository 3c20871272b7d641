/**
 * The `linearizable` checker: CLI options → `checkLinearizableParallel` (keys searched on worker
 * threads), the failure pictures it writes (linear.svg, linear.html), and a one-line description.
 */
import { printEdn } from '../edn/print.js';
import { parseEdn } from '../edn/scanner.js';
import { type EdnValue, isRecord, kw } from '../edn/values.js';
import { type CheckResult, type Checker, UsageError } from '../check/checker.js';
import { nothingToJudge, okCount } from '../check/results.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { initHint } from './init-hint.js';
import { writeFileAtomicSync } from '../util/atomic-write.js';
import { positiveNumber } from '../util/options.js';
import { linearWords } from './words.js';
import { linearWindowSvg } from './window.js';
import { misfit } from './fit.js';
import { checkLinearizableParallel } from './parallel.js';
import { modelNamed, models } from './models/index.js';
import type { SearchOutcome } from './search.js';
import { NIL_READS, type NilReads } from './nil-reads.js';
import type { SearchTask } from './search-worker.js';
import type { TaskPool } from '../util/fallback-pool.js';
import { LINEAR_ALGORITHMS, type LinearAlgorithm } from './linearize.js';
import { lazy } from '../util/lazy.js';

/** What only a check that certifies or draws needs, loaded then (util/lazy.ts). */
export const linearCertificateCode = lazy(() => import('./certificate.js'));
export const linearPictureCode = lazy(() => import('./picture.js'));
export const linearViewerCode = lazy(() => import('./viewer/page.js'));

interface LinearCliOptions {
  model?: string;
  init?: string;
  independent?: boolean;
  timeLimit?: string | number;
  maxStates?: string | number;
  allKeys?: boolean;
  workers?: string | number;
  nil?: string;
  algorithm?: string;
  drawValid?: boolean;
}

/** `--nil` as a NilReads; throws `UsageError` for anything else. */
function parseNil(raw: string | undefined): NilReads {
  if (raw === undefined) return 'any';
  if ((NIL_READS as readonly string[]).includes(raw)) return raw as NilReads;
  throw new UsageError(`--nil takes ${NIL_READS.join(' or ')}, got ${raw}`);
}

/** `--algorithm` as a LinearAlgorithm; throws `UsageError` for anything else. */
function parseAlgorithm(raw: string | undefined): LinearAlgorithm {
  if (raw === undefined) return 'auto';
  if ((LINEAR_ALGORITHMS as readonly string[]).includes(raw)) return raw as LinearAlgorithm;
  throw new UsageError(`--algorithm takes ${LINEAR_ALGORITHMS.join(', ')}, got ${raw}`);
}

/** `--init` text as an EDN value. Throws `UsageError` when the text is not EDN. */
export function parseInit(text: string): EdnValue {
  try {
    return parseEdn(text);
  } catch (e) {
    throw new UsageError(`--init ${text}: not EDN (${(e as Error).message})`);
  }
}

/**
 * The `linearizable` checker (`--checker linearizable`): each key's ops searched for a
 * linearization against `--model` (default cas-register), keys in parallel on worker threads.
 * Throws `UsageError` for an unknown model, ops the model does not take (see fit.ts), an `--init`
 * that is not EDN, or a `--time-limit`, `--max-states` or `--workers` that is not a positive
 * number. A history with no :ok client op is unknown (nothing constrains the search). With
 * `outDir`, the first invalid key is drawn into linear.svg and linear.html. A register checked
 * without `--init` whose failing read is of a value no op writes gets a `:hint` to pass it.
 *
 * @example
 * const result = await check(history, [linearizable], { model: 'cas-register', init: '0', timeLimit: 60 });
 * if (result['valid?'] === false) console.log(result.reason, result.hint);
 */
export const linearizable: Checker<LinearCliOptions> = {
  name: 'linearizable',
  summary: 'linearizability against a model (register, cas-register, mutex, multi-register, set, queues, kv), per key',
  options: [
    { flags: '--model <name>', description: `linearizability model: ${[...models.keys()].join(', ')}` },
    { flags: '--init <edn>', description: 'initial model state as EDN, e.g. 0, nil, :nil, \'{:x 0 :y 0}\'' },
    { flags: '--independent', description: 'values are Jepsen [key value] tuples: check each key separately', shared: true },
    { flags: '--time-limit <seconds>', description: 'give up (valid? :unknown) after this many seconds', shared: true },
    { flags: '--max-states <n>', description: 'give up (valid? :unknown) after this many search configurations' },
    { flags: '--workers <n>', description: 'worker threads for searching keys in parallel (default: the core count)', shared: true },
    { flags: '--all-keys', description: 'check every key even after one is not linearizable' },
    { flags: '--draw-valid', description: 'with --out: linear.html shows valid keys (their linearization) too, not only failing ones' },
    { flags: '--algorithm <auto|wgl|unique-values>', description: 'how keys are decided: auto (the default) takes the exact O(n log n) unique-values procedure for a register or cas-register whose writes set distinct values, the WGL search otherwise; wgl always searches; unique-values refuses a key that does not qualify' },
    { flags: '--nil <any|absent>', description: 'what an :ok read of nil means: any value (Knossos\'s rule, the default) or no value, fitting only a nil register (our recorder\'s histories say absent)' },
  ],
  // No `accepts`: which ops fit depends on --model, and `misfit` (fit.ts) judges every op against it.
  writes: ['linear.svg', 'linear.html'],
  recognizes: (r) => 'final-paths' in r || ('model' in r && ('op' in r || 'key-count' in r || 'linearization-length' in r)),
  words: linearWords,
  splits: 'key',
  draw: (history, result) => {
    const svg = linearWindowSvg(history, result);
    return svg === undefined ? undefined : { caption: 'the failure up close (drawn from the history and the result)', svg };
  },
  async check(history, options, ctx) {
    const name = options.model ?? 'cas-register';
    const model = modelNamed(name);
    if (model === undefined) throw new UsageError(`unknown --model ${name}; known: ${[...models.keys()].join(', ')}`);
    const wrong = misfit(history, model);
    if (wrong !== undefined) throw new UsageError(wrong);
    const timeLimit = positiveNumber('--time-limit', options.timeLimit);
    const maxStates = positiveNumber('--max-states', options.maxStates);
    const workers = positiveNumber('--workers', options.workers);
    const nil = parseNil(options.nil);
    const algorithm = parseAlgorithm(options.algorithm);
    // Only :ok ops constrain the search: with none, every history "linearizes", and that is no verdict.
    if (okCount(history) === 0) return nothingToJudge('no client operation completed :ok, so nothing was checked', { model: name, 'op-count': 0 });
    const { result, runs } = await checkLinearizableParallel(history, {
      workers: workers === undefined ? undefined : Math.floor(workers),
      model,
      init: options.init === undefined ? undefined : parseInit(options.init),
      independent: options.independent ?? false,
      nil,
      algorithm,
      timeLimitMs: timeLimit === undefined ? undefined : timeLimit * 1000,
      maxStates,
      allKeys: options.allKeys ?? false,
      signal: ctx.signal,
      // The queue's workers answer SearchTasks with SearchOutcomes (see CheckContext.keyPool).
      pool: ctx.keyPool as TaskPool<SearchTask, SearchOutcome> | undefined,
      onKeyDone: (done, keyCount) => {
        if (keyCount > 1) ctx.progress?.('keys searched', done, keyCount);
      },
    });
    const hint = initHint(history, result, { model: name, init: options.init, independent: options.independent ?? false });
    if (hint !== undefined) result.hint = hint;
    if (nil === 'absent') {
      result.nil = kw('absent');
      // A user reading a foreign history this way should know which rule failed it.
      if (typeof result.reason === 'string' && result.reason.includes('nil (no value)')) {
        result.hint = 'an :ok read of nil is a read of no value under --nil absent; under --nil any (Knossos\'s rule) it fits every value';
      }
    }
    if (ctx.certify !== undefined) ctx.certify('linearizable', (await linearCertificateCode()).linearCertificate(history, runs, { model: name, init: options.init, independent: options.independent ?? false, nil }, result['valid?']));
    const failed = runs.find((r) => r.outcome.valid === false);
    // The viewer: every failing key, and with --draw-valid the valid ones too (failing first).
    const shown = [...runs.filter((r) => r.outcome.valid === false), ...(options.drawValid === true ? runs.filter((r) => r.outcome.valid === true) : [])];
    if (ctx.outDir !== undefined && shown.length > 0) {
      // The pictures' code is loaded only by a check that draws.
      const [{ linearFailureSvg }, { linearViewerHtml }] = await Promise.all([linearPictureCode(), linearViewerCode()]);
      mkdirSync(ctx.outDir, { recursive: true });
      if (failed !== undefined) writeFileAtomicSync(join(ctx.outDir, 'linear.svg'), linearFailureSvg(history, failed));
      writeFileAtomicSync(join(ctx.outDir, 'linear.html'), linearViewerHtml(history, shown, { model, init: options.init === undefined ? undefined : parseInit(options.init) }, describeLinear(result)));
    }
    return result;
  },
  describe: describeLinear,
};

/**
 * One line for a linearizable result: valid with how many ops or keys, unknown with why and how
 * far the search got, or which op could not be linearized after which, with the model's reason.
 */
export function describeLinear(r: CheckResult): string {
  if (r['valid?'] === true) return `linearizable (${String(r['op-count'] ?? r['key-count'] ?? '')}${r['key-count'] === undefined ? ' ops' : ' keys'})`;
  if (r['valid?'] !== false) {
    const inner = Array.isArray(r.results) && isRecord(r.results[0]) ? r.results[0] : r;
    const cause = `unknown: ${String(inner.cause ?? 'search incomplete')}`;
    // How far the search got tells a user whether a bigger budget could finish it.
    const placed = inner['ok-ops-linearized'];
    const of = inner['ok-op-count'];
    if (typeof placed !== 'number' || typeof of !== 'number') return cause;
    const key = inner.key !== undefined && inner.key !== null ? ` of key ${printEdn(inner.key)}` : '';
    return `${cause} with ${placed} of ${of} ok ops${key} linearized`;
  }
  const op = r.op;
  if (!isRecord(op)) return 'not linearizable';
  const at = typeof op.time === 'number' ? ` at ${(op.time / 1e9).toFixed(2)} s` : '';
  const what = `process ${printEdn(op.process ?? null)}'s ${printEdn(op.f ?? null).replace(/^:/, '')} of ${printEdn(op.value ?? null)} (index ${printEdn(op.index ?? null)})${at}`;
  const prev = isRecord(r['previous-ok']) ? `, after process ${printEdn(r['previous-ok'].process ?? null)}'s ${printEdn(r['previous-ok'].f ?? null).replace(/^:/, '')} of ${printEdn(r['previous-ok'].value ?? null)}` : '';
  // The key (per-key checks), the model's reason, and a hint where a missing --init explains it.
  const keys = Array.isArray(r.failures) ? r.failures : [];
  const key = keys.length === 0 ? '' : ` on key ${printEdn(keys[0]!)}${keys.length > 1 ? ` (and ${keys.length - 1} more)` : ''}`;
  const reason = typeof r.reason === 'string' ? ` (${r.reason})` : '';
  const hint = typeof r.hint === 'string' ? `; ${r.hint}` : '';
  return `not linearizable${key}: ${what} cannot be linearized${reason}${prev}${hint}`;
}
