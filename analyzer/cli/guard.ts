/**
 * A check with a hard budget: `--time-limit` for the whole check (reading included) and
 * `--memory-limit`. Searches watch the clock themselves, but much of a check does not (reading
 * a file, building Elle's graphs, one long synchronous phase of any checker), and JavaScript
 * cannot interrupt its own thread. So such a check runs on a worker thread:
 *
 * - time: the worker gets the deadline and passes what is left to the checkers, whose searches
 *   stop in time with their partial evidence; if the worker is still busy `GRACE` after the
 *   deadline, it is terminated (V8 stops it even inside a loop) and the check is `:unknown`,
 *   naming the phase it was in. A check so ends within max(0.5 s, 5 %) of its limit.
 * - memory: the worker's old generation is capped at `--memory-limit` MB; past it V8 stops the
 *   worker, not the process, and the check is `:unknown` ("ran out of its memory budget while
 *   checking list-append"), never a V8 crash.
 *
 * Starting the worker costs about 0.2 s, so checks without either flag stay on the main thread.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { printEdn } from '../edn/print.js';
import { parseEdn } from '../edn/scanner.js';
import type { EdnValue } from '../edn/values.js';
import type { Phases } from '../report/phases.js';
import { STDIN } from '../history/readers/byte-source.js';
import { isTempName } from '../util/atomic-write.js';
import { BudgetExceeded } from '../util/budget.js';
import { workerModule } from '../util/workers.js';
import { type CheckIo, type CheckJob, type CheckOneOptions, budgetResult, finish, timeLimitText } from './check-one.js';

/** How long past its deadline a check may run before its worker is stopped. */
export function graceMs(limitMs: number): number {
  return Math.max(500, 0.05 * limitMs);
}

/** Options cross to the worker as plain values, EDN values (from a stored test.edn) as EDN text. */
export type WireOptions = Record<string, { plain: string | number | boolean } | { edn: string }>;

/** Options as they cross to the worker: strings, numbers and booleans as they are, any other value as EDN text. */
export function toWire(opts: Record<string, unknown>): WireOptions {
  const out: WireOptions = {};
  for (const [k, v] of Object.entries(opts)) {
    if (v === undefined) continue;
    out[k] = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? { plain: v } : { edn: printEdn(v as EdnValue) };
  }
  return out;
}

/** The options `toWire` sent, back as values. Throws `EdnSyntaxError` on EDN text that is not one value. */
export function fromWire(w: WireOptions): Record<string, unknown> {
  return Object.fromEntries(Object.entries(w).map(([k, v]) => [k, 'plain' in v ? v.plain : parseEdn(v.edn)]));
}

/** What the worker of a guarded check is given (its `workerData`). */
export interface GuardTask {
  job: CheckJob;
  /** The check's options, `checker` among them. */
  options: WireOptions;
}

/** What the worker sends back: a line to print (held or at once), the phase it is in, its exit status. */
export type GuardMessage =
  | { t: 'log' | 'err'; s: string }
  | { t: 'phase'; s: string; done?: number; total?: number }
  | { t: 'done'; code: number };

/** A guarded check's hard budgets; either may be absent. */
export interface Limits {
  /** The whole check's time, in ms. */
  timeMs?: number;
  /** The worker's heap (old generation), in MB. */
  memoryMb?: number;
}

/** Removes the temporary files a stopped worker may have left mid-write in `dir`. */
async function removeTemps(dir: string | undefined): Promise<void> {
  if (dir === undefined) return;
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter(isTempName).map((n) => rm(join(dir, n), { force: true })));
}

/** Runs `checkOne` for `job` on a worker thread within `limits`; returns its exit status. */
export async function guardedCheckOne(job: CheckJob, opts: CheckOneOptions, io: CheckIo, phases: Phases, limits: Limits): Promise<number> {
  const started = Date.now();
  const deadline = limits.timeMs === undefined ? undefined : started + limits.timeMs;
  const loc = workerModule(import.meta.url, 'check-worker');
  const task: GuardTask = { job: { ...job, deadline }, options: toWire(opts) };
  // From sources (tests, tsx), a worker's `--import tsx` is not in place before its entry module
  // loads on Node 20; registering tsx's loader first, then importing the entry, is.
  const entry = JSON.stringify(loc.filename);
  const fromSource = loc.execArgv.length > 0;
  const worker = new Worker(fromSource ? `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}); })` : `import(${entry})`, {
    eval: true,
    execArgv: [],
    workerData: task,
    resourceLimits: limits.memoryMb === undefined ? undefined : { maxOldGenerationSizeMb: limits.memoryMb },
    // `check -`: the history is this process's standard input, handed on to the worker.
    stdin: job.file === STDIN,
    stdout: false,
    stderr: false,
  });
  if (job.file === STDIN && worker.stdin !== null) process.stdin.pipe(worker.stdin);
  let phase = 'starting';
  const held: string[] = [];
  let code: number | undefined;
  const stopped = new Promise<BudgetExceeded | undefined>((resolve, reject) => {
    const timer =
      deadline === undefined
        ? undefined
        : setTimeout(() => {
            if (code !== undefined) return; // the verdict came first: it stands
            resolve(new BudgetExceeded('time', phase, timeLimitText(opts, phase)));
            void worker.terminate();
          }, deadline - started + graceMs(limits.timeMs!));
    worker.on('message', (m: GuardMessage) => {
      // The verdict's lines are held until the worker is done, so a check stopped between
      // printing and finishing never prints two verdicts.
      if (m.t === 'log') held.push(m.s);
      else if (m.t === 'err') {
        phases.clear();
        io.err(m.s);
      } else if (m.t === 'phase') {
        phase = m.s;
        phases.phase(m.s, m.done, m.total);
      } else if (m.t === 'done') {
        code = m.code;
        if (timer !== undefined) clearTimeout(timer);
        for (const line of held) io.log(line);
      }
    });
    worker.on('error', (e: Error & { code?: string }) => {
      if (timer !== undefined) clearTimeout(timer);
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        resolve(new BudgetExceeded('memory', phase, `the memory budget of ${limits.memoryMb} MB (--memory-limit) ran out while ${phase}; the check was stopped there`));
      } else reject(e);
    });
    worker.on('exit', () => {
      if (timer !== undefined) clearTimeout(timer);
      resolve(undefined);
    });
  });
  const exceeded = await stopped.finally(() => phases.clear());
  if (exceeded === undefined && code !== undefined) return code;
  if (exceeded === undefined) throw new Error(`the check of ${job.file} ended without a verdict`);
  await removeTemps(job.outDir);
  return finish(job, budgetResult(exceeded), [], opts, io, exceeded.message);
}
