/**
 * Linearizability benchmark (analyzer/linear): times `checkLinearizable` on every fixture
 * history with a known model (Knossos cas-register / multi-register / mutex, Couchbase
 * registers, Porcupine kv c01..c50) and prints per-file milliseconds, verdict, configurations
 * searched, and peak RSS at the end.
 *
 *   npm run bench:linear                      all fixtures, 60 s budget per file
 *   npm run bench:linear -- --time-limit 10   another budget (seconds)
 *
 * Each file is read once and checked in-process three times, best time printed; then the kv
 * c50 files on the worker pool with one worker and with every core.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseEdn } from '../analyzer/edn/scanner.js';
import { readHistory } from '../analyzer/history/read.js';
import { checkLinearizable } from '../analyzer/linear/check.js';
import { modelNamed } from '../analyzer/linear/models/index.js';
import { checkLinearizableParallel } from '../analyzer/linear/parallel.js';
import { defaultWorkers } from '../analyzer/util/workers.js';

const root = join(import.meta.dirname, '../fixtures');
const at = process.argv.indexOf('--time-limit');
const limitMs = (at > 0 ? Number(process.argv[at + 1]) : 60) * 1000;

const cases: [string, string, string | undefined][] = [];
const dir = (d: string) => readdirSync(join(root, d)).sort().map((f) => join(d, f));
for (const f of dir('knossos/cas-register/good')) cases.push([f, 'cas-register', '0']);
for (const f of dir('knossos/cas-register/bad')) cases.push([f, 'cas-register', f.includes('rethink') ? 'nil' : '0']);
cases.push(['knossos/multi-register/good/multi-register.edn', 'multi-register', '{:x 0 :y 0}']);
cases.push(['knossos/mutex/bad/etcd.edn', 'mutex', undefined]);
for (const f of dir('couchbase')) cases.push([f, 'cas-register', ':nil']);
for (const f of dir('porcupine-kv')) cases.push([f, 'kv', undefined]);

let total = 0;
for (const [file, model, init] of cases) {
  const h = await readHistory(join(root, file), {});
  let best = Infinity;
  let verdict = '';
  let states = 0;
  for (let rep = 0; rep < 3; rep++) {
    const t = performance.now();
    const { result, runs } = checkLinearizable(h, { model: modelNamed(model)!, init: init === undefined ? undefined : parseEdn(init), timeLimitMs: limitMs });
    const ms = performance.now() - t;
    best = Math.min(best, ms);
    verdict = String(typeof result['valid?'] === 'boolean' ? result['valid?'] : 'unknown');
    states = runs.reduce((s, r) => s + r.outcome.states, 0);
    if (ms > 5000) break; // one run of a slow file is enough
  }
  total += best;
  console.log(`${file.padEnd(52)} ${model.padEnd(15)} ${String(h.length).padStart(6)} ops  ${verdict.padEnd(7)} ${best.toFixed(1).padStart(9)} ms  ${states} configs`);
}
console.log(`total ${total.toFixed(0)} ms over ${cases.length} files`);

// The kv c50 files on the worker pool: one worker (in-process) against all cores.
for (const f of ['c50-ok.txt', 'c50-bad.txt']) {
  const h = await readHistory(join(root, 'porcupine-kv', f), {});
  for (const workers of [1, defaultWorkers()]) {
    const t = performance.now();
    const { result } = await checkLinearizableParallel(h, { model: modelNamed('kv')!, workers, timeLimitMs: limitMs });
    console.log(`porcupine-kv/${f} workers=${workers}: ${String(result['valid?'] === true || result['valid?'] === false ? result['valid?'] : 'unknown')} in ${(performance.now() - t).toFixed(0)} ms (pool start-up included)`);
  }
}
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
