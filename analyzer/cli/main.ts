/** The `hindsight` command line. Exit statuses: 0 valid, 1 invalid, 2 unknown, 3 bad input or usage. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { UsageError } from '../check/checker.js';
import { HistoryError } from '../history/diagnostics.js';
import { checkers } from '../checkers/registry.js';
import { formatsHelp } from '../history/formats-help.js';
import { type CheckCommandOptions, runCheck } from './check.js';
import { EXIT_BAD_INPUT, EXIT_UNKNOWN } from './exit.js';
import { addCheckerOptions } from './checker-options.js';

const out = (s: string): void => void process.stdout.write(s + "\n");
const err = (s: string): void => void process.stderr.write(s + "\n");

function checkerList(): string {
  const names = [...checkers.values()].sort((a, b) => a.name.localeCompare(b.name));
  const w = Math.max(...names.map((c) => c.name.length));
  return names.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`).join('\n');
}

/** The version in hindsight's package.json, found upward from this module (sources or dist/). */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'hindsight' && typeof pkg.version === 'string') return pkg.version;
  }
  return 'unknown';
}

type AddCommand = (program: Command) => void;

/**
 * The analyzer's commands besides `check` and `formats`, each module loaded only when the command
 * line names one of its commands, or needs them all (no command, `--help`, `help`, a command
 * the analyzer does not have): a check need not load the report, recheck, queue, shrink and
 * bench code (203 modules → 149 for a check).
 */
const LAZY_COMMANDS: ReadonlyArray<{ names: readonly string[]; load: () => Promise<AddCommand> }> = [
  { names: ['report', 'serve'], load: async () => ((m) => (p: Command) => m.addReportCommands(p, out))(await import('./report.js')) },
  { names: ['gen'], load: async () => (await import('./gen.js')).addGenCommand },
  { names: ['bench'], load: async () => ((m) => (p: Command) => m.addBenchCommand(p, out, err))(await import('./bench.js')) },
  { names: ['recheck'], load: async () => ((m) => (p: Command) => m.addRecheckCommand(p, out, err))(await import('./recheck.js')) },
  { names: ['worker'], load: async () => ((m) => (p: Command) => m.addWorkerCommand(p, err))(await import('./worker.js')) },
  { names: ['shrink'], load: async () => ((m) => (p: Command) => m.addShrinkCommand(p, out))(await import('./shrink.js')) },
  { names: ['verify'], load: async () => ((m) => (p: Command) => m.addVerifyCommand(p, out, err))(await import('./verify.js')) },
  { names: ['elle-cli'], load: async () => ((m) => (p: Command) => m.addElleCliCommand(p, out, err))(await import('./elle-cli.js')) },
];

/** Every command the analyzer has, in the order `--help` lists them. */
export const ANALYZER_COMMANDS: readonly string[] = ['check', 'formats', ...LAZY_COMMANDS.flatMap((c) => c.names)];

/**
 * The `hindsight` commander program (the recorder's commands are added by `main`'s `extend`):
 * with `command` one of the analyzer's, only what that command needs; otherwise every command.
 */
export async function buildProgram(command?: string): Promise<Command> {
  const program = new Command('hindsight')
    .description('Checks Jepsen-style histories: is what the database did correct?')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void process.stdout.write(s), writeErr: (s) => void process.stderr.write(s) });

  const check = program
    .command('check')
    .description('check one or more histories')
    .argument('[file...]', 'history files (EDN, EDN vector, JSON, Jepsen log)')
    .option('--checker <names>', 'checker name, or several separated by commas (required unless --store)')
    .option('--store <dir>', 're-check a recorded run (run dir, test dir or store root: its latest) with the checkers in its test.edn')
    .addOption(new Option('--format <format>', 'history format').choices(['auto', 'edn', 'edn-vector', 'json', 'jepsen-log']).default('auto'))
    .option('--json', 'print and write results as JSON instead of EDN')
    .option('--out <dir>', 'write results and pictures to this directory')
    .option('--quiet', 'print nothing but errors')
    .option('--strict', 'fail on the first problem in the history instead of warning')
    .option('--lossy-utf8', 'read bytes that are not UTF-8 as U+FFFD (with a warning) instead of refusing the file')
    .option('--time-limit <seconds>', "each file's whole check, reading included; past it the verdict is unknown")
    .option('--memory-limit <MB>', "heap for each file's check; past it the verdict is unknown, never a crash")
    .option('--certificate <file>', 'write the evidence for the verdict, checkable by `hindsight verify` (linearizable, list-append, rw-register, set-full and the other collection checkers; see docs/certificates.md)');
  // Every checker's own options, merged: a flag several define is declared shared by each.
  const own = new Set<string>(['--checker', '--store', '--format', '--json', '--out', '--quiet', '--strict', '--lossy-utf8', '--time-limit', '--memory-limit', '--certificate']);
  addCheckerOptions(check, own);
  check.addHelpText('after', `\nCheckers:\n${checkerList()}\n\nRun \`hindsight formats\` for the history formats.\n`);
  check.action(async (files: string[], opts: CheckCommandOptions) => {
    process.exitCode = await runCheck(files, opts, out, err, true);
  });

  program
    .command('formats')
    .description('describe the history formats hindsight reads')
    .action(() => {
      out(formatsHelp);
    });
  const only = command !== undefined && ANALYZER_COMMANDS.includes(command) ? command : undefined;
  const wanted = only === undefined ? LAZY_COMMANDS : LAZY_COMMANDS.filter((c) => c.names.includes(only));
  for (const add of await Promise.all(wanted.map((c) => c.load()))) add(program);
  return program;
}

/**
 * `hindsight check … --json | head`: once the reader has gone, writing more fails with EPIPE.
 * That is not an error of ours: stop quietly with the status so far, no stack trace.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  if (closedPipeWatched.has(stream)) return;
  closedPipeWatched.add(stream);
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw e;
  });
}

const closedPipeWatched = new WeakSet<NodeJS.WriteStream>();

/**
 * Runs the CLI on `argv` (`process.argv`: node, script, arguments) and returns the exit status;
 * never throws: a usage error or bad input is 3, an internal error 2, each said on stderr.
 * `extend` (awaited before parsing) lets the recorder add its commands (`record`, `nodes`, …) without the analyzer
 * importing the recorder.
 */
export async function main(argv: string[], extend?: (program: Command) => void | Promise<void>): Promise<number> {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  const program = await buildProgram(argv[2]);
  // Commands report their status in process.exitCode. A run in this process must not see a
  // status an earlier one left there (a library caller, a test running the CLI in-process),
  // nor leave its own behind: the caller gets it as the return value.
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await extend?.(program);
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    if (e instanceof UsageError) {
      err(`hindsight: ${e.message}`);
      return EXIT_BAD_INPUT;
    }
    // Bad input found while checking (a malformed transaction, say): its file:line message.
    if (e instanceof HistoryError) {
      err(e.message);
      return EXIT_BAD_INPUT;
    }
    const message = e instanceof Error ? e.message : String(e);
    err(`hindsight: internal error: ${message}`);
    if (process.env.HINDSIGHT_DEBUG && e instanceof Error) err(e.stack ?? '');
    return EXIT_UNKNOWN;
  } finally {
    process.exitCode = before;
  }
}
