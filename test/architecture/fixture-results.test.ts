// Behaviour is held still across refactors: every fixture's results (verdict, top-level keys,
// a digest of the whole EDN) must equal the committed table. A deliberate change of results
// rewrites the table with `npx tsx scripts/fixture-results.ts --write` and says why in its commit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixtureResults } from '../support/fixture-results.js';

test('every fixture checks to the committed verdicts, keys and results', async () => {
  const want = JSON.parse(readFileSync('test/architecture/fixture-results.json', 'utf8')) as Record<string, unknown>;
  const got = await fixtureResults('fixtures');
  assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort());
  for (const name of Object.keys(want)) assert.deepEqual(got[name], want[name], name);
});
