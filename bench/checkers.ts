/**
 * Checker benchmark: a generated 1 M-op Jepsen set-full history (adds of unique elements, rare
 * reads of the whole set, 20 processes, crashed processes replaced, nemesis partitions),
 * written once to bench/out/ by analyzer/gen/ (the `set` workload with a fixed read rate),
 * then in a fresh process (analyzer/bench/process.ts): `readHistory`, and each of `set-full`,
 * `perf`, `stats` (and any others given), timed per stage, with peak RSS.
 *
 * Every read returns the whole set, so a single-set history grows as reads × adds: 1 M ops with
 * about 100 reads (`--read-fraction 0.0002`) already hold ~25 M read elements. With `--keys K`
 * (K ≥ 2) the history is keyed as Jepsen's `independent` workloads are (adds `[k e]`, reads
 * `[k #{…}]` over K sets, allowing many more reads), but hindsight's set-full checks one set,
 * so that form is only for perf, stats and the reader.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childExecArgv, failureOf, peakRssMB, runMeasuredChild } from '../analyzer/bench/process.js';
import { type FlagValues, runBenchScript } from '../analyzer/bench/script.js';
import type { GenOptions } from '../analyzer/gen/index.js';
import { integerAtLeast, numberAtLeast } from '../analyzer/util/options.js';

const USAGE = `npm run bench:checkers [-- options]

  (no options)             1 M ops, one set, 0.02 % reads, 20 processes; set-full, perf, stats
  --ops 200000             another size
  --checkers a,b,c         these checkers (registry names), after reading
  --keys K                 K independent sets (K ≥ 2; 0 or 1: one plain set)
  --read-fraction F        the chance an invocation is a read (default 0.0002)
  --concurrency N          client processes (default 20)
  --profile                a .cpuprofile per stage into bench/out/`;

const FLAGS = {
  ops: { type: 'string', default: '1000000' },
  keys: { type: 'string', default: '0' },
  'read-fraction': { type: 'string', default: '0.0002' },
  concurrency: { type: 'string', default: '20' },
  checkers: { type: 'string', default: 'set-full,perf,stats' },
  profile: { type: 'boolean', default: false },
} as const;

/** One child's work. */
interface Case {
  file: string;
  checkers: string[];
  profile: boolean;
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

const SELF = fileURLToPath(import.meta.url);
const OUT_DIR = fileURLToPath(new URL('./out/', import.meta.url));

/** Each stage's wall and CPU time; with `profile`, its CPU profile written beside the history. */
async function child(c: Case): Promise<ChildResult> {
  const { readHistory } = await import('../analyzer/history/read.js');
  const { checkerNamed } = await import('../analyzer/checkers/registry.js');
  const { Session } = c.profile ? await import('node:inspector/promises') : { Session: undefined };
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
  const [history, readSeconds, readCpu] = await timed('read', () => readHistory(c.file));
  stages.push({ stage: 'read', seconds: readSeconds, cpu: readCpu });
  const outDir = join(OUT_DIR, 'checkers-out');
  for (const name of c.checkers) {
    const checker = checkerNamed(name);
    if (checker === undefined) {
      stages.push({ stage: name, seconds: -1, cpu: -1, valid: 'not registered' });
      continue;
    }
    const [r, s, cpu] = await timed(name, async () => checker.check(history, {}, { outDir }));
    const v = r['valid?'];
    stages.push({ stage: name, seconds: s, cpu, valid: v === true ? 'valid' : v === false ? 'invalid' : 'unknown' });
  }
  return { ops: history.length, stages, maxRssMB: peakRssMB() };
}

function printStages(res: ChildResult): void {
  let total = 0;
  let totalCpu = 0;
  console.log('stage        wall s   CPU s  verdict');
  for (const s of res.stages) {
    if (s.seconds >= 0) total += s.seconds;
    if (s.cpu >= 0) totalCpu += s.cpu;
    const n = (x: number): string => (x < 0 ? '      -' : x.toFixed(2).padStart(7));
    console.log(`${s.stage.padEnd(12)} ${n(s.seconds)} ${n(s.cpu)}  ${s.valid ?? ''}`);
  }
  console.log(`${'total'.padEnd(12)} ${total.toFixed(2).padStart(7)} ${totalCpu.toFixed(2).padStart(7)}  (${res.ops} ops; target < 20 s)`);
  console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores (CPU s include GC and JIT threads)`);
  console.log(`peak RSS ${res.maxRssMB.toFixed(0)} MB`);
}

async function main(flags: FlagValues<typeof FLAGS>): Promise<void> {
  const keys = integerAtLeast('--keys', flags.keys, 0);
  const readFraction = numberAtLeast('--read-fraction', flags['read-fraction'], 0);
  const gen: GenOptions = {
    workload: 'set',
    ops: integerAtLeast('--ops', flags.ops, 1),
    concurrency: integerAtLeast('--concurrency', flags.concurrency, 1),
    // One set is `keys 1` to the generator: plain values, no [k v] tuples.
    keys: Math.max(1, keys),
    seed: 42,
    // Refusals as Jepsen's set tests see them (1.5 %, not gen's 1 %).
    shape: { readFraction, failRate: 0.015 },
  };
  const checkerNames = flags.checkers.split(',');
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, `set-${gen.ops}-k${gen.keys}-r${readFraction}-c${gen.concurrency}-f0.015-s${gen.seed}.edn`);
  if (!existsSync(file)) {
    // Loaded here, not at the top: the child, which only reads, need not load the generator.
    const { streamGenerated } = await import('../analyzer/gen/index.js');
    const t0 = performance.now();
    await streamGenerated(gen, file);
    console.log(`generated ${file} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const mb = statSync(file).size / 2 ** 20;
  console.log(`set-full history: ${gen.ops} ops, ${gen.keys > 1 ? gen.keys : 'one'} key(s), ${readFraction * 100}% reads, ${gen.concurrency} threads, ${mb.toFixed(0)} MB; node ${process.version}`);
  const outcome = await runMeasuredChild<ChildResult>(
    SELF,
    { file, checkers: checkerNames, profile: flags.profile },
    { execArgv: childExecArgv(SELF, { extra: ['--max-old-space-size=16384'] }), deadline: { seconds: 3600, why: 'killed after an hour' }, echoStderr: true },
  );
  if (outcome.kind !== 'report') {
    console.log(`child failed: ${failureOf(outcome)}`);
    process.exitCode = 1;
    return;
  }
  printStages(outcome.report);
  if (flags.profile) console.log(`CPU profiles: ${OUT_DIR}checkers-<stage>.cpuprofile`);
}

await runBenchScript({ usage: USAGE, flags: FLAGS, main, child });
