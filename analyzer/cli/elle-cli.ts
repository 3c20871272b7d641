/**
 * `hindsight elle-cli [options] FILE…`: elle-cli's command line (github.com/ligurio/elle-cli,
 * src/elle_cli/cli.clj), so scripts written for it run unchanged. It takes elle-cli's flags and
 * prints what elle-cli prints: `FILE \t true|false|unknown` a file (Clojure's `println` puts a
 * space either side of the tab), or with `--verbose` each result map as JSON instead.
 *
 * Exit status is elle-cli's, not `hindsight check`'s: 1 if any file is invalid, else 0 (unknown
 * counts as 0, as there); 255 when a file cannot be read (or holds an op its checker cannot
 * read), which stops the run as elle-cli's exception does; 0 with no `--model` (the usage is printed). Bad options and models we lack
 * are usage errors, 3, where elle-cli says 1, so a script cannot take them for "invalid".
 * See docs/migrating.md.
 */
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { type CheckResult, UsageError } from '../check/checker.js';
import { ELLE_CLI_MODELS, ELLE_CLI_UNSUPPORTED } from '../checkers/foreign-names.js';
import { checkerNamed } from '../checkers/registry.js';
import { HistoryError, formatWarning } from '../history/diagnostics.js';
import type { History } from '../history/history.js';
import { type HistoryFormat, readHistory } from '../history/read.js';
import { oneLine } from '../util/one-line.js';
import { positiveNumber } from '../util/options.js';
import { inputNames } from './input-names.js';
import { formatResult, writeResult } from './output.js';

/** elle-cli's options as commander parses them (raw strings, as tools.cli gets them). */
export interface ElleCliOptions {
  model?: string;
  format?: string;
  verbose?: boolean;
  consistencyModels?: string;
  anomalies?: string;
  cycleSearchTimeout?: string;
  directory?: string;
  plotFormat?: string;
  plotTimeout?: string;
  maxPlotBytes?: string;
  groupSize?: string;
  allowNegativeBalances?: boolean;
  maxTransfer?: string;
  totalAmount?: string;
}

/** What an elle-cli command line means for us: one checker, its options, and where to write. */
export interface ElleCliPlan {
  /** Our `--checker` name. */
  checker: string;
  /** That checker's options, parsed as `hindsight check` would pass them. */
  options: Record<string, unknown>;
  format: HistoryFormat;
  /** `-d`: results and pictures go here (one subdirectory per file when there are several). */
  outDir?: string;
  verbose: boolean;
  /** Things asked for that we do differently, to say on stderr. */
  warnings: string[];
}

/** elle-cli's exit statuses (cli.clj `-main`): every file valid or unknown. */
export const ELLE_CLI_VALID = 0;
/** Some file is invalid. */
export const ELLE_CLI_INVALID = 1;
/** elle-cli's status when checking throws (a missing or unreadable file, or an op a checker cannot read). */
export const ELLE_CLI_CRASH = 255;

/** tools.cli's `Integer/parseInt`: an integer or a usage error naming the flag. */
function integer(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(raw.trim())) throw new UsageError(`${flag} takes an integer, got ${raw}`);
  return Number(raw);
}

function unsupportedModel(model: string): UsageError {
  const why = ELLE_CLI_UNSUPPORTED.get(model) ?? 'elle-cli has no such model either';
  return new UsageError(`elle-cli model ${model} is not supported: ${why}; supported: ${[...ELLE_CLI_MODELS.keys()].join(', ')}`);
}

function elleOptions(opts: ElleCliOptions, options: Record<string, unknown>, warnings: string[]): void {
  // elle-cli's defaults (cli.clj): strict-serializable, and G0 looked for besides.
  options.consistencyModels = opts.consistencyModels ?? 'strict-serializable';
  options.anomalies = opts.anomalies ?? 'G0';
  const ms = integer(opts.cycleSearchTimeout, '-s/--cycle-search-timeout');
  if (ms !== undefined) {
    positiveNumber('-s/--cycle-search-timeout', opts.cycleSearchTimeout, 'ms');
    // elle-cli's is ms for each strongly connected component; ours is seconds for the whole search.
    options.timeLimit = ms / 1000;
  }
  const plot = opts.plotFormat?.replace(/^:/, '');
  if (plot !== undefined && plot !== 'svg' && plot !== 'png') throw new UsageError(`-p/--plot-format takes png or svg, got ${plot}`);
  if (plot === 'png') warnings.push('-p/--plot-format png: hindsight draws its cycle pictures as SVG only; writing SVG');
}

/**
 * Maps elle-cli's options to our checker and its options. Pure (no I/O): unknown or
 * unsupported models, and values elle-cli would refuse, are `UsageError`s.
 */
export function planFromElleCli(opts: ElleCliOptions): ElleCliPlan {
  if (opts.model === undefined) throw new UsageError('-m/--model is required');
  const target = ELLE_CLI_MODELS.get(opts.model);
  if (target === undefined) throw unsupportedModel(opts.model);
  const options: Record<string, unknown> = { ...target.options };
  const warnings: string[] = [];
  // Checked as elle-cli's tools.cli would, even where the value is not used.
  integer(opts.plotTimeout, '-t/--plot-timeout');
  integer(opts.maxPlotBytes, '-b/--max-plot-bytes');
  integer(opts.groupSize, '-g/--group-size');
  integer(opts.maxTransfer, '--max-transfer');
  if (target.flags === 'cycles') elleOptions(opts, options, warnings);
  if (target.flags === 'balances') {
    if (opts.allowNegativeBalances === true) options.negativeBalancesOk = true;
    const total = integer(opts.totalAmount, '-o/--total-amount');
    if (total !== undefined) options.totalAmount = total;
  }
  if (opts.format !== undefined && opts.format !== 'edn' && opts.format !== 'json') throw new UsageError(`-f/--format must be one of edn, json, got ${opts.format}`);
  return {
    checker: target.checker,
    options,
    // elle-cli's EDN reader takes op lines or one vector of ops; our detection tells them apart.
    format: opts.format === 'json' ? 'json' : 'auto',
    outDir: opts.directory,
    verbose: opts.verbose === true,
    warnings,
  };
}

/** elle-cli's word for a verdict (it prints `:unknown` without the colon). */
export function verdictWord(v: CheckResult['valid?']): string {
  return v === true ? 'true' : v === false ? 'false' : 'unknown';
}

/** Reads one file; undefined (the error printed) when it cannot be read, as elle-cli then stops. */
async function readOrSay(file: string, format: HistoryFormat, err: (s: string) => void): Promise<History | undefined> {
  try {
    return await readHistory(file, { format, onWarning: (w) => err(formatWarning(w)) });
  } catch (e) {
    if (e instanceof HistoryError || (e instanceof Error && (e as NodeJS.ErrnoException).code !== undefined)) {
      err(e instanceof HistoryError ? e.message : oneLine(`${file}: ${e.message}`));
      return undefined;
    }
    throw e;
  }
}

/**
 * Runs an elle-cli command line over files, printing through `log` and `err`; resolves with
 * elle-cli's exit status. Throws `UsageError` for the options `planFromElleCli` refuses.
 */
export async function runElleCli(files: string[], opts: ElleCliOptions, log: (s: string) => void, err: (s: string) => void): Promise<number> {
  const plan = planFromElleCli(opts);
  for (const w of plan.warnings) err(`hindsight: ${w}`);
  const checker = checkerNamed(plan.checker);
  if (checker === undefined) throw new Error(`no checker ${plan.checker}`);
  const names = inputNames(files);
  let invalid = false;
  for (const [i, file] of files.entries()) {
    const history = await readOrSay(file, plan.format, err);
    if (history === undefined) return ELLE_CLI_CRASH;
    const outDir = plan.outDir === undefined ? undefined : files.length > 1 ? join(plan.outDir, names[i]) : plan.outDir;
    let result: CheckResult;
    try {
      result = await checker.check(history, plan.options, { outDir });
    } catch (e) {
      // A checker found bad input the reader could not (a :txn whose value is not micro-ops).
      if (!(e instanceof HistoryError)) throw e;
      err(e.message);
      return ELLE_CLI_CRASH;
    }
    await writeResult(result, outDir, false);
    if (result['valid?'] === false) invalid = true;
    // The path as given, as elle-cli prints it; --verbose prints the map instead of the line.
    log(plan.verbose ? formatResult(result, true) : `${file} \t ${verdictWord(result['valid?'])}`);
  }
  return invalid ? ELLE_CLI_INVALID : ELLE_CLI_VALID;
}

const MODEL_HELP = `${[...ELLE_CLI_MODELS.keys()].join(', ')} (not: ${[...ELLE_CLI_UNSUPPORTED.keys()].join(', ')})`;

/** Adds `hindsight elle-cli`, elle-cli's flags over our checkers. */
export function addElleCliCommand(program: Command, log: (s: string) => void, err: (s: string) => void): void {
  const cmd = program
    .command('elle-cli')
    .description("check histories with elle-cli's flags and output (for scripts written for elle-cli)")
    .argument('[file...]', 'history files (EDN or JSON)')
    .option('-m, --model <model>', `elle-cli model: ${MODEL_HELP}`)
    .addOption(new Option('-f, --format <format>', 'history format (default: detected from the contents)').choices(['edn', 'json']))
    .option('-v, --verbose', 'print each result map as JSON instead of the verdict line')
    .option('-c, --consistency-models <models>', 'list-append, rw-register: comma-separated models to check (default strict-serializable)')
    .option('-a, --anomalies <anomalies>', 'list-append, rw-register: comma-separated anomalies to look for (default G0)')
    .option('-s, --cycle-search-timeout <ms>', "list-append, rw-register: ms for the cycle search (elle-cli's is each component's; ours is the whole search's; default: ours, 30 s)")
    .option('-d, --directory <dir>', 'write results and pictures here (one subdirectory per file when several)')
    .option('-p, --plot-format <format>', 'png or svg; pictures are always SVG')
    .option('-t, --plot-timeout <ms>', 'accepted and ignored (our pictures are drawn without a timeout)')
    .option('-b, --max-plot-bytes <bytes>', 'accepted and ignored')
    .option('-g, --group-size <n>', 'accepted and ignored (long-fork only, which we lack)')
    .option('-n, --allow-negative-balances', 'bank: allow negative balances')
    .option('--max-transfer <n>', 'accepted and ignored (bank: the checker does not use it)')
    .option('-o, --total-amount <n>', 'bank: the total every read must show (default: the most common read total)');
  cmd.addHelpText(
    'after',
    '\nPrints "FILE \\t true|false|unknown" a file, as elle-cli does.\n' +
      'Exit status (elle-cli\'s): 1 if any file is invalid, else 0; 255 if a file cannot be read; 3 for a usage error.\n' +
      'See docs/migrating.md.\n',
  );
  cmd.action(async (files: string[], opts: ElleCliOptions) => {
    // elle-cli prints its usage and exits 0 when no model is given.
    if (opts.model === undefined) {
      cmd.outputHelp();
      process.exitCode = 0;
      return;
    }
    process.exitCode = await runElleCli(files, opts, log, err);
  });
}
