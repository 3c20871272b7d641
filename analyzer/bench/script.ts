/**
 * What the `npm run bench:*` scripts (bench/) share besides measuring (process.ts): their
 * flags, parsed by node:util's parseArgs strictly (a misspelt flag is an error, not silently
 * ignored) with `--help`, and one entry point that is either the parent (plan, fork, print)
 * or, in a process the parent forked of the same script, the measured child.
 *
 * Numbers are judged by analyzer/util/options.ts, as the CLIs judge theirs; a UsageError
 * from there or from parseArgs prints with the usage and exits 3, as the CLIs do.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '../util/usage-error.js';
import { isMeasuredChild, serveMeasuredChild } from './process.js';

/** A script's flags, as parseArgs takes them. */
export type ScriptFlags = NonNullable<ParseArgsConfig['options']>;

/** The parsed flag values of `F`. */
export type FlagValues<F extends ScriptFlags> = ReturnType<typeof parseArgs<{ options: F; strict: true; allowPositionals: false }>>['values'];

/** One bench script: its usage text, its flags, the parent's work and (if it forks itself) the child's. */
export interface BenchScript<F extends ScriptFlags, A, R> {
  /** Printed for `--help`, and after a usage error. */
  usage: string;
  flags: F;
  /** The parent, with the parsed flags; throws UsageError for a bad value. */
  main(flags: FlagValues<F>): Promise<void>;
  /** The measurement in a child the parent forked of this same script (process.ts). */
  child?(arg: A): Promise<R>;
}

/**
 * Parses `argv` against `flags`; throws UsageError for an unknown flag, a missing value or a
 * positional argument (a script takes flags only).
 */
export function parseScriptFlags<F extends ScriptFlags>(flags: F, argv: readonly string[]): FlagValues<F> {
  try {
    return parseArgs({ args: [...argv], options: flags, strict: true, allowPositionals: false }).values as FlagValues<F>;
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/**
 * Runs the script: as the measured child if this process is one, else `--help` (usage on
 * stdout) or main; a UsageError prints its message and the usage on stderr and sets exit
 * status 3. Other errors propagate (a crash shows its stack).
 */
export async function runBenchScript<F extends ScriptFlags, A, R>(s: BenchScript<F, A, R>, argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  if (s.child !== undefined && isMeasuredChild()) await serveMeasuredChild<A, R>((arg) => s.child!(arg));
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(s.usage.trimEnd() + '\n');
    return;
  }
  try {
    await s.main(parseScriptFlags(s.flags, argv));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${e.message}\n\n${s.usage.trimEnd()}\n`);
    process.exitCode = 3;
  }
}
