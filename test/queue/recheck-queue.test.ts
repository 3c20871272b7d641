/**
 * `recheck --queue` end to end, against a real redis-server and real `hindsight worker`
 * processes: the report equals a local recheck's (apart from timings), whatever happens to the
 * workers, Redis or the coordinator meanwhile.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { JOB_FORMAT, QUEUE_NAME } from '../../analyzer/queue/job.js';
import { codeVersion } from '../../analyzer/recheck/cache.js';
import { type RedisServer, startRedis } from '../support/redis.js';
import { tempDir } from '../support/tmp.js';
import { runCli, startCli } from '../support/cli.js';
import { fixtureRuns, fixtureStore } from '../recheck/fixture-store.js';
import { checkings, comparable, jobCounts, recheckCli, startWorker, stopWorkers, waitFor } from './helpers.js';

interface Report {
  exit: number;
  totals: Record<string, number>;
  queue?: { address: string; workers: Record<string, number> };
  rows: Record<string, unknown>[];
}
const report = (dir: string): Report => JSON.parse(readFileSync(join(dir, 'recheck.json'), 'utf8')) as Report;
/** A row of recheck.json without what differs from run to run. */
const untimed = (rows: Record<string, unknown>[]): Record<string, unknown>[] => rows.map(({ seconds: _s, cached: _c, ...r }) => r);

/** A local recheck of `store` (no cache): what every queued one must print. */
async function localRecheck(store: string, extra: string[] = []): Promise<{ code: number | null; out: string; dir: string }> {
  const dir = tempDir('hindsight-local-');
  const r = await recheckCli([store, '--no-cache', '--out', dir, ...extra]);
  assert.equal(r.err, '');
  return { code: r.code, out: r.out, dir };
}

async function withRedis(t: { after: (fn: () => Promise<void>) => void }, o: { password?: string } = {}): Promise<RedisServer> {
  const redis = await startRedis(o);
  t.after(async () => {
    await stopWorkers();
    await redis.stop();
  });
  return redis;
}

test('recheck --queue with three workers prints the local table of the fixtures store; a second run is served from the Redis cache; every history is checked once', async (t) => {
  const store = fixtureStore(tempDir('hindsight-queue-store-'));
  const local = await localRecheck(store);
  const redis = await withRedis(t);
  const url = `${redis.url}/0`;
  const workers = await Promise.all(['w1', 'w2', 'w3'].map((n) => startWorker(url, n, ['--shared-root', store])));
  const out = tempDir('hindsight-queued-');
  const queued = await recheckCli([store, '--queue', url, '--shared-root', store, '--out', out]);
  assert.equal(queued.err, '');
  assert.equal(queued.code, local.code);
  assert.deepEqual(comparable(queued.out, store), comparable(local.out, store));
  const q = report(out);
  const l = report(local.dir);
  assert.deepEqual(untimed(q.rows), untimed(l.rows));
  assert.equal(q.rows.length, 59);
  assert.deepEqual(q.totals, l.totals);
  assert.equal(q.queue?.address, url);
  const perWorker = Object.values(q.queue?.workers ?? {});
  assert.equal(perWorker.reduce((a, b) => a + b, 0), 59);
  assert.equal(workers.map(checkings).reduce((a, b) => a + b, 0), 59);

  const again = await recheckCli([store, '--queue', url, '--shared-root', store, '--out', out]);
  assert.equal(again.code, local.code);
  assert.deepEqual(comparable(again.out, store).rows, comparable(local.out, store).rows);
  assert.match(again.out, /\n59 histories: .*; 59 from the cache; /);
  assert.deepEqual(untimed(report(out).rows), untimed(l.rows));
  assert.ok(report(out).rows.every((r) => r.cached === true));
  assert.equal(workers.map(checkings).reduce((a, b) => a + b, 0), 59, 'nothing was checked again');
});

/** A store of a few fixture runs and, first in path order, `aaa-slow`: a history whose check takes seconds (a million search states, then a deterministic `unknown`). */
async function storeWithSlowRun(): Promise<{ store: string; slow: string }> {
  const store = fixtureStore(tempDir('hindsight-queue-slow-'), fixtureRuns().filter((r) => r.history.includes('knossos/cas-register/bad')).slice(0, 5));
  const dir = join(store, 'aaa-slow', '20260101T000000.000');
  mkdirSync(dir, { recursive: true });
  const slow = join(dir, 'history.edn');
  const gen = await runCli(['gen', '--workload', 'cas-register', '--ops', '4000', '--concurrency', '100', '--keys', '1', '--out', slow], { analyzer: true });
  assert.equal(gen.code, 0, gen.err);
  writeFileSync(join(dir, 'test.edn'), '{:name "aaa-slow", :checkers [:linearizable], :checker-options {:model "cas-register", :max-states 1000000, :algorithm "wgl"}}\n');
  return { store, slow };
}

test('a worker SIGKILLed in the middle of a job: its job goes to another worker once its lock expires, and every row is there exactly once', async (t) => {
  const { store, slow } = await storeWithSlowRun();
  const local = await localRecheck(store);
  assert.match(local.out, /aaa-slow\/20260101T000000\.000 .* unknown: state limit of 1000000 configurations reached with/);
  const redis = await withRedis(t);
  const url = `${redis.url}/0`;
  // One worker, one job at a time: the first job queued, the slow one, is its.
  const doomed = await startWorker(url, 'doomed', ['--shared-root', store]);
  const out = tempDir('hindsight-queued-');
  const coordinator = startCli(['recheck', store, '--queue', url, '--shared-root', store, '--out', out], { analyzer: true });
  await waitFor(() => doomed.err.includes(`worker doomed: checking ${slow} (job `), 'the worker to start the slow job');
  doomed.child.kill('SIGKILL');
  await doomed.done;
  const others = await Promise.all(['w2', 'w3'].map((n) => startWorker(url, n, ['--shared-root', store])));
  const queued = await coordinator.done;
  assert.equal(queued.err, '');
  assert.equal(queued.code, local.code);
  assert.deepEqual(comparable(queued.out, store), comparable(local.out, store));
  const q = report(out);
  assert.deepEqual(untimed(q.rows), untimed(report(local.dir).rows));
  // The killed worker finished nothing: the slow job was checked again, by one of the others, once.
  assert.equal(q.queue?.workers.doomed, undefined);
  assert.equal((q.queue?.workers.w2 ?? 0) + (q.queue?.workers.w3 ?? 0), 6);
  assert.equal(others.map((w) => w.err.split('\n').filter((l) => l.includes(`checking ${slow} (job `)).length).reduce((a, b) => a + b, 0), 1);
  assert.equal(others.map(checkings).reduce((a, b) => a + b, 0), 6);
});

test('Redis restarted twice mid-run (jobs queued and no worker yet; then with workers checking): the coordinator waits it out and prints the local table', async (t) => {
  const store = fixtureStore(tempDir('hindsight-queue-restart-'), fixtureRuns().filter((r) => r.history.includes('knossos/cas-register/')).slice(0, 12));
  const local = await localRecheck(store);
  const redis = await withRedis(t);
  const url = `${redis.url}/0`;
  const out = tempDir('hindsight-queued-');
  const coordinator = startCli(['recheck', store, '--queue', url, '--shared-root', store, '--out', out], { analyzer: true });
  await waitFor(async () => (await jobCounts(url)).waiting === 12, 'the 12 jobs to be queued');
  // Down long enough that reconnecting fails at least once.
  await redis.restart(1500);
  const w1 = await startWorker(url, 'w1', ['--shared-root', store]);
  await waitFor(() => / w1: .* (valid|invalid|unknown|error) \d+\.\d\d s\n/.test(w1.err), 'a first history checked');
  await redis.restart(1500);
  await startWorker(url, 'w2', ['--shared-root', store]);
  const queued = await coordinator.done;
  assert.equal(queued.code, local.code, queued.err);
  assert.deepEqual(comparable(queued.out, store), comparable(local.out, store));
  assert.deepEqual(untimed(report(out).rows), untimed(report(local.dir).rows));
  // It did see Redis go: said so on stderr (once per distinct trouble), and nothing else.
  const lines = queued.err.split('\n').filter((l) => l !== '');
  assert.ok(lines.length > 0 && lines.every((l) => /^hindsight: redis: .* \(waiting for it\)$/.test(l)), queued.err);
});

test('a coordinator killed after queueing: a re-run picks up the results the workers made meanwhile, checking nothing again', async (t) => {
  const store = fixtureStore(tempDir('hindsight-queue-rerun-'), fixtureRuns().filter((r) => r.history.includes('porcupine-kv') || r.history.includes('elle')).slice(0, 10));
  const local = await localRecheck(store);
  const redis = await withRedis(t);
  const url = `${redis.url}/0`;
  const first = startCli(['recheck', store, '--queue', url, '--shared-root', store, '--out', tempDir()], { analyzer: true });
  await waitFor(async () => (await jobCounts(url)).waiting === 10, 'the 10 jobs to be queued');
  first.child.kill('SIGKILL');
  await first.done;
  const workers = await Promise.all(['w1', 'w2'].map((n) => startWorker(url, n, ['--shared-root', store])));
  await waitFor(async () => (await jobCounts(url)).completed === 10, 'the workers to check all 10');
  const out = tempDir('hindsight-queued-');
  const again = await recheckCli([store, '--queue', url, '--shared-root', store, '--out', out]);
  assert.equal(again.err, '');
  assert.equal(again.code, local.code);
  assert.deepEqual(comparable(again.out, store).rows, comparable(local.out, store).rows);
  assert.match(again.out, /\n10 histories: .*; 10 from the cache/);
  assert.deepEqual(untimed(report(out).rows), untimed(report(local.dir).rows));
  assert.equal(workers.map(checkings).reduce((a, b) => a + b, 0), 10);
});

test('--ship to workers without the archive, through a Redis with a password: the local table, and the password printed nowhere; a wrong one is one line, exit 3', async (t) => {
  const password = 'pw-Secret-42';
  const store = fixtureStore(tempDir('hindsight-queue-ship-'), fixtureRuns().filter((r) => r.history.includes('knossos/')).slice(0, 8));
  const local = await localRecheck(store);
  const redis = await withRedis(t, { password });
  const url = `${redis.url}/0`;
  assert.ok(url.includes(password));
  const bare = `redis://127.0.0.1:${redis.port}/0`;
  const workers = [await startWorker(url, 'w1'), await startWorker(bare, 'w2', [], { env: { REDISCLI_AUTH: password } })];
  const out = tempDir('hindsight-queued-');
  const queued = await recheckCli([store, '--queue', url, '--ship', '--out', out]);
  assert.equal(queued.err, '');
  assert.equal(queued.code, local.code);
  assert.deepEqual(comparable(queued.out, store), comparable(local.out, store));
  assert.deepEqual(untimed(report(out).rows), untimed(report(local.dir).rows));
  assert.equal(report(out).queue?.address, `redis://:***@127.0.0.1:${redis.port}/0`);
  for (const text of [queued.out, queued.err, ...workers.map((w) => w.err), readFileSync(join(out, 'recheck.json'), 'utf8'), readFileSync(join(out, 'recheck.csv'), 'utf8')]) {
    assert.ok(!text.includes(password), text);
  }
  assert.match(workers[0].err, new RegExp(`^worker w1: taking jobs from redis://:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port}/0 \\(1 at once, shipped histories only\\)\n`));

  const wrong = await recheckCli([store, '--queue', `redis://:not-it@127.0.0.1:${redis.port}/0`, '--ship', '--out', tempDir()]);
  assert.equal(wrong.code, 3);
  assert.equal(wrong.out, '');
  assert.equal(wrong.err, `hindsight: redis://:***@127.0.0.1:${redis.port}/0: WRONGPASS invalid username-password pair or user is disabled.\n`);

  // Workers without --shared-root refuse a job that names a path: an error row with the cause, exit 3.
  const byPath = await recheckCli([store, '--queue', url, '--shared-root', store, '--no-cache', '--out', tempDir()]);
  assert.equal(byPath.code, 3);
  const first = byPath.out.split('\n')[1];
  assert.match(first, / error +- +- +failed on the queue: worker w[12] has no --shared-root, and the job names \S+\/history\.edn by path; start workers with --shared-root, or recheck with --ship$/);
  assert.match(byPath.out, /\n8 histories: 0 valid, 0 invalid, 0 unknown, 8 could not be checked; 0 from the cache/);
});

test('a worker validates every job: a path out of its shared root (by .. or by a symbolic link) or a malformed job fails at once, with why', async (t) => {
  const redis = await withRedis(t);
  const url = `${redis.url}/3`;
  const root = tempDir('hindsight-shared-');
  symlinkSync('/etc', join(root, 'etc-link'));
  const w = await startWorker(url, 'guard', ['--shared-root', root]);
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const q = new Queue(QUEUE_NAME, { connection });
  t.after(async () => {
    await q.close();
    connection.disconnect();
  });
  const job = { format: JOB_FORMAT, code: codeVersion(), key: 'b'.repeat(64), cache: true, name: 'x', checkers: ['linearizable'], options: {}, guessIndependent: false, limitMs: null };
  await q.add('check', { ...job, name: 'dots', source: { path: '../../etc/passwd' } }, { jobId: 'dots', attempts: 3 });
  await q.add('check', { ...job, name: 'link', source: { path: 'etc-link/passwd' } }, { jobId: 'link', attempts: 3 });
  await q.add('check', { hello: 'world' }, { jobId: 'junk', attempts: 3 });
  await q.add('check', { ...job, code: '0.0.1+ffffffffffffffff', name: 'old', source: { path: 'h.edn' } }, { jobId: 'old', attempts: 3 });
  const problem = { n: 2, determinate: 0, call: '', ret: '', f: '', value: '', key: '', fNames: [':read'], texts: ['nil'] };
  await q.add('search', { format: JOB_FORMAT, kind: 'search', code: codeVersion(), name: 'h', task: { problem, model: 'cas-register', maxStates: 10 } }, { jobId: 'short', attempts: 3 });
  await waitFor(async () => (await q.getJobCounts('failed')).failed === 5, 'the five jobs to fail');
  const reasons = await Promise.all(['dots', 'link', 'junk', 'old', 'short'].map(async (id) => {
    const j = await Job.fromId(q, id);
    return [j?.attemptsMade, j?.failedReason];
  }));
  assert.deepEqual(reasons, [
    [1, 'invalid job: source.path "../../etc/passwd" leaves the shared root'],
    [1, `invalid job: link leads outside --shared-root ${root}`],
    [1, 'invalid job: format undefined; this worker reads format 1 (is it another hindsight version?)'],
    [1, `worker guard runs hindsight ${codeVersion()}, the coordinator 0.0.1+ffffffffffffffff; their verdicts are not interchangeable`],
    [1, 'invalid job: task.problem.call holds 0 bytes, not 16'],
  ]);
  assert.equal(checkings(w), 0);
});

test('a job whose workers keep dying is failed after its second stall, and the coordinator shows it as an error row with the cause', async (t) => {
  const { store, slow } = await storeWithSlowRun();
  const redis = await withRedis(t);
  const url = `${redis.url}/0`;
  const out = tempDir('hindsight-queued-');
  const coordinator = startCli(['recheck', store, '--queue', url, '--shared-root', store, '--out', out], { analyzer: true });
  for (const name of ['doomed1', 'doomed2']) {
    const w = await startWorker(url, name, ['--shared-root', store]);
    await waitFor(() => w.err.includes(`worker ${name}: checking ${slow} (job `), `${name} to start the slow job`);
    w.child.kill('SIGKILL');
    await w.done;
  }
  const w3 = await startWorker(url, 'w3', ['--shared-root', store]);
  const queued = await coordinator.done;
  assert.equal(queued.code, 3, queued.err);
  const row = queued.out.split('\n').find((l) => l.startsWith(`${store}/aaa-slow/`));
  assert.match(row ?? '', / linearizable +error +- +- +failed on the queue: job stalled more than allowable limit \(the workers checking it died or stopped answering, twice\)$/);
  assert.equal(checkings(w3), 0, 'the third worker found the job stalled again and failed it, without checking it');
  assert.match(queued.out, /\n6 histories: .*, 1 could not be checked; /);
});

test('a huge keyed history is split: the coordinator checks it, the workers search its undecided keys, and the table is the local one', async (t) => {
  const dir = tempDir('hindsight-queue-huge-');
  // 8 keys at concurrency 20: every key needs more than the first round's 2048 configurations
  // (searched: with unique values the procedure would decide every key at once, on the coordinator).
  for (const [name, extra] of [['keyed-ok.edn', []], ['keyed-stale.edn', ['--anomaly', 'stale-read', '--seed', '3']]] as const) {
    const g = await runCli(['gen', '--workload', 'register', '--ops', '40000', '--concurrency', '20', '--keys', '8', ...extra, '--out', join(dir, name)], { analyzer: true });
    assert.equal(g.code, 0, g.err);
  }
  const local = await localRecheck(dir, ['--algorithm', 'wgl']);
  assert.match(local.out, /keyed-ok\.edn +40000 +linearizable +valid .* linearizable \(8 keys\)\n/);
  assert.match(local.out, /keyed-stale\.edn +40000 +linearizable +invalid .* not linearizable on key 0: /);
  const redis = await withRedis(t);
  const url = `${redis.url}/0`;
  const workers = await Promise.all(['w1', 'w2'].map((n) => startWorker(url, n)));
  const out = tempDir('hindsight-queued-');
  const queued = await recheckCli([dir, '--queue', url, '--ship', '--split-over', '1', '--out', out, '--algorithm', 'wgl']);
  assert.equal(queued.err, '');
  assert.equal(queued.code, local.code);
  assert.deepEqual(comparable(queued.out, dir), comparable(local.out, dir));
  assert.deepEqual(untimed(report(out).rows), untimed(report(local.dir).rows));
  const searched = (file: string): number => workers.map((w) => w.err.split('\n').filter((l) => l.includes(`searching a key of ${join(dir, file)} `)).length).reduce((a, b) => a + b, 0);
  assert.equal(searched('keyed-ok.edn'), 8, 'each of the valid history\'s 8 keys was searched by a worker, once');
  assert.ok(searched('keyed-stale.edn') >= 1);
  assert.equal(workers.map(checkings).reduce((a, b) => a + b, 0), 0, 'no worker checked a whole history');
});
