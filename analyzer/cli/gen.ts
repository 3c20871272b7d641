/**
 * `hindsight gen`: writes a synthetic history with a known verdict (analyzer/gen/) as EDN lines
 * to stdout or `--out FILE`, after a `; hindsight-gen {…}` comment line naming the expected
 * verdict and the `hindsight check` flags that judge it.
 */
import { type Command, Option } from 'commander';
import { UsageError } from '../check/checker.js';
import { finiteNumber } from '../util/options.js';
import { type GenOptions, type GenWorkload, expectedOf, genAnomalies, genWorkloads, streamGenerated, validateGenOptions } from '../gen/index.js';

interface GenCliOptions {
  workload: GenWorkload;
  ops: string;
  concurrency: string;
  keys: string;
  seed: string;
  anomaly?: string;
  anomalyAt?: string;
  out?: string;
}

function workloadsHelp(): string {
  const w = Math.max(...genWorkloads.map((x) => x.length));
  const lines = genWorkloads.map((x) => {
    const e = expectedOf({ workload: x, ops: 0, concurrency: 1, keys: 2, seed: 0 });
    return `  ${x.padEnd(w)}  checker ${e.checker}; anomalies: ${genAnomalies[x].join(', ')}`;
  });
  return `\nWorkloads:\n${lines.join('\n')}\n\nSee docs/gen.md.\n`;
}

/** Adds `hindsight gen` to the program. */
export function addGenCommand(program: Command): void {
  program
    .command('gen')
    .description('write a synthetic history with a known verdict, from a simulated database (correct, or with an injected anomaly)')
    .addOption(new Option('--workload <name>', 'what the clients do').choices([...genWorkloads]).makeOptionMandatory())
    .option('--ops <n>', 'history entries (invocations and completions)', '1000')
    .option('--concurrency <n>', 'client processes in flight at once', '5')
    .option('--keys <n>', 'registers, sets or live transaction keys (register, cas-register, set: more than 1 gives [k v] values)', '4')
    .option('--seed <n>', 'random seed: the same seed gives the same bytes', '0')
    .option('--anomaly <name>', 'inject this anomaly (the history is then invalid)')
    .option('--anomaly-at <fraction>', 'where to inject it, as a fraction of the history', '0.5')
    .option('--out <file>', 'write to this file instead of stdout')
    .addHelpText('after', workloadsHelp())
    .action(async (opts: GenCliOptions) => {
      const o: GenOptions = {
        workload: opts.workload,
        ops: finiteNumber('--ops', opts.ops),
        concurrency: finiteNumber('--concurrency', opts.concurrency),
        keys: finiteNumber('--keys', opts.keys),
        seed: finiteNumber('--seed', opts.seed),
        anomaly: opts.anomaly,
        anomalyAt: opts.anomalyAt === undefined ? undefined : finiteNumber('--anomaly-at', opts.anomalyAt),
      };
      try {
        validateGenOptions(o);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      if (opts.out !== undefined) {
        await streamGenerated(o, opts.out);
        return;
      }
      // A reader that stops early (`| head`) closes the pipe: stop quietly, as Unix tools do.
      const closed = (e: NodeJS.ErrnoException): boolean => e.code === 'EPIPE';
      const ignore = (e: NodeJS.ErrnoException): void => {
        if (!closed(e)) throw e;
      };
      process.stdout.on('error', ignore);
      try {
        await streamGenerated(o, process.stdout);
      } catch (e) {
        if (!closed(e as NodeJS.ErrnoException)) throw e;
      } finally {
        process.stdout.off('error', ignore);
      }
    });
}
