/**
 * fixtures/ as an archive to re-check: one store run per fixture history, its test.edn naming
 * the checker and options fixtures/MANIFEST.md gives, and its results.edn the verdict the
 * history's source project asserts — so `hindsight recheck` on it says, in the agrees column,
 * whether we reach the published verdict for every fixture.
 *
 * `node --import tsx test/recheck/fixture-store.ts` prints the directory of a fresh one.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FixtureRun {
  history: string;
  checkers: string;
  /** `:checker-options` as EDN map entries. */
  options: string;
  /** The published verdict; undefined when none was published. */
  valid?: boolean;
  /** Our verdict where it knowingly differs from the published one (MANIFEST.md says why). */
  ours?: 'unknown';
}

const ls = (dir: string): string[] => readdirSync(dir).sort().map((f) => join(dir, f));

export function fixtureRuns(): FixtureRun[] {
  const runs: FixtureRun[] = [];
  const cas = (init: string) => `:model "cas-register", :init "${init}"`;
  for (const f of ls('fixtures/knossos/cas-register/good')) {
    // Knossos calls a history with no :ok op valid; we judged nothing there, so :unknown.
    const judged = readFileSync(f, 'utf8').includes(':type :ok');
    runs.push({ history: f, checkers: 'linearizable', options: cas('0'), valid: true, ...(judged ? {} : { ours: 'unknown' as const }) });
  }
  for (const f of ls('fixtures/knossos/cas-register/bad')) {
    runs.push({ history: f, checkers: 'linearizable', options: cas(basename(f).startsWith('rethink') ? 'nil' : '0'), valid: false });
  }
  runs.push({ history: 'fixtures/knossos/multi-register/good/multi-register.edn', checkers: 'linearizable', options: ':model "multi-register", :init "{:x 0 :y 0}"', valid: true });
  runs.push({ history: 'fixtures/knossos/mutex/bad/etcd.edn', checkers: 'linearizable', options: ':model "mutex"', valid: false });
  for (const f of ls('fixtures/porcupine-kv')) runs.push({ history: f, checkers: 'linearizable', options: ':model "kv"', valid: basename(f).includes('-ok') });
  runs.push({ history: 'fixtures/elle/si-without-g-single.edn', checkers: 'list-append', options: ':consistency-models "snapshot-isolation,repeatable-read"', valid: false });
  runs.push({ history: 'fixtures/elle/paper-example.edn', checkers: 'list-append', options: '', valid: false });
  runs.push({ history: 'fixtures/elle-cli/paper-example.json', checkers: 'list-append', options: '', valid: false });
  runs.push({ history: 'fixtures/elle-cli/list-append-gh-30.edn', checkers: 'list-append', options: ':consistency-models "serializable"', valid: false });
  // elle-cli says true; we report the read of a never-written value (see MANIFEST.md).
  for (const f of ['rw-register.edn', 'rw-register.json']) runs.push({ history: `fixtures/elle-cli/${f}`, checkers: 'rw-register', options: '', valid: false });
  runs.push({ history: 'fixtures/couchbase/sample-history-linearizable.edn', checkers: 'linearizable', options: cas(':nil'), valid: true });
  runs.push({ history: 'fixtures/couchbase/sample-history-sequential.edn', checkers: 'linearizable', options: cas(':nil'), valid: false });
  runs.push({ history: 'fixtures/couchbase/sample-history-non-sequential.edn', checkers: 'linearizable', options: cas(':nil'), valid: false });
  for (const f of ls('fixtures/jepsen-stores/canonical-raft')) runs.push({ history: f, checkers: 'linearizable', options: cas('nil') });
  return runs;
}

/** Writes the store (of `runs`, default all); returns its root. Run names are the fixture paths with `/` as `--`. */
export function fixtureStore(root = mkdtempSync(join(tmpdir(), 'hindsight-fixture-store-')), runs: readonly FixtureRun[] = fixtureRuns()): string {
  for (const r of runs) {
    const test = r.history.replace(/^fixtures\//, '').replace(/\//g, '--');
    const dir = join(root, test, '20260101T000000.000');
    mkdirSync(dir, { recursive: true });
    copyFileSync(r.history, join(dir, 'history.edn'));
    const checkers = r.checkers.split(',').map((c) => `:${c}`).join(' ');
    writeFileSync(join(dir, 'test.edn'), `{:name "${test}", :checkers [${checkers}], :checker-options {${r.options}}}\n`);
    if (r.valid !== undefined) writeFileSync(join(dir, 'results.edn'), `{:valid? ${r.valid}}\n`);
  }
  return root;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) console.log(fixtureStore());
