/**
 * The batch's progress line on stderr: histories done of all, with the verdicts so far, erased
 * before the table is printed. The terminal mechanics (a TTY only, never with --quiet, ten
 * redraws a second) are util/status-line.ts's; this module only says what the line shows.
 */
import { bar, terminalLine } from '../util/status-line.js';
import type { Verdict } from './plan.js';

/** The batch's progress line: `update` after each history (done of total, and its verdict), `clear` to erase it. */
export interface BatchProgress {
  update(done: number, total: number, verdict: Verdict): void;
  /** Draws the line at 0 of `total` (before any history is done). */
  begin(total: number): void;
  /** Draws the line again (its `suffix` changed while no history finished). */
  redraw(): void;
  clear(): void;
}

type Counts = Record<Verdict, number>;

const tally = (c: Counts): string => `${c.valid} valid, ${c.invalid} invalid, ${c.unknown} unknown, ${c.error} errors`;

/**
 * The progress line on `options.stream` (default stderr); it draws nothing off a TTY or with
 * `quiet`. `suffix`, when given, is drawn after the counts (the queue's state: queued, running,
 * per-worker rates, time left).
 */
export function batchProgress(options: { quiet?: boolean; stream?: NodeJS.WriteStream; suffix?: (at: number) => string } = {}): BatchProgress {
  const line = terminalLine(options);
  const counts: Counts = { valid: 0, invalid: 0, unknown: 0, error: 0 };
  let done = 0;
  let total = 0;
  const draw = (urgent: boolean): void => {
    const tail = (d: number, c: Counts): string => ` ${d}/${total}  ${tally(c)}`;
    line.show((at) => {
      if (options.suffix !== undefined) {
        // The queue's state is what a long wait is about: counts only where non-zero, and the bar only if it fits.
        const seen = (Object.keys(counts) as Verdict[]).filter((v) => counts[v] > 0).map((v) => `${counts[v]} ${v === 'error' ? 'errors' : v}`);
        const text = ` ${done}/${total}${seen.length === 0 ? '' : ` (${seen.join(', ')})`} · ${options.suffix(at)}`;
        const room = line.columns() - 1 - 'recheck '.length - text.length;
        return `recheck${room >= 12 ? ` ${bar(total > 0 ? done / total : 1, line.columns(), 'recheck '.length + text.length)}` : ''}${text}`;
      }
      // The widest the tail can get in this batch: every count as long as the total.
      const rest = 'recheck '.length + 2 + tail(total, { valid: total, invalid: total, unknown: total, error: total }).length;
      return `recheck ${bar(total > 0 ? done / total : 1, line.columns(), rest)}${tail(done, counts)}`;
    }, urgent);
  };
  return {
    update(d, t, verdict) {
      counts[verdict]++;
      done = d;
      total = t;
      draw(done >= total);
    },
    begin(t) {
      total = t;
      draw(true);
    },
    redraw: () => {
      if (total > 0) draw(false);
    },
    clear: () => line.clear(),
  };
}
