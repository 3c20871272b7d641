/** `report --shrink`: a failing run's history shrunk beside it and linked from the report's verdict, then and in every later report. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixtureRuns, fixtureStore } from '../recheck/fixture-store.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

const RUN = '20260101T000000.000';
const LINK = '<p class="shrunk">The failure in 3 of its 299 ops, still not valid at op 491: <a href="history.min.edn">history.min.edn</a></p>';

test('report --shrink: Knossos cas-failure as a run gets history.min.edn (3 ops) and a report that links it; a later report links it still', async () => {
  const store = fixtureStore(tempDir('hindsight-shrink-store-'), fixtureRuns().filter((r) => /cas-failure|cas-register\/good\/memstress3-0/.test(r.history)));
  const bad = join(store, 'knossos--cas-register--bad--cas-failure.edn', RUN);
  const r = await runCli(['report', bad, '--check', '--shrink'], { analyzer: true });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`^shrunk linearizable's failure: 299 → 3 ops, still not valid at op 491 \\(\\d+ checks, \\d+\\.\\d s\\): ${bad.replace(/[.]/g, '\\.')}/history\\.min\\.edn\\n${bad.replace(/[.]/g, '\\.')}/report\\.html\\n$`));
  const min = readFileSync(join(bad, 'history.min.edn'), 'utf8');
  assert.match(min.split('\n')[0], /^; hindsight-shrink \{:original ".*\/history\.edn", :kept \{:valid\? false, :failing-op 491\}, :still "not valid at op 491", :check "--checker linearizable --init 0 --model cas-register", :ops-before 299, :ops-after 3, /);
  assert.ok(readFileSync(join(bad, 'report.html'), 'utf8').includes(LINK));
  const again = await runCli(['report', bad], { analyzer: true });
  assert.equal(again.code, 0, again.err);
  assert.ok(readFileSync(join(bad, 'report.html'), 'utf8').includes(LINK), 'a report made later links the shrunk history too');

  const good = join(store, 'knossos--cas-register--good--memstress3-0.edn', RUN);
  const v = await runCli(['report', good, '--check', '--shrink'], { analyzer: true });
  assert.equal(v.code, 0, v.err);
  assert.equal(v.out.split('\n')[0], `${good}: the history is valid: there is no failure to shrink toward`);
  assert.equal(existsSync(join(good, 'history.min.edn')), false);
  assert.ok(!readFileSync(join(good, 'report.html'), 'utf8').includes('class="shrunk"'));
});
