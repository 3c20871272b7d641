/**
 * Side by side with Porcupine (anishathalye/porcupine): its 102 Jepsen etcd histories
 * (`test_data/jepsen/etcd_NNN.log`, verdicts from `porcupine_test.go`'s `checkJepsen(t, N,
 * valid)` lines) checked by Porcupine's own `TestEtcdJepsen*` test binary, built here from its
 * source with Debian's `golang-go`, and by one `hindsight check` process over the same files
 * (`--checker linearizable --model cas-register --nil absent`: Porcupine's etcd model reads a
 * missing key as no value). Both are whole processes, timed from spawn to exit, alternately,
 * `--runs` times each; the ratio is of medians. Verdicts are compared file by file.
 *
 * Porcupine's source is not part of this project: pass `--porcupine DIR`, a checkout or a bare
 * git directory (its HEAD is extracted under bench/out/). Uses the built CLI (`npm run build`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FlagValues, runBenchScript } from '../analyzer/bench/script.js';
import { integerAtLeast } from '../analyzer/util/options.js';
import { UsageError } from '../analyzer/util/usage-error.js';

const USAGE = `npm run bench:porcupine -- --porcupine DIR [--runs 5]

  --porcupine DIR    Porcupine's source: a checkout, or a bare git directory (HEAD is used)
  --runs N           whole-process runs of each, alternating (default 5)`;

const FLAGS = {
  porcupine: { type: 'string' },
  runs: { type: 'string', default: '5' },
} as const;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'bench', 'out', 'porcupine');

/** Porcupine's source as a directory with its files: a checkout as it is, a bare repository's HEAD extracted. */
function sourceDir(given: string): string {
  const dir = resolve(given);
  if (existsSync(join(dir, 'porcupine_test.go'))) return dir;
  if (!existsSync(join(dir, 'HEAD'))) throw new UsageError(`--porcupine ${given}: neither a Porcupine checkout nor a git directory`);
  const out = join(OUT, 'src');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const archive = spawnSync('git', ['--git-dir', dir, 'archive', 'HEAD'], { maxBuffer: 1 << 30 });
  if (archive.status !== 0) throw new Error(`git archive failed: ${archive.stderr.toString()}`);
  const tar = spawnSync('tar', ['-x', '-C', out], { input: archive.stdout });
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr.toString()}`);
  return out;
}

/** `go test -c`: Porcupine's test binary, built once. */
function build(src: string): string {
  const bin = join(OUT, 'porcupine.test');
  const r = spawnSync('go', ['test', '-c', '-o', bin], { cwd: src, env: { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GOCACHE: join(OUT, 'gocache') }, encoding: 'utf8' });
  if (r.error !== undefined) throw new Error(`cannot run go (apt-get install golang-go): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`go test -c failed: ${r.stderr}`);
  return bin;
}

function timed(cmd: string, args: string[], cwd: string): Promise<{ seconds: number; code: number | null; out: string }> {
  return new Promise((res) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.stderr.resume();
    child.on('close', (code) => res({ seconds: (performance.now() - t0) / 1000, code, out }));
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(flags: FlagValues<typeof FLAGS>): Promise<void> {
  if (flags.porcupine === undefined) throw new UsageError('--porcupine DIR is required');
  const runs = integerAtLeast('--runs', flags.runs, 1);
  if (!existsSync(join(ROOT, 'dist', 'analyzer', 'cli', 'main.js'))) throw new Error('build first: npm run build');
  mkdirSync(OUT, { recursive: true });
  const src = sourceDir(flags.porcupine);
  const expected = new Map<number, boolean>();
  for (const m of readFileSync(join(src, 'porcupine_test.go'), 'utf8').matchAll(/checkJepsen\(t, (\d+), (true|false)\)/g)) expected.set(Number(m[1]), m[2] === 'true');
  const logs = [...expected.keys()].sort((a, b) => a - b).map((n) => join('test_data', 'jepsen', `etcd_${String(n).padStart(3, '0')}.log`));
  const missing = logs.filter((f) => !existsSync(join(src, f)));
  if (missing.length > 0) throw new Error(`missing in ${src}: ${missing.slice(0, 3).join(', ')}`);
  const bin = build(src);
  const hindsightArgs = [join(ROOT, 'bin', 'hindsight.js'), 'check', ...logs, '--checker', 'linearizable', '--model', 'cas-register', '--nil', 'absent'];
  const go: number[] = [];
  const ours: number[] = [];
  let verdicts = '';
  for (let i = 0; i < runs; i++) {
    const p = await timed(bin, ['-test.run', '^TestEtcdJepsen', '-test.count', '1'], src);
    if (p.code !== 0) throw new Error(`Porcupine's tests failed:\n${p.out.slice(-2000)}`);
    go.push(p.seconds);
    const h = await timed(process.execPath, hindsightArgs, src);
    ours.push(h.seconds);
    verdicts = h.out;
  }
  // `test_data/jepsen/etcd_000.log: invalid — …`, one line per file.
  let agree = 0;
  const disagree: string[] = [];
  for (const line of verdicts.split('\n')) {
    const m = /etcd_(\d+)\.log: (valid|invalid|unknown)\b/.exec(line);
    if (m === null) continue;
    const want = expected.get(Number(m[1]));
    if ((m[2] === 'valid') === want && m[2] !== 'unknown') agree++;
    else disagree.push(`etcd_${m[1]}: ours ${m[2]}, Porcupine ${want ? 'valid' : 'invalid'}`);
  }
  console.log(`${logs.length} histories; ${cpus().length} cores, load ${loadavg()[0].toFixed(1)}; ${runs} runs each, alternating`);
  console.log(`Porcupine's test binary (go test -c, -test.run ^TestEtcdJepsen): median ${median(go).toFixed(3)} s (min ${Math.min(...go).toFixed(3)})`);
  console.log(`hindsight check, one process over all files:                 median ${median(ours).toFixed(3)} s (min ${Math.min(...ours).toFixed(3)})`);
  console.log(`ratio hindsight / Porcupine: ${(median(ours) / median(go)).toFixed(2)}`);
  console.log(`verdicts: ${agree} of ${logs.length} agree with porcupine_test.go${disagree.length === 0 ? '' : `; ${disagree.join('; ')}`}`);
}

await runBenchScript({ usage: USAGE, flags: FLAGS, main });
