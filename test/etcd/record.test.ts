/**
 * End to end: `hindsight record --db etcd` on 3 namespace nodes, checked by the real checkers.
 * Needs root and etcd/sshd/iptables (skipped with the reason otherwise; CI installs them). Each
 * test also needs its checker registered in the analyzer and says so when it is not.
 *
 * Fault-finding tests depend on timing (a read must land on the isolated node while the majority
 * moves on; a lease must expire inside a critical section), so they retry the recording up to
 * ATTEMPTS times and pass on the first run that shows the anomaly.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { checkerNamed } from '../../analyzer/checkers/registry.js';
import { type EdnValue, Keyword } from '../../analyzer/edn/values.js';
import { runTest, type RunOutcome } from '../../recorder/core/run.js';
import { readHistory } from '../../analyzer/history/read.js';
import { RunError, type TestOptions } from '../../recorder/core/types.js';
import { claimFile } from '../../recorder/nodes/claim.js';
import { namespacesDown, namespacesUp, readState } from '../../recorder/nodes/namespaces.js';
import { clusterSkipReason, leftovers } from './support.js';

const NAME = 'hsr';
const ATTEMPTS = 3;
const store = join(tmpdir(), `hindsight-etcd-record-${process.pid}`);
const noCluster = clusterSkipReason();

function skipFor(...checkers: string[]): string | false {
  if (noCluster) return noCluster;
  const missing = checkers.filter((c) => !checkerNamed(c));
  return missing.length ? `checker ${missing.join(', ')} not registered yet` : false;
}

before(async () => {
  if (noCluster) return;
  await namespacesDown(NAME);
  // One cluster for every recording here; the backend uses it (and leaves it up) via extra.cluster.
  await namespacesUp({ name: NAME, count: 3, subnet: '10.77.2' });
});

after(async () => {
  rmSync(store, { recursive: true, force: true });
  if (noCluster) return;
  await namespacesDown(NAME);
  assert.deepEqual(leftovers(NAME), []);
  assert.equal(readState(NAME), undefined);
});

function options(workload: string, nemesis: string[], timeLimit: number, extra: Record<string, unknown> = {}, seed = 1, opTimeoutMs = 5000): TestOptions {
  return {
    name: `etcd-${workload}`,
    db: 'etcd',
    workload,
    nodes: ['n1', 'n2', 'n3'],
    concurrency: 10,
    timeLimit,
    seed,
    store,
    nemesis,
    nemesisInterval: 3,
    bugs: [],
    rate: 0,
    opTimeoutMs,
    leaveDbRunning: false,
    extra: { cluster: NAME, ...extra },
  };
}

function history(r: RunOutcome): string {
  return readFileSync(join(r.dir, 'history.edn'), 'utf8');
}

function nemesisFs(r: RunOutcome): Set<string> {
  return new Set([...history(r).matchAll(/:type :info, :process :nemesis, :f :([a-z-]+), :value (?!nil)/g)].map((m) => m[1]!));
}

function get(v: EdnValue | undefined, key: string): EdnValue | undefined {
  if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Keyword)) return (v as Record<string, EdnValue>)[key];
  return undefined;
}

test('a cluster another live recording holds is refused (exit 3), and the claim is ours again after the run', { skip: noCluster, timeout: 60_000 }, async () => {
  const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
  const file = claimFile(NAME);
  try {
    writeFileSync(file, `${holder.pid}\n`);
    await assert.rejects(runTest(options('register', [], 2)), (e: unknown) => {
      assert.ok(e instanceof RunError, String(e));
      assert.equal(e.message, `etcd: namespace cluster ${NAME} is in use by another recording (pid ${holder.pid}, claim ${file}); wait for it to end or pick another --cluster`);
      return true;
    });
    assert.equal(readFileSync(file, 'utf8'), `${holder.pid}\n`, 'the other claim is left alone');
  } finally {
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
  }
  // Its holder is dead: the next recording takes the claim over and releases it at the end.
  const r = await runTest(options('register', [], 2));
  assert.equal(r.result['valid?'], true, `results in ${r.dir}`);
  assert.equal(existsSync(file), false);
});

test('register, 20 s with partitions and kills: linearizable', { skip: skipFor('linearizable'), timeout: 120_000 }, async () => {
  const r = await runTest(options('register', ['partition', 'kill'], 20));
  assert.equal(r.result['valid?'], true, `results in ${r.dir}`);
  const fs = nemesisFs(r);
  assert.ok(fs.has('start-partition') || fs.has('start-kill'), `nemesis acted: ${[...fs].join(', ')}`);
  assert.ok(fs.has('heal'));
  assert.match(history(r), /:type :ok, :process \d+, :f :read, :value \[\d+ \d+\]/);
  assert.ok(readFileSync(join(r.dir, 'n1', 'etcd.log'), 'utf8').length > 0, 'etcd logs collected');
});

test('append, 20 s with partitions and kills: strict serializable', { skip: skipFor('list-append'), timeout: 120_000 }, async () => {
  const r = await runTest(options('append', ['partition', 'kill'], 20));
  assert.equal(r.result['valid?'], true, `results in ${r.dir}`);
  assert.match(history(r), /:type :ok, :process \d+, :f :txn, :value \[.*\[:append \d+ \d+\]/);
  assert.ok(nemesisFs(r).has('heal'));
});

/**
 * Definite witnesses found straight in a history, so these tests show the anomaly even before
 * the checker that would name it is registered (when it is, its verdict is asserted too).
 */
async function witnesses(r: RunOutcome, kind: 'register' | 'set'): Promise<{ nilReadsAfterWrite: number; staleSetReads: number; lostAdds: number[] }> {
  const h = await readHistory(join(r.dir, 'history.edn'));
  const ops = [...h.ops()];
  const name = (f: unknown): string | undefined => (typeof f === 'string' ? f : f instanceof Keyword ? f.name : undefined);
  const invokedAt = new Map<unknown, number>();
  const firstWrite = new Map<string, number>();
  const addDone = new Map<number, number>();
  const okAdds = new Set<number>();
  let finalRead: number[] | undefined;
  let nilReadsAfterWrite = 0;
  let staleSetReads = 0;
  for (const op of ops) {
    const f = name(op.f);
    if (op.type === 'invoke') invokedAt.set(op.process, op.index);
    if (op.type !== 'ok') continue;
    if (f === 'write' && Array.isArray(op.value)) {
      const k = JSON.stringify(op.value[0]);
      if (!firstWrite.has(k)) firstWrite.set(k, op.index);
    } else if (f === 'add') {
      addDone.set(op.value as number, op.index);
      okAdds.add(op.value as number);
    } else if (f === 'read' && kind === 'register' && Array.isArray(op.value)) {
      // register read [k v]: nil after an acknowledged write of k (no write ever writes nil)
      const w = firstWrite.get(JSON.stringify(op.value[0]));
      if (op.value[1] === null && w !== undefined && w < invokedAt.get(op.process)!) nilReadsAfterWrite++;
    } else if (f === 'read' && kind === 'set' && Array.isArray(op.value)) {
      // set read: misses an add that was acknowledged before the read began
      const seen = new Set(op.value as number[]);
      const inv = invokedAt.get(op.process)!;
      if ([...addDone].some(([v, done]) => done < inv && !seen.has(v))) staleSetReads++;
      finalRead = op.value as number[];
    }
  }
  const lostAdds = finalRead ? [...okAdds].filter((v) => !finalRead!.includes(v)).sort((a, b) => a - b) : [];
  return { nilReadsAfterWrite, staleSetReads, lostAdds };
}

test('--serializable-reads with a node isolated: the register is not linearizable (etcd 2014, reproduced)', { skip: noCluster, timeout: 200_000 }, async () => {
  const seen: string[] = [];
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    // A short op timeout: clients of the isolated node give up on writes sooner and read more.
    const r = await runTest(options('register', ['partition-isolate-one'], 15, { serializableReads: true }, attempt, 1500));
    const w = await witnesses(r, 'register');
    seen.push(`${w.nilReadsAfterWrite} nil reads after a write, verdict ${String(r.result['valid?'])} (${r.dir})`);
    // A nil read fits any register state (Knossos's rule: nil is an unknown read), so a run whose
    // only stale reads are of keys the isolated node never saw written is linearizable to the
    // checker; such a run counts as a miss and the recording is retried. The checker's verdict is
    // what is asserted, with the stale read it names.
    if (r.result['valid?'] === false) {
      const lin = get(r.result, 'linearizable') ?? r.result;
      const failures = get(lin, 'failures');
      assert.ok(Array.isArray(failures) && failures.length > 0, `the keys that failed are named: ${r.dir}`);
      return;
    }
  }
  assert.fail(`no run out of ${ATTEMPTS} was found non-linearizable: ${seen.join('; ')}`);
});

test('--serializable-reads with a node isolated: the set shows stale reads', { skip: noCluster, timeout: 200_000 }, async () => {
  const seen: string[] = [];
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const r = await runTest(options('set', ['partition-isolate-one'], 15, { serializableReads: true }, attempt, 1500));
    const w = await witnesses(r, 'set');
    const stale = get(r.result, 'stale-count') ?? get(get(r.result, 'set-full'), 'stale-count');
    seen.push(`${w.staleSetReads} stale reads, checker stale-count ${String(stale)} (${r.dir})`);
    if (w.staleSetReads > 0) {
      if (checkerNamed('set-full')) assert.ok(typeof stale === 'number' && stale > 0, `the checker must report stale reads: ${r.dir}`);
      return;
    }
  }
  assert.fail(`no stale read in ${ATTEMPTS} runs: ${seen.join('; ')}`);
});

test('lock-set with 1 s leases and pauses: lost updates (the lock is not a mutex)', { skip: noCluster, timeout: 200_000 }, async () => {
  const seen: string[] = [];
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const r = await runTest(options('lock-set', ['pause'], 20, { leaseTtl: 1 }, attempt));
    const w = await witnesses(r, 'set');
    seen.push(`lost ${JSON.stringify(w.lostAdds)}, verdict ${String(r.result['valid?'])} (${r.dir})`);
    if (w.lostAdds.length > 0) {
      if (checkerNamed('lock-set')) assert.equal(r.result['valid?'], false, `the checker must report the lost updates: ${r.dir}`);
      return;
    }
  }
  assert.fail(`no lost update in ${ATTEMPTS} runs: ${seen.join('; ')}`);
});

test('watch, 15 s with partitions and kills: every watcher sees the same sequence', { skip: skipFor('watch'), timeout: 120_000 }, async () => {
  const r = await runTest(options('watch', ['partition', 'kill'], 15));
  assert.equal(r.result['valid?'], true, `results in ${r.dir}`);
  assert.match(history(r), /:type :ok, :process \d+, :f :final-watch, :value \{:revision \d+, :log \[/);
});
