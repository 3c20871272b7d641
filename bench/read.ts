/**
 * Reader benchmark: reads a generated 1 M-op Jepsen list-append history.edn (~146 MB, written
 * once into bench/out/ by analyzer/gen/, as `hindsight gen --workload list-append --ops N
 * --concurrency 10 --keys 8 --seed 42` writes it) and prints MB/s, ops/s and peak RSS for
 * hindsight's streaming reader and, for comparison, edn-data (the property tests' oracle) and
 * jsedn (not a dependency: set JSEDN_DIR to a directory where `npm install jsedn` was run).
 * Each reader runs in its own process (analyzer/bench/process.ts), so its peak RSS is its own.
 */
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { childExecArgv, failureOf, peakRssMB, runMeasuredChild } from '../analyzer/bench/process.js';
import { type FlagValues, runBenchScript } from '../analyzer/bench/script.js';
import { integerAtLeast } from '../analyzer/util/options.js';

const USAGE = `npm run bench:read [-- options]

  (no options)             all readers on a generated 1 M-op list-append history
  --ops 200000             a smaller generated history
  --file h.edn             an existing EDN history instead`;

const FLAGS = {
  ops: { type: 'string', default: '1000000' },
  file: { type: 'string' },
} as const;

/** One child's work: `reader` on the first `limit` ops of `file`. */
interface Case {
  reader: string;
  file: string;
  limit: number;
}

interface Result {
  reader: string;
  ops: number;
  bytes: number;
  seconds: number;
  /** User + system CPU time of the read (all threads, GC included): less sensitive to a busy machine than wall time. */
  cpuSeconds: number;
  maxRssMB: number;
  note?: string;
}

const SELF = fileURLToPath(import.meta.url);

/** A require that finds jsedn (JSEDN_DIR, then the project), or undefined. */
function jsednRequire(): NodeJS.Require | undefined {
  for (const base of [process.env.JSEDN_DIR ? `${process.env.JSEDN_DIR}/` : undefined, import.meta.url]) {
    if (base === undefined) continue;
    const req = createRequire(base.startsWith('file:') ? base : `${base.replace(/\/?$/, '/')}x.js`);
    try {
      req.resolve('jsedn');
      return req;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function child({ reader, file, limit }: Case): Promise<Result> {
  // Modules are loaded (and, under tsx, compiled) before the clock starts: only reading counts.
  const { readHistory } = await import('../analyzer/history/read.js');
  const { parseEDNString } = await import('edn-data');
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const cpu = (): number => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1e6;
  };
  if (reader === 'hindsight') {
    const h = await readHistory(file);
    const seconds = (performance.now() - t0) / 1000;
    return { reader, ops: h.length, bytes: statSync(file).size, seconds, cpuSeconds: cpu(), maxRssMB: peakRssMB() };
  }
  // Line-at-a-time readers: parse each op line, keep the parsed values (as a reader must).
  let parse: (line: string) => unknown;
  if (reader === 'edn-data') {
    parse = (line) => parseEDNString(line, { mapAs: 'doubleArray' } as never);
  } else {
    const jsedn = jsednRequire()!('jsedn') as { parse(s: string): unknown };
    parse = (line) => jsedn.parse(line);
  }
  const kept: unknown[] = [];
  let bytes = 0;
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) {
    if (kept.length >= limit) break;
    bytes += Buffer.byteLength(line) + 1;
    // A comment line (the generator's header) is no op; its bytes still count as read.
    if (!line.startsWith(';')) kept.push(parse(line));
  }
  rl.close();
  const seconds = (performance.now() - t0) / 1000;
  return { reader, ops: kept.length, bytes, seconds, cpuSeconds: cpu(), maxRssMB: peakRssMB(), note: `first ${kept.length} lines` };
}

/** The reader's best of `runs` fresh processes (by wall time), or why there is none. */
async function bestOf(c: Case, runs: number, execArgv: string[]): Promise<Result | string> {
  let best: Result | undefined;
  for (let k = 0; k < runs; k++) {
    const outcome = await runMeasuredChild<Result>(SELF, c, { execArgv, deadline: { seconds: 3600, why: 'killed after an hour' } });
    if (outcome.kind !== 'report') return failureOf(outcome)!;
    if (best === undefined || outcome.report.seconds < best.seconds) best = outcome.report;
  }
  return best!;
}

async function main(flags: FlagValues<typeof FLAGS>): Promise<void> {
  const ops = integerAtLeast('--ops', flags.ops, 1);
  const dir = fileURLToPath(new URL('./out/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = flags.file ?? `${dir}list-append-${ops}-c10-k8-s42.edn`;
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file} …\n`);
    // Loaded here, not at the top: the children, which only read, need not load the generator.
    const { streamGenerated } = await import('../analyzer/gen/index.js');
    await streamGenerated({ workload: 'list-append', ops, concurrency: 10, keys: 8, seed: 42 }, file);
  }
  const size = statSync(file).size;
  console.log(`history: ${file} (${(size / 1e6).toFixed(1)} MB)`);
  const readers: [string, number][] = [
    ['hindsight', ops],
    ['edn-data', Math.min(ops, 200_000)],
  ];
  if (jsednRequire() !== undefined) readers.push(['jsedn', Math.min(ops, 20_000)]);
  else console.log('jsedn: not found (set JSEDN_DIR to a directory where `npm install jsedn` ran)');
  const execArgv = childExecArgv(SELF);
  const rows: Result[] = [];
  for (const [reader, limit] of readers) {
    const r = await bestOf({ reader, file, limit }, reader === 'hindsight' ? 3 : 1, execArgv);
    if (typeof r === 'string') console.log(`${reader}: failed: ${r}`);
    else rows.push(r);
  }
  console.log(`load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores (wall-clock rates fall as it rises; MB per CPU-second less so)`);
  console.log('reader      ops        MB/s    k ops/s   s       MB/cpu-s  peak RSS MB  note');
  for (const r of rows) {
    console.log(
      `${r.reader.padEnd(11)} ${String(r.ops).padEnd(10)} ${(r.bytes / 1e6 / r.seconds).toFixed(1).padStart(6)}  ${(r.ops / r.seconds / 1000).toFixed(1).padStart(8)}  ${r.seconds.toFixed(2).padStart(6)}  ${(r.bytes / 1e6 / r.cpuSeconds).toFixed(1).padStart(8)}  ${r.maxRssMB.toFixed(0).padStart(8)}     ${r.note ?? 'whole file, best of 3'}`,
    );
  }
}

await runBenchScript({ usage: USAGE, flags: FLAGS, main, child });
