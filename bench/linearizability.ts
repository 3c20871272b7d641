/**
 * Times the linearizable checker on every fixture it has a verdict for (best of 3 per file,
 * reading excluded) and prints ms per file and the process's peak RSS.
 *   npm run bench:linearizability
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { kw } from '../analyzer/edn/values.js';
import { readHistory } from '../analyzer/history/read.js';
import { type LinearizableOptions, checkLinearizable } from '../analyzer/linearizability/index.js';
import { parseEdn } from '../analyzer/edn/scanner.js';

const root = 'fixtures';
const list = (dir: string) => readdirSync(join(root, dir)).sort().map((f) => join(root, dir, f));
const runs: [string, LinearizableOptions][] = [
  ...list('knossos/cas-register/good').map((f): [string, LinearizableOptions] => [f, { model: 'cas-register', init: 0 }]),
  ...list('knossos/cas-register/bad').map((f): [string, LinearizableOptions] => [f, { model: 'cas-register', init: f.includes('rethink') ? null : 0 }]),
  [join(root, 'knossos/multi-register/good/multi-register.edn'), { model: 'multi-register', init: parseEdn('{:x 0 :y 0}') }],
  [join(root, 'knossos/mutex/bad/etcd.edn'), { model: 'mutex' }],
  ...list('couchbase').map((f): [string, LinearizableOptions] => [f, { model: 'cas-register', init: kw('nil') }]),
  ...list('porcupine-kv').map((f): [string, LinearizableOptions] => [f, { model: 'kv' }]),
];

let total = 0;
for (const [file, opts] of runs) {
  const h = await readHistory(file);
  let best = Infinity;
  let verdict = '';
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = checkLinearizable(h, opts);
    best = Math.min(best, performance.now() - t);
    verdict = String(r['valid?']);
  }
  total += best;
  console.log(`${best.toFixed(1).padStart(8)} ms  ${verdict.padEnd(8)} ${String(h.length).padStart(6)} ops  ${file}`);
}
console.log(`${total.toFixed(0)} ms total over ${runs.length} files; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
