/**
 * Running the CLI end to end from the sources: in a child process (`node --import tsx <entry> …`),
 * or in this process with its standard output and error captured. Any other TypeScript script
 * (a bench script, a test's own child) starts the same way through `startTsx`, `runTsx` and
 * `runTsxSync`. What a test asserts stays in the test; how the child is started is said here.
 */
import { type ChildProcessByStdio, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The development entries: the whole CLI (what `bin/hindsight.js` runs once built), and the analyzer's alone. */
export const CLI_ENTRY = {
  hindsight: join(ROOT, 'recorder', 'cli', 'run.ts'),
  analyzer: join(ROOT, 'analyzer', 'cli', 'run.ts'),
} as const;

/** tsx's loader by its absolute address, so that a child started in another directory still finds it. */
const TSX = import.meta.resolve('tsx');

export interface RunOptions {
  /** Written to the child's standard input, which is then closed (closed at once when there is none). */
  input?: string | Buffer;
  /** Added to this process's environment (which the child otherwise inherits as it is). */
  env?: NodeJS.ProcessEnv;
  /** The child's working directory; this process's when not given (the repository root under `npm test`). */
  cwd?: string;
  /** Sends the child SIGTERM after this many milliseconds (its `code` is then null). */
  timeoutMs?: number;
}

export interface CliOptions extends RunOptions {
  /** Run the analyzer's CLI (analyzer/cli/run.ts) rather than the whole one (recorder/cli/run.ts). */
  analyzer?: boolean;
}

/** A child's exit status (null when a signal ended it: `Running.child.signalCode` names which) and everything it wrote, as UTF-8. */
export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

/** A child under way: the process itself, what it has written so far, and its result once it has closed. */
export interface Running {
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  readonly out: string;
  readonly err: string;
  /** Settles when the child has exited and its output streams have closed; never rejects. */
  done: Promise<CliResult>;
}

/** Starts `node --import tsx ...argv` (argv: a script and its arguments, or node flags such as `-e`). */
export function startTsx(argv: readonly string[], o: RunOptions = {}): Running {
  const child = spawn(process.execPath, ['--import', TSX, ...argv], {
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(o.cwd === undefined ? {} : { cwd: o.cwd }),
    ...(o.env === undefined ? {} : { env: { ...process.env, ...o.env } }),
    ...(o.timeoutMs === undefined ? {} : { timeout: o.timeoutMs }),
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d: string) => (out += d));
  child.stderr.on('data', (d: string) => (err += d));
  // A child that exits without reading all its input must not fail the test with EPIPE.
  child.stdin.on('error', () => {});
  child.stdin.end(o.input);
  const done = new Promise<CliResult>((res) => child.on('close', (code) => res({ code, out, err })));
  return {
    child,
    get out() {
      return out;
    },
    get err() {
      return err;
    },
    done,
  };
}

/** Runs `node --import tsx ...argv` to the end. */
export function runTsx(argv: readonly string[], o: RunOptions = {}): Promise<CliResult> {
  return startTsx(argv, o).done;
}

/** Runs `node --import tsx ...argv` to the end, blocking this process meanwhile. */
export function runTsxSync(argv: readonly string[], o: RunOptions = {}): CliResult {
  const r = spawnSync(process.execPath, ['--import', TSX, ...argv], {
    encoding: 'utf8',
    ...(o.input === undefined ? {} : { input: o.input }),
    ...(o.cwd === undefined ? {} : { cwd: o.cwd }),
    ...(o.env === undefined ? {} : { env: { ...process.env, ...o.env } }),
    ...(o.timeoutMs === undefined ? {} : { timeout: o.timeoutMs }),
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Starts `hindsight ...args` from the sources. */
export function startCli(args: readonly string[], o: CliOptions = {}): Running {
  return startTsx([o.analyzer ? CLI_ENTRY.analyzer : CLI_ENTRY.hindsight, ...args], o);
}

/** Runs `hindsight ...args` from the sources to the end. */
export function runCli(args: readonly string[], o: CliOptions = {}): Promise<CliResult> {
  return startCli(args, o).done;
}

/**
 * A `write` for `stream` that keeps strings in `sink` and hands anything else to `real`. The
 * CLI writes strings; node:test's file runner reports each test to its parent as serialized
 * Buffers on the same stdout, and swallowing one loses that test's result, a failure included.
 */
export function capturingStrings(sink: string[], stream: NodeJS.WriteStream, real: NodeJS.WriteStream['write']): NodeJS.WriteStream['write'] {
  return ((s: string | Uint8Array, ...rest: unknown[]) =>
    typeof s === 'string' ? (sink.push(s), true) : (real as (...a: unknown[]) => boolean).call(stream, s, ...rest)) as NodeJS.WriteStream['write'];
}

/**
 * Runs `hindsight ...args` in this process (the CLI's own entry function, imported on first use),
 * with what it writes to standard output and error captured rather than printed.
 */
export async function runCliInProcess(args: readonly string[], o: { analyzer?: boolean } = {}): Promise<{ code: number; out: string; err: string }> {
  const entry = o.analyzer ? (await import('../../analyzer/cli/main.js')).main : (await import('../../recorder/cli/main.js')).run;
  const out: string[] = [];
  const err: string[] = [];
  const writeOut = process.stdout.write;
  const writeErr = process.stderr.write;
  process.stdout.write = capturingStrings(out, process.stdout, writeOut);
  process.stderr.write = ((s: string | Uint8Array) => (err.push(String(s)), true)) as typeof process.stderr.write;
  let code: number;
  try {
    code = await entry(['node', 'hindsight', ...args]);
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
  return { code, out: out.join(''), err: err.join('') };
}
