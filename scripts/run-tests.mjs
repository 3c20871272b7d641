#!/usr/bin/env node
// Runs every test/**/*.test.ts through node:test with tsx, naming the files explicitly
// (a bare `--test` on Node 20 can find none and still exit 0), and fails if no test ran.
// Usage: node scripts/run-tests.mjs [substring...]   (only files whose path contains one)
// Property tests without a seed of their own use HINDSIGHT_SEED (drawn here when unset, printed
// first and last, so a failing run can be replayed); the ten slowest tests are printed at the end.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomInt } from 'node:crypto';
import { join, relative } from 'node:path';

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = walk('test').sort().filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error('run-tests: no test files found under test/');
  process.exit(1);
}
const given = process.env.HINDSIGHT_SEED;
const seed = given !== undefined && /^-?\d+$/.test(given) ? Number(given) : randomInt(0, 2 ** 31 - 1);
const replay = `property tests seeded with HINDSIGHT_SEED=${seed} (replay: HINDSIGHT_SEED=${seed} npm test)`;
console.log(`run-tests: ${files.length} files; ${replay}`);

// A file of this run's own, so runs side by side cannot read each other's counts.
const summaryFile = join(tmpdir(), `hindsight-tests-${process.pid}-${Date.now()}.json`);
rmSync(summaryFile, { force: true });
const started = Date.now();
const r = spawnSync(
  process.execPath,
  [
    '--import', 'tsx',
    '--import', './test/support/property-seed.ts',
    '--test',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/test-summary-reporter.mjs', `--test-reporter-destination=${summaryFile}`,
    ...files,
  ],
  { stdio: 'inherit', env: { ...process.env, HINDSIGHT_TEST: '1', HINDSIGHT_SEED: String(seed) } },
);
const seconds = (Date.now() - started) / 1000;
let summary = { tests: 0, failed: 0, skipped: 0, durations: [] };
try {
  summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
} catch {
  // No summary: the runner died before reporting; its status says so below.
}
rmSync(summaryFile, { force: true });

const slowest = [...summary.durations].sort((a, b) => b.ms - a.ms).slice(0, 10);
console.log(`\nrun-tests: the ${slowest.length} slowest tests`);
for (const t of slowest) console.log(`${(t.ms / 1000).toFixed(2).padStart(8)} s  ${relative(process.cwd(), t.file) || '?'}: ${t.name}`);
console.log(`run-tests: ${summary.tests} tests in ${files.length} files, ${seconds.toFixed(0)} s; ${replay}`);
// The plain closing line CI reads: "N passed, N failed, N skipped".
const passed = summary.tests - summary.failed - summary.skipped;
console.log(`tests: ${passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
if (r.status === 0 && summary.tests === 0) {
  console.error('run-tests: the runner found no tests');
  process.exit(1);
}
process.exit(r.status ?? 1);
