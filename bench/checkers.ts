/**
 * Checker benchmark: a generated 1 M-op Jepsen set-full history (adds of unique elements, reads
 * of the whole set, several processes, crashed processes replaced, nemesis partitions),
 * written once to bench/out/ as history.edn, then in a fresh process: `readHistory`, and each
 * of `set-full`, `perf`, `stats` (and any others given), timed per stage, with peak RSS.
 *
 * Every read returns the whole set, so a single-set history grows as reads × adds: 1 M ops with
 * about 100 reads (`--read-fraction 0.0002`) already hold ~25 M read elements (~190 MB). With
 * `--keys K` the history is keyed as Jepsen's `independent` workloads are (adds `[k e]`, reads
 * `[k #{…}]` over K sets, allowing many more reads), but hindsight's set-full checks one set,
 * so that form is only for perf, stats and the reader.
 *
 *   npm run bench:checkers
 *   npm run bench:checkers -- --ops 200000 --checkers set-full,perf,stats,timeline
 *   npm run bench:checkers -- --profile      (writes a .cpuprofile per stage into bench/out/)
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchRandomFunction } from '../analyzer/util/random.js';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

export interface SetFullSpec {
  ops: number;
  /** Number of independent sets; 0: one plain (unkeyed) set. */
  keys: number;
  /** Fraction of client invocations that are reads. */
  readFraction: number;
  concurrency: number;
  seed: number;
}

/**
 * Writes the history: each client op is an invocation then, a little later, its completion
 * (other processes' ops interleave). Adds are :ok (97.5 %), :fail (1.5 %) or :info (1 %; the
 * process is then replaced by process + concurrency, as Jepsen does). A read returns every
 * element whose add completed :ok before the read began, plus, now and then, ones still in
 * flight; so the history is valid, with stale-free reads.
 */
export async function writeSetFullEdn(file: string, spec: SetFullSpec): Promise<void> {
  const out = createWriteStream(file);
  const rand = benchRandomFunction(spec.seed);
  const keyed = spec.keys > 0;
  const nKeys = Math.max(1, spec.keys);
  const confirmed: number[][] = Array.from({ length: nKeys }, () => []);
  const inFlight: Set<number>[] = Array.from({ length: nKeys }, () => new Set());
  // Per thread: its current process id and the pending op (null when idle).
  const proc = Array.from({ length: spec.concurrency }, (_, t) => t);
  const pending: ({ f: 'add' | 'read'; key: number; element: number; seen: string; outcome: number } | null)[] = new Array(spec.concurrency).fill(null);
  // Elements a read showed while their add was still in flight: already in `confirmed`.
  const shown = new Set<number>();
  let nextElement = 0;
  let time = 0;
  let chunk = '';
  let partitioned = false;
  const emit = async (line: string) => {
    chunk += line + '\n';
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  };
  const val = (key: number, v: string) => (keyed ? `[${key} ${v}]` : v);
  for (let index = 0; index < spec.ops; index++) {
    time += 2000 + Math.floor(rand() * 100_000);
    if (rand() < 0.0005) {
      const f = partitioned ? ':stop-partition' : ':start-partition';
      partitioned = !partitioned;
      await emit(`{:type :info, :f ${f}, :value ${f === ':start-partition' ? '[:isolated {"n1" #{"n2" "n3"}}]' : ':network-healed'}, :process :nemesis, :time ${time}, :index ${index}}`);
      continue;
    }
    const t = Math.floor(rand() * spec.concurrency);
    const p = pending[t];
    if (p === null) {
      const key = Math.floor(rand() * nKeys);
      if (rand() < spec.readFraction) {
        // The read's result is fixed when it begins: confirmed adds, and some in-flight ones
        // that will succeed; once shown, an element stays visible to every later read.
        for (const e of inFlight[key]) {
          if (shown.has(e) || rand() < 0.5) continue;
          shown.add(e);
          confirmed[key].push(e);
        }
        pending[t] = { f: 'read', key, element: -1, seen: `#{${confirmed[key].join(' ')}}`, outcome: 0 };
        await emit(`{:type :invoke, :f :read, :value ${val(key, 'nil')}, :process ${proc[t]}, :time ${time}, :index ${index}}`);
      } else {
        const element = nextElement++;
        // Decided now, so only adds that will take effect can show up in reads while in flight.
        const outcome = rand();
        if (outcome < 0.975 || outcome >= 0.99) inFlight[key].add(element);
        pending[t] = { f: 'add', key, element, seen: '', outcome };
        await emit(`{:type :invoke, :f :add, :value ${val(key, String(element))}, :process ${proc[t]}, :time ${time}, :index ${index}}`);
      }
      continue;
    }
    pending[t] = null;
    if (p.f === 'read') {
      await emit(`{:type :ok, :f :read, :value ${val(p.key, p.seen)}, :process ${proc[t]}, :time ${time}, :index ${index}}`);
      continue;
    }
    const r = p.outcome;
    inFlight[p.key].delete(p.element);
    const v = val(p.key, String(p.element));
    const confirm = () => {
      if (!shown.delete(p.element)) confirmed[p.key].push(p.element);
    };
    if (r < 0.975) {
      confirm();
      await emit(`{:type :ok, :f :add, :value ${v}, :process ${proc[t]}, :time ${time}, :index ${index}}`);
    } else if (r < 0.99) {
      await emit(`{:type :fail, :f :add, :value ${v}, :process ${proc[t]}, :time ${time}, :index ${index}, :error :duplicate-key}`);
    } else {
      // Indeterminate: it may or may not have been added; say it was (reads will show it).
      confirm();
      await emit(`{:type :info, :f :add, :value ${v}, :process ${proc[t]}, :time ${time}, :index ${index}, :error :timeout}`);
      proc[t] += spec.concurrency;
    }
  }
  out.write(chunk);
  out.end();
  await once(out, 'finish');
}

interface StageTime {
  stage: string;
  seconds: number;
  /** CPU seconds (user + system) of this process: less sensitive to a busy machine than wall time. */
  cpu: number;
  valid?: string;
}

interface ChildResult {
  ops: number;
  stages: StageTime[];
  maxRssMB: number;
}

async function child(file: string, checkerNames: string[], profile: boolean): Promise<ChildResult> {
  const { readHistory } = await import('../analyzer/history/read.js');
  const { checkerNamed } = await import('../analyzer/checkers/registry.js');
  const { Session } = profile ? await import('node:inspector/promises') : { Session: undefined };
  const session = Session === undefined ? undefined : new Session();
  if (session !== undefined) {
    session.connect();
    await session.post('Profiler.enable');
  }
  const timed = async <T>(stage: string, f: () => Promise<T>): Promise<[T, number, number]> => {
    if (session !== undefined) await session.post('Profiler.start');
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const v = await f();
    const seconds = (performance.now() - t0) / 1000;
    const c1 = process.cpuUsage(c0);
    const cpu = (c1.user + c1.system) / 1e6;
    if (session !== undefined) {
      const { profile: p } = await session.post('Profiler.stop');
      writeFileSync(join(OUT_DIR, `checkers-${stage}.cpuprofile`), JSON.stringify(p));
    }
    return [v, seconds, cpu];
  };
  const stages: StageTime[] = [];
  const [history, readSeconds, readCpu] = await timed('read', () => readHistory(file));
  stages.push({ stage: 'read', seconds: readSeconds, cpu: readCpu });
  const outDir = join(OUT_DIR, 'checkers-out');
  for (const name of checkerNames) {
    const c = checkerNamed(name);
    if (c === undefined) {
      stages.push({ stage: name, seconds: -1, cpu: -1, valid: 'not registered' });
      continue;
    }
    const [r, s, cpu] = await timed(name, async () => c.check(history, {}, { outDir }));
    const v = r['valid?'];
    stages.push({ stage: name, seconds: s, cpu, valid: v === true ? 'valid' : v === false ? 'invalid' : 'unknown' });
  }
  return { ops: history.length, stages, maxRssMB: process.resourceUsage().maxRSS / 1024 };
}

const OUT_DIR = fileURLToPath(new URL('./out/', import.meta.url));

async function main(): Promise<void> {
  if (args[0] === '--child') {
    const r = await child(args[1], args[2].split(','), args[3] === 'profile');
    process.stdout.write(JSON.stringify(r) + '\n');
    return;
  }
  const spec: SetFullSpec = {
    ops: Number(flag('--ops') ?? 1_000_000),
    keys: Number(flag('--keys') ?? 0),
    readFraction: Number(flag('--read-fraction') ?? 0.0002),
    concurrency: Number(flag('--concurrency') ?? 20),
    seed: 42,
  };
  const checkerNames = (flag('--checkers') ?? 'set-full,perf,stats').split(',');
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, `set-full-${spec.ops}-k${spec.keys}-r${spec.readFraction}.edn`);
  if (!existsSync(file)) {
    const t0 = performance.now();
    await writeSetFullEdn(file, spec);
    console.log(`generated ${file} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const mb = statSync(file).size / 2 ** 20;
  console.log(`set-full history: ${spec.ops} ops, ${spec.keys || 'one'} key(s), ${spec.readFraction * 100}% reads, ${spec.concurrency} threads, ${mb.toFixed(0)} MB; node ${process.version}`);
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(
    process.execPath,
    ['--max-old-space-size=16384', '--import', 'tsx', self, '--child', file, checkerNames.join(','), args.includes('--profile') ? 'profile' : ''],
    { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (r.status !== 0 || line === undefined) {
    console.log(`child exited ${r.status ?? r.signal}`);
    process.exitCode = 1;
    return;
  }
  const res = JSON.parse(line) as ChildResult;
  let total = 0;
  let totalCpu = 0;
  console.log('stage        wall s   CPU s  verdict');
  for (const s of res.stages) {
    if (s.seconds >= 0) total += s.seconds;
    if (s.cpu >= 0) totalCpu += s.cpu;
    const n = (x: number) => (x < 0 ? '      -' : x.toFixed(2).padStart(7));
    console.log(`${s.stage.padEnd(12)} ${n(s.seconds)} ${n(s.cpu)}  ${s.valid ?? ''}`);
  }
  console.log(`${'total'.padEnd(12)} ${total.toFixed(2).padStart(7)} ${totalCpu.toFixed(2).padStart(7)}  (${res.ops} ops; target < 20 s)`);
  console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores (CPU s include GC and JIT threads)`);
  console.log(`peak RSS ${res.maxRssMB.toFixed(0)} MB`);
  if (args.includes('--profile')) console.log(`CPU profiles: ${OUT_DIR}checkers-<stage>.cpuprofile`);
}

await main();
