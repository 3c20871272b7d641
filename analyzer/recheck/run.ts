/**
 * Re-checking many histories: each plan is hashed and looked up in the cache; the misses are
 * handed to an executor — by default a piscina pool on this machine (pool.ts), one history per
 * task, or the Redis job queue of `--queue` (queue/coordinator.ts) — while the main thread goes
 * on hashing the next files. Either way the rows come back in plan order, built here, so a
 * queued recheck prints what a local one prints.
 *
 * Parallelism, locally, is across histories: `workers` (default: the core count) is the thread
 * budget, spent on that many histories at once, each check single-threaded; only when there are
 * fewer histories to check than threads does each check get the spare ones (a lone big history
 * gets them all). Starting a checker's own pool costs more than most fixture-sized checks, and a
 * big batch never runs workers × cores threads.
 */
import { availableParallelism } from 'node:os';
import { type VerdictCache, RecheckCache, cacheKey, fileSha256 } from './cache.js';
import { checkCommand } from './output.js';
import type { Archived, Plan, SpecSource, Verdict } from './plan.js';
import { CheckPool, hardLimitMs } from './pool.js';
import type { CheckSummary, RecheckTask } from './worker.js';

/** One history's row of the recheck report. */
export interface RecheckRow {
  /** The history as found (run directory or file), as the user named its root. */
  path: string;
  /** The history file read. */
  file: string;
  /** The history's length as read (invocations and completions); null when it was not read. */
  ops: number | null;
  /** Checker names, comma-separated; empty when none could be decided. */
  checker: string;
  /** Where the checkers came from, when decided. */
  source: SpecSource | null;
  verdict: Verdict;
  /** Time reading and checking it (for a cached row: when it was checked). */
  seconds: number | null;
  /** The verdict came from the cache. */
  cached: boolean;
  /** The run's archived results.edn verdict, if it had one. */
  archived: Archived | null;
  /** Our verdict equals the archived one; null without a readable archived verdict or when we have none. */
  agrees: boolean | null;
  /** The checker's one-line description, or the error. */
  detail: string;
  /** How many warnings reading the history gave. */
  warnings: number;
  /** The `hindsight check` command that repeats this check; null when none could run. */
  check: string | null;
}

/** Options for `recheck`. */
export interface RecheckRunOptions {
  /** Threads to use (default: the core count): that many histories at once, or fewer histories with several threads each. */
  workers?: number;
  /** Cache directory; undefined: no cache (unless `cache` is given). */
  cacheDir?: string;
  /** The cache itself, instead of `cacheDir` (the queue's, in Redis). */
  cache?: VerdictCache<StoredVerdict>;
  /** Where to check the cache misses (default: a pool of `workers` threads here). */
  executor?: CheckExecutor;
  /** Ignore cached verdicts (fresh ones are still stored). */
  force?: boolean;
  /** Overrides the backstop deadline of every task (tests). */
  hardLimitMs?: number;
  /** Called as each row is done (in the order they finish), with how many are done of how many. */
  onRow?: (row: RecheckRow, done: number, total: number) => void;
  /** Problems that do not change any verdict (the cache cannot be written). */
  onWarning?: (message: string) => void;
}

/** A check's summary as the cache keeps it. */
export type StoredVerdict = Omit<CheckSummary, 'cacheable'>;
type Outcome = Omit<StoredVerdict, 'seconds'> & { seconds: number | null };

/** What an executor gives back for one task: a worker's summary, or why it could not check it (`seconds` null). */
export type ExecutorResult = Omit<CheckSummary, 'seconds'> & { seconds: number | null };

/** Where the cache misses are checked: this machine's threads (the default), or a job queue. */
export interface CheckExecutor {
  /** How many tasks to hand over at once; `Infinity` when the executor queues them itself. */
  readonly capacity: number;
  /** The executor stores cacheable verdicts in the cache itself (the queue's workers do). */
  readonly storesVerdicts: boolean;
  /** Every task needs its cache key, cache or not (the queue names its jobs by it). */
  readonly needsKey: boolean;
  /** Checks one task; never rejects (a failure is an `unknown` or `error` summary; `seconds` null when nothing was checked). */
  check(task: RecheckTask, key: string | undefined, limitMs: number | undefined): Promise<ExecutorResult>;
  /** Releases what it holds (threads, connections). */
  close(): Promise<void>;
}

/** The default executor: a pool of `threads` threads on this machine, started on first use. */
function localExecutor(threads: number): CheckExecutor {
  let pool: CheckPool | undefined;
  return {
    capacity: threads,
    storesVerdicts: false,
    needsKey: false,
    check: (task, _key, limitMs) => (pool ??= new CheckPool(threads)).check(task, limitMs),
    close: async () => pool?.close(),
  };
}

/** At most `n` at once: `acquire` resolves when a slot is free. */
function slots(n: number): { acquire(): Promise<void>; release(): void } {
  let free = n;
  const waiting: (() => void)[] = [];
  return {
    acquire: () => {
      if (free > 0) {
        free--;
        return Promise.resolve();
      }
      return new Promise((r) => waiting.push(r));
    },
    release: () => {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}

function agreement(verdict: Verdict, archived: Archived | undefined): boolean | null {
  if (archived === undefined || archived === 'unreadable' || verdict === 'error') return null;
  return archived === verdict;
}

/**
 * Re-checks the plans' histories (see this file's header) and resolves with one row per plan, in
 * plan order. A history's failure is its row's, never a rejection: a plan without a spec or an
 * unhashable file is an `error` row, a crashed or stopped check an `unknown` one (not cached).
 */
export async function recheck(plans: readonly Plan[], opts: RecheckRunOptions = {}): Promise<RecheckRow[]> {
  const threads = Math.max(1, Math.floor(opts.workers ?? availableParallelism()));
  // Up to `threads` histories at once; when there are fewer, each check gets the spare threads.
  const workers = Math.max(1, Math.min(threads, plans.filter((p) => p.spec !== undefined).length));
  const innerWorkers = opts.executor === undefined ? Math.max(1, Math.floor(threads / workers)) : 1;
  const executor = opts.executor ?? localExecutor(workers);
  const cache = opts.cache ?? (opts.cacheDir === undefined ? undefined : new RecheckCache<StoredVerdict>(opts.cacheDir));
  const rows: RecheckRow[] = new Array(plans.length);
  let done = 0;
  const finish = (i: number, row: RecheckRow): void => {
    rows[i] = row;
    done++;
    opts.onRow?.(row, done, plans.length);
  };
  const rowOf = (p: Plan, s: Outcome, cached: boolean): RecheckRow => ({
    path: p.found.path,
    file: p.found.file,
    ops: s.ops,
    checker: s.chosen ?? p.spec?.checkers.join(',') ?? '',
    source: p.spec?.source ?? null,
    verdict: s.verdict,
    seconds: s.seconds,
    cached,
    archived: p.archived ?? null,
    agrees: agreement(s.verdict, p.archived),
    detail: s.detail,
    warnings: s.warnings,
    check: p.spec === undefined ? null : checkCommand(p.found.file, p.spec.checkers, s.perKey ? { ...p.spec.options, independent: true } : p.spec.options),
  });
  const running: Promise<void>[] = [];
  const free = slots(executor.capacity);
  let cacheWarned = false;
  try {
    for (let i = 0; i < plans.length; i++) {
      const p = plans[i];
      if (p.spec === undefined) {
        finish(i, rowOf(p, { ops: null, verdict: 'error', detail: p.error ?? 'no checker', seconds: null, warnings: 0 }, false));
        continue;
      }
      const task: RecheckTask = {
        file: p.found.file,
        checkers: p.spec.checkers,
        options: { ...p.spec.options, workers: String(innerWorkers) },
        guessIndependent: p.spec.guessIndependent ?? false,
      };
      let key: string | undefined;
      if (cache !== undefined || executor.needsKey) {
        try {
          key = cacheKey(await fileSha256(p.found.file), task.checkers, { ...task.options, guessIndependent: task.guessIndependent });
        } catch (e) {
          finish(i, rowOf(p, { ops: null, verdict: 'error', detail: `${p.found.file}: ${(e as Error).message}`, seconds: null, warnings: 0 }, false));
          continue;
        }
        const hit = opts.force || cache === undefined ? undefined : await cache.get(key);
        if (hit !== undefined) {
          finish(i, rowOf(p, hit, true));
          continue;
        }
      }
      const limit = opts.hardLimitMs ?? hardLimitMs(task.options);
      // Submit no more than the executor takes at once, so a task's deadline starts when it does.
      await free.acquire();
      running.push(
        (async () => {
          try {
            const { cacheable, ...summary } = await executor.check(task, key, limit);
            if (cacheable && cache !== undefined && key !== undefined && !executor.storesVerdicts) {
              await cache.put(key, { ...summary, seconds: summary.seconds ?? 0 }).catch((e: unknown) => {
                // A cache that cannot be written costs speed next time, not this result.
                if (!cacheWarned) opts.onWarning?.(`cache: cannot write to ${cache.where}: ${e instanceof Error ? e.message : String(e)}`);
                cacheWarned = true;
              });
            }
            finish(i, rowOf(p, summary, false));
          } finally {
            free.release();
          }
        })(),
      );
    }
    await Promise.all(running);
  } finally {
    await executor.close();
  }
  return rows;
}
