/**
 * Elle checker benchmark: times `checkListAppend` (strict-serializable by default) on generated
 * list-append histories and prints seconds, transactions per second and peak RSS. Each run is
 * a fresh child process, so its peak RSS is its own.
 *
 * Histories (`kind`):
 *   serial       bench/gen/list-append.ts: Jepsen-shaped (10 processes, 10 live keys retired
 *                after 32 appends, 1-4 micro-ops), from a serial database: strict-serializable
 *   inject:R     the same with anomalies injected into a fraction R of reads
 *   stale:R:D    a fraction R of reads served by a replica lagging D transactions behind
 *                (keys live for 1024 appends): rw edges far back in time that, with real-time
 *                order, knit 100 k transactions into one strongly connected component of ~95 k
 *   rc-sim       the read-committed simulator of the property tests (10 live keys retired
 *                after 32 writes, 10 processes): at 100 k, some 3,700 strongly connected
 *                components of up to ~30 transactions, each searched for every cycle class
 *
 *   npm run bench:elle                         serial 10k, 100k, 1M; inject, stale, rc-sim 100k
 *   npm run bench:elle -- --sizes 10000,50000  serial histories of these sizes only
 *   npm run bench:elle -- --kind inject:0.001  another kind for --sizes
 *   npm run bench:elle -- --time-limit 30      the CLI's default search budget (default here: 600)
 *   npm run bench:elle -- --via-edn            write each history to bench/out/*.edn (kept) and
 *                                              read it with readHistory, as the CLI does
 *
 * Targets (issue #4): 100 k transactions in < 5 s; 1 M in < 60 s and < 2 GB.
 *
 * Timing is sensitive to the History's heap shape: the checker allocates large typed arrays,
 * and V8 answers growth of that (external) memory with full mark-compact collections whose
 * cost grows with the number of live JS objects. The generator therefore shares equal read
 * lists as the reader does: measured on the 1 M check, GC pauses fell from about half of the
 * check's time without that sharing to about a quarter with it.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EdnValue, Keyword } from '../analyzer/edn/values.js';
import type { History } from '../analyzer/history/history.js';

interface Result {
  txns: number;
  kind: string;
  genSeconds: number;
  checkSeconds: number;
  valid: string;
  anomalyTypes: string[];
  rssBeforeCheckMB: number;
  maxRssMB: number;
}

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

async function generate(kind: string, txns: number): Promise<History> {
  if (kind === 'rc-sim') {
    const { simulate } = await import('../test/elle/simulator/run.js');
    return simulate({ workload: 'list-append', isolation: 'read-committed', seed: 42, txns, concurrency: 10, keys: 10, writesPerKey: 32, maxMops: 4, crash: 0.001, clientAbort: 0.001 });
  }
  const { generateListAppend } = await import('./gen/list-append.js');
  return generateListAppend({ txns, seed: 42, ...genOptionsOf(kind) });
}

function genOptionsOf(kind: string): { anomalyRate?: number; staleRate?: number; staleBy?: number; writesPerKey?: number } {
  if (kind === 'serial') return {};
  const inject = /^inject:([0-9.e-]+)$/.exec(kind);
  if (inject !== null) return { anomalyRate: Number(inject[1]) };
  const stale = /^stale:([0-9.e-]+):(\d+)$/.exec(kind);
  if (stale !== null) return { staleRate: Number(stale[1]), staleBy: Number(stale[2]), writesPerKey: 1024 };
  throw new Error(`unknown history kind ${kind}: serial, inject:RATE, stale:RATE:LAG or rc-sim`);
}

async function child(kind: string, txns: number, model: string, timeLimit: number, ednFile: string | undefined): Promise<Result> {
  const { checkListAppend } = await import('../analyzer/elle/checker.js');
  const { readHistory } = await import('../analyzer/history/read.js');
  const t0 = performance.now();
  const history = ednFile === undefined ? await generate(kind, txns) : await readHistory(ednFile);
  const genSeconds = (performance.now() - t0) / 1000;
  globalThis.gc?.();
  const rssBeforeCheckMB = process.memoryUsage().rss / 2 ** 20;
  const t1 = performance.now();
  const r = await checkListAppend(history, { consistencyModels: [model], timeLimit });
  const checkSeconds = (performance.now() - t1) / 1000;
  const valid = r['valid?'] === true ? 'true' : r['valid?'] === false ? 'false' : 'unknown';
  return {
    txns,
    kind,
    genSeconds,
    checkSeconds,
    valid,
    anomalyTypes: (r['anomaly-types'] as EdnValue[]).map((k) => (k as Keyword).name),
    rssBeforeCheckMB,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

function runChild(kind: string, txns: number, model: string, timeLimit: number, ednFile: string | undefined): Result | string {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', self, '--child', kind, String(txns), model, String(timeLimit), ...(ednFile === undefined ? [] : [ednFile])],
    { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (r.status !== 0 || line === undefined) return `child exited ${r.status ?? r.signal}`;
  return JSON.parse(line) as Result;
}

/** Writes the history of `kind` as history.edn, so the child reads it as the CLI would. */
async function ednFor(kind: string, txns: number): Promise<string> {
  const dir = fileURLToPath(new URL('./out/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `elle-${kind.replaceAll(':', '-')}-${txns}.edn`);
  if (existsSync(file)) return file;
  if (kind === 'rc-sim') {
    const { printEdn } = await import('../analyzer/edn/print.js');
    const { kw } = await import('../analyzer/edn/values.js');
    const h = await generate(kind, txns);
    const out = createWriteStream(file);
    for (const op of h.ops()) {
      const rec = { index: op.index, time: op.time, type: kw(op.type), process: op.process ?? null, f: op.f ?? null, value: op.value };
      if (!out.write(printEdn(rec) + '\n')) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  } else {
    const { writeListAppendEdn } = await import('./gen/list-append.js');
    await writeListAppendEdn(file, { txns, seed: 42, ...genOptionsOf(kind) });
  }
  return file;
}

const fmt = (x: number, d = 2) => x.toFixed(d);

async function main(): Promise<void> {
  if (args[0] === '--child') {
    const res = await child(args[1], Number(args[2]), args[3], Number(args[4]), args[5]);
    process.stdout.write(JSON.stringify(res) + '\n');
    return;
  }
  const model = flag('--model') ?? 'strict-serializable';
  const timeLimit = Number(flag('--time-limit') ?? '600');
  const viaEdn = args.includes('--via-edn');
  const sizes = flag('--sizes');
  const runs: [string, number][] =
    sizes === undefined
      ? [['serial', 10_000], ['serial', 100_000], ['serial', 1_000_000], ['inject:0.0005', 100_000], ['stale:0.05:1000', 100_000], ['rc-sim', 100_000]]
      : sizes.split(',').map((n) => [flag('--kind') ?? 'serial', Number(n)]);
  console.log(`checkListAppend, ${model}, --time-limit ${timeLimit}, node ${process.version}, ${process.platform}/${process.arch}`);
  console.log(`history ${viaEdn ? 'written as history.edn to bench/out/ and read back by readHistory (the CLI path)' : 'generated in memory'}`);
  console.log(`kind             txns     ${viaEdn ? 'read s    ' : 'generate s'}  check s   txns/s     valid  RSS before check MB  peak RSS MB  anomaly types`);
  for (const [kind, n] of runs) {
    const file = viaEdn ? await ednFor(kind, n) : undefined;
    const r = runChild(kind, n, model, timeLimit, file);
    if (typeof r === 'string') {
      console.log(`${kind.padEnd(16)} ${String(n).padEnd(8)} ${r}`);
      continue;
    }
    console.log(
      [
        r.kind.padEnd(16),
        String(r.txns).padEnd(8),
        fmt(r.genSeconds).padStart(10),
        fmt(r.checkSeconds).padStart(8),
        String(Math.round(r.txns / r.checkSeconds)).padStart(9),
        r.valid.padStart(8),
        fmt(r.rssBeforeCheckMB, 0).padStart(20),
        fmt(r.maxRssMB, 0).padStart(12),
        ' ' + (r.anomalyTypes.join(',') || '-'),
      ].join(' '),
    );
  }
}

await main();
