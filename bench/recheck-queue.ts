/**
 * `recheck --queue` throughput: an archive of generated histories (`hindsight gen`, 12 each of
 * register, list-append and rw-register, every fourth with an injected anomaly) re-checked
 * through a real redis-server by 1, 2 and 3 `hindsight worker` processes on this machine (one
 * history at a time each), against a local recheck with 1 and 2 threads. Every run is a whole
 * `hindsight recheck` process, timed from spawn to exit, with no cache; the workers are started
 * beforehand, as long-lived workers are, and their start-up is not counted.
 *
 * Uses the built CLI (`npm run build` first): tsx's start-up in every process would swamp what is
 * measured. Figures go in docs/recheck.md.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { type FlagValues, runBenchScript } from '../analyzer/bench/script.js';
import { integerAtLeast, numberList } from '../analyzer/util/options.js';
import { type RedisServer, startRedis } from '../test/support/redis.js';

const USAGE = `npm run bench:queue [-- options]

  (no options)             36 histories of 10 000 ops; 1, 2 and 3 workers; local with 1 and 2 threads
  --histories 72           another archive size (a multiple of 12 keeps the mix)
  --ops 20000              history entries per history
  --workers 1,2,4          the worker counts to run`;

const FLAGS = {
  histories: { type: 'string', default: '36' },
  ops: { type: 'string', default: '10000' },
  workers: { type: 'string', default: '1,2,3' },
} as const;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'hindsight.js');
const OUT = join(ROOT, 'bench', 'out', 'recheck-queue');

interface Run {
  what: string;
  wall: number;
  batch: number;
  perWorker?: Record<string, number>;
  exit: number | null;
}

function hindsight(args: string[], o: { onErr?: (s: string) => void } = {}): { done: Promise<{ code: number | null; err: string; wall: number }>; kill: () => void } {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    err += d;
    o.onErr?.(err);
  });
  return {
    done: new Promise((res) => child.on('close', (code) => res({ code, err, wall: (performance.now() - t0) / 1000 }))),
    kill: () => child.kill('SIGTERM'),
  };
}

/** The archive: loose `gen` histories (their header names checker and verdict), made once per size. */
async function archive(histories: number, ops: number): Promise<string> {
  const dir = join(OUT, `archive-${histories}x${ops}`);
  if (existsSync(dir) && readdirSync(dir).length === histories) return dir;
  mkdirSync(dir, { recursive: true });
  const workloads = ['register', 'list-append', 'rw-register'];
  const anomaly: Record<string, string> = { register: 'stale-read', 'list-append': 'G-single', 'rw-register': 'G-single' };
  for (let i = 0; i < histories; i++) {
    const w = workloads[i % 3];
    const args = ['gen', '--workload', w, '--ops', String(ops), '--concurrency', '10', '--keys', '8', '--seed', String(i), '--out', join(dir, `${String(i).padStart(3, '0')}-${w}.edn`)];
    if (Math.floor(i / 3) % 4 === 3) args.push('--anomaly', anomaly[w]);
    const r = await hindsight(args).done;
    if (r.code !== 0) throw new Error(`gen failed: ${r.err}`);
  }
  return dir;
}

async function recheckRun(what: string, args: string[]): Promise<Run> {
  const out = join(OUT, 'report');
  const r = await hindsight(['recheck', ...args, '--no-cache', '--quiet', '--out', out]).done;
  const report = JSON.parse(readFileSync(join(out, 'recheck.json'), 'utf8')) as { seconds: number; queue?: { workers: Record<string, number> } };
  return { what, wall: r.wall, batch: report.seconds, perWorker: report.queue?.workers, exit: r.code };
}

async function queued(redis: RedisServer, dir: string, n: number): Promise<Run> {
  const url = `${redis.url}/0`;
  const flush = new Redis(url);
  await flush.flushdb();
  flush.disconnect();
  const workers = Array.from({ length: n }, (_, i) => {
    let ready!: () => void;
    const started = new Promise<void>((r) => (ready = r));
    const w = hindsight(['worker', '--queue', url, '--shared-root', dir, '--concurrency', '1', '--name', `w${i + 1}`], { onErr: (err) => err.includes('taking jobs') && ready() });
    return { w, started };
  });
  await Promise.all(workers.map((x) => x.started));
  try {
    return await recheckRun(`queue, ${n} worker${n === 1 ? '' : 's'}`, [dir, '--queue', url, '--shared-root', dir]);
  } finally {
    for (const x of workers) x.w.kill();
    await Promise.all(workers.map((x) => x.w.done));
  }
}

async function main(flags: FlagValues<typeof FLAGS>): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'analyzer', 'cli', 'main.js'))) throw new Error('build first: npm run build');
  const histories = integerAtLeast('--histories', flags.histories, 1);
  const ops = integerAtLeast('--ops', flags.ops, 10);
  const counts = numberList('--workers', flags.workers, (f, raw) => integerAtLeast(f, raw, 1));
  const dir = await archive(histories, ops);
  console.log(`archive: ${histories} histories of ${ops} entries in ${dir}; ${cpus().length} cores, load ${loadavg()[0].toFixed(1)}`);
  const runs: Run[] = [];
  for (const t of [1, 2]) runs.push(await recheckRun(`local, --workers ${t}`, [dir, '--workers', String(t)]));
  const redis = await startRedis();
  try {
    for (const n of counts) runs.push(await queued(redis, dir, n));
  } finally {
    await redis.stop();
  }
  console.log('\n| run | whole process | batch | histories/s | per worker |');
  console.log('|---|---|---|---|---|');
  for (const r of runs) {
    const per = r.perWorker === undefined ? '' : Object.entries(r.perWorker).sort().map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`| ${r.what} | ${r.wall.toFixed(2)} s | ${r.batch.toFixed(2)} s | ${(histories / r.batch).toFixed(1)} | ${per} |${r.exit === 1 || r.exit === 0 ? '' : ` exit ${r.exit}`}`);
  }
}

await runBenchScript({ usage: USAGE, flags: FLAGS, main });
