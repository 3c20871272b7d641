/** The pieces of recheck: finding histories, workload names, the cache key, CSV quoting, exit precedence, the backstop deadline. */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { exitOfRows, runRecheck } from '../../analyzer/cli/recheck.js';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import { EdnMap } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import { RecheckCache, cacheKey, defaultCacheDir } from '../../analyzer/recheck/cache.js';
import { findHistories } from '../../analyzer/recheck/discover.js';
import { checkCommand, csvField, formatCsv } from '../../analyzer/recheck/output.js';
import { planFor } from '../../analyzer/recheck/plan.js';
import { batchProgress } from '../../analyzer/recheck/progress.js';
import { type RecheckRow, recheck } from '../../analyzer/recheck/run.js';
import recheckOne, { looksIndependent } from '../../analyzer/recheck/worker.js';
import { workloadIn, workloadSpec } from '../../analyzer/recheck/workloads.js';
import { tempDir } from '../support/tmp.js';
import { mixedStores } from './helpers.js';

test('findHistories: store runs by history.edn + test.edn/results.edn, loose files only when they look like histories', () => {
  const root = mixedStores();
  writeFileSync(join(root, 'loose', 'results.edn'), '{:valid? true, :type :x}\n');
  writeFileSync(join(root, 'loose', 'app.log'), 'INFO starting\nINFO done\n');
  writeFileSync(join(root, 'loose', 'porcupine.txt'), '{:process 0, :type :invoke, :f :get, :key "1", :value nil}\n');
  writeFileSync(join(root, 'loose', 'h.json'), '[{"type": "invoke", "f": "read", "process": 0}]\n');
  const found = findHistories([root]).map((f) => [f.path.replace(root + '/', ''), f.runDir === undefined ? 'file' : 'run']);
  assert.deepEqual(found, [
    ['loose/h.json', 'file'],
    ['loose/immediate-failure.edn', 'file'],
    ['loose/porcupine.txt', 'file'],
    ['store/cas-bad/20260101T000000.000', 'run'],
    ['store/cas-good/20260101T000000.000', 'run'],
    ['store/cas-slow/20260101T000000.000', 'run'],
    ['store/postgres-list-append/20260101T000000.000', 'run'],
    ['store/torn/20260101T000000.000', 'run'],
  ]);
  assert.throws(() => findHistories([join(root, 'nope')]), /nope: no such file or directory/);
  const run = join(root, 'store', 'cas-good', '20260101T000000.000');
  assert.deepEqual(findHistories([join(run, 'history.edn'), join(root, 'loose', 'app.log')]), [
    { path: run, file: join(run, 'history.edn'), runDir: run },
    { path: join(root, 'loose', 'app.log'), file: join(root, 'loose', 'app.log') },
  ]);
});

test('workloads: names inside Jepsen test names map to checkers, longest match first', () => {
  assert.equal(workloadIn('etcd-cas-register'), 'cas-register');
  assert.equal(workloadIn('postgres list_append'), 'list-append');
  assert.equal(workloadIn('Append'), 'append');
  assert.equal(workloadIn('registers'), undefined);
  assert.equal(workloadIn('appendix'), undefined);
  const spec = (edn: string) => workloadSpec(parseEdn(edn) as EdnMap);
  assert.deepEqual(spec('{:workload :bank, :name "x-register"}'), { workload: 'bank', spec: { checkers: ['bank'], options: {} } });
  assert.deepEqual(spec('{:name "mongo-register"}')?.spec, { checkers: ['linearizable'], options: { model: 'cas-register' }, guessIndependent: true });
  assert.equal(spec('{:name "mystery"}'), undefined);
});

test('plan: --checker options override the run\'s :checker-options; test.edn problems become the row\'s error', () => {
  const root = mixedStores();
  const run = join(root, 'store', 'cas-slow', '20260101T000000.000');
  const p = planFor({ path: run, file: join(run, 'history.edn'), runDir: run }, undefined, { maxStates: '1000' });
  assert.deepEqual(p.spec, { checkers: ['linearizable'], options: { model: 'cas-register', init: '0', maxStates: '1000' }, guessIndependent: false, source: 'test.edn' });
  writeFileSync(join(run, 'test.edn'), '{:name "x", :checkers [:linearizable :nope]}');
  assert.match(planFor({ path: run, file: join(run, 'history.edn'), runDir: run }, undefined, {}).error ?? '', /^unknown checker nope; known: /);
  writeFileSync(join(run, 'test.edn'), '{:name "x"');
  assert.match(planFor({ path: run, file: join(run, 'history.edn'), runDir: run }, undefined, {}).error ?? '', /^test\.edn: /);
  writeFileSync(join(run, 'test.edn'), '{:name "mystery", :checker #object[jepsen.checker$compose 0x1 "x"]}');
  assert.equal(planFor({ path: run, file: join(run, 'history.edn'), runDir: run }, undefined, {}).error, 'test.edn names no :checkers (or :checker) and no known :workload; pass --checker');
  // Jepsen's store: no test.edn (the test map is test.fressian), the test directory names the workload.
  const jepsen = join(root, 'store', 'etcd-append', '20260101T000000.000');
  mkdirSync(jepsen, { recursive: true });
  writeFileSync(join(jepsen, 'results.edn'), '{:valid? true}');
  assert.deepEqual(planFor({ path: jepsen, file: join(jepsen, 'history.edn'), runDir: jepsen }, undefined, {}).spec, { checkers: ['list-append'], options: {}, guessIndependent: false, source: 'workload' });
  const odd = join(root, 'store', 'mystery', '20260101T000000.000');
  mkdirSync(odd, { recursive: true });
  // No test.edn and a test name that names no workload: the ops will say, once read.
  assert.deepEqual(planFor({ path: odd, file: join(odd, 'history.edn'), runDir: odd }, undefined, {}).spec, { checkers: [], options: {}, guessIndependent: false, source: 'ops' });
  writeFileSync(join(run, 'test.edn'), '{:name "mystery", :checker [:set "perf,stats"]}');
  assert.deepEqual(planFor({ path: run, file: join(run, 'history.edn'), runDir: run }, undefined, {}).spec?.checkers, ['set', 'perf', 'stats']);
});

test('looksIndependent: writes of [key value] pairs are keyed; plain writes (and cas pairs) are not', () => {
  const keyed = historyOf([
    { process: 0, type: 'invoke', f: 'write', value: [1, 5] },
    { process: 0, type: 'ok', f: 'write', value: [1, 5] },
  ]);
  const plain = historyOf([
    { process: 0, type: 'invoke', f: 'cas', value: [1, 5] },
    { process: 0, type: 'ok', f: 'cas', value: [1, 5] },
    { process: 0, type: 'invoke', f: 'write', value: 3 },
    { process: 0, type: 'ok', f: 'write', value: 3 },
  ]);
  assert.equal(looksIndependent(keyed), true);
  assert.equal(looksIndependent(plain), false);
});

test('cache: the key ignores workers and option order, changes with the history, checkers, options and code; entries round-trip', async () => {
  const k = cacheKey('aa', ['linearizable'], { model: 'cas-register', init: '0', workers: '2' }, 'v1');
  assert.equal(k, cacheKey('aa', ['linearizable'], { init: '0', model: 'cas-register', workers: '1' }, 'v1'));
  assert.notEqual(k, cacheKey('ab', ['linearizable'], { init: '0', model: 'cas-register' }, 'v1'));
  assert.notEqual(k, cacheKey('aa', ['linearizable', 'stats'], { init: '0', model: 'cas-register' }, 'v1'));
  assert.notEqual(k, cacheKey('aa', ['linearizable'], { init: '1', model: 'cas-register' }, 'v1'));
  assert.notEqual(k, cacheKey('aa', ['linearizable'], { init: '0', model: 'cas-register' }, 'v2'));
  const cache = new RecheckCache<{ verdict: string }>(tempDir('hindsight-cache-'));
  assert.equal(await cache.get(k), undefined);
  await cache.put(k, { verdict: 'valid' });
  assert.deepEqual(await cache.get(k), { verdict: 'valid' });
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x' }), '/x/hindsight/recheck');
  assert.match(defaultCacheDir({}), /\/\.cache\/hindsight\/recheck$/);
});

const row = (verdict: RecheckRow['verdict'], detail = ''): RecheckRow => ({
  path: 'p',
  file: 'p',
  ops: 1,
  checker: 'c',
  source: 'option',
  verdict,
  seconds: 0.5,
  cached: false,
  archived: null,
  agrees: null,
  detail,
  warnings: 0,
  check: null,
});

test('exit status: 3 (some not checked) over 1 (invalid) over 2 (unknown) over 0', () => {
  assert.equal(exitOfRows([row('valid'), row('valid')]), 0);
  assert.equal(exitOfRows([row('valid'), row('unknown')]), 2);
  assert.equal(exitOfRows([row('unknown'), row('invalid'), row('valid')]), 1);
  assert.equal(exitOfRows([row('invalid'), row('error'), row('unknown')]), 3);
});

test('CSV: fields with commas, quotes, line breaks or edge spaces are quoted, quotes doubled; one line per history', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField(' x'), '" x"');
  assert.equal(csvField(null), '');
  assert.equal(csvField(false), 'false');
  const csv = formatCsv([row('error', 'line one\n  line "two", end')]);
  assert.equal(csv, 'path,ops,checker,verdict,seconds,cached,archived,agrees,detail,warnings,file\np,1,c,error,0.5,false,,,"line one line ""two"", end",0,p\n');
});

test('recheck: a task past its deadline is stopped and comes back unknown (not cached)', { timeout: 120_000 }, async () => {
  // A history whose search outlasts any deadline: 26 concurrent writes of distinct values and a
  // read of a value nobody wrote, overlapping them all, so every subset of the writes is tried
  // (2^26 states) before the read is found impossible. A 1 ms deadline is certainly passed.
  const root = tempDir('hindsight-slow-');
  const run = join(root, 'store', 'cas-hard', '20260101T000000.000');
  mkdirSync(run, { recursive: true });
  const n = 26;
  const lines: string[] = [];
  for (let p = 0; p < n; p++) lines.push(`{:process ${p}, :type :invoke, :f :write, :value ${p + 1}}`);
  lines.push(`{:process ${n}, :type :invoke, :f :read, :value nil}`);
  for (let p = 0; p < n; p++) lines.push(`{:process ${p}, :type :ok, :f :write, :value ${p + 1}}`);
  lines.push(`{:process ${n}, :type :ok, :f :read, :value 999}`);
  writeFileSync(join(run, 'history.edn'), lines.join('\n') + '\n');
  writeFileSync(join(run, 'test.edn'), '{:name "cas-hard", :checkers [:linearizable], :checker-options {:model "cas-register", :init "0"}}\n');
  writeFileSync(join(run, 'results.edn'), '{:valid? false}\n');
  const plan = planFor({ path: run, file: join(run, 'history.edn'), runDir: run }, undefined, {});
  const cacheDir = tempDir('hindsight-cache-');
  const [late] = await recheck([plan], { workers: 1, cacheDir, hardLimitMs: 1 });
  assert.equal(late.verdict, 'unknown');
  assert.match(late.detail, /^stopped after [\d.]+ s: past the time budget \(--time-limit plus slack for reading\)$/);
  assert.equal(late.agrees, false); // the archived verdict was invalid
  // Not cached: the next run checks again (and is stopped again), rather than answering from the cache.
  const [again] = await recheck([plan], { workers: 1, cacheDir, hardLimitMs: 1 });
  assert.deepEqual([again.verdict, again.cached], ['unknown', false]);
});

test('progress: drawn on a terminal only, with the tally so far, and erased', () => {
  let text = '';
  const tty = { isTTY: true, columns: 100, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
  const p = batchProgress({ stream: tty });
  p.update(1, 2, 'valid');
  p.update(2, 2, 'error');
  p.clear();
  assert.equal(text.split('\r').filter((s) => s !== '').length, 3);
  assert.match(text, /\rrecheck \[#+\] 2\/2  1 valid, 0 invalid, 0 unknown, 1 errors\x1b\[K\r\x1b\[K$/);
  let piped = '';
  const pipe = { isTTY: false, write: (s: string) => ((piped += s), true) } as unknown as NodeJS.WriteStream;
  const q = batchProgress({ stream: pipe });
  q.update(1, 1, 'valid');
  q.clear();
  assert.equal(piped, '');
});

test('recheck: a cache that cannot be written warns once and changes no verdict', async () => {
  const root = mixedStores();
  const plans = ['cas-good', 'cas-bad'].map((name) => {
    const run = join(root, 'store', name, '20260101T000000.000');
    return planFor({ path: run, file: join(run, 'history.edn'), runDir: run }, undefined, {});
  });
  const notADir = join(root, 'loose', 'notes.txt');
  const warnings: string[] = [];
  const rows = await recheck(plans, { workers: 1, cacheDir: notADir, onWarning: (m) => warnings.push(m) });
  assert.deepEqual(rows.map((r) => [r.verdict, r.cached]), [['valid', false], ['invalid', false]]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /^cache: cannot write to .*notes\.txt: ENOTDIR/);
});

test('worker: a register run named by its workload is checked per key when its writes are [key value] pairs', async () => {
  const dir = tempDir('hindsight-recheck-keyed-');
  const file = join(dir, 'history.edn');
  writeFileSync(
    file,
    [
      '{:process 0, :type :invoke, :f :write, :value [1 5]}',
      '{:process 0, :type :ok, :f :write, :value [1 5]}',
      '{:process 1, :type :invoke, :f :read, :value [2 nil]}',
      '{:process 1, :type :ok, :f :read, :value [2 nil]}',
      '{:process 1, :type :invoke, :f :read, :value [1 nil]}',
      '{:process 1, :type :ok, :f :read, :value [1 4]}',
    ].join('\n') + '\n',
  );
  const spec = workloadSpec(parseEdn('{:name "etcd-register"}') as EdnMap)!.spec;
  const keyed = await recheckOne({ file, checkers: spec.checkers, options: { ...spec.options, workers: '1' }, guessIndependent: true });
  assert.deepEqual([keyed.ops, keyed.verdict, keyed.cacheable], [6, 'invalid', true]);
  assert.match(keyed.detail, /^not linearizable on key 1: process 1's read of \[1 4\] .*\(values are \[key value\] tuples: checked per key\)$/);
  assert.equal(findHistories([dir + '/'])[0].path, file);
});

test('runRecheck: nothing found exits 3 saying where it looked; a missing directory is a usage error', async () => {
  const empty = tempDir('hindsight-recheck-empty-');
  writeFileSync(join(empty, 'README.txt'), 'no histories here\n');
  const errors: string[] = [];
  const code = await runRecheck([empty], { out: empty, cache: false }, new Set(), () => assert.fail('printed a table'), (s) => errors.push(s));
  assert.equal(code, 3);
  assert.deepEqual(errors, [`hindsight: no histories found under ${empty}`]);
  await assert.rejects(runRecheck([join(empty, 'gone')], {}, new Set(), () => {}, () => {}), { name: 'UsageError', message: `${join(empty, 'gone')}: no such file or directory` });
});

test('a hindsight gen history decides its own checker from its header, and its promised verdict is the one to agree with', async () => {
  const dir = tempDir('hindsight-recheck-gen-');
  const file = join(dir, 'stale.edn');
  writeFileSync(
    file,
    '; hindsight-gen {:expected-valid? false, :anomaly :stale-read, :checker :linearizable, :checker-options {:model "register"}, :workload :register}\n' +
      '{:index 0, :type :invoke, :process 0, :f :write, :value 1}\n{:index 1, :type :ok, :process 0, :f :write, :value 1}\n' +
      '{:index 2, :type :invoke, :process 1, :f :read, :value nil}\n{:index 3, :type :ok, :process 1, :f :read, :value 0}\n',
  );
  const plan = planFor({ path: file, file }, undefined, { init: '0' });
  assert.deepEqual([plan.spec, plan.archived], [{ checkers: ['linearizable'], options: { model: 'register', init: '0' }, source: 'gen-header' }, 'invalid']);
  const [row] = await recheck([plan], { workers: 1 });
  assert.deepEqual([row.verdict, row.agrees, row.source], ['invalid', true, 'gen-header']);
  assert.equal(planFor({ path: file, file }, 'stats', {}).spec?.options.model, 'register'); // --checker keeps the header's options
  writeFileSync(file, '; a comment\n{:index 0, :type :invoke, :process 0, :f :read, :value nil}\n');
  assert.deepEqual(planFor({ path: file, file }, undefined, {}).spec, { checkers: [], options: {}, source: 'ops' });
});

test('checkCommand: the hindsight check line repeating a row, options as flags, shell-quoted', () => {
  assert.equal(
    checkCommand('store/a b/history.edn', ['linearizable'], { model: 'cas-register', init: '{:x 0}', independent: true, allKeys: false, maxStates: 50, workers: '1' }),
    "hindsight check 'store/a b/history.edn' --checker linearizable --independent --init '{:x 0}' --max-states 50 --model cas-register",
  );
  assert.equal(checkCommand('h.edn', ['bank', 'perf'], { accounts: [1, 2], init: "it's" }), "hindsight check h.edn --checker bank,perf --accounts 1,2 --init 'it'\\''s'");
});
