/**
 * `hindsight record`: run a test against a database and print the verdict; and
 * `hindsight memory-server`: the embedded database's client server as its own process.
 * Exit statuses: 0 valid, 1 invalid, 2 unknown, 3 the run could not be made.
 */
import { type Command, Option } from 'commander';
import { EXIT_BAD_INPUT, exitFor } from '../../analyzer/cli/exit.js';
import { formatResult } from '../../analyzer/cli/output.js';
import { UsageError, verdictWord } from '../../analyzer/check/checker.js';
import { checkerNamed } from '../../analyzer/checkers/registry.js';
import { describeResult } from '../../analyzer/check/compose.js';
import { integerAtLeast, numberAtLeast } from '../../analyzer/util/options.js';
import { backendLoadErrors, backendNamed, backendNames, loadBackends } from '../core/backends.js';
import { runTest } from '../run/run-test.js';
import { RunError, type TestOptions } from '../core/types.js';
import { BUGS } from '../memory/cluster.js';
import { serveMemory } from '../memory/server.js';
import { STANDARD_WORKLOADS } from '../workloads/index.js';
import { parseGroups, parseTargetsFlag } from '../nemesis/targets.js';
import { statusLine, summaryLine } from './status-line.js';

const out = (s: string): void => void process.stdout.write(s + '\n');
const err = (s: string): void => void process.stderr.write(s + '\n');

// Commander argument parsers over the analyzer's checks, so both CLIs word a bad number alike.
const int = (name: string, min: number) => (raw: string): number => integerAtLeast(name, raw, min);
const num = (name: string) => (raw: string): number => numberAtLeast(name, raw, 0);

const list = (raw: string): string[] => raw.split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== 'none');

/** `--nodes 5` means five local nodes n1…n5 (as Jepsen's `--nodes` count); otherwise a list of names. */
export function nodeList(raw: string): string[] {
  if (/^\d+$/.test(raw.trim())) {
    const n = Number(raw.trim());
    if (n < 1 || n > 64) throw new UsageError(`--nodes ${raw}: a node count must be 1 to 64`);
    return Array.from({ length: n }, (_, i) => `n${i + 1}`);
  }
  return list(raw);
}

interface RecordFlags {
  db: string;
  workload: string;
  nemesis: string[];
  nemesisInterval: number;
  timeLimit: number;
  concurrency: number;
  nodes?: string[];
  store: string;
  bug: string[];
  seed?: number;
  rate: number;
  opTimeout: number;
  clientServer?: string;
  leaveDbRunning?: boolean;
  name?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  nemesisTargets?: string;
  groups?: string;
  [extra: string]: unknown;
}

const OWN = new Set(['db', 'workload', 'nemesis', 'nemesisInterval', 'timeLimit', 'concurrency', 'nodes', 'store', 'bug', 'seed', 'rate', 'opTimeout', 'clientServer', 'leaveDbRunning', 'name', 'json', 'quiet', 'verbose', 'nemesisTargets', 'groups']);

async function record(f: RecordFlags): Promise<number> {
  await loadBackends();
  const backend = backendNamed(f.db);
  if (backend === undefined) {
    const why = backendLoadErrors.get(f.db);
    throw new UsageError(why !== undefined ? `the ${f.db} backend failed to load: ${why}` : `unknown --db ${f.db}; known: ${backendNames().join(', ')}`);
  }
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) if (!OWN.has(k)) extra[k] = v;
  const nodes = f.nodes ?? backend.defaultNodes;
  const nemesisTargets = f.nemesisTargets === undefined ? undefined : parseTargetsFlag(f.nemesisTargets, f.nemesis);
  if (f.groups !== undefined) parseGroups(f.groups, nodes);
  const o: TestOptions = {
    name: f.name ?? `${f.db}-${f.workload}`,
    db: f.db,
    workload: f.workload,
    nodes,
    concurrency: f.concurrency,
    timeLimit: f.timeLimit,
    seed: f.seed ?? Math.floor(Math.random() * 2 ** 31),
    store: f.store,
    nemesis: f.nemesis,
    nemesisInterval: f.nemesisInterval,
    bugs: f.bug,
    rate: f.rate,
    opTimeoutMs: f.opTimeout,
    ...(f.clientServer === undefined ? {} : { clientServer: f.clientServer }),
    leaveDbRunning: f.leaveDbRunning ?? false,
    extra,
    ...(nemesisTargets === undefined ? {} : { nemesisTargets }),
    ...(f.groups === undefined ? {} : { groups: f.groups }),
  };
  const abort = new AbortController();
  // The live status line: on a terminal only, and erased before anything else is printed.
  const line = statusLine({ quiet: f.quiet === true || f.json === true });
  const say = (s: string): void => {
    line.clear();
    err(s);
  };
  const onSigint = (): void => {
    say('hindsight: interrupted; healing, checking what was recorded');
    abort.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    const r = await runTest(o, f.verbose ? say : undefined, abort.signal, { onStatus: line.onStatus });
    line.clear();
    const v = r.result['valid?'];
    if (f.quiet) return exitFor(v);
    if (f.json) out(formatResult(r.result, true));
    else {
      const only = r.checkers.length === 1 ? checkerNamed(r.checkers[0]) : undefined;
      const details = only?.describe !== undefined && r.result.error === undefined ? ` — ${describeResult(only, r.result)}` : '';
      out(`${verdictWord(v)}${details}`);
      const anomalies = r.result['anomaly-types'];
      if (Array.isArray(anomalies) && anomalies.length > 0) out(`anomalies: ${formatResult(anomalies as never, false)}`);
      if (typeof r.result.error === 'string') out(`error: ${r.result.error}`);
      out(summaryLine(r));
    }
    return exitFor(v);
  } catch (e) {
    line.clear();
    if (e instanceof RunError) {
      err(`hindsight: ${e.message}`);
      return EXIT_BAD_INPUT;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/**
 * Adds `hindsight record` to `program`. Its action sets `process.exitCode` to the verdict's status
 * (0 valid, 1 invalid, 2 unknown) or 3 when the run cannot be made (a `RunError`); other errors propagate.
 */
export function addRecordCommands(program: Command): void {
  const cmd = program
    .command('record')
    .description('run a Jepsen-style test against a database and check what it did')
    .addOption(new Option('--db <name>', 'database backend (memory: embedded, no cluster needed)').default('memory'))
    .addOption(new Option('--workload <name>', workloadHelp()).default('register'))
    .option('--nemesis <faults>', `faults, comma-separated, or none (${faultHelp()})`, list, [])
    .option('--nemesis-targets <specs>', 'where each fault strikes, FAULT=TARGET,…: one, minority, majority, all, some, leader, random-healthy:K, group:G, each optionally @group (defaults: the fault table in docs/recorder.md)')
    .option('--groups <groups>', 'server groups for group targets: n1,n2:n3,n4,n5 (groups 1 and 2)')
    .option('--nemesis-interval <seconds>', 'seconds between fault changes', num('--nemesis-interval'), 2)
    .option('--time-limit <seconds>', 'seconds of workload', num('--time-limit'), 10)
    .option('--concurrency <n>', 'worker processes', int('--concurrency', 1), 10)
    .option('--nodes <names|count>', 'node names, comma-separated, or a count N for n1…nN (default: the backend’s)', nodeList)
    .option('--store <dir>', 'store root directory', 'store')
    .option('--bug <names>', `inject bugs, comma-separated (memory: ${Object.keys(BUGS).join(', ')})`, list, [])
    .option('--seed <n>', 'random seed (default: random; printed in test.edn)', int('--seed', 0))
    .option('--rate <ops/s>', 'client ops per second across workers (0: unlimited)', num('--rate'), 500)
    .option('--op-timeout <ms>', 'ms before an op without a completion is recorded :info :timeout', int('--op-timeout', 1), 1000)
    .option('--client-server <host:port>', 'use this client server (proto/client.proto) instead of the backend’s own')
    .option('--leave-db-running', 'skip teardown')
    .option('--name <name>', 'test name (default <db>-<workload>)')
    .option('--json', 'print the results as JSON')
    .option('--quiet', 'print nothing but errors, and no status line (the exit status is the verdict; the store has the rest)')
    .option('--verbose', 'echo recorder.log to stderr');
  return void cmd.action(async (f: RecordFlags) => {
    process.exitCode = await record(f);
  });
}

/** `--workload`'s help: the standard workloads, then what each backend adds (its own and its scenarios), from the registry. */
function workloadHelp(): string {
  const extra = backendNames().flatMap((n) => {
    const more = backendNamed(n)!.workloads.filter((w) => !(STANDARD_WORKLOADS as readonly string[]).includes(w));
    return more.length === 0 ? [] : [`${n} also: ${more.join(', ')}`];
  });
  return [STANDARD_WORKLOADS.join(' | '), ...extra].join('; ');
}

/** `--nemesis`'s help: each backend's faults, from the registry. */
function faultHelp(): string {
  return backendNames().map((n) => `${n}: ${backendNamed(n)!.faults.join(', ') || 'none'}`).join('; ');
}

/** Backend-declared flags (call after `loadBackends()`). */
export function addBackendOptions(program: Command): void {
  const cmd = program.commands.find((c) => c.name() === 'record');
  if (cmd === undefined) return;
  const seen = new Set(cmd.options.map((o) => o.long));
  for (const name of backendNames()) {
    for (const o of backendNamed(name)!.options ?? []) {
      const opt = new Option(o.flags, `${name}: ${o.description}`);
      if (seen.has(opt.long)) continue;
      seen.add(opt.long);
      if (o.default !== undefined) opt.default(o.default);
      cmd.addOption(opt);
    }
  }
}

/**
 * Adds `hindsight memory-server`: serves the embedded database on `--host`/`--port`, prints the
 * address, and stops on SIGTERM or SIGINT.
 */
export function addMemoryServerCommand(program: Command): void {
  program
    .command('memory-server')
    .description('serve the embedded database over proto/client.proto (for `record --client-server`)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0: any free one; the chosen address is printed)', int('--port', 0), 0)
    .action(async (f: { host: string; port: number }) => {
      const { server } = await serveMemory(f.host, f.port);
      out(`listening on ${server.address}`);
      await new Promise<void>((res) => {
        process.once('SIGTERM', res);
        process.once('SIGINT', res);
      });
      await server.stop();
    });
}
