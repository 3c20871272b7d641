/**
 * `hindsight recheck <dir…>`: re-check every history under some directories (store runs and
 * loose files) on a worker pool, with a cache, and report a table, recheck.json and
 * recheck.csv. Exit status: 3 if some history could not be checked (unreadable, or no checker
 * to run), else 1 if any is invalid, else 2 if any is unknown, else 0 — the same precedence as
 * `hindsight check` over several files. See docs/recheck.md.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../check/checker.js';
import { codeVersion, defaultCacheDir } from '../recheck/cache.js';
import { findHistories } from '../recheck/discover.js';
import { ROW_KINDS, type RowKind, formatCsv, formatJson, formatDisagreements, formatTable, formatTotals, rowIs, totalsOf } from '../recheck/output.js';
import { planFor } from '../recheck/plan.js';
import { batchProgress } from '../recheck/progress.js';
import { type RecheckRow, recheck } from '../recheck/run.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { QueueSetup } from './recheck-queue.js';
import { integerAtLeast } from '../util/options.js';
import { resolveCheckers } from './check.js';
import { addCheckerOptions } from './checker-options.js';
import { EXIT_BAD_INPUT, EXIT_INVALID, EXIT_UNKNOWN, EXIT_VALID, worstExit } from './exit.js';

/** The options of `hindsight recheck`, as commander gives them, checkers' options among them. */
export interface RecheckCommandOptions extends Record<string, unknown> {
  checker?: string;
  out?: string;
  force?: boolean;
  workers?: string;
  json?: boolean;
  /** A directory, or false for `--no-cache`. */
  cache?: string | false;
  quiet?: boolean;
  /** Table rows to show: comma-separated verdicts and/or `disagree`. */
  only?: string;
  /** `redis://…`: check through the job queue (cli/recheck-queue.ts). */
  queue?: string;
  sharedRoot?: string;
  ship?: boolean;
  shipLimit?: string;
  splitOver?: string;
}

const OWN_FLAGS = ['--checker', '--out', '--force', '--workers', '--json', '--cache', '--no-cache', '--quiet', '--only', '--queue', '--shared-root', '--ship', '--ship-limit', '--split-over'];

function parseOnly(raw: string | undefined): Set<RowKind> | undefined {
  if (raw === undefined) return undefined;
  const kinds = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = kinds.filter((k) => !(ROW_KINDS as readonly string[]).includes(k));
  if (kinds.length === 0 || bad.length > 0) throw new UsageError(`--only takes ${ROW_KINDS.join(', ')} (comma-separated), got ${raw}`);
  return new Set(kinds as RowKind[]);
}

/** The batch's exit status from its rows (see this file's header). */
export function exitOfRows(rows: readonly RecheckRow[]): number {
  return worstExit(rows.map((r) => (r.verdict === 'error' ? EXIT_BAD_INPUT : r.verdict === 'invalid' ? EXIT_INVALID : r.verdict === 'unknown' ? EXIT_UNKNOWN : EXIT_VALID)));
}

/**
 * Runs `hindsight recheck` over `roots` and returns its exit status; `checkerKeys` are the
 * option names that are checkers' (passed on to each check). Rejects with `UsageError` for no
 * root, an unknown checker, a malformed option or a root that cannot be searched.
 */
export async function runRecheck(roots: string[], opts: RecheckCommandOptions, checkerKeys: ReadonlySet<string>, log: (s: string) => void, err: (s: string) => void): Promise<number> {
  const started = performance.now();
  if (roots.length === 0) throw new UsageError('recheck needs at least one directory');
  if (opts.checker !== undefined) resolveCheckers(opts.checker); // unknown names are a usage error for the whole batch
  const workers = integerAtLeast('--workers', opts.workers, 1);
  if (opts.queue === undefined && (opts.sharedRoot !== undefined || opts.ship === true || opts.shipLimit !== undefined || opts.splitOver !== undefined)) {
    throw new UsageError('--shared-root, --ship, --ship-limit and --split-over go with --queue');
  }
  const only = parseOnly(opts.only);
  const cliOptions = Object.fromEntries(Object.entries(opts).filter(([k, v]) => checkerKeys.has(k) && v !== undefined));
  let found;
  try {
    found = findHistories(roots);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if (found.length === 0) {
    err(`hindsight: no histories found under ${roots.join(', ')}`);
    return EXIT_BAD_INPUT;
  }
  const plans = found.map((f) => planFor(f, opts.checker, cliOptions));
  let queue: QueueSetup | undefined;
  let done = 0;
  if (opts.queue !== undefined) {
    const { openQueue } = await import('./recheck-queue.js');
    try {
      queue = await openQueue({ ...opts, queue: opts.queue }, (m) => {
        progress.clear();
        err(`hindsight: redis: ${m} (waiting for it)`);
      });
    } catch (e) {
      if (e instanceof UsageError) throw e;
      err(`hindsight: ${e instanceof Error ? e.message : String(e)}`);
      return EXIT_BAD_INPUT;
    }
  }
  const progress = batchProgress({ quiet: opts.quiet || opts.json, suffix: queue === undefined ? undefined : (at) => queue!.suffix(done, plans.length, at) });
  progress.begin(plans.length);
  const redraw = queue === undefined ? undefined : setInterval(() => progress.redraw(), 1000);
  let rows: RecheckRow[];
  try {
    rows = await recheck(plans, {
      workers,
      cacheDir: opts.cache === false ? undefined : (opts.cache ?? defaultCacheDir()),
      cache: queue?.cache,
      executor: queue?.executor,
      force: opts.force ?? false,
      onRow: (row, d, total) => {
        done = d;
        progress.update(d, total, row.verdict);
      },
      onWarning: (m) => {
        progress.clear();
        err(`hindsight: ${m}`);
      },
    });
  } finally {
    clearInterval(redraw);
    progress.clear();
  }
  const seconds = (performance.now() - started) / 1000;
  const totals = totalsOf(rows);
  const exit = exitOfRows(rows);
  const outDir = opts.out ?? '.';
  const report = { roots, codeVersion: codeVersion(), generated: new Date().toISOString(), seconds: Math.round(seconds * 1000) / 1000, exit, totals, ...(queue === undefined ? {} : { queue: queue.report() }), rows };
  await mkdir(outDir, { recursive: true });
  await writeFileAtomic(join(outDir, 'recheck.json'), formatJson(report));
  await writeFileAtomic(join(outDir, 'recheck.csv'), formatCsv(rows));
  if (opts.json) {
    log(formatJson(report).trimEnd());
  } else if (!opts.quiet) {
    const shown = only === undefined ? rows : rows.filter((r) => rowIs(r, only));
    log(formatTable(shown));
    if (shown.length < rows.length) log(`(${rows.length - shown.length} other rows not shown: --only ${[...only!].join(',')}; all are in the files)`);
    log('');
    const differ = formatDisagreements(rows);
    if (differ !== '') log(differ);
    log(formatTotals(totals, seconds));
    log(`wrote ${join(outDir, 'recheck.json')} and ${join(outDir, 'recheck.csv')}`);
  }
  return exit;
}

/** Adds `hindsight recheck` with every checker's own options (as `check` has them). */
export function addRecheckCommand(program: Command, log: (s: string) => void, err: (s: string) => void = (s) => void process.stderr.write(s + '\n')): void {
  const cmd = program
    .command('recheck')
    .description('re-check every history under some directories (store runs and loose files) in parallel, with a cache')
    .argument('<dir...>', 'directories to search (a store, runs, folders of history files) or history files')
    .option('--checker <names>', 'checkers for every history (default: each run\'s test.edn :checkers, or its :workload)')
    .option('--out <dir>', 'where to write recheck.json and recheck.csv (default: the current directory)')
    .option('--force', 'check again even what the cache holds')
    .option('--workers <n>', 'threads to use (default: the core count): n histories at once; fewer histories get several threads each')
    .option('--json', 'print the report as JSON instead of the table')
    .option('--cache <dir>', 'cache directory (default: $XDG_CACHE_HOME/hindsight/recheck or ~/.cache/hindsight/recheck)')
    .option('--no-cache', 'neither read nor write the cache')
    .option('--quiet', 'print nothing but errors (the files are still written)')
    .option('--only <kinds>', `table rows to show: ${ROW_KINDS.join(', ')} (comma-separated; the files keep every row)`)
    .option('--queue <redis-url>', 'check on `hindsight worker`s through this Redis (redis://[:PASSWORD@]HOST:PORT[/DB]; or the password in REDISCLI_AUTH)')
    .option('--shared-root <dir>', 'with --queue: the archive is under this directory on a file system every worker mounts (workers read it by path)')
    .option('--ship', 'with --queue: send each history, compressed, in its job (for workers without the archive)')
    .option('--ship-limit <MB>', 'with --ship: the largest compressed history to send (default 64)')
    .option('--split-over <MB>', 'with --queue: a history this large checked per key (linearizable) is checked here, its keys searched by the workers (default 64)');
  // Every checker's options, merged as `check` merges them (shared flags declared so by each).
  const checkerKeys = addCheckerOptions(cmd, OWN_FLAGS);
  cmd.addHelpText(
    'after',
    '\nChecker options apply to every history, over each run\'s own :checker-options; --time-limit is per history.\n' +
      'Exit status: 3 if some history could not be checked, else 1 if any is invalid, else 2 if any is unknown, else 0.\n' +
      'See docs/recheck.md.\n',
  );
  cmd.action(async (roots: string[], opts: RecheckCommandOptions) => {
    process.exitCode = await runRecheck(roots, opts, checkerKeys, log, err);
  });
}
