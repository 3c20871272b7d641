#!/usr/bin/env node
// Runs every test/**/*.test.ts through node:test with tsx, naming the files explicitly
// (a bare `--test` on Node 20 can find none and still exit 0), and fails if no test ran.
// Usage: node scripts/run-tests.mjs [substring...]   (only files whose path contains one)
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
// A file of this run's own, so runs side by side cannot read each other's counts.
const tap = join(tmpdir(), `hindsight-tests-${process.pid}-${Date.now()}.tap`);
rmSync(tap, { force: true });
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
  { stdio: 'inherit', env: { ...process.env, HINDSIGHT_TEST: '1' } },
);
let tests = 0;
try {
  const m = /^# tests (\d+)/m.exec(readFileSync(tap, 'utf8'));
  tests = m ? Number(m[1]) : 0;
} catch {
  tests = 0;
}
rmSync(tap, { force: true });
if (r.status === 0 && tests === 0) {
  console.error('run-tests: the runner found no tests');
  process.exit(1);
}
process.exit(r.status ?? 1);
