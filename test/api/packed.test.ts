/**
 * The package as a consumer gets it: `npm pack` (which runs `prepare`, the build into dist/,
 * declarations included), the tarball unpacked into a fresh project's node_modules/hindsight,
 * a strict TypeScript program importing `hindsight` compiled against the shipped .d.ts
 * (`skipLibCheck: false`, so broken declarations fail too) and run on fixtures. One compile
 * (seconds each) holds both the program that must compile and a file that must not.
 *
 * Offline by construction: the tarball is unpacked with tar instead of `npm install`, which
 * would fetch the package's dependencies from the registry (or a cache that may be cold). The
 * consumer's node_modules instead gets a symlink for each of the package's `dependencies` (and
 * @types/node, for the consumer's own compile) to this project's node_modules; Node resolves a
 * symlinked package at its real path, so their own dependencies resolve there too.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const fixture = (p: string): string => join(root, 'fixtures', p);
const tmp = mkdtempSync(join(tmpdir(), 'hindsight-packed-'));
const consumer = join(tmp, 'consumer');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
// Removed even when a step fails; tests here never leave the temp dir behind.
after(() => rmSync(tmp, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd: string, timeoutMs = 120_000): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, npm_config_update_notifier: 'false' } });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  assert.equal(r.status, 0, `${what} failed (status ${String(r.status)}, ${String(r.error ?? '')}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The consumer: strict, NodeNext, and every kind of export used (values, types, classes, a custom Model). */
const MAIN = `
import {
  readHistory, check, checkModel, checkers, listAppend, linearizable, casRegisterModel, models,
  UNKNOWN, HistoryError, UsageError, Inconsistent, Keyword, printEdn, toJson, parseEdn,
  type CheckResult, type Checker, type Model, type Validity, type EdnValue, type History,
} from 'hindsight';

const verdict = (v: Validity): string => (v === true ? 'valid' : v === false ? 'invalid' : v === UNKNOWN ? 'unknown' : 'impossible');
const [casFile, elleFile, counterFile] = process.argv.slice(2);

const cas: History = await readHistory(casFile);
const lin: CheckResult = await check(cas, ['linearizable'], { model: 'cas-register' });
console.log('linearizable: ' + verdict(lin['valid?']) + ' at ' + printEdn(lin.op ?? null));
console.log('describe: ' + linearizable.describe?.(lin));

const elle = await check(await readHistory(elleFile), [listAppend], { consistencyModels: ['serializable'] });
const types = (elle['anomaly-types'] as Keyword[]).map((k) => k.name);
console.log('list-append: ' + verdict(elle['valid?']) + ' ' + types.join(','));
console.log('json: ' + JSON.stringify(toJson(elle['not'] ?? null)));

const composed = await check(cas, ['linearizable', checkers.get('stats') as Checker<never>], { model: 'cas-register' });
console.log('composed: ' + verdict(composed['valid?']) + ' ' + Object.keys(composed).sort().join(','));

// A custom model: a counter that adds and reads.
const counter: Model<number> = {
  name: 'counter',
  summary: 'a counter: add n, read',
  fs: ['add', 'read'],
  init: (initial?: EdnValue) => (typeof initial === 'number' ? initial : 0),
  step: (n, op) => {
    if (op.f === 'add' && typeof op.value === 'number') return n + op.value;
    if (op.f === 'read') return op.value === null || op.value === n ? n : new Inconsistent(() => "can't read " + printEdn(op.value) + ' from ' + n);
    return new Inconsistent('bad op ' + op.f);
  },
  readOnly: (op) => op.f === 'read',
  key: (n) => String(n),
  toEdn: (n) => n,
};
const mine = checkModel(await readHistory(counterFile), counter);
console.log('custom: ' + verdict(mine['valid?']) + ' ' + String(mine['reason']));
console.log('models: ' + models.has('cas-register') + ' ' + casRegisterModel.fs.join(','));
console.log('parse: ' + printEdn(parseEdn('{:a [1 #{2}]}')));

try {
  await check(cas, ['no-such-checker']);
} catch (e) {
  console.log('usage: ' + (e instanceof UsageError));
}
try {
  await readHistory(casFile + '.missing');
} catch (e) {
  console.log('history-error: ' + (e instanceof HistoryError));
}
// Internals are not reachable through the package name (a variable, so tsc does not resolve it).
const deep = 'hindsight/dist/analyzer/check/compose.js';
try {
  await import(deep);
  console.log('deep: imported');
} catch (e) {
  console.log('deep: ' + String((e as { code?: unknown }).code));
}
`;

/** What must not compile: internals by name, and a deep path the exports map hides. */
const BAD = `
import { compose } from 'hindsight';
import type { KeyProblem } from 'hindsight';
import { checkLinearizable } from 'hindsight/dist/analyzer/linear/linearize.js';
export const used = [compose, checkLinearizable] as const;
export type Used = KeyProblem;
`;

const COUNTER_HISTORY = [
  '{:process 0, :type :invoke, :f :add, :value 1}',
  '{:process 0, :type :ok, :f :add, :value 1}',
  '{:process 1, :type :invoke, :f :read, :value nil}',
  '{:process 1, :type :ok, :f :read, :value 2}',
  '',
].join('\n');

const TSCONFIG = JSON.stringify({
  compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2023'], types: ['node'], skipLibCheck: false, outDir: '.' },
  files: ['main.ts', 'bad.ts'],
});

/** The consumer's compile: its status and its error lines. */
let compiled: { status: number | null; errors: string[] } = { status: null, errors: [] };

before(() => {
  // `npm pack` runs `prepare` (the build into dist/), as publishing does.
  ok(run('npm', ['pack', '--pack-destination', tmp, '--no-fund', '--no-audit'], root, 180_000), 'npm pack');
  const tarballs = readdirSync(tmp).filter((f) => f.endsWith('.tgz'));
  assert.equal(tarballs.length, 1, `one tarball, found ${tarballs.join(', ')}`);
  const pkgDir = join(consumer, 'node_modules', 'hindsight');
  mkdirSync(pkgDir, { recursive: true });
  ok(run('tar', ['-xzf', join(tmp, tarballs[0]), '-C', pkgDir, '--strip-components=1'], tmp), 'tar');
  const deps = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
  for (const dep of [...deps, '@types/node']) {
    const link = join(consumer, 'node_modules', dep);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(root, 'node_modules', dep), link, 'dir');
  }
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { hindsight: `file:../${tarballs[0]}` } }));
  writeFileSync(join(consumer, 'main.ts'), MAIN);
  writeFileSync(join(consumer, 'bad.ts'), BAD);
  writeFileSync(join(consumer, 'tsconfig.json'), TSCONFIG);
  writeFileSync(join(consumer, 'counter.edn'), COUNTER_HISTORY);
  // bad.ts fails the compile by design; tsc still emits main.js (noEmitOnError is off).
  const r = run(process.execPath, [tsc, '-p', 'tsconfig.json'], consumer);
  assert.equal(r.error, undefined, String(r.error));
  compiled = { status: r.status, errors: r.stdout.split('\n').filter((l) => / error TS\d+:/.test(l)) };
});

test('packed: the tarball ships the build with declarations and no sources or tests', () => {
  const files = ok(run('tar', ['-tzf', join(tmp, readdirSync(tmp).find((f) => f.endsWith('.tgz')) ?? '')], tmp), 'tar -t').split('\n');
  for (const f of ['package/dist/analyzer/index.js', 'package/dist/analyzer/index.d.ts', 'package/bin/hindsight.js', 'package/docs/api.md', 'package/dist/recorder/cli/main.js']) {
    assert.ok(files.includes(f), `${f} missing from the tarball`);
  }
  assert.deepEqual(files.filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts')), []);
  assert.deepEqual(files.filter((f) => f.startsWith('package/test/') || f.startsWith('package/fixtures/')), []);
});

test('packed: a strict NodeNext consumer compiles against the .d.ts and gets the verdicts', () => {
  assert.deepEqual(compiled.errors.filter((l) => !l.startsWith('bad.ts(')), [], 'errors outside bad.ts');
  const out = ok(
    run(process.execPath, ['main.js', fixture('knossos/cas-register/bad/bad-analysis.edn'), fixture('elle/paper-example.edn'), join(consumer, 'counter.edn')], consumer),
    'consumer run',
  );
  const lines = new Map(out.trim().split('\n').map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
  assert.equal(lines.get('linearizable'), 'invalid at {:index 14, :type :ok, :process 21, :f :read, :value 2}');
  assert.match(lines.get('describe') ?? '', /^not linearizable: process 21's read of 2/);
  assert.equal(lines.get('list-append'), 'invalid G-single-item');
  assert.equal(lines.get('json'), '["consistent-view","repeatable-read"]');
  assert.equal(lines.get('composed'), 'invalid linearizable,stats,valid?');
  assert.equal(lines.get('custom'), "invalid can't read 2 from 1");
  assert.equal(lines.get('models'), 'true read,write,cas');
  assert.equal(lines.get('parse'), '{:a [1 #{2}]}');
  assert.equal(lines.get('usage'), 'true');
  assert.equal(lines.get('history-error'), 'true');
  assert.equal(lines.get('deep'), 'ERR_PACKAGE_PATH_NOT_EXPORTED');
});

test('packed: internals do not compile through the package name', () => {
  assert.notEqual(compiled.status, 0, 'bad.ts compiled');
  const errors = compiled.errors.join('\n');
  assert.match(errors, /^bad\.ts\(2,\d+\): error TS2305: Module '"hindsight"' has no exported member 'compose'/m);
  assert.match(errors, /^bad\.ts\(3,\d+\): error TS2305: Module '"hindsight"' has no exported member 'KeyProblem'/m);
  assert.match(errors, /^bad\.ts\(4,\d+\): error TS2307: Cannot find module 'hindsight\/dist\/analyzer\/linear\/linearize\.js'/m);
  assert.equal(compiled.errors.length, 3, errors);
});

test('packed: the bin runs from the unpacked package', () => {
  const r = run(process.execPath, [join(consumer, 'node_modules', 'hindsight', 'bin', 'hindsight.js'), 'check', '--checker', 'linearizable', '--model', 'cas-register', fixture('knossos/cas-register/bad/bad-analysis.edn')], consumer);
  assert.equal(r.status, 1, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^invalid — not linearizable/m);
});
