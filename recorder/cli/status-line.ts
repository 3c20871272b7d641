/**
 * `hindsight record`'s live status line and closing summary. The line is the report's phase line
 * (analyzer/report/phases.ts: a terminal only, never with --quiet, erased before other output,
 * the whole run's elapsed time appended); this module only says what goes in it.
 */
import { type PhaseOptions, phaseLine } from '../../analyzer/report/phases.js';
import type { RunOutcome } from '../run/run-test.js';
import type { RunPhase, RunStatus } from '../core/status.js';

/** One status as a line, e.g. `running 4.2/10 s · 1834 ops (1610 ok, 12 fail, 40 info) · partition n1 n2 n3 | n4 n5`. */
export function formatStatus(s: RunStatus): string {
  const parts: string[] = [];
  if (s.phase === 'running') parts.push(`running ${s.workload.toFixed(1)}/${s.timeLimit} s`);
  else parts.push(s.detail === undefined ? s.phase : `${s.phase} ${s.detail}`);
  // Before the workload there is nothing to count.
  if (s.phase !== 'setting up') parts.push(`${s.invocations} ops (${s.ok} ok, ${s.fail} fail, ${s.info} info)`);
  if (s.faults.length > 0) parts.push(s.faults.join(', '));
  return parts.join(' · ');
}

/** The summary's short names for phases. */
const SHORT: Record<RunPhase, string> = {
  'setting up': 'setup',
  running: 'workload',
  healing: 'healing',
  'final reads': 'final reads',
  'tearing down': 'teardown',
  checking: 'checking',
};

/**
 * The closing line: history ops, the workload's rate, and where the whole run's wall time went,
 * e.g. `3286 history ops, 164 invocations/s in the workload; whole run 14.2 s (setup 0.3,
 * workload 10.0, healing 0.0, final reads 1.0, teardown 0.1, checking 2.8 s); store: DIR`.
 */
export function summaryLine(r: Pick<RunOutcome, 'ops' | 'seconds' | 'invocations' | 'timings' | 'dir'>): string {
  const rate = (r.invocations / Math.max(r.seconds, 1e-9)).toFixed(0);
  const phases = r.timings.phases.map((p) => `${SHORT[p.phase]} ${p.seconds.toFixed(1)}`).join(', ');
  return `${r.ops} history ops, ${rate} invocations/s in the workload; whole run ${r.timings.total.toFixed(1)} s (${phases} s); store: ${r.dir}`;
}

/** A live one-line status on a terminal; both methods do nothing when it is not drawn. */
export interface StatusLine {
  /** Draws a status (a `runTest` `onStatus`). */
  onStatus(s: RunStatus): void;
  /** Erases the line (before any other output, and at the end). */
  clear(): void;
}

/** The status line on `options.stream` (default stderr) when it is a terminal and not quiet. */
export function statusLine(options: PhaseOptions = {}): StatusLine {
  const phases = phaseLine(options);
  return { onStatus: (s) => phases.phase(formatStatus(s)), clear: () => phases.clear() };
}
