/**
 * Our checkers as other tools name them, in one file beside the list of checkers: Jepsen's
 * workload names (a run's `:workload`, or the test name its store directory carries, when the
 * test map lists no `:checkers`) and elle-cli's `--model` names. `recheck` and `hindsight
 * elle-cli` look names up here, so neither holds checker-specific knowledge, and a checker
 * that gains a foreign name gains it in this one file.
 */

/** What another tool's name means here: one of our checkers, with the options the name implies. */
export interface ForeignName {
  /** Our `--checker` name. */
  readonly checker: string;
  /** Options the name implies (e.g. Knossos's `cas-register` is `--model cas-register`). */
  readonly options?: Readonly<Record<string, unknown>>;
  /**
   * The values may or may not be Jepsen `[key value]` tuples (register workloads are usually
   * independent, not always): decide from the history (see recheck/worker.ts).
   */
  readonly guessIndependent?: boolean;
}

/**
 * An elle-cli model: our checker for it, and which of elle-cli's option groups its command
 * line carries (`cycles`: `-s`, `-p`, `--consistency-models`, `--anomalies`; `balances`:
 * `--allow-negative-balances`, `--total-amount`).
 */
export interface ElleCliModel extends ForeignName {
  readonly flags?: 'cycles' | 'balances';
}

const linearRegister: ForeignName = { checker: 'linearizable', options: { model: 'cas-register' }, guessIndependent: true };
const mutex: ForeignName = { checker: 'linearizable', options: { model: 'mutex' } };

/**
 * Jepsen workload name → our checker: the checker Jepsen's matching `jepsen.tests.*` workload
 * composes. Names are matched as whole words inside a test name, longest first.
 */
export const JEPSEN_WORKLOADS: ReadonlyMap<string, ForeignName> = new Map<string, ForeignName>([
  ['register', linearRegister],
  ['cas-register', linearRegister],
  ['linearizable-register', linearRegister],
  ['mutex', mutex],
  ['lock', mutex],
  ['lock-set', { checker: 'lock-set' }],
  ['set', { checker: 'set' }],
  ['set-full', { checker: 'set-full' }],
  ['list-append', { checker: 'list-append' }],
  ['append', { checker: 'list-append' }],
  ['rw-register', { checker: 'rw-register' }],
  ['wr-register', { checker: 'rw-register' }],
  ['wr', { checker: 'rw-register' }],
  ['bank', { checker: 'bank' }],
  ['counter', { checker: 'counter' }],
  ['queue', { checker: 'queue' }],
  ['total-queue', { checker: 'total-queue' }],
  ['unique-ids', { checker: 'unique-ids' }],
  ['watch', { checker: 'watch' }],
]);

/** elle-cli's models (github.com/ligurio/elle-cli, cli.clj) that we check. */
export const ELLE_CLI_MODELS: ReadonlyMap<string, ElleCliModel> = new Map<string, ElleCliModel>([
  ['bank', { checker: 'bank', flags: 'balances' }],
  // elle-cli builds Knossos's models with no argument: a register starting at nil, our default too.
  ['cas-register', { checker: 'linearizable', options: { model: 'cas-register' } }],
  ['counter', { checker: 'counter' }],
  ['list-append', { checker: 'list-append', flags: 'cycles' }],
  ['mutex', mutex],
  ['rw-register', { checker: 'rw-register', flags: 'cycles' }],
  ['set', { checker: 'set' }],
  ['set-full', { checker: 'set-full' }],
]);

/** elle-cli's models we do not check, and why (said when one is asked for). */
export const ELLE_CLI_UNSUPPORTED: ReadonlyMap<string, string> = new Map([
  ['long-fork', 'hindsight has no long-fork checker'],
  ['comments', 'hindsight has no comments checker'],
  ['sequential', "elle-cli's sequential (reads of key-count subkeys) is not hindsight's sequential checker (a register's sequential consistency: hindsight check --checker sequential)"],
]);
