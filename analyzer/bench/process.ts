/**
 * The one way the benchmarks measure in a fresh process: fork a node child with the right
 * flags, hand it one JSON argument, hear its progress and its report over IPC, bound it by a
 * deadline, and read its peak resident set. `hindsight bench` (measure.ts, child.ts) and the
 * `npm run bench:*` scripts (bench/) both measure through here.
 *
 * A fresh process per measurement is what makes the memory figure honest: `maxRSS` is the
 * peak of that process alone, so nothing an earlier measurement allocated (or a heap that
 * never shrank) counts, and worker threads (piscina's live in the same process) do count.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';

/**
 * The node flags for a child running `file`: tsx's loader if `file` is TypeScript and the
 * parent loads none (so it works under tsx and from dist/), the parent's own flags minus the
 * test runner's (they would make the child a test run), then `extra`, then a heap ceiling of
 * half the machine's memory (at most 16 GB) unless a flag already sets one, so that a large
 * case fails only if the machine runs out, not at V8's default limit.
 */
export function childExecArgv(file: string, o: { parent?: readonly string[]; extra?: readonly string[] } = {}): string[] {
  const own = (o.parent ?? process.execArgv).filter((a) => !a.startsWith('--test'));
  const loader = /\.[cm]?ts$/.test(file) && !own.some((a) => a.includes('tsx')) ? ['--import', 'tsx'] : [];
  const out = [...loader, ...own, ...(o.extra ?? [])];
  if (!out.some((a) => a.startsWith('--max-old-space-size'))) {
    out.push(`--max-old-space-size=${Math.min(16384, Math.floor(totalmem() / 1024 / 1024 / 2))}`);
  }
  return out;
}

/** This process's peak resident set so far, MB (worker threads included). */
export function peakRssMB(): number {
  // resourceUsage().maxRSS is in kilobytes.
  return process.resourceUsage().maxRSS / 1024;
}

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

/** How a measured child ended. */
export type ChildOutcome<R> =
  /** It reported. */
  | { kind: 'report'; report: R }
  /** It caught an error of its own (or could not be started), and says which. */
  | { kind: 'error'; error: string }
  /** The deadline killed it: `why` as given with the deadline; its peak RSS read just before. */
  | { kind: 'killed'; why: string; peakRssMB: number | undefined }
  /** It died without reporting: `detail` says how (out of memory, a signal, an exit code and its last stderr line). */
  | { kind: 'died'; detail: string; outOfMemory: boolean };

/** Why a child gave no report, in a few words for a table cell; undefined if it reported. */
export function failureOf(o: ChildOutcome<unknown>): string | undefined {
  switch (o.kind) {
    case 'report':
      return undefined;
    case 'error':
      return `error: ${o.error}`;
    case 'killed':
      return o.why;
    case 'died':
      return o.detail;
  }
}

/** The deadline a child runs under: seconds from now, and what the row says if it is killed. */
export interface Deadline {
  seconds: number;
  why: string;
}

/** How runMeasuredChild starts, bounds and listens to a child. */
export interface MeasuredChildOptions {
  /** Node flags (childExecArgv). */
  execArgv: readonly string[];
  /** The first deadline, from the start. */
  deadline: Deadline;
  /** Each progress message the child sends; `restart` replaces the deadline (e.g. once the timed part begins). */
  onProgress?: (progress: unknown, restart: (d: Deadline) => void) => void;
  /** Also copy the child's stderr to this process's (scripts: warnings stay visible). */
  echoStderr?: boolean;
}

type ChildMessage = { progress: unknown } | { report: unknown } | { error: string };

/**
 * Forks `file` with `arg` as JSON in argv[2] (the child answers with serveMeasuredChild) and
 * resolves with how it ended. Never rejects: failures are outcomes.
 */
export function runMeasuredChild<R>(file: string, arg: unknown, o: MeasuredChildOptions): Promise<ChildOutcome<R>> {
  return new Promise((resolve) => {
    const child = fork(file, [JSON.stringify(arg)], { execArgv: [...o.execArgv], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      if (o.echoStderr === true) process.stderr.write(d);
      stderr = (stderr + d.toString()).slice(-4000);
    });
    let heard: ChildOutcome<R> | undefined;
    let killed: { why: string; peakRssMB: number | undefined } | undefined;
    let timer: NodeJS.Timeout | undefined;
    const arm = (d: Deadline): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        killed = { why: d.why, peakRssMB: peakRssOfPid(child.pid) };
        child.kill('SIGKILL');
      }, d.seconds * 1000);
    };
    arm(o.deadline);
    child.on('message', (m: ChildMessage) => {
      if ('progress' in m) o.onProgress?.(m.progress, arm);
      else if ('report' in m) heard ??= { kind: 'report', report: m.report as R };
      else heard ??= { kind: 'error', error: m.error };
    });
    child.on('error', (e) => {
      heard ??= { kind: 'error', error: `cannot start the child: ${e.message}` };
      // A child that never started has no exit to wait for.
      if (child.pid === undefined) {
        clearTimeout(timer);
        resolve(heard);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (killed !== undefined && heard === undefined) return resolve({ kind: 'killed', ...killed });
      if (heard !== undefined) return resolve(heard);
      const last = stderr.trim().split('\n').filter((l) => l.trim() !== '').slice(-1)[0] ?? '';
      const outOfMemory = /heap out of memory|Allocation failed/.test(stderr);
      const how = signal !== null ? `signal ${signal}` : `exit ${String(code)}`;
      resolve({ kind: 'died', outOfMemory, detail: outOfMemory ? `out of memory (${how})` : `child died (${how})${last ? `: ${last}` : ''}` });
    });
  });
}

/** True in a process that runMeasuredChild started (an IPC channel and a JSON argument). */
export function isMeasuredChild(): boolean {
  return process.send !== undefined && process.argv[2]?.startsWith('{') === true;
}

/**
 * The child's side: runs `measure` on the JSON argument, sends its progress messages and its
 * report (or the message of what it threw) to the parent, then exits 0 (checkers' thread pools
 * may linger; the measurement is done). A parent that dies takes the measurement with it.
 */
export async function serveMeasuredChild<A, R>(measure: (arg: A, progress: (p: unknown) => void) => Promise<R>): Promise<never> {
  process.on('disconnect', () => process.exit(1));
  const send = (msg: ChildMessage): Promise<void> => new Promise((resolve) => process.send?.(msg, () => resolve()) ?? resolve());
  try {
    const arg = JSON.parse(process.argv[2] ?? '') as A;
    await send({ report: await measure(arg, (p) => void send({ progress: p })) });
  } catch (e) {
    await send({ error: e instanceof Error ? e.message : String(e) });
  }
  process.exit(0);
}
