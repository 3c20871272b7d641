/**
 * Re-checking many histories: each plan is hashed and looked up in the cache; the misses are
 * read and checked on a piscina pool, one history per task, while the main thread goes on
 * hashing the next files.
 *
 * Parallelism is across histories: `workers` (default: the core count) is the thread budget,
 * spent on that many histories at once, each check single-threaded; only when there are fewer
 * histories to check than threads does each check get the spare ones (a lone big history gets
 * them all). Starting a checker's own pool costs more than most fixture-sized checks, and a big
 * batch never runs workers × cores threads.
 *
 * Budget: the checkers that search (linearizable, list-append, rw-register) honour
 * `--time-limit` themselves and return `:unknown` when it runs out. As a backstop for any
 * check that does not, a task still running `limit + max(5 s, limit)` after its worker started
 * it (the slack covers reading the file) is stopped — piscina terminates its thread — and reported
 * `unknown`. Such a verdict, like a crash, says more about this run than about the history, so
 * it is not cached.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { workerModule } from '../util/workers.js';
import { RecheckCache, cacheKey, fileSha256 } from './cache.js';
import { checkCommand } from './output.js';
import type { Archived, Plan, SpecSource, Verdict } from './plan.js';
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
  /** Cache directory; undefined: no cache. */
  cacheDir?: string;
  /** Ignore cached verdicts (fresh ones are still stored). */
  force?: boolean;
  /** Overrides the backstop deadline of every task (tests). */
  hardLimitMs?: number;
  /** Called as each row is done (in the order they finish), with how many are done of how many. */
  onRow?: (row: RecheckRow, done: number, total: number) => void;
  /** Problems that do not change any verdict (the cache cannot be written). */
  onWarning?: (message: string) => void;
}

type Cached = Omit<CheckSummary, 'cacheable'>;
type Outcome = Omit<Cached, 'seconds'> & { seconds: number | null };

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

function hardLimitMs(options: Record<string, unknown>): number | undefined {
  const t = Number(options.timeLimit);
  if (options.timeLimit === undefined || !(t > 0)) return undefined;
  return (t + Math.max(5, t)) * 1000;
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
  const innerWorkers = Math.max(1, Math.floor(threads / workers));
  const cache = opts.cacheDir === undefined ? undefined : new RecheckCache<Cached>(opts.cacheDir);
  const rows: RecheckRow[] = new Array(plans.length);
  let done = 0;
  let pool: Piscina | undefined;
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
  const free = slots(workers);
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
      if (cache !== undefined) {
        try {
          key = cacheKey(await fileSha256(p.found.file), task.checkers, { ...task.options, guessIndependent: task.guessIndependent });
        } catch (e) {
          finish(i, rowOf(p, { ops: null, verdict: 'error', detail: `${p.found.file}: ${(e as Error).message}`, seconds: null, warnings: 0 }, false));
          continue;
        }
        const hit = opts.force ? undefined : await cache.get(key);
        if (hit !== undefined) {
          finish(i, rowOf(p, hit, true));
          continue;
        }
      }
      if (pool === undefined) {
        const { filename, execArgv } = workerModule(import.meta.url, 'worker');
        // Every thread is started up front: piscina replaces a thread that dies after it was
        // started that way, but gives up on threads that fail while starting later. A thread
        // can fail to load the worker at all (now and then tsx's hooks are not ready in a new
        // thread: ERR_UNKNOWN_FILE_EXTENSION); its task is then run again (`runWithRetry`).
        pool = new Piscina({ filename, execArgv, maxThreads: workers, minThreads: workers, maxQueue: 'auto', idleTimeout: 1000 });
        pool.on('error', () => {
          // A thread died with no task of ours on it; piscina has already replaced it.
        });
      }
      const limit = opts.hardLimitMs ?? hardLimitMs(task.options);
      // Submit no more than there are threads, so a task's deadline starts when it does.
      await free.acquire();
      const inPool = pool;
      running.push(
        (async () => {
          try {
            const { cacheable, ...summary } = await runWithRetry(inPool, task, limit).catch(
              (e: unknown): CheckSummary => ({ ops: null, verdict: 'unknown', detail: `worker failed: ${e instanceof Error ? e.message : String(e)}`, seconds: 0, warnings: 0, cacheable: false }),
            );
            if (cacheable && cache !== undefined && key !== undefined) {
              await cache.put(key, summary).catch((e: unknown) => {
                // A cache that cannot be written costs speed next time, not this result.
                if (!cacheWarned) opts.onWarning?.(`cache: cannot write to ${cache.dir}: ${e instanceof Error ? e.message : String(e)}`);
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
    await pool?.destroy();
  }
  return rows;
}

/** A task whose thread failed (not the check: the worker reports those itself) is tried on a fresh thread, twice at most. */
async function runWithRetry(pool: Piscina, task: RecheckTask, limitMs: number | undefined): Promise<CheckSummary> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runTask(pool, task, limitMs);
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
}

/** Runs one task; past `limitMs` its thread is stopped and the verdict is unknown. */
async function runTask(pool: Piscina, task: RecheckTask, limitMs: number | undefined): Promise<CheckSummary> {
  if (limitMs === undefined) return (await pool.run(task)) as CheckSummary;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let t0 = performance.now();
  // The clock starts when the worker starts the task: a new thread's start-up (loading every
  // checker, seconds under tsx on a busy machine) is not the history's fault.
  const { port1, port2 } = new MessageChannel();
  port1.once('message', () => {
    t0 = performance.now();
    timer = setTimeout(() => abort.abort(), limitMs);
    port1.close();
  });
  try {
    return (await pool.run({ ...task, started: port2 }, { signal: abort.signal, transferList: [port2] })) as CheckSummary;
  } catch (e) {
    if (!abort.signal.aborted) throw e;
    const seconds = Math.round(performance.now() - t0) / 1000;
    return {
      ops: null,
      verdict: 'unknown',
      detail: `stopped after ${seconds} s: past the time budget (--time-limit plus slack for reading)`,
      seconds,
      warnings: 0,
      cacheable: false,
    };
  } finally {
    clearTimeout(timer);
    port1.close();
  }
}
