/** Problems found while reading a history, each tied to a file and line. */

export class HistoryError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
    /** The whole message, when `file:line: detail` is not the natural form. */
    message?: string,
  ) {
    super(message ?? (line > 0 ? `${file}:${line}: ${detail}` : `${file}: ${detail}`));
    this.name = 'HistoryError';
  }
}

export interface Warning {
  file: string;
  line: number;
  message: string;
}

/**
 * Collects warnings; in strict mode the first problem throws instead.
 * `error` is for problems whose meaning is lost (always throws); `warn` for ones the reader can
 * recover from without changing the history's meaning.
 */
export class Diagnostics {
  readonly warnings: Warning[] = [];
  constructor(
    readonly file: string,
    readonly strict = false,
    private readonly onWarning?: (w: Warning) => void,
  ) {}
  warn(line: number, message: string): void {
    if (this.strict) throw new HistoryError(this.file, line, message);
    const w = { file: this.file, line, message };
    this.warnings.push(w);
    this.onWarning?.(w);
  }
  error(line: number, message: string): never {
    throw new HistoryError(this.file, line, message);
  }
}

export function formatWarning(w: Warning): string {
  return w.line > 0 ? `${w.file}:${w.line}: warning: ${w.message}` : `${w.file}: warning: ${w.message}`;
}
