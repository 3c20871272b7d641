/**
 * A scripted recording against a real etcd cluster: the test says which process does what on
 * which node and when the nemesis acts, so a fault's consequence is constructed, not hoped for.
 * Every op goes through the recorder's own pieces (the workload's op functions, the nemesis, the
 * journal) and the history is judged by the workload's checkers as `hindsight record` would.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kw, type EdnValue } from '../../../analyzer/edn/values.js';
import type { CheckResult } from '../../../analyzer/check/checker.js';
import { checkRun } from '../../../recorder/run/run-test.js';
import { Journal } from '../../../recorder/core/journal.js';
import type { Completion, TestContext, TestOptions, Workload } from '../../../recorder/core/types.js';
import { EtcdClient } from '../../../recorder/etcd/client.js';
import type { EtcdCluster } from '../../../recorder/etcd/cluster.js';
import { randomFunction } from '../../../analyzer/util/random.js';

/** A TestContext for driving backend pieces by hand; its directory is a fresh temporary one. */
export function scriptContext(workload: string, nodes: readonly string[]): TestContext {
  const dir = mkdtempSync(join(tmpdir(), `hindsight-script-${workload}-`));
  const opts: TestOptions = {
    name: `script-${workload}`,
    db: 'etcd',
    workload,
    nodes,
    concurrency: nodes.length,
    timeLimit: 0,
    seed: 1,
    store: dir,
    nemesis: ['partition'],
    nemesisInterval: 0,
    bugs: [],
    rate: 0,
    opTimeoutMs: 10_000,
    leaveDbRunning: false,
    extra: {},
  };
  return { opts, dir, log: { info() {}, warn() {} }, signal: new AbortController().signal, random: randomFunction(1, 'raw') };
}

/** Records ops as they are invoked and completed, in the order they happen, into history.edn. */
export class Script {
  private readonly journal: Journal;
  private readonly t0 = process.hrtime.bigint();
  private index = 0;

  constructor(readonly test: TestContext) {
    this.journal = new Journal(join(test.dir, 'history.edn'));
  }

  private record(proc: number | 'nemesis', type: 'invoke' | Completion['type'], f: string, value: EdnValue, error?: EdnValue): void {
    const time = Number(process.hrtime.bigint() - this.t0);
    this.journal.append({ index: this.index++, time, type, process: proc === 'nemesis' ? kw('nemesis') : proc, f: kw(f), value, ...(error === undefined ? {} : { error }) });
  }

  /** Invokes `f value` as `process`, runs `run`, and records its completion; returns it. */
  async op(proc: number | 'nemesis', f: string, value: EdnValue, run: () => Promise<Completion>): Promise<Completion> {
    this.record(proc, 'invoke', f, value);
    const c = await run();
    this.record(proc, c.type, f, c.value === undefined ? value : c.value, c.error);
    return c;
  }

  /** Closes the journal and checks the history with the workload's checkers. */
  async check(workload: Workload): Promise<CheckResult> {
    this.journal.close();
    return checkRun(this.test.dir, workload, this.test.log);
  }
}

/** The name of the cluster's current leader, asked of `via` (which must reach a majority). */
export async function leaderName(etcd: EtcdCluster, via: string): Promise<string> {
  const c = new EtcdClient(etcd.clientEndpoint(via), { timeoutMs: 3000 });
  try {
    const { leader } = await c.status();
    const name = (await c.memberList()).find((m) => m.id === leader)?.name;
    if (name === undefined) throw new Error(`${via} knows no leader (status leader ${leader})`);
    return name;
  } finally {
    c.close();
  }
}
