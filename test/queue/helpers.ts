/** Running `hindsight worker`s and queued rechecks against a test's Redis, and comparing their output with a local recheck's. */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUE_NAME } from '../../analyzer/queue/job.js';
import { type CliOptions, type CliResult, type Running, runCli, startCli } from '../support/cli.js';
import { tableRows } from '../recheck/helpers.js';

/** Every worker a test started, killed by pid when it ends (also when it fails). */
const started = new Set<Running>();

/** Polls `cond` every 50 ms until it holds; rejects naming `what` after `timeoutMs`. */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts `hindsight worker --queue url --name name --lock-seconds 3 --concurrency 1 …extra` and resolves once it takes jobs. */
export async function startWorker(url: string, name: string, extra: string[] = [], o: CliOptions = {}): Promise<Running> {
  const w = startCli(['worker', '--queue', url, '--name', name, '--lock-seconds', '3', '--concurrency', '1', ...extra], { analyzer: true, ...o });
  started.add(w);
  await Promise.race([
    waitFor(() => w.err.includes(`worker ${name}: taking jobs`), `worker ${name} to start`),
    w.done.then((r) => {
      throw new Error(`worker ${name} exited (${r.code}) before taking jobs: ${r.err}`);
    }),
  ]);
  return w;
}

/** Stops every worker the test started: SIGTERM, SIGKILL after 5 s. */
export async function stopWorkers(): Promise<void> {
  await Promise.all(
    [...started].map(async (w) => {
      started.delete(w);
      if (w.child.exitCode !== null || w.child.signalCode !== null) return;
      w.child.kill('SIGTERM');
      const t = setTimeout(() => w.child.kill('SIGKILL'), 5000);
      await w.done;
      clearTimeout(t);
    }),
  );
}

/** How many histories a worker's log says it started checking. */
export const checkings = (w: Running): number => w.err.split('\n').filter((l) => / checking .* \(job [0-9a-f-]+\)$/.test(l)).length;

/** Runs `hindsight recheck …args` from the sources (the analyzer's CLI). */
export function recheckCli(args: string[], o: CliOptions = {}): Promise<CliResult> {
  return runCli(['recheck', ...args], { analyzer: true, ...o });
}

/**
 * A recheck's printed report without what differs from run to run: the table's cells without
 * the time column (paths relative to `root`), then the lines after it with the batch's seconds
 * and the `wrote …` line left out.
 */
export function comparable(out: string, root: string): { rows: string[][]; after: string[] } {
  const rows = tableRows(out, root).map((r) => [...r.slice(0, 4), ...r.slice(5)]);
  const lines = out.split('\n');
  const after = lines
    .slice(lines.indexOf('') + 1)
    .filter((l) => !l.startsWith('wrote '))
    .map((l) => l.split(root + '/').join('').replace(/ \(\d+\.\d s\)$/, ' (T)'));
  return { rows, after };
}

/** Job counts of the recheck queue in the Redis at `url`. */
export async function jobCounts(url: string): Promise<Record<string, number>> {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const q = new Queue(QUEUE_NAME, { connection });
  try {
    return await q.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized');
  } finally {
    await q.close();
    connection.disconnect();
  }
}
