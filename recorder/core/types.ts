/**
 * The recorder's interfaces: what a database backend provides so `hindsight record` can test it.
 *
 * A test is Jepsen's shape. A **backend** (`--db memory|etcd`) prepares, for one test, a `Db`
 * (install/start/stop/fault the database on each node), a `Client` (one per logical process,
 * bound to one node, turning an invocation into a completion) and a `Nemesis` (injects and heals
 * faults). A **workload** (`register`, `set`, `list-append`, `rw-register`) is database-neutral: a
 * generator of client ops, an optional final generator (reads after healing) and the checkers
 * that judge the history. The run loop (`recorder/run/run-test.ts`) drives them and journals every op.
 *
 * Op conventions (what clients and nemeses receive and return):
 * - client ops carry `f` as a plain string (`read`, `write`, `cas`, `add`, `txn`) and an EDN value;
 *   `register` values are Jepsen independent tuples `[key v]` (`cas`: `[key [old new]]`);
 *   `set`: `add` value an int, `read` value nil → ok with a sorted vector of ints;
 *   `txn` values are vectors of micro-ops `[:append k v]`, `[:r k nil]`, `[:w k v]`.
 * - a completion is `ok` (it happened), `fail` (it certainly did not happen) or `info` (unknown);
 *   throwing from `invoke` is recorded as `info` with the error message, as Jepsen does.
 * - nemesis ops use `f` `start-<fault>` / `stop-<fault>` (`start-partition`, `stop-kill`, …);
 *   the value names target nodes (nil: the nemesis chooses). The nemesis returns what it did as
 *   the completion value (e.g. the partition's groups, the killed nodes).
 */
import type { Script } from './script.js';
import type { EdnValue } from '../../analyzer/edn/values.js';

/** `ok` / `fail` / `info` — the three ways an invocation can complete. */
export type CompletionType = 'ok' | 'fail' | 'info';

/** What a client or nemesis is asked to do (the invocation, before its completion). */
export interface Invocation {
  /** Logical process id (integer ≥ 0 for clients); `nemesis` for the nemesis. */
  readonly process: number | 'nemesis';
  readonly f: string;
  readonly value: EdnValue;
}

/** How an invocation ended. `value` defaults to the invocation's value. */
export interface Completion {
  readonly type: CompletionType;
  readonly value?: EdnValue;
  /** Why it failed or is indeterminate, e.g. `kw('timeout')`, or a string message. */
  readonly error?: EdnValue;
}

/** A line-oriented log for the run (`recorder.log` in the store, and stderr when verbose). */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/** The options of one test, as `hindsight record` parses them; written to `test.edn`. */
export interface TestOptions {
  /** Test name; the store directory is `<store>/<name>/<timestamp>/`. Default `<db>-<workload>`. */
  readonly name: string;
  /** Backend name (`memory`, `etcd`). */
  readonly db: string;
  readonly workload: string;
  /** Node names, e.g. `['n1','n2','n3','n4','n5']`. */
  readonly nodes: readonly string[];
  /** Number of worker threads = concurrent logical processes. */
  readonly concurrency: number;
  /** Seconds of workload (before healing and the final phase). */
  readonly timeLimit: number;
  /** Seed of every random choice the generators make. */
  readonly seed: number;
  /** Store root directory (default `store`). */
  readonly store: string;
  /** Fault names (`partition`, `kill`, `pause`, …); empty: no nemesis. */
  readonly nemesis: readonly string[];
  /** Seconds between fault changes in the nemesis schedule. */
  readonly nemesisInterval: number;
  /** Injected bugs (backend-specific; the memory db knows `stale-read`, `lost-write`, …). */
  readonly bugs: readonly string[];
  /** Client ops per second across all workers (a stagger of 1/rate); 0: as fast as possible. */
  readonly rate: number;
  /** Milliseconds before an op with no completion is recorded as `info :timeout`. */
  readonly opTimeoutMs: number;
  /** `host:port` of an external client server speaking proto/client.proto (overrides the backend's client). */
  readonly clientServer?: string;
  /** Skip teardown: leave the database running after the test. */
  readonly leaveDbRunning: boolean;
  /** Backend-specific extras from the command line (e.g. etcd's `--etcd-binary`). */
  readonly extra: Readonly<Record<string, unknown>>;
  /** Target specs by fault name (`--nemesis-targets kill=leader,pause=random-healthy:2@group`; nemesis/targets.ts). */
  readonly nemesisTargets?: Readonly<Record<string, string>>;
  /** Server groups (`--groups n1,n2:n3,n4,n5`). */
  readonly groups?: string;
}

/** Everything the parts of a running test share. */
export interface TestContext {
  readonly opts: TestOptions;
  /** This run's store directory (exists before setup); backends may put files here. */
  readonly dir: string;
  readonly log: Logger;
  /** Aborted when the run stops (time limit, Ctrl-C, fatal error). */
  readonly signal: AbortSignal;
  /** Seeded random numbers in [0, 1) for backends' own choices (which node to kill …). */
  readonly random: () => number;
}

/** Installs, runs and faults the database on each node. Every method may be called concurrently for different nodes. */
export interface Db {
  /**
   * Installs and starts the database on `node`, returning once it serves clients; a rejection aborts the run (exit 3).
   */
  setup(test: TestContext, node: string): Promise<void>;
  /** Stops the database on `node` and removes its data (not its logs, collected first). */
  teardown(test: TestContext, node: string): Promise<void>;
  /** Hard-kills the database process on the node (SIGKILL): unsynced state is lost. */
  kill?(test: TestContext, node: string): Promise<void>;
  /** Starts it again after `kill`. */
  start?(test: TestContext, node: string): Promise<void>;
  /** Freezes it (SIGSTOP): it stops answering but keeps its state. */
  pause?(test: TestContext, node: string): Promise<void>;
  /** Unfreezes it after `pause` (SIGCONT). */
  resume?(test: TestContext, node: string): Promise<void>;
  /** Files to copy into the store after the test, `{localName: pathOnNode}` (e.g. `{'n1/etcd.log': '/var/…'}`). */
  logFiles?(test: TestContext, node: string): Promise<Readonly<Record<string, string>>>;
  /** Copies one log file to a local path (needed when nodes are remote). Default: `fs.copyFile`. */
  fetchLogFile?(test: TestContext, node: string, remotePath: string, localPath: string): Promise<void>;
}

/**
 * A database client. The backend returns a template; the run loop calls `open` once per logical
 * process (a fresh process after an `info` gets a fresh client), `invoke` for each of its ops
 * (never concurrently on one client), and `close` when the process retires or the test ends.
 */
export interface Client {
  /** `process` is the logical process the client will serve (informational; -1 never occurs here). */
  open(test: TestContext, node: string, process?: number): Promise<OpenClient>;
}

/** A client opened for one logical process (see `Client`). */
export interface OpenClient {
  /** Performs `op`; a rejection is recorded as `info` with its message. */
  invoke(test: TestContext, op: Invocation): Promise<Completion>;
  /** Releases the client (its connections, held locks). */
  close(test: TestContext): Promise<void>;
}

/** Injects faults. `invoke` receives `start-<fault>`/`stop-<fault>` ops (see the module doc). */
export interface Nemesis {
  /** Prepares fault injection (before the workload starts). */
  setup(test: TestContext): Promise<void>;
  /** Performs one fault op; the completion value says what was done (type `info` as Jepsen records nemesis ops). */
  invoke(test: TestContext, op: Invocation): Promise<Completion>;
  /** Heals every fault it may have caused (before the final phase); must be safe to call twice. */
  healAll(test: TestContext): Promise<void>;
  /** Removes what `setup` made (after healing). */
  teardown(test: TestContext): Promise<void>;
}

/** A workload's verdict recipe: checker names from the analyzer registry and their options. */
export interface CheckSpec {
  /** e.g. `['linearizable']`, `['set-full']`, `['list-append']`. */
  readonly checkers: readonly string[];
  /** The options passed to the checkers, camelCased as `hindsight check` passes them (e.g. `{model: 'cas-register'}`). */
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * A source of ops — see `recorder/generator/` for the combinators (mix, stagger, limit, phases…).
 * Opaque here so backends can build custom workloads from the combinators without depending on
 * the interpreter's internals.
 */
export type { Generator } from '../generator/core.js';
import type { Generator } from '../generator/core.js';

/** A database-neutral test: the ops to run and how their history is judged. */
export interface Workload {
  readonly name: string;
  /** Client ops during the test (run under the time limit, with the nemesis). */
  readonly generator: Generator;
  /** Client ops after every fault is healed (e.g. the set's final reads); undefined: none. */
  readonly finalGenerator?: Generator;
  readonly check: CheckSpec;
}

/** What a backend builds for one test. */
export interface BackendParts {
  readonly db: Db;
  readonly client: Client;
  /** Handles `test.opts.nemesis`; undefined only when that list is empty. */
  readonly nemesis?: Nemesis;
  /** A backend-specific workload; undefined: the standard workload named `test.opts.workload`. */
  readonly workload?: Workload;
  /**
   * A constructed recording in place of the workload's generators and the fault schedule: it
   * drives its own clients and faults through `script` (one op at a time, in the order it says)
   * and heals what it broke before returning. Throws `RunError` when its construction did not
   * come about (a precondition the cluster did not meet), so a miss is never a verdict.
   */
  readonly scenario?: (test: TestContext, script: Script) => Promise<void>;
  /** Releases what `prepare` acquired (SSH sessions, servers); called last, even after errors. */
  close?(): Promise<void>;
}

/** A database the recorder can test, registered by name (`--db NAME`). */
export interface DbBackend {
  readonly name: string;
  /** One line for `hindsight record --help`. */
  readonly summary: string;
  /** Standard workloads this backend's client implements. */
  readonly workloads: readonly string[];
  /** Fault names its nemesis understands. */
  readonly faults: readonly string[];
  /** Faults of the vocabulary it cannot do, each with the reason (said in one line when asked for). */
  readonly faultRefusals?: Readonly<Record<string, string>>;
  /** Injectable bugs (`--bug`), if any. */
  readonly bugs?: readonly string[];
  /** Extra `hindsight record` flags this backend reads from `TestOptions.extra` (camelCased, e.g. `--etcd-binary <path>` → `extra.etcdBinary`). */
  readonly options?: ReadonlyArray<{ readonly flags: string; readonly description: string; readonly default?: string | boolean }>;
  /** Default node names when `--nodes` is not given. */
  readonly defaultNodes: readonly string[];
  /** True when several runs may be made at once in one process (`suite --parallel`): nothing they use is shared. */
  readonly concurrentRuns?: boolean;
  /** Builds the parts of one test; throw `RunError` if the run cannot be made (exit 3). */
  prepare(test: TestContext): Promise<BackendParts>;
}

/** The test could not be run (bad options, missing binaries, cluster unreachable): exit 3. */
export class RunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunError';
  }
}
