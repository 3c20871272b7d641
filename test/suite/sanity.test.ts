/** The bundled suites through the whole CLI: `suite sanity` passes, `suite bugs` catches every bug. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import { EdnMap, Keyword } from '../../analyzer/edn/values.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

/** The one suite.edn under `<store>/suites/<name>/`. */
function summary(store: string, name: string): EdnMap {
  const runs = readdirSync(join(store, 'suites', name));
  assert.equal(runs.length, 1, runs.join(' '));
  const v = parseEdn(readFileSync(join(store, 'suites', name, runs[0], 'suite.edn'), 'utf8'));
  assert.ok(v instanceof EdnMap);
  return v;
}

const word = (v: unknown): string => (v instanceof Keyword ? v.name : String(v));

test('suite sanity: every workload of the embedded database under faults, all valid, exit 0', async () => {
  const store = tempDir('hindsight-suite-');
  const r = await runCli(['suite', 'sanity', '--store', store]);
  assert.equal(r.code, 0, r.out + r.err);
  const s = summary(store, 'sanity');
  assert.equal(s.kw('as-expected?'), true);
  const counts = s.kw('counts') as EdnMap;
  assert.equal(counts.kw('runs'), 12);
  assert.equal(counts.kw('as-expected'), 12);
  assert.equal(counts.kw('unexpected'), 0);
  assert.equal(counts.kw('valid'), 12);
  const runs = s.kw('runs') as EdnMap[];
  const workloads = new Set(runs.map((x) => String(x.kw('test')).replace(/-(none|partition|kill\+pause)$/, '')));
  assert.deepEqual([...workloads].sort(), ['list-append', 'register', 'rw-register', 'set']);
  for (const run of runs) {
    assert.equal(word(run.kw('actual')), 'valid', String(run.kw('test')));
    assert.ok(existsSync(join(store, String(run.kw('dir')), 'history.edn')), String(run.kw('dir')));
    assert.ok(Number(run.kw('ops')) > 0);
  }
  assert.match(r.out, /^12 runs: 12 as expected, 0 not/m);
  assert.match(r.out, /^budget: [\d.]+ s of 120 s/m);
});

test('suite bugs: every bug of the embedded database is caught (each expected invalid verdict, by test name)', async () => {
  const store = tempDir('hindsight-suite-');
  const r = await runCli(['suite', 'bugs', '--store', store]);
  assert.equal(r.code, 0, r.out + r.err);
  const runs = summary(store, 'bugs').kw('runs') as EdnMap[];
  const verdicts = Object.fromEntries(runs.map((x) => [String(x.kw('test')), `${word(x.kw('expected'))}/${word(x.kw('actual'))}`]));
  assert.deepEqual(verdicts, {
    'stale-read-register': 'invalid/invalid',
    'stale-read-set': 'invalid/invalid',
    'lost-write-register': 'invalid/invalid',
    'lost-write-set': 'invalid/invalid',
    'non-atomic-txn-list-append': 'invalid/invalid',
    'lost-update-rw-register': 'invalid/invalid',
    'read-committed-rw-register': 'invalid/invalid',
    'read-committed-list-append': 'invalid/invalid',
  });
  // Every bug the embedded database has is in the suite.
  const { BUGS } = await import('../../recorder/memory/cluster.js');
  const bugs = new Set(Object.keys(verdicts).map((t) => Object.keys(BUGS).find((b) => t.startsWith(b))));
  assert.deepEqual([...bugs].sort(), Object.keys(BUGS).sort());
});
