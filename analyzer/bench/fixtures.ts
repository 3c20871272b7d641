/**
 * The bundled fixtures the benchmark checks (fixtures/MANIFEST.md gives their sources and
 * verdicts): the larger histories of each source, since the tiny ones measure only start-up.
 * `quick` marks the few small ones a `--quick` run keeps.
 */
/** A bundled fixture the benchmark checks, with the checker options and verdict it deserves. */
export interface BenchFixture {
  /** Path under the package root. */
  file: string;
  checker: string;
  options: Record<string, unknown>;
  expected?: 'valid' | 'invalid';
  quick?: boolean;
}

const cas = (init: string): Record<string, unknown> => ({ model: 'cas-register', init });

/** The fixtures `--fixtures` adds, by source; checkers not in the run are left out. */
export const BENCH_FIXTURES: readonly BenchFixture[] = [
  { file: 'fixtures/knossos/cas-register/good/memstress3-0.edn', checker: 'linearizable', options: cas('0'), expected: 'valid' },
  { file: 'fixtures/knossos/cas-register/good/mongodb-v0-ack-rollback-0.edn', checker: 'linearizable', options: cas('0'), expected: 'valid' },
  { file: 'fixtures/knossos/cas-register/bad/cas-failure.edn', checker: 'linearizable', options: cas('0'), expected: 'invalid', quick: true },
  { file: 'fixtures/knossos/cas-register/bad/rethink-fail.edn', checker: 'linearizable', options: cas('nil'), expected: 'invalid' },
  { file: 'fixtures/knossos/cas-register/bad/mongodb-v0-ack-rollback-6.edn', checker: 'linearizable', options: cas('0'), expected: 'invalid' },
  { file: 'fixtures/knossos/multi-register/good/multi-register.edn', checker: 'linearizable', options: { model: 'multi-register', init: '{:x 0 :y 0}' }, expected: 'valid' },
  { file: 'fixtures/knossos/mutex/bad/etcd.edn', checker: 'linearizable', options: { model: 'mutex' }, expected: 'invalid' },
  { file: 'fixtures/porcupine-kv/c01-ok.txt', checker: 'linearizable', options: { model: 'kv' }, expected: 'valid' },
  { file: 'fixtures/porcupine-kv/c10-ok.txt', checker: 'linearizable', options: { model: 'kv' }, expected: 'valid' },
  { file: 'fixtures/porcupine-kv/c10-bad.txt', checker: 'linearizable', options: { model: 'kv' }, expected: 'invalid' },
  { file: 'fixtures/porcupine-kv/c50-ok.txt', checker: 'linearizable', options: { model: 'kv' }, expected: 'valid' },
  { file: 'fixtures/porcupine-kv/c50-bad.txt', checker: 'linearizable', options: { model: 'kv' }, expected: 'invalid' },
  { file: 'fixtures/couchbase/sample-history-linearizable.edn', checker: 'linearizable', options: cas(':nil'), expected: 'valid' },
  { file: 'fixtures/couchbase/sample-history-non-sequential.edn', checker: 'linearizable', options: cas(':nil'), expected: 'invalid' },
  // No verdict was published with it; the three files are one history three ways (read time differs).
  { file: 'fixtures/jepsen-stores/canonical-raft/history.edn', checker: 'linearizable', options: cas('nil') },
  { file: 'fixtures/jepsen-stores/canonical-raft/jepsen.log', checker: 'linearizable', options: cas('nil') },
  { file: 'fixtures/elle/paper-example.edn', checker: 'list-append', options: {}, expected: 'invalid', quick: true },
  { file: 'fixtures/elle/si-without-g-single.edn', checker: 'list-append', options: { consistencyModels: 'snapshot-isolation,repeatable-read' }, expected: 'invalid' },
  { file: 'fixtures/elle-cli/list-append-gh-30.edn', checker: 'list-append', options: { consistencyModels: 'serializable' }, expected: 'invalid' },
  // elle-cli says valid; we report the read of a value nobody wrote (MANIFEST.md).
  { file: 'fixtures/elle-cli/rw-register.edn', checker: 'rw-register', options: {}, expected: 'invalid', quick: true },
];
