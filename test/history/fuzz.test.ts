/**
 * Mutated foreign fixtures never crash the reader, never print a stack or a multi-line message,
 * and under --strict never get a verdict when an independent parser rejects them (see
 * test/support/fuzz.ts). A few hundred cases here, seeded by HINDSIGHT_SEED; `npm run fuzz`
 * runs 10 000.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { FUZZ_SEEDS, checkFile, fuzzCase, independentlyValid, runFuzzCase, seedBytes } from '../support/fuzz.js';
import { tempDir } from '../support/tmp.js';

const dir = tempDir('hindsight-fuzz-');

test('the unmutated seeds read and check, and the independent parsers accept them', async () => {
  for (const [i, s] of FUZZ_SEEDS.entries()) {
    assert.notEqual(independentlyValid(seedBytes(s), s.format), false, s.file);
    const f = join(dir, `seed-${i}`);
    const r = await runFuzzCase({ seed: i, edits: [] }, f);
    assert.equal(r, undefined, r);
    const run = await checkFile(f, { ...s.options, strict: true });
    assert.ok(run.code === 0 || run.code === 1, `${s.file}: exit ${run.code} ${run.err.join(' | ')}`);
  }
});

test('300 mutated fixtures: exit 0-3, one-line messages naming file and line, no verdict on what --strict must refuse', async () => {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(fuzzCase, async (c) => {
      const problem = await runFuzzCase(c, join(dir, `case-${n++}`));
      assert.equal(problem, undefined, problem);
    }),
    { numRuns: 300 },
  );
});
