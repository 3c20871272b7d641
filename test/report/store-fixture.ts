/** Builds small stores for the report and serve tests: real checkers run on bundled fixtures. */
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compose } from '../../analyzer/check/compose.js';
import { resolveCheckers } from '../../analyzer/cli/check.js';
import { writeResult } from '../../analyzer/cli/output.js';
import { readHistory } from '../../analyzer/history/read.js';

export interface RunSpec {
  test: string;
  run: string;
  history: string;
  checkers: string;
  workload: string;
  nemesis?: string;
  options?: Record<string, unknown>;
}

export async function makeRun(store: string, spec: RunSpec): Promise<string> {
  const dir = join(store, spec.test, spec.run);
  mkdirSync(dir, { recursive: true });
  copyFileSync(spec.history, join(dir, 'history.edn'));
  const checkers = spec.checkers.split(',');
  writeFileSync(
    join(dir, 'test.edn'),
    `{:name "${spec.test}", :workload :${spec.workload}, :nemesis [${spec.nemesis ? `:${spec.nemesis}` : ''}], :concurrency 5, :checkers [${checkers.map((c) => `:${c}`).join(' ')}]}\n`,
  );
  const history = await readHistory(join(dir, 'history.edn'));
  const result = await compose(resolveCheckers(spec.checkers), history, spec.options ?? {}, { outDir: dir });
  await writeResult(result, dir, false);
  return dir;
}

/** A store with a valid run and, newer, a failing one. */
export async function sampleStore(): Promise<{ store: string; failing: string; passing: string }> {
  const store = mkdtempSync(join(tmpdir(), 'hindsight-report-'));
  const passing = await makeRun(store, {
    test: 'register-good',
    run: '20261101T100000.000',
    history: 'fixtures/jepsen-stores/canonical-raft/history.edn',
    checkers: 'stats',
    workload: 'register',
    nemesis: 'partition',
  });
  const failing = await makeRun(store, {
    test: 'append-paper',
    run: '20261102T100000.000',
    history: 'fixtures/elle/paper-example.edn',
    checkers: 'list-append,timeline',
    workload: 'list-append',
    nemesis: 'kill',
  });
  symlinkSync(failing, join(store, 'latest'));
  return { store, failing, passing };
}

/** A right-to-left override: it makes the text after it display reversed. */
export const RLO = '\u202E';

/**
 * A run whose values and process name hold a right-to-left override (and an isolate, U+2066):
 * a write of `abc`, U+202E, `def`, and a read of a value never written, so linearizable fails and draws.
 */
export async function bidiRun(store: string): Promise<string> {
  const history = join(store, 'bidi.edn');
  writeFileSync(
    history,
    [
      `{:index 0, :type :invoke, :process 0, :f :write, :value "abc${RLO}def"}`,
      `{:index 1, :type :ok, :process 0, :f :write, :value "abc${RLO}def"}`,
      `{:index 2, :type :invoke, :process 1, :f :read, :value nil}`,
      `{:index 3, :type :ok, :process 1, :f :read, :value "exe.txt${RLO}\u2066"}`,
      `{:index 4, :type :info, :process :nemesis${RLO}x, :f :start, :value nil}`,
    ].join('\n') + '\n',
  );
  return makeRun(store, { test: 'bidi', run: '20261104T100000.000', history, checkers: 'linearizable,timeline', workload: 'register', options: { model: 'register' } });
}
