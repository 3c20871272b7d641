/**
 * `linearizable`: is there one total order of the ops, consistent with real time (an op that
 * completed before another was invoked comes first), in which every op does what a model
 * (register, cas-register, mutex, queue, set, kv, …) says it should? Knossos's `linearizable`.
 *
 * `wgl.ts` is the search, `models.ts` the models, `ops.ts` how a History becomes the search's
 * ops (and how it splits by key), `result.ts` the Knossos-style result maps.
 */
import { parseEdn } from '../edn/scanner.js';
import type { EdnRecord, EdnValue } from '../edn/values.js';
import type { History } from '../history/history.js';
import { type CheckResult, type Checker, UNKNOWN, UsageError, mergeValid } from '../checkers/checker.js';
import { type Model, models } from './models.js';
import { linOps } from './ops.js';
import { describeLinearizable, invalidResult, unknownResult, validResult } from './result.js';
import { StateTable, searchLinearization } from './wgl.js';

export interface LinearizableOptions {
  model?: string;
  init?: EdnValue;
  timeLimit?: number;
  maxStates?: number;
  workers?: number;
  allKeys?: boolean;
  independent?: boolean;
}

export const DEFAULT_MAX_STATES = 5_000_000;

function modelNamed(name: string | undefined): Model {
  const m = models.get(name ?? 'cas-register');
  if (m === undefined) throw new UsageError(`unknown model ${String(name)}; models: ${[...models.keys()].join(', ')}`);
  return m;
}

function positive(what: string) {
  return (raw: string): number => {
    const v = Number(raw);
    if (!Number.isFinite(v) || v <= 0) throw new UsageError(`${what} must be a positive number, got ${raw}`);
    return v;
  };
}

/** Checks a history against a model; the result map is Knossos-compatible. */
export function checkLinearizable(history: History, options: LinearizableOptions = {}): CheckResult {
  const model = modelNamed(options.model);
  let init: EdnValue;
  try {
    init = model.init(options.init);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const deadline = options.timeLimit === undefined ? Infinity : Date.now() + options.timeLimit * 1000;
  const maxStates = options.maxStates ?? DEFAULT_MAX_STATES;
  const groups = linOps(history, model, options.independent === true);
  const split = groups.length > 1 || groups[0].key !== undefined;
  // Keys are independent: run them round-robin with a state budget that doubles each round,
  // so one hard key cannot hide a quick failure on another (a restart costs at most 2x).
  const searches = groups.map((g) => {
    const table = new StateTable(model, g.ops);
    return { g, table, s0: table.intern(init), result: undefined as CheckResult | undefined };
  });
  let states = 0;
  let stop = false;
  for (let round = split ? 1024 : maxStates; !stop; round *= 2) {
    let open = 0;
    for (const s of searches) {
      if (s.result !== undefined) continue;
      const cap = Math.min(round, maxStates - states);
      const r = searchLinearization(s.g.ops, s.table, s.s0, { maxStates: cap, deadline });
      states += r.states;
      if (r.kind === 'unknown' && r.cause === 'max-states' && cap === round && states < maxStates) {
        open++;
        continue;
      }
      s.result =
        r.kind === 'valid'
          ? validResult(history, s.g.ops, r.order, r.states)
          : r.kind === 'invalid'
            ? invalidResult(history, s.g.ops, s.table, model, r.failure, r.states)
            : unknownResult(r.cause, r.deepest, r.states, s.g.ops.n);
      if ((s.result['valid?'] === false && !options.allKeys) || s.result['valid?'] === UNKNOWN) {
        stop = true;
        break;
      }
    }
    if (open === 0) stop = true;
  }
  const perKey = searches.filter((s) => s.result !== undefined).map((s) => ({ key: s.g.key, result: s.result as CheckResult }));
  if (!split) return { ...perKey[0].result, model: model.name };
  const valid = mergeValid(perKey.map((p) => p.result['valid?']));
  const failures = perKey.filter((p) => p.result['valid?'] !== true);
  const results: EdnRecord[] = failures.map((p) => ({ key: p.key ?? null, ...p.result }));
  const out: CheckResult = { 'valid?': valid, model: model.name, 'key-count': groups.length, 'keys-checked': perKey.length, 'states-explored': states };
  if (failures.length > 0) {
    out.failures = failures.map((p) => p.key ?? null);
    out.results = results;
    // The first failing key's op, so a report can highlight it.
    const first = failures[0].result;
    for (const k of ['op', 'previous-ok', 'last-op', 'reason', 'final-paths', 'cause'] as const) if (first[k] !== undefined) out[k] = first[k];
  }
  return out;
}

export const linearizable: Checker<LinearizableOptions> = {
  name: 'linearizable',
  summary: 'linearizability against a model (register, cas-register, mutex, multi-register, set, queues, kv) by WGL search',
  options: [
    { flags: '--model <name>', description: `model for linearizable: ${[...models.keys()].join(', ')} (default cas-register)` },
    {
      flags: '--init <edn>',
      description: 'linearizable: the model\'s initial value, as EDN (e.g. 0, nil, :nil, "{:x 0 :y 0}")',
      parse: (raw: string) => {
        try {
          return parseEdn(raw);
        } catch (e) {
          throw new UsageError(`--init: not an EDN value: ${raw} (${(e as Error).message})`);
        }
      },
    },
    { flags: '--time-limit <seconds>', description: 'give up (verdict unknown) after this many seconds', parse: positive('--time-limit') },
    { flags: '--max-states <n>', description: `linearizable: give up (unknown) after this many search configurations (default ${DEFAULT_MAX_STATES})`, parse: positive('--max-states') },
    { flags: '--workers <n>', description: 'worker threads for checkers that split work', parse: positive('--workers') },
    { flags: '--all-keys', description: 'linearizable: keep checking keys after the first invalid one' },
    { flags: '--independent', description: 'linearizable: split [k v] values by key k (Jepsen independent)' },
  ],
  check: (history, options) => checkLinearizable(history, options),
  describe: describeLinearizable,
};
