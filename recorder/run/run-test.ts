/**
 * One test, in Jepsen's phases: make the store directory and `test.edn`; set up the database on
 * every node; run the workload with the nemesis under the time limit, journaling every op; heal
 * every fault; run the final phase (e.g. the set's last read); check the history with the
 * workload's checkers and write `results.edn`; tear down (unless `leaveDbRunning`). The
 * composition root of the recorder: it alone ties core/ to the workloads, backends and the
 * gRPC client, so core/ (the contracts, journal, interpreter) depends on none of them.
 */
import { setMaxListeners } from 'node:events';
import { appendFileSync, mkdirSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { compose } from '../../analyzer/check/compose.js';
import { type CheckResult, type Checker, UNKNOWN, verdictWord } from '../../analyzer/check/checker.js';
import { checkerNamed, checkers as registered } from '../../analyzer/checkers/registry.js';
import { type Phases, announced } from '../../analyzer/report/phases.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { type EdnRecord, type EdnValue, kw } from '../../analyzer/edn/values.js';
import { HistoryError } from '../../analyzer/history/diagnostics.js';
import { readHistory } from '../../analyzer/history/read.js';
import { writeFileAtomicSync } from '../../analyzer/util/atomic-write.js';
import { type Generator } from '../generator/core.js';
import { clients, faultSchedule, nemesis as withNemesis, onThreads, phases, sleep, stagger, timeLimit } from '../generator/combinators.js';
import { randomFunction } from '../../analyzer/util/random.js';
import { standardWorkload } from '../workloads/index.js';
import { backendNamed, backendNames, loadBackends } from '../core/backends.js';
import { GrpcClient } from '../grpc/client.js';
import { interpret } from '../core/interpreter.js';
import { Journal } from '../core/journal.js';
import { Script } from '../core/script.js';
import { RunTracker, type RunTimings, type StatusOptions } from '../core/status.js';
import { createRunDir, pointLatest } from '../core/run-dir.js';
import { type BackendParts, type Client, type Completion, type DbBackend, type Logger, type Nemesis, type OpenClient, RunError, type TestContext, type TestOptions, type Workload } from '../core/types.js';

/** What `runTest` returns: where the run is stored and its verdict, with counts and timings. */
export interface RunOutcome {
  /** The run's store directory. */
  dir: string;
  /** The checkers that judged the run. */
  checkers: readonly string[];
  /** The checkers' combined result (also in `results.edn`). */
  result: CheckResult;
  /** Ops in the history (invocations and completions, client and nemesis). */
  ops: number;
  /** Seconds of the workload phase: its first op until the time limit's ops drained (setup, healing, final reads and checking excluded). */
  seconds: number;
  /** Client invocations during the workload phase (its rate is invocations / seconds). */
  invocations: number;
  /** Wall seconds of each phase, and of the whole run from start to verdict. */
  timings: RunTimings;
}

const HEAL = 'heal';

function fileLogger(path: string, echo: ((s: string) => void) | undefined): Logger {
  const line = (level: string, m: string): void => {
    const s = `${new Date().toISOString()} ${level} ${m}`;
    appendFileSync(path, s + '\n');
    echo?.(s);
  };
  return { info: (m) => line('INFO', m), warn: (m) => line('WARN', m) };
}

function testEdn(o: TestOptions, w: Workload, start: Date): string {
  const rec: EdnRecord = {
    name: o.name,
    db: kw(o.db),
    workload: kw(o.workload),
    nodes: [...o.nodes],
    concurrency: o.concurrency,
    'time-limit': o.timeLimit,
    seed: o.seed,
    nemesis: o.nemesis.map((n) => kw(n)),
    'nemesis-interval': o.nemesisInterval,
    bugs: o.bugs.map((b) => kw(b)),
    rate: o.rate,
    'op-timeout-ms': o.opTimeoutMs,
    'leave-db-running': o.leaveDbRunning,
    checkers: w.check.checkers.map((c) => kw(c)),
    'checker-options': Object.fromEntries(
      Object.entries(w.check.options).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()), v as EdnValue]),
    ),
    'start-time': start.toISOString(),
    versions: { hindsight: '0.1.0', node: process.version },
  };
  if (o.clientServer !== undefined) rec['client-server'] = o.clientServer;
  if (o.nemesisTargets !== undefined) rec['nemesis-targets'] = { ...o.nemesisTargets };
  if (o.groups !== undefined) rec.groups = o.groups;
  return printEdn(rec) + '\n';
}

/**
 * Runs the workload's checkers on the journaled history; a checker not registered yields :unknown.
 * `phases` hears which checker runs and its progress (the run's status line while checking).
 */
export async function checkRun(dir: string, w: Workload, log: Logger, phases?: Phases): Promise<CheckResult> {
  let history;
  try {
    history = await readHistory(join(dir, 'history.edn'), { onWarning: (warn) => log.warn(`history: ${warn.message}`) });
  } catch (e) {
    // A run that recorded nothing (stopped at once) has nothing to judge.
    if (e instanceof HistoryError) return { 'valid?': UNKNOWN, error: e.message };
    throw e;
  }
  const named: Checker<Record<string, unknown>>[] = [];
  const missing: string[] = [];
  for (const n of w.check.checkers) {
    const c = checkerNamed(n);
    if (c === undefined) missing.push(n);
    else named.push(c);
  }
  if (missing.length > 0) {
    return { 'valid?': UNKNOWN, error: `checker ${missing.join(', ')} not registered (known: ${[...registered.keys()].sort().join(', ')})` };
  }
  const result = await compose(phases === undefined ? named : announced(named, phases), history, { ...w.check.options }, { outDir: dir });
  // Jepsen's usual pictures (latency, rate, timeline) beside the verdict; they do not change it.
  for (const n of PICTURES) {
    const c = checkerNamed(n);
    if (c === undefined || w.check.checkers.includes(n)) continue;
    phases?.phase(`drawing ${n}`);
    try {
      await c.check(history, {}, { outDir: dir });
    } catch (e) {
      log.warn(`${n} pictures: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return result;
}

const PICTURES = ['perf', 'timeline'];

/**
 * Runs one test; throws RunError when it cannot be made. `status.onStatus` hears what the run is
 * doing (phase, counts, active faults) while it runs, for a live status line.
 */
export async function runTest(o: TestOptions, echo?: (s: string) => void, signal?: AbortSignal, status: StatusOptions = {}): Promise<RunOutcome> {
  // Started first: the whole run's wall time is measured from here to the verdict.
  const tracker = new RunTracker(o.timeLimit, status);
  try {
    return await runTracked(o, tracker, echo, signal);
  } finally {
    tracker.finish();
  }
}

/** The backend `o.db` names, once it is known to offer `o.workload` and every fault in `o.nemesis`. */
async function backendFor(o: TestOptions): Promise<DbBackend> {
  await loadBackends();
  const backend = backendNamed(o.db);
  if (backend === undefined) throw new RunError(`unknown --db ${o.db}; known: ${backendNames().join(', ')}`);
  if (o.clientServer === undefined && !backend.workloads.includes(o.workload))
    throw new RunError(`the ${o.db} db has no workload ${o.workload}; it has ${backend.workloads.join(', ')}`);
  for (const f of o.nemesis) {
    const refused = backend.faultRefusals?.[f];
    if (refused !== undefined) throw new RunError(`the ${o.db} db cannot do ${f} faults: ${refused}`);
    if (!backend.faults.includes(f)) throw new RunError(`the ${o.db} db has no fault ${f}; it has ${backend.faults.join(', ') || 'none'}`);
  }
  return backend;
}

/** The whole run's generator: the workload (paced) beside the fault schedule under the time limit, then heal, settle and the final reads. */
function schedule(o: TestOptions, workload: Workload, withFaults: boolean, tracker: RunTracker): Generator | null {
  const paced = (g: Generator | null): Generator | null => (o.rate > 0 ? stagger(1 / o.rate, g) : g);
  const main = timeLimit(o.timeLimit, withNemesis(faultSchedule(o.nemesis, o.nemesisInterval), paced(workload.generator)));
  const final = workload.finalGenerator;
  // The marks move the status on as each phase begins (once every thread is idle).
  return phases(
    main,
    withFaults ? tracker.mark('healing') : null,
    withFaults ? onThreads((t) => t === 'nemesis', { f: HEAL, process: 'nemesis' }) : null,
    final === undefined ? null : tracker.mark('final reads'),
    // Let the healed cluster settle (elections, catch-up) before the final reads.
    final === undefined ? null : clients(sleep(1)),
    final === undefined ? null : final,
  );
}

/** What `recordHistory` leaves: the op count, the clients still open, and when the first op could start. */
interface Recorded {
  readonly ops: number;
  readonly clients: ReadonlyMap<number, Promise<OpenClient>>;
  readonly t0: bigint;
}

/** Runs `gen` through the interpreter, journaling every op into `history.edn` (closed on return, also on error). */
async function recordHistory(test: TestContext, gen: Generator | null, client: Client, nem: Nemesis | undefined, tracker: RunTracker): Promise<Recorded> {
  const o = test.opts;
  const journal = new Journal(join(test.dir, 'history.edn'));
  const t0 = process.hrtime.bigint();
  const now = (): number => Number(process.hrtime.bigint() - t0);
  const sessions = new Map<number, Promise<OpenClient>>();
  let index = 0;
  const openFor = (thread: number, process: number): Promise<OpenClient> => {
    let s = sessions.get(process);
    if (s === undefined) {
      s = client.open(test, o.nodes[thread % o.nodes.length], process);
      sessions.set(process, s);
      s.catch(() => sessions.delete(process));
    }
    return s;
  };
  test.log.info('running the workload');
  tracker.setPhase('running');
  try {
    await interpret(gen, {
      concurrency: o.concurrency,
      withNemesis: nem !== undefined,
      random: randomFunction(o.seed, 'raw'),
      now,
      opTimeoutMs: o.opTimeoutMs,
      signal: test.signal,
      async invokeClient(thread, op): Promise<Completion> {
        let s: OpenClient;
        try {
          s = await openFor(thread, op.process as number);
        } catch (e) {
          return { type: 'fail', error: [kw('no-client'), e instanceof Error ? e.message : String(e)] };
        }
        return s.invoke(test, op);
      },
      async invokeNemesis(op): Promise<Completion> {
        if (op.f === HEAL) {
          await nem!.healAll(test);
          return { type: 'info', value: kw('healed') };
        }
        return nem!.invoke(test, op);
      },
      retired(_thread, process) {
        const s = sessions.get(process);
        sessions.delete(process);
        s?.then((c) => c.close(test)).catch(() => undefined);
      },
      record(op) {
        journal.append({ index: index++, ...op });
        tracker.record(op);
      },
      log: (m) => test.log.info(m),
    });
  } finally {
    journal.close();
  }
  return { ops: index, clients: sessions, t0 };
}

/** Runs a backend's constructed scenario, journaling its ops into `history.edn` (closed on return, also on error). */
async function recordScenario(test: TestContext, scenario: NonNullable<BackendParts['scenario']>, tracker: RunTracker): Promise<Recorded> {
  const script = new Script(test);
  const t0 = process.hrtime.bigint();
  test.log.info(`running the scenario ${test.opts.workload}`);
  tracker.setPhase('running');
  try {
    await scenario(test, script);
  } finally {
    script.close();
  }
  return { ops: script.ops, clients: new Map(), t0 };
}

/**
 * `runTest`'s body: backend, store directory, setup, recording, teardown (also after a failure), then the verdict.
 */
async function runTracked(o: TestOptions, tracker: RunTracker, echo?: (s: string) => void, signal?: AbortSignal): Promise<RunOutcome> {
  const backend = await backendFor(o);
  const start = new Date();
  // Exclusively: a run started in the same millisecond gets its own directory (and journal).
  const dir = createRunDir(o.store, o.name, start);
  pointLatest(o.store, dir);
  const log = fileLogger(join(dir, 'recorder.log'), echo);
  const abort = new AbortController();
  // Every worker, client and the nemesis listen to this one signal: many listeners is by design.
  setMaxListeners(0, abort.signal);
  signal?.addEventListener('abort', () => abort.abort());
  const test: TestContext = { opts: o, dir, log, signal: abort.signal, random: randomFunction(o.seed ^ 0x0b5e55ed, 'raw') };

  let parts: BackendParts | undefined;
  let ops = 0;
  let workload: Workload | undefined;
  let setupStarted = false;
  let closeExternal: (() => void) | undefined;
  let tornDown = false;
  try {
    parts = await backend.prepare(test);
    workload = parts.workload ?? standardWorkload(o.workload);
    if (workload === undefined) throw new RunError(`no workload ${o.workload}`);
    writeFileAtomicSync(join(dir, 'test.edn'), testEdn(o, workload, start));
    log.info(`test ${o.name}: db ${o.db}, workload ${o.workload}, nemesis ${o.nemesis.join(',') || 'none'}, ${o.concurrency} workers, ${o.timeLimit}s, seed ${o.seed}`);
    const db = parts.db;
    // --client-server replaces whatever client the backend built (the backend still runs the db and nemesis).
    const external = o.clientServer === undefined ? undefined : new GrpcClient(o.clientServer);
    closeExternal = () => external?.shutdown();
    const nem = o.nemesis.length > 0 ? parts.nemesis : undefined;
    if (o.nemesis.length > 0 && nem === undefined) throw new RunError(`the ${o.db} backend built no nemesis for ${o.nemesis.join(',')}`);

    log.info('setting up the database');
    setupStarted = true;
    try {
      await Promise.all(o.nodes.map((n) => db.setup(test, n)));
    } catch (e) {
      throw new RunError(`database setup failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    await nem?.setup(test);

    const rec = parts.scenario !== undefined
      ? await recordScenario(test, parts.scenario, tracker)
      : await recordHistory(test, schedule(o, workload, nem !== undefined, tracker), external ?? parts.client, nem, tracker);
    ops = rec.ops;
    // Interrupted runs skip the generator's heal phase: heal anyway, so nodes are not left faulted.
    if (abort.signal.aborted && nem !== undefined) {
      tracker.setPhase('healing');
      await nem.healAll(test).catch((e: unknown) => log.warn(`healing: ${String(e)}`));
      tracker.healed();
    }
    log.info(`recorded ${ops} ops in ${(Number(process.hrtime.bigint() - rec.t0) / 1e9).toFixed(1)}s`);
    tracker.setPhase('tearing down');
    await Promise.all([...rec.clients.values()].map((s) => s.then((c) => c.close(test)).catch(() => undefined)));
    await nem?.teardown(test);
    await collectLogs(test, parts);
    if (!o.leaveDbRunning) await Promise.all(o.nodes.map((n) => db.teardown(test, n)));
    else log.info('leaving the database running');
    tornDown = true;
  } catch (e) {
    log.warn(`run failed: ${e instanceof Error ? e.message : String(e)}`);
    // Best effort, as Jepsen does: a failed run still tears down what it set up.
    if (setupStarted && !tornDown && !o.leaveDbRunning && parts !== undefined) {
      const db = parts.db;
      await Promise.all(o.nodes.map((n) => db.teardown(test, n).catch((te: unknown) => log.warn(`teardown ${n}: ${String(te)}`))));
    }
    throw e;
  } finally {
    closeExternal?.();
    await parts?.close?.().catch((e: unknown) => log.warn(`closing the backend: ${String(e)}`));
  }
  return judge(dir, workload, log, tracker, ops);
}

/** Checks the recorded history, writes `results.edn`, and makes the run's outcome. */
async function judge(dir: string, workload: Workload, log: Logger, tracker: RunTracker, ops: number): Promise<RunOutcome> {
  log.info('checking the history');
  tracker.setPhase('checking');
  // announced() names each checker "checking X"; the phase already says checking. Unwatched
  // runs skip it, so checkers' progress calls cost nothing.
  const checking: Phases | undefined = tracker.watched ? { phase: (m, done, total) => tracker.setDetail(progressText(m.replace(/^checking /, ''), done, total)), clear() {} } : undefined;
  const result = await checkRun(dir, workload, log, checking);
  writeFileAtomicSync(join(dir, 'results.edn'), printEdn(result) + '\n');
  log.info(`verdict: ${verdictWord(result['valid?'])}`);
  const timings = tracker.finish();
  return { dir, checkers: workload.check.checkers, result, ops, seconds: tracker.workloadSeconds(), invocations: tracker.invokedInWorkload, timings };
}

const progressText = (m: string, done?: number, total?: number): string => (done !== undefined && total !== undefined ? `${m} ${done}/${total}` : m);

async function collectLogs(test: TestContext, parts: BackendParts): Promise<void> {
  const db = parts.db;
  if (db.logFiles === undefined) return;
  for (const node of test.opts.nodes) {
    try {
      const files = await db.logFiles(test, node);
      for (const [local, remote] of Object.entries(files)) {
        const dest = join(test.dir, local);
        mkdirSync(dirname(dest), { recursive: true });
        if (db.fetchLogFile) await db.fetchLogFile(test, node, remote, dest);
        else await copyFile(remote, dest);
      }
    } catch (e) {
      test.log.warn(`collecting logs from ${node}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
