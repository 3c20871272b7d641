/** Problems found while reading a history, each tied to a file and line. */
import { oneLine } from '../util/one-line.js';

/**
 * A problem that makes the input bad (exit 3). Its message is one line, whatever it echoes:
 * `file:line: detail`, or `file: detail` when the line is not known (0).
 */
export class HistoryError extends Error {
  /** The problem without the `file:line: ` prefix. */
  readonly detail: string;
  constructor(
    /** The file in messages (`<stdin>` for standard input). */
    readonly file: string,
    /** The 1-based line of the problem; 0 when it belongs to no one line. */
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

/** A problem the reader recovered from without changing the history's meaning (a torn last line). */
export interface Warning {
  /** The file in messages. */
  file: string;
  /** The 1-based line; 0 when it belongs to no one line. */
  line: number;
  /** What was wrong and what the reader did about it, one line. */
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
  /** Every warning so far, in order. */
  readonly warnings: Warning[] = [];
  constructor(
    readonly file: string,
    /** Make every warning a `HistoryError` instead. */
    readonly strict = false,
    private readonly onWarning?: (w: Warning) => void,
  ) {}
  /** Records a warning and tells `onWarning`; in strict mode throws it as a `HistoryError` instead. */
  warn(line: number, message: string, skippedLines?: number): void {
    if (this.strict) throw new HistoryError(this.file, line, message);
    const w: Warning = skippedLines === undefined ? { file: this.file, line, message } : { file: this.file, line, message, skippedLines };
    this.warnings.push(w);
    this.onWarning?.(w);
  }
  /** Throws the problem as a `HistoryError`. */
  error(line: number, message: string): never {
    throw new HistoryError(this.file, line, message);
  }
}

/** A warning as the CLI prints it: `file:line: warning: message`, on one line. */
export function formatWarning(w: Warning): string {
  return oneLine(w.line > 0 ? `${w.file}:${w.line}: warning: ${w.message}` : `${w.file}: warning: ${w.message}`);
}
