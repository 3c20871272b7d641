/**
 * One status line on a terminal for the phases of a long `hindsight report` (checking each
 * checker, rendering, writing), with elapsed time and, where a phase knows it, done/total.
 * The terminal mechanics are util/status-line.ts's (a TTY only, never with --quiet, erased when
 * the work is done); here a phase is drawn only once it has lasted a moment, so a quick report
 * prints nothing but its file name, and a new phase shows at once while counts within one
 * redraw at most ten times a second.
 */
import type { CheckContext, Checker } from '../check/checker.js';
import type { History } from '../history/history.js';
import { type LineOptions, terminalLine } from '../util/status-line.js';

/** The phase line, as `phaseLine` returns it. */
export interface Phases {
  /** Starts or updates a phase (a `CheckContext.progress`). */
  phase(message: string, done?: number, total?: number): void;
  /** Erases the line (before other output, or at the end). */
  clear(): void;
}

/** Options of `phaseLine`. */
export interface PhaseOptions extends LineOptions {
  /** Draw only after a phase has run this long (default 300 ms). */
  delayMs?: number;
}

/** A status line showing the current phase, its done/total if given, and the seconds since the line was made. */
export function phaseLine(options: PhaseOptions = {}): Phases {
  const line = terminalLine({ ...options, delayMs: options.delayMs ?? 300 });
  const start = (options.now ?? Date.now)();
  let lastMessage = '';
  return {
    phase(message, done, total) {
      const changed = message !== lastMessage;
      lastMessage = message;
      const text = done !== undefined && total !== undefined ? `${message} ${done}/${total}` : message;
      line.show((at) => `${text} (${((at - start) / 1000).toFixed(1)} s)`, changed);
    },
    clear: () => line.clear(),
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
