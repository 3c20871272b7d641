/**
 * Reader benchmark: reads a generated 1 M-op Jepsen list-append history.edn (~150 MB, written
 * once into bench/out/) and prints MB/s, ops/s and peak RSS for hindsight's streaming reader,
 * and, for comparison, edn-data (the property tests' oracle) and jsedn (not a dependency: set
 * JSEDN_DIR to a directory where `npm install jsedn` was run). Each reader runs in its own
 * process so its peak RSS is its own.
 *
 *   npm run bench:read                   all readers
 *   npm run bench:read -- --ops 200000   a smaller history
 *   npm run bench:read -- --file h.edn   an existing EDN history instead
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { generateHistory } from './gen-history.js';

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

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

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

async function child(reader: string, file: string, limit: number): Promise<Result> {
  // Modules are loaded (and, under tsx, compiled) before the clock starts: only reading counts.
  const { readHistory } = await import('../analyzer/history/read.js');
  const { parseEDNString } = await import('edn-data');
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const cpu = () => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1e6;
  };
  if (reader === 'hindsight') {
    const h = await readHistory(file);
    const seconds = (performance.now() - t0) / 1000;
    return { reader, ops: h.length, bytes: statSync(file).size, seconds, cpuSeconds: cpu(), maxRssMB: process.resourceUsage().maxRSS / 1024 };
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
    kept.push(parse(line));
  }
  rl.close();
  const seconds = (performance.now() - t0) / 1000;
  return { reader, ops: kept.length, bytes, seconds, cpuSeconds: cpu(), maxRssMB: process.resourceUsage().maxRSS / 1024, note: `first ${kept.length} lines` };
}

async function main(): Promise<void> {
  if (args[0] === '--child') {
    const r = await child(args[1], args[2], Number(args[3]));
    process.stdout.write(JSON.stringify(r) + '\n');
    return;
  }
  const ops = Number(flag('--ops') ?? 1_000_000);
  const dir = fileURLToPath(new URL('./out/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = flag('--file') ?? `${dir}history-${ops}.edn`;
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file} …\n`);
    await generateHistory(file, ops);
  }
  const size = statSync(file).size;
  console.log(`history: ${file} (${(size / 1e6).toFixed(1)} MB)`);
  const readers: [string, number][] = [
    ['hindsight', ops],
    ['edn-data', Math.min(ops, 200_000)],
  ];
  if (jsednRequire() !== undefined) readers.push(['jsedn', Math.min(ops, 20_000)]);
  else console.log('jsedn: not found (set JSEDN_DIR to a directory where `npm install jsedn` ran)');
  const self = fileURLToPath(import.meta.url);
  const rows: Result[] = [];
  for (const [reader, limit] of readers) {
    const runs = reader === 'hindsight' ? 3 : 1;
    let best: Result | undefined;
    for (let k = 0; k < runs; k++) {
      const r = spawnSync(process.execPath, [...process.execArgv, self, '--child', reader, file, String(limit)], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (r.status !== 0) {
        console.log(`${reader}: failed\n${r.stderr}`);
        break;
      }
      const res = JSON.parse(r.stdout.trim().split('\n').pop()!) as Result;
      if (best === undefined || res.seconds < best.seconds) best = res;
    }
    if (best !== undefined) rows.push(best);
  }
  const load = (await import('node:os')).loadavg()[0];
  console.log(`load average ${load.toFixed(1)} on ${(await import('node:os')).availableParallelism()} cores (wall-clock rates fall as it rises; MB per CPU-second less so)`);
  console.log('reader      ops        MB/s    k ops/s   s       MB/cpu-s  peak RSS MB  note');
  for (const r of rows) {
    console.log(
      `${r.reader.padEnd(11)} ${String(r.ops).padEnd(10)} ${(r.bytes / 1e6 / r.seconds).toFixed(1).padStart(6)}  ${(r.ops / r.seconds / 1000).toFixed(1).padStart(8)}  ${r.seconds.toFixed(2).padStart(6)}  ${(r.bytes / 1e6 / r.cpuSeconds).toFixed(1).padStart(8)}  ${r.maxRssMB.toFixed(0).padStart(8)}     ${r.note ?? 'whole file, best of 3'}`,
    );
  }
}

await main();
