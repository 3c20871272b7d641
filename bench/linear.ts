/**
 * Linearizability benchmark (analyzer/linear): every fixture history with a known model
 * (Knossos cas-register / multi-register / mutex, Couchbase registers, Porcupine kv c01..c50).
 * Per file: the time to read it (the history reader's, not the checker's), the first check
 * (closest to a one-shot CLI run, though the JIT has warmed up on earlier files), the best of
 * five warm checks, the verdict and the configurations searched. Then the kv c50 files through
 * `checkLinearizableParallel` with one worker, with every core (which starts a pool only for
 * keys the in-process first round leaves undecided), and with the pool forced from the start;
 * peak RSS at the end. All in this one process, on purpose: "best" is a warm JIT's time.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseEdn } from '../analyzer/edn/scanner.js';
import { readHistory } from '../analyzer/history/read.js';
import { checkLinearizable } from '../analyzer/linear/linearize.js';
import { modelNamed } from '../analyzer/linear/models/index.js';
import { checkLinearizableParallel } from '../analyzer/linear/parallel.js';
import { defaultWorkers } from '../analyzer/util/workers.js';
import { peakRssMB } from '../analyzer/bench/process.js';
import { type FlagValues, runBenchScript } from '../analyzer/bench/script.js';
import { positiveNumber } from '../analyzer/util/options.js';

const USAGE = `npm run bench:linear [-- options]

  (no options)             all linearizability fixtures, 60 s budget per file
  --time-limit 10          another budget (seconds)`;

const FLAGS = { 'time-limit': { type: 'string', default: '60' } } as const;

const root = join(import.meta.dirname, '../fixtures');
const cases: [string, string, string | undefined][] = [];
const dir = (d: string) => readdirSync(join(root, d)).sort().map((f) => join(d, f));
for (const f of dir('knossos/cas-register/good')) cases.push([f, 'cas-register', '0']);
for (const f of dir('knossos/cas-register/bad')) cases.push([f, 'cas-register', f.includes('rethink') ? 'nil' : '0']);
cases.push(['knossos/multi-register/good/multi-register.edn', 'multi-register', '{:x 0 :y 0}']);
cases.push(['knossos/mutex/bad/etcd.edn', 'mutex', undefined]);
for (const f of dir('couchbase')) cases.push([f, 'cas-register', ':nil']);
for (const f of dir('porcupine-kv')) cases.push([f, 'kv', undefined]);

const ms = (x: number) => x.toFixed(1).padStart(8);
const verdictOf = (v: unknown) => String(v === true || v === false ? v : 'unknown');

async function main(flags: FlagValues<typeof FLAGS>): Promise<void> {
  const limitMs = positiveNumber('--time-limit', flags['time-limit'], 'seconds') * 1000;
  console.log(`${'file'.padEnd(50)} ${'model'.padEnd(14)} ${'ops'.padStart(6)}  ${'verdict'.padEnd(7)} ${'read ms'.padStart(8)} ${'1st ms'.padStart(8)} ${'best ms'.padStart(8)}  configs`);
  let readTotal = 0;
  let firstTotal = 0;
  let bestTotal = 0;
  for (const [file, model, init] of cases) {
    let t = performance.now();
    const h = await readHistory(join(root, file), {});
    const readMs = performance.now() - t;
    let first = 0;
    let best = Infinity;
    let verdict = '';
    let states = 0;
    for (let rep = 0; rep < 6; rep++) {
      t = performance.now();
      const { result, runs } = checkLinearizable(h, { model: modelNamed(model)!, init: init === undefined ? undefined : parseEdn(init), timeLimitMs: limitMs });
      const took = performance.now() - t;
      if (rep === 0) first = took;
      best = Math.min(best, took);
      verdict = verdictOf(result['valid?']);
      states = runs.reduce((s, r) => s + r.outcome.states, 0);
      if (took > 5000) break; // one run of a slow file is enough
    }
    readTotal += readMs;
    firstTotal += first;
    bestTotal += best;
    console.log(`${file.padEnd(50)} ${model.padEnd(14)} ${String(h.length).padStart(6)}  ${verdict.padEnd(7)} ${ms(readMs)} ${ms(first)} ${ms(best)}  ${states}`);
  }
  console.log(`total over ${cases.length} files: read ${readTotal.toFixed(0)} ms, check ${firstTotal.toFixed(0)} ms first / ${bestTotal.toFixed(0)} ms best`);

  // The kv c50 files through the parallel entry point: one worker, every core, the pool forced.
  const all = defaultWorkers();
  for (const f of ['c50-ok.txt', 'c50-bad.txt']) {
    const h = await readHistory(join(root, 'porcupine-kv', f), {});
    for (const [label, workers, inProcessStates] of [['workers=1', 1, undefined], [`workers=${all}`, all, undefined], [`workers=${all}, pool from the start`, all, 0]] as const) {
      const t = performance.now();
      const { result } = await checkLinearizableParallel(h, { model: modelNamed('kv')!, workers, inProcessStates, timeLimitMs: limitMs });
      console.log(`porcupine-kv/${f} ${label}: ${verdictOf(result['valid?'])} in ${(performance.now() - t).toFixed(1)} ms (pool start-up included)`);
    }
  }
  console.log(`peak RSS ${peakRssMB().toFixed(0)} MB`);
}

await runBenchScript({ usage: USAGE, flags: FLAGS, main });
