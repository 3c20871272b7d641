/** Problems found while reading a history, each tied to a file and line. */
import { oneLine } from '../util/one-line.js';

/** A problem that makes the input bad (exit 3). Its message is one line, whatever it echoes. */
export class HistoryError extends Error {
  readonly detail: string;
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
    /** The whole message, when `file:line: detail` is not the natural form. */
    message?: string,
  ) {
    super(oneLine(message ?? (line > 0 ? `${file}:${line}: ${detail}` : `${file}: ${detail}`)));
    this.detail = oneLine(detail);
    this.name = 'HistoryError';
  }
}

export interface Warning {
  file: string;
  line: number;
  message: string;
  /** Lines of the file this warning's problem left unread (a Jepsen log's marker lines that are not ops). */
  skippedLines?: number;
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
  warn(line: number, message: string, skippedLines?: number): void {
    if (this.strict) throw new HistoryError(this.file, line, message);
    const w: Warning = skippedLines === undefined ? { file: this.file, line, message } : { file: this.file, line, message, skippedLines };
    this.warnings.push(w);
    this.onWarning?.(w);
  }
  error(line: number, message: string): never {
    throw new HistoryError(this.file, line, message);
  }
}

export function formatWarning(w: Warning): string {
  return oneLine(w.line > 0 ? `${w.file}:${w.line}: warning: ${w.message}` : `${w.file}: warning: ${w.message}`);
}
