/**
 * `npm run fuzz [-- CASES [SEED]]`: the fuzz property of test/history/fuzz.test.ts over many
 * more cases (default 10 000), printing a summary of exit statuses and the first failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { fuzzCase, runFuzzCase } from '../test/support/fuzz.js';

const cases = Number(process.argv[2] ?? 10_000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
const dir = mkdtempSync(join(tmpdir(), 'hindsight-fuzz-'));
const started = Date.now();
let n = 0;
try {
  console.log(`fuzz: ${cases} cases, seed ${seed}`);
  const r = await fc.check(
    fc.asyncProperty(fuzzCase, async (c) => {
      const problem = await runFuzzCase(c, join(dir, `case-${n++ % 50}`));
      if (n % 1000 === 0) console.log(`fuzz: ${n} cases, ${((Date.now() - started) / 1000).toFixed(0)} s`);
      if (problem !== undefined) throw new Error(problem);
    }),
    { numRuns: cases, seed },
  );
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.failed) {
    console.log(fc.defaultReportMessage(r));
    console.log(`fuzz: FAILED after ${r.numRuns} cases, ${secs} s (replay: npm run fuzz -- ${cases} ${seed})`);
    process.exitCode = 1;
  } else {
    console.log(`fuzz: ${r.numRuns} cases passed in ${secs} s (seed ${seed})`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

