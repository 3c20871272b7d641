/**
 * A one-line progress bar for reading big histories, drawn on stderr only when it is a
 * terminal (never into a pipe or a CI log), only for files big enough to take a moment, and
 * redrawn at most ten times a second.
 */
export interface Progress {
  /** Reports bytes read of the total (a `ReadOptions.onProgress`). */
  update(bytesRead: number, totalBytes: number): void;
  /** Erases the bar (before printing a message, or when done). */
  clear(): void;
}

export interface ProgressOptions {
  quiet?: boolean;
  /** Files smaller than this get no bar (default 16 MB). */
  minBytes?: number;
  stream?: NodeJS.WriteStream;
}

const silent: Progress = { update() {}, clear() {} };

export function progressBar(label: string, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || !stream.isTTY) return silent;
  const minBytes = options.minBytes ?? 16 << 20;
  let shown = false;
  let last = 0;
  return {
    update(bytesRead, totalBytes) {
      if (totalBytes < minBytes) return;
      const now = Date.now();
      if (now - last < 100 && bytesRead < totalBytes) return;
      last = now;
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - 30));
      const frac = totalBytes > 0 ? Math.min(1, bytesRead / totalBytes) : 1;
      const filled = Math.round(frac * width);
      const mb = (n: number) => (n / 1e6).toFixed(0);
      stream.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${mb(bytesRead)}/${mb(totalBytes)} MB\x1b[K`);
      shown = true;
    },
    clear() {
      if (!shown) return;
      stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
