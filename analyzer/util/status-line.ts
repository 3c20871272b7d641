/**
 * One self-erasing status line on a terminal: the mechanics shared by the reading progress bar
 * (history/progress.ts), the report's phase line (report/phases.ts, also `hindsight record`'s
 * status line) and recheck's batch progress (recheck/progress.ts), which only say what text to
 * show. It draws only on a TTY (never into a pipe or a CI log) and never with --quiet, at most
 * ten times a second, optionally only once the work has lasted a moment, and cut to the
 * terminal's width so that `\r` can redraw it in place.
 */

/** Options of `terminalLine`. */
export interface LineOptions {
  /** Never draw (`--quiet`). */
  quiet?: boolean;
  /** Default stderr. */
  stream?: NodeJS.WriteStream;
  /** Draw only once updates have gone on this long (default 0: at once). */
  delayMs?: number;
  /** The clock, in ms (default `Date.now`; tests pass their own). */
  now?: () => number;
}

/** One status line, as `terminalLine` returns it. */
export interface TerminalLine {
  /** The terminal's width in columns. */
  columns(): number;
  /**
   * Offers new text. `render` is called only when the line is drawn (so the text can hold the
   * time it is drawn at, and nothing is formatted off a terminal); `urgent` draws past the
   * throttle (a new phase, the last update), though never before the delay.
   */
  show(render: (at: number) => string, urgent?: boolean): void;
  /** Erases the line if it is drawn (before other output, or when done). */
  clear(): void;
}

/** Redraws no more often than this. */
const THROTTLE_MS = 100;

const silent: TerminalLine = { columns: () => 80, show() {}, clear() {} };

/** A status line on `options.stream`; one that draws nothing unless that is a TTY and not quiet. */
export function terminalLine(options: LineOptions = {}): TerminalLine {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || !stream.isTTY) return silent;
  const now = options.now ?? Date.now;
  const delay = options.delayMs ?? 0;
  // A pseudo-terminal may report 0 columns: assume 80 then.
  const columns = (): number => (stream.columns !== undefined && stream.columns > 0 ? stream.columns : 80);
  let render: (at: number) => string = () => '';
  let shown = false;
  let lastDraw = 0;
  let timer: NodeJS.Timeout | undefined;
  /** When the first undrawn update came; a synchronous loop never lets the timer fire, so `show` checks this too. */
  let waitingSince = -1;
  const draw = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    lastDraw = now();
    const line = render(lastDraw);
    // Wider than the terminal, the line would wrap and `\r` would redraw only its last row.
    const width = columns() - 1;
    stream.write(`\r${line.length > width ? line.slice(0, width - 1) + '…' : line}\x1b[K`);
    shown = true;
  };
  return {
    columns,
    show(next, urgent = false) {
      render = next;
      if (shown) {
        if (urgent || now() - lastDraw >= THROTTLE_MS) draw();
        return;
      }
      if (delay <= 0) return draw();
      if (waitingSince < 0) waitingSince = now();
      else if (now() - waitingSince >= delay) return draw();
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
 * A bar `[####    ]` `frac` full, as wide as the line leaves (between 10 and 40 columns) beside
 * `rest`, the widest the rest of the line will get (so the bar keeps its width as numbers grow).
 */
export function bar(frac: number, columns: number, rest: number): string {
  const width = Math.max(10, Math.min(40, columns - 1 - rest));
  const filled = Math.round(Math.max(0, Math.min(1, frac)) * width);
  return `[${'#'.repeat(filled)}${' '.repeat(width - filled)}]`;
}
