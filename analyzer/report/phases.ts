/**
 * One status line on a terminal for the phases of a long `hindsight report` (checking each
 * checker, rendering, writing), with elapsed time and, where a phase knows it, done/total.
 * Like the reading progress bar (analyzer/history/progress.ts) it draws only on a TTY, never
 * with --quiet, and only once a phase has lasted a moment, so a quick report prints nothing
 * but its file name. The line is erased when the work is done.
 */
import type { CheckContext, Checker } from '../checkers/checker.js';
import type { History } from '../history/history.js';

export interface Phases {
  /** Starts or updates a phase (a `CheckContext.progress`). */
  phase(message: string, done?: number, total?: number): void;
  /** Erases the line (before other output, or at the end). */
  clear(): void;
}

export interface PhaseOptions {
  quiet?: boolean;
  stream?: NodeJS.WriteStream;
  /** Draw only after a phase has run this long (default 300 ms). */
  delayMs?: number;
  now?: () => number;
}

const silent: Phases = { phase() {}, clear() {} };

export function phaseLine(options: PhaseOptions = {}): Phases {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || !stream.isTTY) return silent;
  const now = options.now ?? Date.now;
  const delay = options.delayMs ?? 300;
  const start = now();
  let text = '';
  let lastMessage = '';
  let shown = false;
  let lastDraw = 0;
  let timer: NodeJS.Timeout | undefined;
  /** When the first undrawn phase began; a checker's synchronous loop never lets the timer fire, so `phase` checks this too. */
  let waitingSince = -1;
  const draw = (): void => {
    lastDraw = now();
    const secs = ((lastDraw - start) / 1000).toFixed(1);
    const line = `${text} (${secs} s)`;
    // A pseudo-terminal may report 0 columns: assume 80 then.
    const width = (stream.columns !== undefined && stream.columns > 0 ? stream.columns : 80) - 1;
    stream.write(`\r${line.length > width ? line.slice(0, width - 1) + '…' : line}\x1b[K`);
    shown = true;
  };
  return {
    phase(message, done, total) {
      const changed = message !== lastMessage;
      lastMessage = message;
      text = done !== undefined && total !== undefined ? `${message} ${done}/${total}` : message;
      if (shown) {
        // A new phase shows at once; counts within a phase at most ten times a second.
        if (changed || now() - lastDraw >= 100) draw();
        return;
      }
      if (waitingSince < 0) waitingSince = now();
      else if (now() - waitingSince >= delay) {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        draw();
        return;
      }
      if (timer === undefined) {
        timer = setTimeout(draw, delay);
        timer.unref();
      }
    },
    clear() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      waitingSince = -1;
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}

/**
 * The checkers, each announcing itself on the phase line before it runs ("checking
 * linearizable (1/2)") and passing its own progress there ("checking linearizable: keys
 * decided 40/100").
 */
export function announced(named: Checker<Record<string, unknown>>[], phases: Phases): Checker<Record<string, unknown>>[] {
  return named.map((c, i) => ({
    ...c,
    check: (history: History, options: Record<string, unknown>, ctx: CheckContext) => {
      phases.phase(named.length > 1 ? `checking ${c.name} (${i + 1}/${named.length})` : `checking ${c.name}`);
      return c.check(history, options, {
        ...ctx,
        progress: (m, done, total) => phases.phase(`checking ${c.name}: ${m}`, done, total),
      });
    },
  }));
}
