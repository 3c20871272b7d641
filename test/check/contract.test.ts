/** What the checker contract answers, so no consumer guesses: fit, attribution, files, words. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CheckerRegistry, matchesWrite } from '../../analyzer/check/registry.js';
import { describeResult } from '../../analyzer/check/compose.js';
import { UNKNOWN, UsageError, type Checker } from '../../analyzer/check/checker.js';
import { check } from '../../analyzer/index.js';
import { registry } from '../../analyzer/checkers/registry.js';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import { printEdn } from '../../analyzer/edn/print.js';
import type { EdnRecord } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import { readHistory } from '../../analyzer/history/read.js';
import { toRecord } from '../../analyzer/report/verdict.js';

const KV = 'fixtures/porcupine-kv/c01-ok.txt';

test('a checker named for ops it does not judge is refused with what the history holds and what fits', async () => {
  const h = await readHistory(KV);
  await assert.rejects(check(h, ['set-full']), {
    name: 'UsageError',
    message: `${KV}: set-full judges :add, :read ops, and this history's client ops are :append ×62, :get ×50, :put ×4; these ops call for --checker linearizable --model kv`,
  });
  // One misfit among several checkers stops the run too: no verdict on nothing.
  await assert.rejects(check(h, ['stats', 'unique-ids']), /unique-ids judges :generate ops/);
  // Checkers that take any ops, and the one the ops call for, run.
  assert.equal((await check(h, ['stats', 'perf'])) ['valid?'], true);
});

test('no client ops, or ops without :f, are not a misfit: the checker says it judged nothing', async () => {
  const nemesisOnly = historyOf([{ process: 'nemesis', type: 'info', f: 'start', value: null }]);
  for (const name of ['set-full', 'bank', 'sequential', 'unique-ids']) assert.equal((await check(nemesisOnly, [name]))['valid?'], UNKNOWN, name);
  // Elle's own histories have no :f: list-append still judges them.
  const bare = historyOf([{ process: 0, type: 'invoke', value: [['append', 'x', 1]] as never }, { process: 0, type: 'ok', value: [['append', 'x', 1]] as never }]);
  assert.notEqual((await check(bare, ['list-append']))['valid?'], undefined);
});

test('a lone saved result is attributed by the checker that recognises it; rw-register is no longer called list-append', async () => {
  const reread = (r: unknown): EdnRecord => toRecord(parseEdn(printEdn(r as never))) as EdnRecord;
  const rw = await check(await readHistory('fixtures/elle-tests/rw-register/' + (await firstFixture('fixtures/elle-tests/rw-register', false))), ['rw-register']);
  assert.equal(registry.recognize(reread(rw)), 'rw-register');
  const la = await check(await readHistory('fixtures/elle-tests/list-append/' + (await firstFixture('fixtures/elle-tests/list-append', false))), ['list-append']);
  assert.equal(registry.recognize(reread(la)), 'list-append');
  const lin = await check(await readHistory('fixtures/knossos/cas-register/bad/cas-failure.edn'), ['linearizable'], { model: 'cas-register', init: '0', workers: 1 });
  assert.equal(registry.recognize(reread(lin)), 'linearizable');
  assert.equal(registry.recognize({ 'valid?': true, 'no-such-key': 1 }), undefined);
});

async function firstFixture(dir: string, valid: boolean): Promise<string> {
  const { readdirSync } = await import('node:fs');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.edn')).sort()) {
    const h = await readHistory(`${dir}/${f}`);
    const r = await check(h, [dir.endsWith('rw-register') ? 'rw-register' : 'list-append']);
    if (r['valid?'] === valid) return f;
  }
  throw new Error(`no ${valid} fixture in ${dir}`);
}

test('files belong to the checker that declares writing them', () => {
  assert.equal(registry.ownerOf('linear.svg', ['perf', 'linearizable']), 'linearizable');
  assert.equal(registry.ownerOf('elle/G-single-item-1.svg', ['rw-register']), 'rw-register');
  assert.equal(registry.ownerOf('rate.svg', ['perf']), 'perf');
  assert.equal(registry.ownerOf('rate.svg', ['linearizable']), undefined);
  assert.equal(registry.ownerOf('elle/sub/x.svg', ['list-append']), undefined);
  assert.equal(matchesWrite('elle/*.svg', 'elle/a.b.svg'), true);
  assert.equal(matchesWrite('elle/*.svg', 'elleXa.svg'), false);
});

test('a registry refuses two checkers of one name and an unshared flag two define', () => {
  const toy = (name: string, flags: string[] = [], shared = false): Checker<never> => ({
    name, summary: name, options: flags.map((f) => ({ flags: f, description: f, shared })), check: () => ({ 'valid?': true }),
  });
  assert.throws(() => new CheckerRegistry([toy('a'), toy('a')]), { message: 'two checkers are named a' });
  assert.throws(() => new CheckerRegistry([toy('a', ['--depth <n>']), toy('b', ['--depth <n>'])]), /--depth is defined by a, b without being declared shared by each/);
  assert.equal(new CheckerRegistry([toy('a', ['--depth <n>'], true), toy('b', ['--depth <n>'], true)]).flags(new Set()).length, 1);
  assert.throws(() => registry.resolve('nope'), UsageError);
});

test('one line for a result: an unknown result says why, and a describe that throws gives the verdict word', () => {
  const perf = registry.named('perf')!;
  assert.equal(describeResult(perf, { 'valid?': UNKNOWN, error: 'no client operation to measure' }), 'no client operation to measure');
  assert.equal(describeResult(perf, { 'valid?': true }), 'valid');
  assert.deepEqual(registry.words('set', { 'valid?': false, 'acknowledged-count': 2, 'lost-count': 1, lost: '#{2}' }), { sentence: '1 of 2 acknowledged adds lost (#{2})' });
});

test('the report knows no checker by name: it asks the registry', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const names = [...registry.byName.keys()];
  for (const f of readdirSync('analyzer/report').filter((n) => n.endsWith('.ts'))) {
    const code = readFileSync(`analyzer/report/${f}`, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    for (const n of names) {
      // 'timeline' is also the page's element id, passed as `id: 'timeline'`.
      const uses = [...code.matchAll(new RegExp(`['"\`]${n}['"\`]`, 'g'))].filter((m) => !(n === 'timeline' && /id: $/.test(code.slice(0, m.index))));
      assert.equal(uses.length, 0, `analyzer/report/${f} names the checker ${n}`);
    }
  }
});

test('an option given as a string is parsed by the checker, as the CLI parses it (bank judged 100 !== "100" wrong)', async () => {
  const { EdnMap, kw } = await import('../../analyzer/edn/values.js');
  const h = historyOf([
    { type: 'invoke', process: 0, f: kw('read'), value: null },
    { type: 'ok', process: 0, f: kw('read'), value: new EdnMap([0, 1], [60, 40]) },
  ]);
  assert.equal((await check(h, ['bank'], { totalAmount: '100', accounts: '0,1' }))['valid?'], true);
  assert.equal((await check(h, ['bank'], { totalAmount: 100, accounts: [0, 1] }))['valid?'], true);
  assert.equal((await check(h, ['bank'], { totalAmount: '90' }))['valid?'], false);
  await assert.rejects(check(h, ['bank'], { totalAmount: 'lots' }), new UsageError('--total-amount wants a number, got "lots"'));
});

test('on a reference history, a string option gives the result its parsed value gives (perf on Knossos cas-failure)', async () => {
  const h = await readHistory('fixtures/knossos/cas-register/bad/cas-failure.edn');
  const parsed = await check(h, ['perf'], { perfBucket: 0.5 });
  assert.deepEqual(await check(h, ['perf'], { perfBucket: '0.5' }), parsed);
  assert.notDeepEqual(await check(h, ['perf'], { perfBucket: '5' }), parsed);
  await assert.rejects(check(h, ['perf'], { perfBucket: 'soon' }), new UsageError('--perf-bucket must be a positive number of seconds, got soon'));
});
