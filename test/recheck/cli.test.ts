/** `hindsight recheck` end to end: the table, exit status, CSV/JSON files and the cache, through the CLI. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../support/tmp.js';
import { fixtureRuns, fixtureStore } from './fixture-store.js';
import { mixedStores, recheckCli, tableRows } from './helpers.js';

const RUN = '20260101T000000.000';
const TORN = (root: string): string => `${root}/store/torn/${RUN}/history.edn:2: malformed EDN: map has a key with no value (:value)`;

/** Rows without the time column (asserted apart: a duration, `cached` or `-`). */
const untimed = (rows: string[][]): string[][] => rows.map((r) => [...r.slice(0, 4), ...r.slice(5)]);

test('recheck: a directory of mixed stores gives the exact table, exit 3, the CSV and JSON; a second run hits the cache, --force does not', async () => {
  const root = mixedStores();
  const args = [root, '--out', join(root, 'out'), '--cache', join(root, 'cache')];
  const first = await recheckCli(args);
  assert.equal(first.code, 3, first.out + first.err);
  assert.equal(first.err, '');
  assert.match(first.out, /^path +ops +checker +verdict +time +agrees +detail\n/);
  const rows = tableRows(first.out, root);
  assert.deepEqual(untimed(rows), [
    // A loose history: its ops choose the checker (Knossos's immediate-failure, a bad register).
    ['loose/immediate-failure.edn', '4', 'linearizable --model cas-register', 'invalid', '-', "not linearizable: process 1's read of 3 (index 3) cannot be linearized (can't read 3 from register nil) (chosen from the ops: 1 :read op, 1 :write op (model cas-register))"],
    [`store/cas-bad/${RUN}`, '590', 'linearizable', 'invalid', 'no (was unknown)', "not linearizable: process 70's read of 0 (index 491) cannot be linearized (can't read 0 from register 2), after process 74's read of 0"],
    [`store/cas-good/${RUN}`, '634', 'linearizable', 'valid', 'yes', 'linearizable (231 ops)'],
    [`store/cas-slow/${RUN}`, '610', 'linearizable', 'unknown', '-', 'unknown: state limit of 50 configurations reached with 50 of 217 ok ops linearized'],
    [`store/postgres-list-append/${RUN}`, '8', 'list-append', 'invalid', 'yes', 'G-single-item; not consistent-view, repeatable-read'],
    [`store/torn/${RUN}`, '-', 'linearizable', 'error', '-', TORN(root)],
  ]);
  for (const r of rows) assert.match(r[4], /^\d+\.\d\d s$/);
  // The disagreements come first, before the totals.
  assert.match(first.out, new RegExp(`\\n\\n1 disagrees with the archived verdict:\\n  ${root}/store/cas-bad/${RUN.replace('.', '\\.')}: ours invalid, archived unknown\\n6 histories: 1 valid, 3 invalid, 1 unknown, 1 could not be checked; 0 from the cache; 2 agree and 1 disagrees with the archived verdict \\(\\d+\\.\\d s\\)\\n`));

  const csv = readFileSync(join(root, 'out', 'recheck.csv'), 'utf8').split('\n');
  assert.equal(csv.length, 8); // header, 6 rows, the final newline
  assert.equal(csv[0], 'path,ops,checker,verdict,seconds,cached,archived,agrees,detail,warnings,file');
  assert.equal(csv[7], '');
  const cols = (line: string): string[] => line.replace(/,[\d.]+,false,/, ',T,false,').split(',');
  assert.match(csv[1], new RegExp(`^${root}/loose/immediate-failure\\.edn,4,linearizable --model cas-register,invalid,[\\d.]+,false,,,"not linearizable: process 1's read of 3 \\(index 3\\) cannot be linearized \\(can't read 3 from register nil\\) \\(chosen from the ops: 1 :read op, 1 :write op \\(model cas-register\\)\\)",0,${root}/loose/immediate-failure\\.edn$`));
  assert.match(csv[2], new RegExp(`^${root}/store/cas-bad/${RUN.replace('.', '\\.')},590,linearizable,invalid,[\\d.]+,false,unknown,false,"not linearizable: process 70's read of 0 \\(index 491\\) cannot be linearized \\(can't read 0 from register 2\\), after process 74's read of 0",0,${root}/store/cas-bad/`));
  assert.deepEqual(cols(csv[3]).slice(1, 9), ['634', 'linearizable', 'valid', 'T', 'false', 'valid', 'true', 'linearizable (231 ops)']);
  assert.match(csv[5], /,8,list-append,invalid,[\d.]+,false,invalid,true,"G-single-item; not consistent-view, repeatable-read",0,/);
  assert.ok(csv[6].includes(`,,linearizable,error,`) && csv[6].includes(`,false,valid,,${TORN(root)},0,`), csv[6]);

  const json = JSON.parse(readFileSync(join(root, 'out', 'recheck.json'), 'utf8')) as {
    exit: number;
    totals: Record<string, number>;
    rows: { path: string; verdict: string; source: string | null; archived: string | null; agrees: boolean | null; check: string | null }[];
  };
  assert.deepEqual(
    json.rows.map((r) => r.check?.replace(root + '/', '')),
    [
      'hindsight check loose/immediate-failure.edn',
      ...['cas-bad', 'cas-good'].map((t) => `hindsight check store/${t}/${RUN}/history.edn --checker linearizable --init 0 --model cas-register`),
      `hindsight check store/cas-slow/${RUN}/history.edn --checker linearizable --init 0 --max-states 50 --model cas-register`,
      `hindsight check store/postgres-list-append/${RUN}/history.edn --checker list-append`,
      `hindsight check store/torn/${RUN}/history.edn --checker linearizable --init 0 --model cas-register`,
    ],
  );
  assert.equal(json.exit, 3);
  assert.deepEqual(json.totals, { histories: 6, valid: 1, invalid: 3, unknown: 1, error: 1, cached: 0, agree: 2, disagree: 1 });
  assert.deepEqual(
    json.rows.map((r) => [r.verdict, r.source, r.archived, r.agrees]),
    [
      ['invalid', 'ops', null, null],
      ['invalid', 'test.edn', 'unknown', false],
      ['valid', 'test.edn', 'valid', true],
      ['unknown', 'test.edn', null, null],
      ['invalid', 'workload', 'invalid', true],
      ['error', 'test.edn', 'valid', null],
    ],
  );

  const second = await recheckCli(args);
  assert.equal(second.code, 3, second.out + second.err);
  const again = tableRows(second.out, root);
  assert.deepEqual(untimed(again), untimed(rows));
  assert.deepEqual(again.map((r) => r[4]), ['cached', 'cached', 'cached', 'cached', 'cached', 'cached']);
  assert.match(second.out, /; 6 from the cache;/);

  // --force checks everything again; --only trims the table, not the files or the exit status.
  const forced = await recheckCli([...args, '--force', '--only', 'disagree,unknown']);
  assert.equal(forced.code, 3);
  const fresh = tableRows(forced.out, root);
  assert.deepEqual(untimed(fresh), [rows[1], rows[3], ['(4 other rows not shown: --only disagree,unknown; all are in the files)']].map((r) => (r.length > 1 ? untimed([r])[0] : r)));
  for (const r of fresh.slice(0, 2)) assert.match(r[4], /^\d+\.\d\d s$/);
  assert.match(forced.out, /; 0 from the cache;/);
  assert.equal(readFileSync(join(root, 'out', 'recheck.csv'), 'utf8').split('\n').length, 8);
});

test('recheck: exit 0 all valid, 1 any invalid, 2 unknown without invalid; --checker and its options apply to loose files', async () => {
  const root = mixedStores();
  const store = (name: string): string => join(root, 'store', name);
  const noCache = ['--no-cache', '--workers', '1', '--out', tempDir('hindsight-recheck-out-')];
  const [valid, invalid, unknown, loose, badChecker, outOfTime] = await Promise.all([
    recheckCli([store('cas-good'), ...noCache]),
    recheckCli([store('cas-good'), store('cas-bad'), store('cas-slow'), ...noCache]),
    recheckCli([store('cas-good'), store('cas-slow'), ...noCache]),
    recheckCli([join(root, 'loose'), '--checker', 'linearizable', '--init', '0', ...noCache, '--json']),
    recheckCli([root, '--checker', 'linearizable,nope', ...noCache]),
    // --time-limit reaches the checker: Elle's cycle search has no time at all.
    recheckCli([store('postgres-list-append'), '--time-limit', '0.000001', ...noCache]),
  ]);
  assert.equal(valid.code, 0, valid.out + valid.err);
  assert.equal(invalid.code, 1, invalid.out + invalid.err);
  assert.equal(unknown.code, 2, unknown.out + unknown.err);
  assert.equal(loose.code, 1, loose.out + loose.err);
  const report = JSON.parse(loose.out) as { rows: { path: string; ops: number; checker: string; source: string; verdict: string; detail: string }[] };
  assert.deepEqual(
    report.rows.map((r) => [r.path.replace(root + '/', ''), r.ops, r.checker, r.source, r.verdict, r.detail]),
    [['loose/immediate-failure.edn', 4, 'linearizable', 'option', 'invalid', "not linearizable: process 1's read of 3 (index 3) cannot be linearized (can't read 3 from register 0)"]],
  );
  assert.equal(outOfTime.code, 2, outOfTime.out + outOfTime.err);
  assert.deepEqual(untimed(tableRows(outOfTime.out, root)), [
    [`store/postgres-list-append/${RUN}`, '8', 'list-append', 'unknown', 'no (was invalid)', 'no anomaly found; search budget spent for G-single-item, G-single-item-process, G-single-item-realtime, G-nonadjacent-item, G-nonadjacent-item-process, G-nonadjacent-item-realtime, G2-item, G2-item-process, G2-item-realtime'],
  ]);
  assert.equal(badChecker.code, 3);
  assert.match(badChecker.err, /^hindsight: unknown checker nope; known: bank, /);
});

test('recheck: every fixture reaches the verdict its source publishes (fixtures/ as a store, results.edn from MANIFEST.md)', async () => {
  const store = fixtureStore(tempDir('hindsight-fixture-store-'));
  const r = await recheckCli([store, '--no-cache', '--json', '--out', store]);
  const report = JSON.parse(r.out) as { totals: Record<string, number>; rows: { path: string; verdict: string; archived: string | null; agrees: boolean | null }[] };
  const published = fixtureRuns().filter((f) => f.valid !== undefined).length;
  assert.equal(report.rows.length, fixtureRuns().length);
  const disagreeing = report.rows.filter((row) => row.archived !== null && row.agrees !== true).map((row) => `${row.path}: ${row.verdict}, published ${row.archived}`);
  // Only where MANIFEST.md documents a difference, and with exactly that verdict.
  const documented = fixtureRuns()
    .filter((f) => f.ours !== undefined)
    .map((f) => `${join(store, f.history.replace(/^fixtures\//, '').replace(/\//g, '--'), '20260101T000000.000')}: ${f.ours}, published ${String(f.valid ? 'valid' : 'invalid')}`);
  assert.equal(documented.length, 4);
  assert.deepEqual(disagreeing.sort(), documented.sort());
  assert.equal(report.totals.agree, published - documented.length);
  assert.equal(r.code, 1);
});
