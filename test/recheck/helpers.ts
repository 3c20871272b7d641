/** A directory of mixed stores and loose files for the recheck tests, and a way to run the CLI on it. */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CliResult, runCli } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

export interface RunFiles {
  history: string;
  test?: string;
  results?: string;
}

function run(root: string, rel: string, files: RunFiles): void {
  const dir = join(root, rel);
  mkdirSync(dir, { recursive: true });
  if (files.history.startsWith('fixtures/')) copyFileSync(files.history, join(dir, 'history.edn'));
  else writeFileSync(join(dir, 'history.edn'), files.history);
  if (files.test !== undefined) writeFileSync(join(dir, 'test.edn'), files.test);
  if (files.results !== undefined) writeFileSync(join(dir, 'results.edn'), files.results);
}

const CAS0 = ':checkers [:linearizable], :checker-options {:model "cas-register", :init "0"}';

/**
 * store/ — our recorder's layout (test.edn with :checkers), and one Jepsen-style run (test.edn
 * with a :name only); loose/ — a history file with no test.edn, and a file that is no history.
 */
export function mixedStores(): string {
  const root = tempDir('hindsight-recheck-');
  run(root, 'store/cas-good/20260101T000000.000', {
    history: 'fixtures/knossos/cas-register/good/memstress3-0.edn',
    test: `{:name "cas-good", :workload :cas-register, ${CAS0}}\n`,
    results: '{:valid? true, :op-count 231}\n',
  });
  // An old run whose checker crashed: archived :unknown, now decided.
  run(root, 'store/cas-bad/20260101T000000.000', {
    history: 'fixtures/knossos/cas-register/bad/cas-failure.edn',
    test: `{:name "cas-bad", :workload :cas-register, ${CAS0}}\n`,
    results: '{:valid? :unknown, :error "checker crashed"}\n',
  });
  run(root, 'store/cas-slow/20260101T000000.000', {
    history: 'fixtures/knossos/cas-register/good/memstress3-1.edn',
    test: '{:name "cas-slow", :checkers [:linearizable], :checker-options {:model "cas-register", :init "0", :max-states 50}}\n',
  });
  run(root, 'store/torn/20260101T000000.000', {
    history: '{:process 0, :type :invoke, :f :read, :value nil}\n{:process 0, :type :ok, :f :read :value}\n',
    test: `{:name "torn", ${CAS0}}\n`,
    results: '{:valid? true}\n',
  });
  // Jepsen's own test map: no :checkers, the workload named inside :name.
  run(root, 'store/postgres-list-append/20260101T000000.000', {
    history: 'fixtures/elle/paper-example.edn',
    test: '{:name "postgres-list-append", :nodes ["n1" "n2"], :concurrency 5}\n',
    results: '{:valid? false, :anomaly-types [:G-single-item]}\n',
  });
  mkdirSync(join(root, 'loose'), { recursive: true });
  copyFileSync('fixtures/knossos/cas-register/bad/immediate-failure.edn', join(root, 'loose', 'immediate-failure.edn'));
  writeFileSync(join(root, 'loose', 'notes.txt'), 'not a history\n');
  writeFileSync(join(root, 'loose', 'config.edn'), '{:nodes ["n1"]}\n');
  return root;
}

/** Runs `hindsight recheck …` from the sources. */
export function recheckCli(args: string[]): Promise<CliResult> {
  return runCli(['recheck', ...args]);
}

/** The table's rows as cells (header dropped), paths made relative to `root`; stops at the blank line before the totals. */
export function tableRows(out: string, root: string): string[][] {
  const lines = out.split('\n');
  const end = lines.indexOf('');
  return lines.slice(1, end).map((l) => l.split(/ {2,}/).map((c, i) => (i === 0 ? c.replace(root + '/', '') : c)));
}
