/** The bench report file: machine, settings and rows, as JSON; and reading one back for `--compare`. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, platform, arch, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchReport, BenchRow, MachineInfo } from './types.js';

/** The package root (where package.json and fixtures/ are), from sources or from dist/. */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

/** HEAD's short hash in `root`, or null outside a git checkout. */
function gitCommit(root: string): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    return head === '' ? null : head;
  } catch {
    return null;
  }
}

/** The machine a run measures on, as the report records it (load average, commit and the children's node flags included). */
export function machineInfo(root: string, childExecArgv: string[]): MachineInfo {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    totalMemGB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    loadAvg: loadavg().map((x) => Math.round(x * 100) / 100),
    node: process.version,
    platform: `${platform()} ${arch()}`,
    date: new Date().toISOString(),
    commit: gitCommit(root),
    childExecArgv,
  };
}

/** Reads a report written by an earlier run; throws an Error naming what is wrong. */
export function readReport(file: string): BenchReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = parsed as Partial<BenchReport> | null;
  if (r === null || typeof r !== 'object' || r.hindsightBench !== 1 || !Array.isArray(r.rows)) {
    throw new Error(`${file}: not a hindsight bench report (no "hindsightBench": 1 with "rows")`);
  }
  for (const row of r.rows as BenchRow[]) {
    if (typeof row?.checker !== 'string' || typeof row?.workload !== 'string') throw new Error(`${file}: a row without checker or workload`);
  }
  return r as BenchReport;
}
