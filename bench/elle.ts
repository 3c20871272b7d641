/**
 * Elle checker benchmark: times `checkListAppend` (strict-serializable by default) on generated
 * list-append histories and prints seconds, transactions per second and peak RSS. Each run is
 * a fresh child process (analyzer/bench/process.ts), so its peak RSS is its own.
 *
 * Histories (`kind`), from analyzer/gen/ (bench/gen/list-append.ts maps these terms):
 *   serial       Jepsen-shaped (10 processes, 10 live keys retired after 32 appends, 1-4
 *                micro-ops), from a serial database: strict-serializable
 *   inject:R     the same with a fraction R of reads broken (a missing or an aborted append)
 *   stale:R:D    a fraction R of reads served by a replica lagging D transactions behind
 *                (keys live for 1024 appends): rw edges far back in time that, with real-time
 *                order, knit 100 k transactions into one huge strongly connected component
 *   rc-sim       the read-committed simulator of the property tests (10 live keys retired
 *                after 32 writes, 10 processes): many small strongly connected components,
 *                each searched for every cycle class
 *
 * Targets (issue #4): 100 k transactions in < 5 s; 1 M in < 60 s and < 2 GB.
 *
 * Timing is sensitive to the History's heap shape: the checker allocates large typed arrays,
 * and V8 answers growth of that (external) memory with full mark-compact collections whose
 * cost grows with the number of live JS objects. The generator therefore shares equal read
 * lists as the reader does (analyzer/gen/txn.ts).
 */
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childExecArgv, failureOf, peakRssMB, runMeasuredChild } from '../analyzer/bench/process.js';
import { type FlagValues, runBenchScript } from '../analyzer/bench/script.js';
import type { EdnValue, Keyword } from '../analyzer/edn/values.js';
import type { History } from '../analyzer/history/history.js';
import { integerAtLeast, numberList, positiveNumber } from '../analyzer/util/options.js';

const USAGE = `npm run bench:elle [-- options]

  (no options)             serial 10k, 100k, 1M; inject:0.0005, stale:0.05:1000, rc-sim 100k
  --sizes 10000,50000      histories of these sizes (transactions) only
  --kind inject:0.001      their kind: serial (default), inject:RATE, stale:RATE:LAG, rc-sim
  --model M                the consistency model to check (default strict-serializable)
  --time-limit 30          the checker's search budget, seconds (default here: 600)
  --via-edn                write each history to bench/out/*.edn (kept) and read it with
                           readHistory, as the CLI does`;

const FLAGS = {
  sizes: { type: 'string' },
  kind: { type: 'string' },
  model: { type: 'string', default: 'strict-serializable' },
  'time-limit': { type: 'string', default: '600' },
  'via-edn': { type: 'boolean', default: false },
} as const;

/** One child's work. */
interface Case {
  kind: string;
  txns: number;
  model: string;
  timeLimit: number;
  /** Read this file instead of generating. */
  ednFile?: string;
}

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

const SELF = fileURLToPath(import.meta.url);
const OUT_DIR = fileURLToPath(new URL('./out/', import.meta.url));
const SEED = 42;

/**
 * The history maker for `kind`, its modules loaded now (so that loading them is not timed as
 * generating); throws for an unknown kind. The generator is loaded only where it runs: in the child.
 */
async function generator(kind: string): Promise<(txns: number) => History> {
  if (kind === 'rc-sim') {
    const { simulate } = await import('../test/elle/simulator/run.js');
    return (txns) => simulate({ workload: 'list-append', isolation: 'read-committed', seed: SEED, txns, concurrency: 10, keys: 10, writesPerKey: 32, maxMops: 4, crash: 0.001, clientAbort: 0.001 });
  }
  const { generateListAppend, kindOptions } = await import('./gen/list-append.js');
  const options = kindOptions(kind);
  return (txns) => generateListAppend({ txns, seed: SEED, ...options });
}

async function child(c: Case): Promise<Result> {
  // Modules are loaded (and, under tsx, compiled) before the clock starts.
  const { checkListAppend } = await import('../analyzer/elle/check.js');
  const { readHistory } = await import('../analyzer/history/read.js');
  const generate = c.ednFile === undefined ? await generator(c.kind) : undefined;
  const t0 = performance.now();
  const history = generate !== undefined ? generate(c.txns) : await readHistory(c.ednFile!);
  const genSeconds = (performance.now() - t0) / 1000;
  globalThis.gc?.();
  const rssBeforeCheckMB = process.memoryUsage().rss / 2 ** 20;
  const t1 = performance.now();
  const r = await checkListAppend(history, { consistencyModels: [c.model], timeLimit: c.timeLimit });
  const checkSeconds = (performance.now() - t1) / 1000;
  const valid = r['valid?'] === true ? 'true' : r['valid?'] === false ? 'false' : 'unknown';
  return {
    txns: c.txns,
    kind: c.kind,
    genSeconds,
    checkSeconds,
    valid,
    anomalyTypes: (r['anomaly-types'] as EdnValue[]).map((k) => (k as Keyword).name),
    rssBeforeCheckMB,
    maxRssMB: peakRssMB(),
  };
}

/** Writes the history of `kind` as history.edn (once; kept in bench/out/), so the child reads it as the CLI would. */
async function ednFor(kind: string, txns: number): Promise<string> {
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, `elle-${kind.replaceAll(':', '-')}-${txns}-s${SEED}.edn`);
  if (existsSync(file)) return file;
  if (kind === 'rc-sim') {
    const { opLine } = await import('../analyzer/gen/write.js');
    const h = (await generator(kind))(txns);
    const out = createWriteStream(file);
    for (const op of h.ops()) if (!out.write(opLine(op) + '\n')) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
  } else {
    const { kindOptions, writeListAppendEdn } = await import('./gen/list-append.js');
    await writeListAppendEdn(file, { txns, seed: SEED, ...kindOptions(kind) });
  }
  return file;
}

const fmt = (x: number, d = 2): string => x.toFixed(d);

function resultLine(r: Result): string {
  return [
    r.kind.padEnd(16),
    String(r.txns).padEnd(8),
    fmt(r.genSeconds).padStart(10),
    fmt(r.checkSeconds).padStart(8),
    String(Math.round(r.txns / r.checkSeconds)).padStart(9),
    r.valid.padStart(8),
    fmt(r.rssBeforeCheckMB, 0).padStart(20),
    fmt(r.maxRssMB, 0).padStart(12),
    ' ' + (r.anomalyTypes.join(',') || '-'),
  ].join(' ');
}

async function main(flags: FlagValues<typeof FLAGS>): Promise<void> {
  const timeLimit = positiveNumber('--time-limit', flags['time-limit'], 'seconds');
  const viaEdn = flags['via-edn'];
  const kind = flags.kind ?? 'serial';
  const runs: [string, number][] =
    flags.sizes === undefined
      ? [['serial', 10_000], ['serial', 100_000], ['serial', 1_000_000], ['inject:0.0005', 100_000], ['stale:0.05:1000', 100_000], ['rc-sim', 100_000]]
      : numberList('--sizes', flags.sizes, (f, x) => integerAtLeast(f, x, 1)).map((n) => [kind, n]);
  const execArgv = childExecArgv(SELF, { extra: ['--expose-gc', '--max-old-space-size=8192'] });
  console.log(`checkListAppend, ${flags.model}, --time-limit ${timeLimit}, node ${process.version}, ${process.platform}/${process.arch}`);
  console.log(`history ${viaEdn ? 'written as history.edn to bench/out/ and read back by readHistory (the CLI path)' : 'generated in memory'}`);
  console.log(`kind             txns     ${viaEdn ? 'read s    ' : 'generate s'}  check s   txns/s     valid  RSS before check MB  peak RSS MB  anomaly types`);
  for (const [k, n] of runs) {
    const c: Case = { kind: k, txns: n, model: flags.model, timeLimit, ...(viaEdn ? { ednFile: await ednFor(k, n) } : {}) };
    // Generation and the check's budget, with room for a long last step.
    const seconds = 30 * 60 + 2 * timeLimit;
    const outcome = await runMeasuredChild<Result>(SELF, c, { execArgv, deadline: { seconds, why: `killed after ${seconds} s` }, echoStderr: true });
    const failed = failureOf(outcome);
    console.log(outcome.kind === 'report' ? resultLine(outcome.report) : `${k.padEnd(16)} ${String(n).padEnd(8)} ${failed}`);
  }
}

await runBenchScript({ usage: USAGE, flags: FLAGS, main, child });
