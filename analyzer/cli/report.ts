/** `hindsight report` and `hindsight serve`: the HTML views of a run and of a store. */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../check/checker.js';
import { compose } from '../check/compose.js';
import type { History } from '../history/history.js';
import { progressBar } from '../history/progress.js';
import { readHistory } from '../history/read.js';
import { loadRun } from '../report/load.js';
import { renderReport } from '../report/page.js';
import { type Phases, announced, phaseLine } from '../report/phases.js';
import { canonicalHost } from '../report/serve-host.js';
import { serve } from '../report/serve.js';
import { RUN_HISTORY_FILES, readTestEdn, resolveRunDir, runHistoryFile, storedCheckSpec } from '../store/store.js';
import { chooseChecker, choiceLine } from '../check/choose.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { resolveCheckers } from './check.js';
import { writeResult } from './output.js';
import { shrinkRun } from './report-shrink.js';
import { positiveNumber } from '../util/options.js';

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Runs the checkers a run's test.edn names — or, for a run without one (Jepsen's), the ones its
 * ops call for, said on stderr — on its history and writes results.edn (and the pictures) into
 * the run directory: what `hindsight check --store DIR --out DIR` does.
 */
async function checkRun(dir: string, phases: Phases, quiet: boolean): Promise<History> {
  let spec: { checkers: string[]; options: Record<string, unknown> } | undefined;
  if (existsSync(join(dir, 'test.edn'))) {
    try {
      spec = storedCheckSpec(readTestEdn(dir));
    } catch (e) {
      throw new UsageError(`${dir}: cannot check this run: ${message(e)}`);
    }
  }
  const file = runHistoryFile(dir);
  if (file === undefined) throw new UsageError(`${dir}: no history in this run directory (expected ${RUN_HISTORY_FILES.join(', ')})`);
  const bar = progressBar(`reading ${file}`, { quiet });
  let history: History;
  try {
    history = await readHistory(file, { onProgress: bar.update });
  } catch (e) {
    throw new UsageError(message(e));
  } finally {
    bar.clear();
  }
  if (spec === undefined) {
    const choice = chooseChecker(history);
    if (!('checkers' in choice)) throw new UsageError(`${dir}: no results.edn or test.edn, and no checker fits the ops (${choice.shapes}): run \`hindsight check ${file} --checker NAMES --out ${dir}\` first`);
    if (!quiet) process.stderr.write(`${file}: ${choiceLine(choice)}\n`);
    spec = choice;
  }
  const result = await compose(announced(resolveCheckers(spec.checkers.join(',')), phases), history, spec.options, { outDir: dir });
  phases.phase('writing results.edn');
  await writeResult(result, dir, false);
  return history;
}

/** Adds `hindsight report` and `hindsight serve` to the program. */
export function addReportCommands(program: Command, log: (s: string) => void): void {
  program
    .command('report')
    .description('write a self-contained report.html for a store run directory or a results file')
    .argument('<path>', 'a run directory (store/<test>/<time>/), a store or test directory (its newest run), or a results.edn')
    .option('--out <file>', 'where to write the report (default: report.html beside the results)')
    .option('--check', "run the checkers test.edn names first (always done when a run has no results.edn)")
    .option('--shrink', 'for a failing run: shrink its history to the few ops that fail the same way (history.min.edn), linked from the verdict')
    .option('--shrink-time-limit <seconds>', 'the budget of --shrink (default 60)')
    .option('--quiet', 'print nothing but errors')
    .action(async (path: string, opts: { out?: string; check?: boolean; shrink?: boolean; shrinkTimeLimit?: string; quiet?: boolean }) => {
      let target: string;
      try {
        target = statSync(path).isDirectory() ? resolveRunDir(path) : path;
      } catch (e) {
        throw new UsageError(message(e).replace(/^ENOENT: no such file or directory, stat '(.*)'$/, 'cannot read $1: no such file'));
      }
      const isDir = statSync(target).isDirectory();
      const dir = isDir ? target : dirname(target);
      const quiet = opts.quiet ?? false;
      const phases = phaseLine({ quiet });
      try {
        let history: History | undefined;
        if (isDir && (opts.check || !existsSync(join(dir, 'results.edn')))) history = await checkRun(dir, phases, quiet);
        if (opts.shrink) {
          if (!isDir) throw new UsageError('--shrink needs a run directory (it writes history.min.edn there)');
          const seconds = positiveNumber('--shrink-time-limit', opts.shrinkTimeLimit ?? '60', 'seconds');
          const file = runHistoryFile(dir);
          if (file === undefined) throw new UsageError(`${dir}: no history in this run directory (expected ${RUN_HISTORY_FILES.join(', ')})`);
          history ??= await readHistory(file).catch((e: unknown) => {
            throw new UsageError(message(e));
          });
          phases.phase('shrinking the failing history');
          const line = await shrinkRun(dir, history, seconds);
          phases.clear();
          if (!quiet) log(line);
        }
        const bar = progressBar(`reading ${history === undefined ? join(dir, 'history.edn') : 'results'}`, { quiet });
        let run;
        try {
          run = await loadRun(target, { history, onProgress: bar.update });
        } catch (e) {
          throw new UsageError(message(e));
        } finally {
          bar.clear();
        }
        phases.phase(`rendering the report of ${run.history?.length ?? 0} ops`);
        const out = opts.out ?? join(dir, 'report.html');
        // The report links the run's files relative to wherever it is written.
        const rel = relative(resolve(dirname(out)), resolve(dir));
        const html = renderReport(run, { filesBase: rel === '' ? '' : `${rel.split(sep).join('/')}/` });
        phases.phase(`writing ${basename(out)}`);
        await writeFileAtomic(out, html);
        phases.clear();
        if (!quiet) log(out);
      } finally {
        phases.clear();
      }
    });

  program
    .command('serve')
    .description('browse a store of runs in a web browser')
    .argument('[store]', 'the store directory', 'store')
    .option('--port <n>', 'port to listen on', '8080')
    .option('--host <address>', 'address to bind: loopback only unless you say otherwise (e.g. 0.0.0.0); requests must be addressed to it or to localhost', '127.0.0.1')
    .option('--allow-host <name>', 'also answer requests addressed to NAME (a DNS name or a proxy in front; repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .action(async (store: string, opts: { port: string; host: string; allowHost: string[] }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not ${opts.port}`);
      const bad = opts.allowHost.find((h) => canonicalHost(h) === undefined);
      if (bad !== undefined) throw new UsageError(`--allow-host takes a host name or address without a port, not ${bad}`);
      try {
        if (!statSync(store).isDirectory()) throw new Error();
      } catch {
        throw new UsageError(`${store}: not a directory (expected a store made by hindsight record)`);
      }
      // Why a request got 500 is told here, never to the client.
      const server = await serve({ store, port, host: opts.host, allowHosts: opts.allowHost, onError: (m) => void process.stderr.write(`hindsight serve: ${m}\n`) });
      const addr = server.address();
      const shown = typeof addr === 'object' && addr ? `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${addr.port}/` : String(addr);
      log(`serving ${store} at ${shown} (Ctrl-C to stop)`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          server.close(() => resolve());
          server.closeAllConnections();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
