/**
 * `hindsight shrink <file> [--checker NAMES] [checker options]`: a failing history reduced to a
 * small one that fails the same way (analyzer/shrink/), written with a header naming the
 * original and the failure kept. Exit status: 1 when it wrote a (failing) history, 0 when the
 * history is valid and 2 when its verdict is unknown (nothing to shrink toward), 3 for bad input
 * or usage. See docs/shrink.md.
 */
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { type Checker, UsageError } from '../check/checker.js';
import { chooseChecker, choiceFlags } from '../check/choose.js';
import { describeComposed } from '../check/compose.js';
import { addCheckerOptions } from './checker-options.js';
import { resolveCheckers } from '../checkers/registry.js';
import { readHistory } from '../history/read.js';
import { shrinkHistory } from '../shrink/shrink.js';
import { shrunkFile } from '../shrink/write.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { positiveNumber } from '../util/options.js';
import { checkFlags } from '../recheck/output.js';
import { genHeader } from '../recheck/plan.js';
import { EXIT_BAD_INPUT, EXIT_INVALID, EXIT_UNKNOWN, EXIT_VALID } from './exit.js';

/** The options of `hindsight shrink`, checkers' options among them. */
interface ShrinkCommandOptions extends Record<string, unknown> {
  checker?: string;
  anomaly?: string;
  out?: string;
  timeLimit?: string;
  quiet?: boolean;
}

const OWN_FLAGS = ['--checker', '--anomaly', '--out', '--time-limit', '--quiet'];

/** The default output: `<name>.min.edn` in the current directory. */
const defaultOut = (file: string): string => join('.', `${basename(file).replace(/\.(edn|json|jsonl|log|txt)(\.gz)?$/, '')}.min.edn`);

/** Runs `hindsight shrink`; resolves with its exit status. */
export async function runShrink(file: string, opts: ShrinkCommandOptions, checkerKeys: ReadonlySet<string>, log: (s: string) => void): Promise<number> {
  const started = performance.now();
  const seconds = positiveNumber('--time-limit', opts.timeLimit ?? '60', 'seconds');
  const options: Record<string, unknown> = Object.fromEntries(Object.entries(opts).filter(([k, v]) => checkerKeys.has(k) && v !== undefined));
  const history = await readHistory(file);
  let named: Checker<Record<string, unknown>>[];
  let names: string[];
  if (opts.checker !== undefined) {
    named = resolveCheckers(opts.checker) as Checker<Record<string, unknown>>[];
    names = named.map((c) => c.name);
  } else if (genHeader(file) !== undefined) {
    // A `hindsight gen` history names its checker and options in its first line, as recheck reads it.
    const spec = genHeader(file)!.spec;
    names = spec.checkers;
    named = resolveCheckers(names.join(',')) as Checker<Record<string, unknown>>[];
    Object.assign(options, { ...spec.options, ...options });
    if (!opts.quiet) log(`checker ${names.join(',')} (from the hindsight-gen header)`);
  } else {
    const choice = chooseChecker(history);
    if (!('checkers' in choice)) throw new UsageError(`cannot choose a checker from the ops (${choice.shapes}); pass --checker`);
    names = choice.checkers;
    named = resolveCheckers(names.join(',')) as Checker<Record<string, unknown>>[];
    Object.assign(options, { ...choice.options, ...options });
    if (!opts.quiet) log(`checker ${choiceFlags(choice)} (chosen from the ops: ${choice.reason})`);
  }
  const out = opts.out ?? defaultOut(file);
  const s = await shrinkHistory(history, {
    checkers: named,
    options,
    anomaly: opts.anomaly,
    until: Date.now() + seconds * 1000,
    onPass: (pass, ops, tests) => {
      if (!opts.quiet) log(`  after the ${pass} pass: ${ops} ops (${tests} checks)`);
    },
  });
  if (typeof s === 'string') {
    log(`${file}: ${s}`);
    return /no failure/.test(s) ? (/valid:/.test(s) ? EXIT_VALID : EXIT_UNKNOWN) : EXIT_BAD_INPUT;
  }
  const took = (performance.now() - started) / 1000;
  const check = checkFlags(names, options);
  await writeFileAtomic(out, shrunkFile(s, { original: file, check, seconds: took }));
  if (!opts.quiet) {
    log(`shrunk ${file}: ${s.opsBefore} → ${s.opsAfter} ops, still ${s.kind.describe} (${s.tests} checks, ${took.toFixed(1)} s)${s.finished ? '' : `; stopped by --time-limit ${seconds} s, it may shrink further`}`);
    log(`  ${describeComposed(named, s.after)}`);
    log(`wrote ${out}`);
  }
  return EXIT_INVALID;
}

/** Adds `hindsight shrink` with every checker's options (as `check` has them). */
export function addShrinkCommand(program: Command, log: (s: string) => void): void {
  const cmd = program
    .command('shrink')
    .description('reduce a failing history to a small one that fails the same way (delta debugging over keys, processes and ops)')
    .argument('<file>', 'the failing history')
    .option('--checker <names>', 'checkers whose failure to keep (default: chosen from the ops, as check does)')
    .option('--anomaly <type>', 'with list-append / rw-register: the one anomaly type to keep (default: every type the history shows)')
    .option('--out <file>', 'where to write the shrunk history (default: <name>.min.edn here)')
    .option('--time-limit <seconds>', 'the whole shrink\'s budget; past it the smallest failing history so far is written (default 60)')
    .option('--quiet', 'print nothing but errors');
  const checkerKeys = addCheckerOptions(cmd, OWN_FLAGS);
  cmd.addHelpText('after', '\nExit status: 1 when it wrote a shrunk (failing) history; 0 if the history is valid, 2 if unknown (nothing to shrink); 3 bad input or usage.\nSee docs/shrink.md.\n');
  cmd.action(async (file: string, opts: ShrinkCommandOptions) => {
    process.exitCode = await runShrink(file, opts, checkerKeys, log);
  });
}
