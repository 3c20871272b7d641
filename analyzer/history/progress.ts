/**
 * A one-line progress bar for reading big histories, drawn only for files big enough to take a
 * moment. The terminal mechanics (a TTY only, never with --quiet, ten redraws a second, erasing)
 * are util/status-line.ts's; this module only says what the bar shows.
 */
import { bar, terminalLine } from '../util/status-line.js';

/** A progress bar, as `progressBar` returns it. */
export interface Progress {
  /** Reports bytes read of the total (a `ReadOptions.onProgress`). */
  update(bytesRead: number, totalBytes: number): void;
  /** Erases the bar (before printing a message, or when done). */
  clear(): void;
}

/** Options of `progressBar`. */
export interface ProgressOptions {
  /** Never draw (`--quiet`). */
  quiet?: boolean;
  /** Files smaller than this get no bar (default 16 MB). */
  minBytes?: number;
  /** Where to draw (default standard error); nothing is drawn unless it is a TTY. */
  stream?: NodeJS.WriteStream;
}

const mb = (n: number): string => (n / 1e6).toFixed(0);

/** A bar that reads `label [####      ]  42% 300/712 MB` while a file of at least `minBytes` is read. */
export function progressBar(label: string, options: ProgressOptions = {}): Progress {
  const line = terminalLine(options);
  const minBytes = options.minBytes ?? 16 << 20;
  return {
    update(bytesRead, totalBytes) {
      if (totalBytes < minBytes) return;
      const frac = totalBytes > 0 ? Math.min(1, bytesRead / totalBytes) : 1;
      const tail = (read: number, pct: number): string => ` ${pct.toFixed(0).padStart(3)}% ${mb(read)}/${mb(totalBytes)} MB`;
      // The last update always shows, so the bar ends full.
      line.show(() => {
        const rest = label.length + 3 + tail(totalBytes, 100).length;
        return `${label} ${bar(frac, line.columns(), rest)}${tail(bytesRead, frac * 100)}`;
      }, bytesRead >= totalBytes);
    },
    clear: () => line.clear(),
  };
}
