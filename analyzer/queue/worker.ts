/**
 * `hindsight worker`: takes recheck jobs off the queue, checks each on a thread of its own pool
 * (recheck/pool.ts, as a local recheck does, so BullMQ's lock on the job is renewed while a
 * long check runs), and stores the outcome in Redis: the summary for the coordinator, and a
 * cacheable verdict in the cache.
 *
 * Every job is validated first (queue/job.ts) and a job that cannot be used fails at once,
 * without retries, saying why; so does one from a coordinator running other code, whose
 * verdict would be cached under the wrong key. A path is read only under `--shared-root`,
 * also after symbolic links are resolved. A worker killed mid-job leaves its job locked until
 * the lock expires (`--lock-seconds`); another worker then finds it stalled and takes it. A job
 * stalled twice, or failing three times, is failed with its cause, which the coordinator shows.
 */
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { codeVersion } from '../recheck/cache.js';
import { CheckPool } from '../recheck/pool.js';
import type { SearchOutcome } from '../linear/search.js';
import searchInProcess, { type SearchTask } from '../linear/search-worker.js';
import { searchWorkerModule } from '../linear/parallel.js';
import { transferables } from '../linear/wire.js';
import { FallbackPool } from '../util/fallback-pool.js';
import { type QueueJob, InvalidJob, JOB_FORMAT, QUEUE_NAME, decodeOptions, isJsonObject, validateJob } from './job.js';
import { validateSearchJob } from './search-job.js';
import type { CheckOutcome } from './outcome.js';
import { DONE_TTL_SECONDS, cacheEntryKey, connected, doneKey } from './redis.js';
import type { QueueAddress } from './url.js';

/** How a worker runs. */
export interface WorkerOptions {
  address: QueueAddress;
  /** Histories checked at once (threads). */
  concurrency: number;
  /** Where the shared archive is mounted here; undefined: only shipped jobs are taken. */
  sharedRoot?: string;
  /** How long a job's lock lasts without renewal: how soon another worker takes a dead worker's job. */
  lockSeconds: number;
  /** The worker's name in logs and on the coordinator's progress line (default `host:pid`). */
  name?: string;
  /** One line per job, and when it starts and stops. */
  log: (line: string) => void;
  /** Problems: a failed job, Redis unreachable (default: `log`). */
  warn?: (line: string) => void;
  /** Stops taking jobs, finishes the ones it has, and resolves `runWorker`. */
  signal?: AbortSignal;
}

/** The worker's default name: `host:pid`. */
export const defaultWorkerName = (): string => `${hostname()}:${process.pid}`;

/** Runs a worker until `signal` aborts (see this file's header); rejects only when Redis cannot be reached at the start. */
export async function runWorker(o: WorkerOptions): Promise<void> {
  const name = o.name ?? defaultWorkerName();
  const warn = o.warn ?? o.log;
  let lastError = '';
  const onError = (m: string): void => {
    if (m !== lastError) warn(`worker ${name}: redis: ${m}`);
    lastError = m;
  };
  const client = await connected(o.address, 'worker', onError, 10_000);
  const root = o.sharedRoot === undefined ? undefined : await realpath(o.sharedRoot);
  const code = codeVersion();
  const pool = new CheckPool(o.concurrency);

  const ctx: JobContext = { name, code, root, sharedRoot: o.sharedRoot, concurrency: o.concurrency, pool, client, log: o.log };
  const processor = async (job: Job): Promise<CheckOutcome | SearchReply> => {
    const raw: unknown = job.data;
    // Code first: a job from another version may not even have this version's shape.
    const from = isJsonObject(raw) ? raw.code : undefined;
    if (typeof from === 'string' && from !== code) throw new UnrecoverableError(`worker ${name} runs hindsight ${code}, the coordinator ${from.slice(0, 100)}; their verdicts are not interchangeable`);
    return isJsonObject(raw) && raw.kind === 'search' && raw.format === JOB_FORMAT ? searchKey(ctx, job, raw) : checkHistory(ctx, job);
  };

  const lockMs = Math.round(o.lockSeconds * 1000);
  const worker = new Worker(QUEUE_NAME, processor, {
    connection: client,
    concurrency: o.concurrency,
    lockDuration: lockMs,
    stalledInterval: Math.min(lockMs, 30_000),
    maxStalledCount: 1,
    name,
  });
  worker.on('error', (e: Error) => onError(e.message));
  worker.on('failed', (job, e) => {
    if (job !== undefined) warn(`worker ${name}: job ${job.id} (${typeof job.data?.name === 'string' ? job.data.name : '?'}) failed: ${e.message}`);
  });
  o.log(`worker ${name}: taking jobs from ${o.address.redacted} (${o.concurrency} at once${root === undefined ? ', shipped histories only' : `, shared root ${root}`})`);
  await new Promise<void>((res) => {
    if (o.signal?.aborted) res();
    o.signal?.addEventListener('abort', () => res(), { once: true });
  });
  o.log(`worker ${name}: stopping (finishing the jobs it has)`);
  await worker.close();
  await pool.close();
  await ctx.searchPool?.destroy();
  client.disconnect();
}

/** What a job is checked with: the worker's name, code, shared root, threads and connection. */
interface JobContext {
  name: string;
  code: string;
  /** The shared root, symbolic links resolved; undefined: shipped histories only. */
  root?: string;
  /** `--shared-root` as given, for messages. */
  sharedRoot?: string;
  concurrency: number;
  pool: CheckPool;
  /** The search threads, started at the first search job. */
  searchPool?: FallbackPool<SearchTask, SearchOutcome>;
  client: Redis;
  log: (line: string) => void;
}

/** A search job's outcome and who made it. */
type SearchReply = SearchOutcome & { worker: string };

/** Fails `job` at once, without retries: it cannot be used. */
function unusable(e: unknown): never {
  throw new UnrecoverableError(e instanceof InvalidJob ? e.message : String(e));
}

/** A history job (queue/job.ts): validated, found under the shared root or unpacked, checked on a thread; its outcome stored. */
async function checkHistory(c: JobContext, job: Job): Promise<CheckOutcome> {
  let data: QueueJob;
  try {
    data = validateJob(job.data);
  } catch (e) {
    unusable(e);
  }
  let file: string;
  let scratch: string | undefined;
  if ('path' in data.source) {
    if (c.root === undefined) throw new UnrecoverableError(`worker ${c.name} has no --shared-root, and the job names ${data.name} by path; start workers with --shared-root, or recheck with --ship`);
    file = resolve(c.root, data.source.path);
    const real = await realpath(file).catch(() => file); // a missing file is the check's to report
    if (real !== c.root && !real.startsWith(c.root.endsWith(sep) ? c.root : c.root + sep)) throw new UnrecoverableError(`invalid job: ${data.name} leads outside --shared-root ${c.sharedRoot}`);
  } else {
    scratch = await mkdtemp(join(tmpdir(), 'hindsight-job-'));
    file = join(scratch, 'history');
    await writeFile(file, Buffer.from(data.source.shipped, 'base64'));
  }
  try {
    c.log(`worker ${c.name}: checking ${data.name} (job ${job.id})`);
    const summary = await c.pool.check({ file, name: data.name, checkers: data.checkers, options: decodeOptions(data.options), guessIndependent: data.guessIndependent }, data.limitMs ?? undefined);
    const outcome: CheckOutcome = { ...summary, worker: c.name };
    const { cacheable, ...stored } = summary;
    if (data.cache && cacheable) await c.client.set(cacheEntryKey(data.key), JSON.stringify({ key: data.key, value: stored }));
    await c.client.set(doneKey(String(job.id)), JSON.stringify(outcome), 'EX', DONE_TTL_SECONDS);
    c.log(`worker ${c.name}: ${data.name} ${summary.verdict} ${summary.seconds.toFixed(2)} s`);
    return outcome;
  } finally {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  }
}

/** A key of a huge history (queue/search-job.ts): searched on a thread, in-process if the threads fail; its outcome stored. */
async function searchKey(c: JobContext, job: Job, raw: Record<string, unknown>): Promise<SearchReply> {
  let checked;
  try {
    checked = validateSearchJob(raw);
  } catch (e) {
    unusable(e);
  }
  const { task } = checked;
  c.log(`worker ${c.name}: searching a key of ${checked.job.name} (${task.problem.n} ops, up to ${task.maxStates} configurations; job ${job.id})`);
  const t0 = performance.now();
  if (c.searchPool === undefined) {
    const m = searchWorkerModule();
    c.searchPool = new FallbackPool<SearchTask, SearchOutcome>({ filename: m.filename, execArgv: m.execArgv, maxThreads: c.concurrency });
  }
  const outcome = (!c.searchPool.broken ? await c.searchPool.run(task, transferables(task.problem)) : undefined) ?? searchInProcess(task);
  const out: SearchReply = { ...outcome, worker: c.name };
  await c.client.set(doneKey(String(job.id)), JSON.stringify(out), 'EX', DONE_TTL_SECONDS);
  c.log(`worker ${c.name}: a key of ${checked.job.name} ${outcome.valid === true ? 'valid' : outcome.valid === false ? 'invalid' : 'unknown'} ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  return out;
}
