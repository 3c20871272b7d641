/**
 * Runs one case in a fresh child process (child.ts) and turns what it reports into a row.
 *
 * The child is `node` with this process's own flags (so it works under tsx and from dist/),
 * plus a larger heap ceiling so that million-op cases fail only if the machine runs out, not
 * V8's default limit. A checker that overruns its `--time-limit` by far (the budget is
 * checked between steps; one step can be long) is killed: the row says unknown.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { workerModule } from '../util/workers.js';
import type { BenchCase, BenchRow, ChildReport } from './types.js';

/** The node flags for the measuring child. */
export function childExecArgv(parent: readonly string[] = process.execArgv): string[] {
  const { filename, execArgv: loader } = workerModule(import.meta.url, 'child');
  // The test runner's own flags would make the child a test run.
  const own = parent.filter((a) => !a.startsWith('--test'));
  const out = filename.endsWith('.ts') && !own.some((a) => a.includes('tsx')) ? [...loader, ...own] : [...own];
  if (!out.some((a) => a.startsWith('--max-old-space-size'))) {
    out.push(`--max-old-space-size=${Math.min(16384, Math.floor(totalmem() / 1024 / 1024 / 2))}`);
  }
  return out;
}

/** Seconds a check may run before it is killed: the budget, with slack for a long last step. */
export function hardLimitSeconds(timeLimit: number): number {
  return Math.max(2 * timeLimit, timeLimit + 30);
}

/** Generation or reading: generous, since it is not what is measured. */
const PREP_LIMIT_S = 30 * 60;

type ChildMessage = { phase: 'check'; prepMs: number; ops: number; concurrency: number } | { report: ChildReport } | { error: string };

/** Peak resident set of a live process, MB, from Linux's /proc (VmHWM); undefined elsewhere. */
export function peakRssOfPid(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? undefined : Number(m[1]) / 1024;
  } catch {
    return undefined;
  }
}

const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** A child killed while checking: what is known of it (its time is a floor, not a measurement). */
export interface Killed {
  verdict: 'unknown';
  detail: string;
  partial: Pick<ChildReport, 'ops' | 'concurrency' | 'prepMs' | 'checkMs'> & { peakRssMB?: number };
}

export function rowOf(c: BenchCase, outcome: { report: ChildReport } | { verdict: 'unknown' | 'error'; detail: string } | Killed): BenchRow {
  const gen = c.source.kind === 'gen' ? c.source.gen : undefined;
  const base = {
    checker: c.checker,
    workload: c.workload,
    source: c.source.kind,
    keys: gen?.keys ?? null,
    expected: c.expected ?? null,
  };
  if ('partial' in outcome) {
    const p = outcome.partial;
    return {
      ...base,
      ops: p.ops,
      concurrency: p.concurrency,
      prepMs: round(p.prepMs),
      timeMs: round(p.checkMs),
      opsPerSec: null,
      peakRssMB: p.peakRssMB === undefined ? null : round(p.peakRssMB),
      rssBeforeCheckMB: null,
      verdict: 'unknown',
      detail: outcome.detail,
    };
  }
  if (!('report' in outcome)) {
    return {
      ...base,
      ops: gen?.ops ?? null,
      concurrency: gen?.concurrency ?? null,
      prepMs: null,
      timeMs: null,
      opsPerSec: null,
      peakRssMB: null,
      rssBeforeCheckMB: null,
      verdict: outcome.verdict,
      detail: outcome.detail,
    };
  }
  const r = outcome.report;
  return {
    ...base,
    ops: r.ops,
    concurrency: r.concurrency,
    prepMs: round(r.prepMs),
    timeMs: round(r.checkMs),
    opsPerSec: r.checkMs > 0 ? Math.round((r.ops / r.checkMs) * 1000) : null,
    peakRssMB: round(r.peakRssMB),
    rssBeforeCheckMB: round(r.rssBeforeCheckMB),
    verdict: r.verdict,
    detail: r.detail,
  };
}

/** Measures one case in a child process. Never throws: failures become rows. */
export function measureInChild(c: BenchCase, execArgv: string[] = childExecArgv()): Promise<BenchRow> {
  const file = fileURLToPath(workerModule(import.meta.url, 'child').filename);
  const timeLimit = Number(c.options.timeLimit ?? 60);
  return new Promise((resolve) => {
    const child = fork(file, [JSON.stringify(c)], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    let settled: BenchRow | undefined;
    let killedFor: string | undefined;
    let checking: { prepMs: number; ops: number; concurrency: number; at: number } | undefined;
    let peakAtKill: number | undefined;
    const settle = (row: BenchRow): void => {
      settled ??= row;
    };
    const kill = (why: string): void => {
      killedFor = why;
      peakAtKill = peakRssOfPid(child.pid);
      child.kill('SIGKILL');
    };
    let timer = setTimeout(() => kill(`killed: still making the history after ${PREP_LIMIT_S} s`), PREP_LIMIT_S * 1000);
    child.on('message', (m: ChildMessage) => {
      if ('phase' in m) {
        checking = { prepMs: m.prepMs, ops: m.ops, concurrency: m.concurrency, at: performance.now() };
        clearTimeout(timer);
        const hard = hardLimitSeconds(timeLimit);
        timer = setTimeout(() => kill(`killed after ${hard} s (time limit ${timeLimit} s)`), hard * 1000);
      } else if ('report' in m) settle(rowOf(c, m));
      else settle(rowOf(c, { verdict: 'error', detail: m.error }));
    });
    child.on('error', (e) => settle(rowOf(c, { verdict: 'error', detail: `cannot start the child: ${e.message}` })));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (killedFor !== undefined && settled === undefined) {
        if (checking === undefined) return resolve(rowOf(c, { verdict: 'unknown', detail: killedFor }));
        const { at, ...known } = checking;
        return resolve(rowOf(c, { verdict: 'unknown', detail: killedFor, partial: { ...known, checkMs: performance.now() - at, peakRssMB: peakAtKill } }));
      }
      if (settled !== undefined) return resolve(settled);
      const last = stderr.trim().split('\n').filter((l) => l.trim() !== '').slice(-1)[0] ?? '';
      const oom = /heap out of memory|Allocation failed/.test(stderr);
      const how = signal !== null ? `signal ${signal}` : `exit ${String(code)}`;
      resolve(rowOf(c, { verdict: 'error', detail: oom ? `out of memory (${how})` : `child died (${how})${last ? `: ${last}` : ''}` }));
    });
  });
}
