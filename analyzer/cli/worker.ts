/**
 * `hindsight worker --queue redis://…`: check recheck jobs from the queue until stopped
 * (SIGTERM or SIGINT: it finishes the jobs it holds, then exits 0; a second signal exits at
 * once). The queue modules are loaded only when the command runs. See docs/recheck.md.
 */
import type { Command } from 'commander';
import { UsageError } from '../check/checker.js';
import { integerAtLeast, positiveNumber } from '../util/options.js';
import { defaultWorkers } from '../util/workers.js';
import { EXIT_BAD_INPUT } from './exit.js';

/** The options of `hindsight worker`, as commander gives them. */
export interface WorkerCommandOptions {
  queue?: string;
  concurrency?: string;
  sharedRoot?: string;
  lockSeconds?: string;
  name?: string;
  quiet?: boolean;
}

/** Runs `hindsight worker` until a signal; resolves with its exit status. */
export async function runWorkerCommand(opts: WorkerCommandOptions, err: (s: string) => void): Promise<number> {
  if (opts.queue === undefined) throw new UsageError('worker needs --queue redis://HOST:PORT[/DB]');
  const [{ parseQueueAddress }, { runWorker }] = await Promise.all([import('../queue/url.js'), import('../queue/worker.js')]);
  const address = parseQueueAddress(opts.queue);
  const concurrency = integerAtLeast('--concurrency', opts.concurrency ?? String(defaultWorkers()), 1);
  const lockSeconds = positiveNumber('--lock-seconds', opts.lockSeconds ?? '30', 'seconds');
  if (opts.name !== undefined && !/^[\w.:@-]{1,100}$/.test(opts.name)) throw new UsageError(`--name takes letters, digits and . : @ _ - (at most 100), got ${opts.name}`);
  const stop = new AbortController();
  const onSignal = (): void => {
    if (stop.signal.aborted) process.exit(130);
    stop.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await runWorker({ address, concurrency, sharedRoot: opts.sharedRoot, lockSeconds, name: opts.name, log: opts.quiet ? () => {} : err, warn: err, signal: stop.signal });
    return 0;
  } catch (e) {
    err(`hindsight: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT_BAD_INPUT;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

/** Adds `hindsight worker`. */
export function addWorkerCommand(program: Command, err: (s: string) => void = (s) => void process.stderr.write(s + '\n')): void {
  program
    .command('worker')
    .description('check `recheck --queue` jobs from Redis until stopped (run one or more on every machine)')
    .option('--queue <redis-url>', 'the Redis the coordinator queues in: redis://[:PASSWORD@]HOST:PORT[/DB] (or the password in REDISCLI_AUTH)')
    .option('--concurrency <n>', 'histories checked at once (default: the core count)')
    .option('--shared-root <dir>', 'where the shared archive is mounted here; without it only shipped (--ship) histories are taken')
    .option('--lock-seconds <s>', "how long a job's lock lasts unrenewed: how soon a dead worker's job goes to another (default 30)")
    .option('--name <name>', 'this worker in logs and on the coordinator\'s progress line (default host:pid)')
    .option('--quiet', 'print nothing but errors')
    .addHelpText('after', '\nStops on SIGTERM or SIGINT after finishing the jobs it holds. See docs/recheck.md.\n')
    .action(async (opts: WorkerCommandOptions) => {
      process.exitCode = await runWorkerCommand(opts, err);
    });
}
