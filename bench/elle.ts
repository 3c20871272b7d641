/**
 * Elle checker benchmark: generates list-append histories of 10 k, 100 k and 1 M transactions
 * (bench/gen/list-append.ts: Jepsen-shaped, strict-serializable, or with injected anomalies)
 * and times `checkListAppend` on them for strict-serializable, printing seconds, transactions
 * per second and peak RSS. Each run is a fresh child process, so its peak RSS is its own.
 *
 *   npm run bench:elle                         10k, 100k, 1M valid + 100k with anomalies
 *   npm run bench:elle -- --sizes 10000,50000  other sizes
 *   npm run bench:elle -- --anomalies 0.001    injected-anomaly rate for the anomaly runs
 *   npm run bench:elle -- --time-limit 30      the CLI's default search budget (default here: 600)
 *   npm run bench:elle -- --via-edn            write each history to bench/out/*.edn (kept) and
 *                                              read it with readHistory, as the CLI does
 *
 * Targets (issue #4): 100 k transactions in < 5 s; 1 M in < 60 s and < 2 GB.
 *
 * Timing is sensitive to the History's heap shape: the checker allocates large typed arrays,
 * and V8 answers growth of that (external) memory with full mark-compact collections whose
 * cost grows with the number of live JS objects. The generator therefore shares equal read
 * lists as the reader does; without that sharing, the 1 M check spent half its time in GC.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EdnValue, Keyword } from '../analyzer/edn/values.js';

interface Result {
  txns: number;
  /** How the history got into memory: generated in memory, or read from history.edn. */
  source: string;
  anomalyRate: number;
  genSeconds: number;
  checkSeconds: number;
  valid: string;
  anomalyTypes: string[];
  edges?: number;
  rssAfterGenMB: number;
  maxRssMB: number;
}

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

async function child(txns: number, anomalyRate: number, model: string, timeLimit: number, ednFile: string | undefined): Promise<Result> {
  const { generateListAppend } = await import('./gen/list-append.js');
  const { checkListAppend } = await import('../analyzer/elle/checker.js');
  const { readHistory } = await import('../analyzer/history/read.js');
  const t0 = performance.now();
  const history = ednFile === undefined ? generateListAppend({ txns, anomalyRate, seed: 42 }) : await readHistory(ednFile);
  const genSeconds = (performance.now() - t0) / 1000;
  globalThis.gc?.();
  const rssAfterGenMB = process.memoryUsage().rss / 2 ** 20;
  const t1 = performance.now();
  const r = await checkListAppend(history, { consistencyModels: [model], timeLimit });
  const checkSeconds = (performance.now() - t1) / 1000;
  const valid = r['valid?'] === true ? 'true' : r['valid?'] === false ? 'false' : 'unknown';
  return {
    txns,
    source: ednFile === undefined ? 'memory' : 'edn',
    anomalyRate,
    genSeconds,
    checkSeconds,
    valid,
    anomalyTypes: (r['anomaly-types'] as EdnValue[]).map((k) => (k as Keyword).name),
    rssAfterGenMB,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

function runChild(txns: number, anomalyRate: number, model: string, timeLimit: number, ednFile: string | undefined): Result | string {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', self, '--child', String(txns), String(anomalyRate), model, String(timeLimit), ...(ednFile === undefined ? [] : [ednFile])],
    { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (r.status !== 0 || line === undefined) return `child exited ${r.status ?? r.signal}`;
  return JSON.parse(line) as Result;
}

const OUT_DIR = fileURLToPath(new URL('./out/', import.meta.url));

const fmt = (x: number, d = 2) => x.toFixed(d);

async function main(): Promise<void> {
  if (args[0] === '--child') {
    const res = await child(Number(args[1]), Number(args[2]), args[3], Number(args[4]), args[5]);
    process.stdout.write(JSON.stringify(res) + '\n');
    return;
  }
  const sizes = (flag('--sizes') ?? '10000,100000,1000000').split(',').map(Number);
  const anomalyRate = Number(flag('--anomalies') ?? '0.0005');
  const model = flag('--model') ?? 'strict-serializable';
  // Generous by default, to time the whole search; pass 30 to see the CLI's default budget.
  const timeLimit = Number(flag('--time-limit') ?? '600');
  const runs: [number, number][] = sizes.map((n) => [n, 0]);
  if (flag('--sizes') === undefined) runs.push([100_000, anomalyRate]);
  else if (flag('--anomalies') !== undefined) runs.push(...sizes.map((n): [number, number] => [n, anomalyRate]));
  const viaEdn = args.includes('--via-edn');
  console.log(`checkListAppend, ${model}, --time-limit ${timeLimit}, node ${process.version}, ${process.platform}/${process.arch}`);
  console.log(`history ${viaEdn ? 'written as history.edn to bench/out/ and read back by readHistory (the CLI path)' : 'generated in memory'}`);
  console.log(`txns      anomalies  ${viaEdn ? 'read s    ' : 'generate s'}  check s   txns/s     valid    RSS before check MB  peak RSS MB  anomaly types`);
  for (const [n, rate] of runs) {
    let file: string | undefined;
    if (viaEdn) {
      const { writeListAppendEdn } = await import('./gen/list-append.js');
      mkdirSync(OUT_DIR, { recursive: true });
      file = join(OUT_DIR, `elle-${n}-${rate}.edn`);
      if (!existsSync(file)) await writeListAppendEdn(file, { txns: n, anomalyRate: rate, seed: 42 });
    }
    const r = runChild(n, rate, model, timeLimit, file);
    if (typeof r === 'string') {
      console.log(`${String(n).padEnd(9)} ${String(rate).padEnd(10)} ${r}`);
      continue;
    }
    console.log(
      [
        String(r.txns).padEnd(9),
        String(r.anomalyRate).padEnd(10),
        fmt(r.genSeconds).padStart(10),
        fmt(r.checkSeconds).padStart(8),
        String(Math.round(r.txns / r.checkSeconds)).padStart(9),
        r.valid.padStart(8),
        fmt(r.rssAfterGenMB, 0).padStart(20),
        fmt(r.maxRssMB, 0).padStart(12),
        ' ' + (r.anomalyTypes.join(',') || '-'),
      ].join(' '),
    );
  }
}

await main();
