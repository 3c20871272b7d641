/** `hindsight report` and `hindsight serve`: the HTML views of a run and of a store. */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../checkers/checker.js';
import { loadRun } from '../report/load.js';
import { renderReport } from '../report/page.js';
import { serve } from '../report/serve.js';
import { resolveRunDir } from '../store/store.js';

export function addReportCommands(program: Command, log: (s: string) => void): void {
  program
    .command('report')
    .description('write a self-contained report.html for a store run directory or a results file')
    .argument('<path>', 'a run directory (store/<test>/<time>/), a store or test directory (its newest run), or a results.edn')
    .option('--out <file>', 'where to write the report (default: report.html beside the results)')
    .option('--quiet', 'print nothing but errors')
    .action(async (path: string, opts: { out?: string; quiet?: boolean }) => {
      let target: string;
      try {
        target = statSync(path).isDirectory() ? resolveRunDir(path) : path;
      } catch (e) {
        throw new UsageError(e instanceof Error ? e.message.replace(/^ENOENT: no such file or directory, stat '(.*)'$/, 'cannot read $1: no such file') : String(e));
      }
      let run;
      try {
        run = await loadRun(target);
      } catch (e) {
        throw new UsageError(e instanceof Error ? e.message : String(e));
      }
      const out = opts.out ?? join(statSync(target).isDirectory() ? target : dirname(target), 'report.html');
      await writeFile(out, renderReport(run));
      if (!opts.quiet) log(out);
    });

  program
    .command('serve')
    .description('browse a store of runs in a web browser')
    .argument('[store]', 'the store directory', 'store')
    .option('--port <n>', 'port to listen on', '8080')
    .option('--host <address>', 'address to bind (default loopback only)', '127.0.0.1')
    .action(async (store: string, opts: { port: string; host: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not ${opts.port}`);
      try {
        if (!statSync(store).isDirectory()) throw new Error();
      } catch {
        throw new UsageError(`${store}: not a directory (expected a store made by hindsight record)`);
      }
      const server = await serve({ store, port, host: opts.host });
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
