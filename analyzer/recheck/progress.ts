/**
 * The batch's progress line on stderr: histories done of all, with the verdicts so far. Drawn
 * only on a terminal (never into a pipe or a CI log), at most ten times a second, and erased
 * before the table is printed — as the reader's byte progress bar (history/progress.ts) is.
 */
import type { Verdict } from './plan.js';

export interface BatchProgress {
  update(done: number, total: number, verdict: Verdict): void;
  clear(): void;
}

const silent: BatchProgress = { update() {}, clear() {} };

export function batchProgress(options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): BatchProgress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || !stream.isTTY) return silent;
  const counts: Record<Verdict, number> = { valid: 0, invalid: 0, unknown: 0, error: 0 };
  let shown = false;
  let last = 0;
  return {
    update(done, total, verdict) {
      counts[verdict]++;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 60));
      const filled = total > 0 ? Math.round((done / total) * width) : width;
      const tally = `${counts.valid} valid, ${counts.invalid} invalid, ${counts.unknown} unknown, ${counts.error} errors`;
      stream.write(`\rrecheck [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}  ${tally}\x1b[K`);
      shown = true;
    },
    clear() {
      if (!shown) return;
      stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
