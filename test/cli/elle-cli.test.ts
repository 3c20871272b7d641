/**
 * `hindsight elle-cli`: elle-cli's flags map onto our checkers, and the command prints and exits
 * as elle-cli does. Expected verdicts are elle-cli's own (its test.sh) unless said otherwise;
 * elle-cli prints `(println path "\t" valid)`, a space either side of the tab.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../analyzer/check/checker.js';
import { type ElleCliOptions, planFromElleCli, runElleCli } from '../../analyzer/cli/elle-cli.js';
import { type CliResult, runCli } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

interface Ran {
  code: number;
  out: string[];
  err: string[];
}

async function run(files: string[], opts: ElleCliOptions): Promise<Ran> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runElleCli(files, opts, (s) => out.push(s), (s) => err.push(s));
  return { code, out, err };
}

const line = (file: string, verdict: string): string => `${file} \t ${verdict}`;

function cli(args: string[]): Promise<CliResult> {
  return runCli(['elle-cli', ...args]);
}

test('list-append gets elle-cli defaults: strict-serializable, G0, our search budget', () => {
  const p = planFromElleCli({ model: 'list-append' });
  assert.equal(p.checker, 'list-append');
  assert.deepEqual(p.options, { consistencyModels: 'strict-serializable', anomalies: 'G0' });
  assert.equal(p.format, 'auto');
  assert.equal(p.verbose, false);
  assert.equal(p.outDir, undefined);
  assert.deepEqual(p.warnings, []);
});

test('elle flags: -c, -a, -s in ms to seconds, -f, -d, -v, -p', () => {
  const p = planFromElleCli({ model: 'rw-register', consistencyModels: 'serializable', anomalies: 'G1c,G2-item', cycleSearchTimeout: '1500', format: 'json', directory: '/tmp/x', verbose: true, plotFormat: 'svg' });
  assert.equal(p.checker, 'rw-register');
  assert.deepEqual(p.options, { consistencyModels: 'serializable', anomalies: 'G1c,G2-item', timeLimit: 1.5 });
  assert.equal(p.format, 'json');
  assert.equal(p.outDir, '/tmp/x');
  assert.equal(p.verbose, true);
  assert.deepEqual(p.warnings, []);
  assert.equal(planFromElleCli({ model: 'list-append', format: 'edn' }).format, 'auto');
});

test('-p png is accepted with a warning; other plot formats and bad numbers are usage errors', () => {
  const p = planFromElleCli({ model: 'list-append', plotFormat: 'png' });
  assert.equal(p.warnings.length, 1);
  assert.match(p.warnings[0], /SVG only/);
  assert.throws(() => planFromElleCli({ model: 'list-append', plotFormat: 'pdf' }), /png or svg/);
  assert.throws(() => planFromElleCli({ model: 'list-append', cycleSearchTimeout: '1s' }), /integer/);
  assert.throws(() => planFromElleCli({ model: 'list-append', cycleSearchTimeout: '0' }), /positive/);
  assert.throws(() => planFromElleCli({ model: 'list-append', plotTimeout: 'soon' }), /plot-timeout takes an integer/);
  assert.throws(() => planFromElleCli({ model: 'list-append', format: 'xml' }), /edn, json/);
});

test('Knossos and Jepsen models map to our checkers; elle-only flags do not leak into them', () => {
  assert.deepEqual(planFromElleCli({ model: 'cas-register', consistencyModels: 'serializable' }), { checker: 'linearizable', options: { model: 'cas-register' }, format: 'auto', outDir: undefined, verbose: false, warnings: [] });
  assert.deepEqual(planFromElleCli({ model: 'mutex' }).options, { model: 'mutex' });
  for (const m of ['counter', 'set', 'set-full']) assert.deepEqual(planFromElleCli({ model: m }), { checker: m, options: {}, format: 'auto', outDir: undefined, verbose: false, warnings: [] });
  assert.deepEqual(planFromElleCli({ model: 'bank', allowNegativeBalances: true, totalAmount: '100', maxTransfer: '5' }).options, { negativeBalancesOk: true, totalAmount: 100 });
  assert.deepEqual(planFromElleCli({ model: 'bank' }).options, {});
});

test('models we lack are one-line usage errors naming what we support', () => {
  for (const m of ['long-fork', 'comments', 'sequential', 'no-such-model']) {
    assert.throws(
      () => planFromElleCli({ model: m }),
      (e: unknown) => e instanceof UsageError && !e.message.includes('\n') && e.message.includes(`model ${m} is not supported`) && e.message.includes('supported: bank, cas-register, counter, list-append, mutex, rw-register, set, set-full'),
    );
  }
  assert.throws(() => planFromElleCli({}), UsageError);
});

test("elle-cli's Elle histories: one line each, exit 1 when any is false", async () => {
  const gh30 = 'fixtures/elle-cli/list-append-gh-30.edn';
  assert.deepEqual(await run([gh30], { model: 'list-append', consistencyModels: 'serializable' }), { code: 1, out: [line(gh30, 'false')], err: [] });
  const paperJson = 'fixtures/elle-cli/paper-example.json';
  const paperEdn = 'fixtures/elle/paper-example.edn';
  assert.deepEqual(await run([paperEdn, paperJson], { model: 'list-append' }), { code: 1, out: [line(paperEdn, 'false'), line(paperJson, 'false')], err: [] });
  // test.sh's variants: the flags change nothing here.
  for (const extra of [{ plotFormat: 'svg' }, { cycleSearchTimeout: '1000' }, { plotTimeout: '5000' }, { maxPlotBytes: '65536' }]) {
    assert.deepEqual(await run([paperJson], { model: 'list-append', ...extra }), { code: 1, out: [line(paperJson, 'false')], err: [] });
  }
});

test('rw-register.edn/.json: elle-cli says true, we say false (it reads x = 3, which nobody wrote)', async () => {
  const files = ['fixtures/elle-cli/rw-register.edn', 'fixtures/elle-cli/rw-register.json'];
  const r = await run(files, { model: 'rw-register' });
  assert.deepEqual(r, { code: 1, out: files.map((f) => line(f, 'false')), err: [] });
  const v = await run([files[1]], { model: 'rw-register', verbose: true });
  const result = JSON.parse(v.out.join('\n')) as Record<string, unknown>;
  assert.equal(result['valid?'], false);
  assert.deepEqual(result['anomaly-types'], ['garbage-read']);
});

test("elle-cli's Knossos histories (cas-register from nil, mutex)", async () => {
  const bad = ['bad-analysis.edn', 'cas-failure.edn', 'rethink-fail-minimal.edn'].map((f) => `fixtures/knossos/cas-register/bad/${f}`);
  const good = 'fixtures/knossos/cas-register/good/memstress3-9.edn';
  assert.deepEqual(await run([good], { model: 'cas-register' }), { code: 0, out: [line(good, 'true')], err: [] });
  assert.deepEqual(await run([good, ...bad], { model: 'cas-register' }), { code: 1, out: [line(good, 'true'), ...bad.map((f) => line(f, 'false'))], err: [] });
  const etcd = 'fixtures/knossos/mutex/bad/etcd.edn';
  assert.deepEqual(await run([etcd], { model: 'mutex' }), { code: 1, out: [line(etcd, 'false')], err: [] });
});

test('unknown prints "unknown" and exits 0, as elle-cli; -d gets results and pictures', async () => {
  const dir = tempDir('hindsight-elle-cli-');
  const lone = join(dir, 'lone.edn');
  // One transaction alone: no edge to judge, so :unknown.
  writeFileSync(lone, '{:type :invoke, :process 0, :f :txn, :value [[:append 1 1]]}\n{:type :ok, :process 0, :f :txn, :value [[:append 1 1]]}\n');
  assert.deepEqual(await run([lone], { model: 'list-append' }), { code: 0, out: [line(lone, 'unknown')], err: [] });
  const out = join(dir, 'out');
  const paper = 'fixtures/elle-cli/paper-example.json';
  const r = await run([paper], { model: 'list-append', directory: out, plotFormat: 'png' });
  assert.equal(r.code, 1);
  assert.match(r.err.join('\n'), /SVG only/);
  assert.ok(existsSync(join(out, 'results.edn')));
  assert.ok(existsSync(join(out, 'elle', 'G-single-item-1.svg')));
});

test('a file that cannot be read stops the run with 255, as elle-cli', async () => {
  const paper = 'fixtures/elle-cli/paper-example.json';
  const r = await run([paper, 'fixtures/elle-cli/no-such.edn', paper], { model: 'list-append' });
  assert.equal(r.code, 255);
  assert.deepEqual(r.out, [line(paper, 'false')]);
  assert.equal(r.err.length, 1);
  assert.match(r.err[0], /no-such\.edn/);
});

test('the command line: elle-cli flags, usage without a model, exit 3 for a model we lack', async () => {
  const paper = 'fixtures/elle-cli/paper-example.json';
  const ok = await cli(['--model', 'list-append', paper, '--plot-format', 'svg', '-s', '1000']);
  assert.deepEqual(ok, { code: 1, out: `${line(paper, 'false')}\n`, err: '' });
  const usage = await cli([]);
  assert.equal(usage.code, 0);
  assert.match(usage.out, /Usage: hindsight elle-cli/);
  const lack = await cli(['-m', 'long-fork', '-g', '3', paper]);
  assert.equal(lack.code, 3);
  assert.equal(lack.out, '');
  assert.match(lack.err, /^hindsight: elle-cli model long-fork is not supported: .*; supported: bank, cas-register, counter, list-append, mutex, rw-register, set, set-full\n$/);
});
