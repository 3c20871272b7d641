/** What the coordinator's progress line says of the queue: `20 queued, 3 running · a:41 2.1/s, b:77 1.9/s · 12 s left`. */
import type { QueueStatus } from './coordinator.js';

/**
 * The queue's part of the progress line at time `now` (ms) for a run started at `startedAt`,
 * `done` of `total` histories finished. Rates are histories per second since the run started;
 * the time left assumes the workers keep their rates.
 */
export function queueStatusText(s: QueueStatus, done: number, total: number, startedAt: number, now: number): string {
  if (s.redisError !== undefined) return `waiting for Redis: ${s.redisError}`;
  const parts = [`${s.waiting} queued, ${s.active} running`];
  const secs = Math.max(0.001, (now - startedAt) / 1000);
  let rate = 0;
  const rates: string[] = [];
  for (const [name, w] of [...s.workers].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const r = w.checked / secs;
    rate += r;
    rates.push(`${name} ${r.toFixed(1)}/s`);
  }
  if (rates.length > 0) parts.push(rates.join(', '));
  else parts.push('none checked yet');
  if (rate > 0 && done < total) parts.push(`${Math.ceil((total - done) / rate)} s left`);
  return parts.join(' · ');
}
