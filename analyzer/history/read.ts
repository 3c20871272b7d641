/**
 * Reads a history file of any supported format into a column-wise `History`. The file may be
 * gzipped (seen by its first bytes, not its name), and `-` reads standard input (named
 * `<stdin>` in messages, once per process).
 *
 * The file is read as a stream of byte chunks (see `readers/source.ts`), the format is picked
 * from the first chunk unless forced, and each format's reader feeds ops straight into a
 * `HistoryBuilder`. Problems are reported through `Diagnostics` with file and line: errors
 * (meaning lost) reject with a `HistoryError`; warnings (meaning still clear: a torn last line,
 * a completion with no invocation) go to `onWarning`, and in strict mode reject too.
 */
import { Diagnostics, HistoryError } from './diagnostics.js';
import { type History, HistoryBuilder } from './history.js';
import { displayName } from './readers/byte-source.js';
import { detectFormat } from './readers/detect.js';
import { readEdnOps } from './readers/edn.js';
import { readJepsenLog } from './readers/jepsen-log.js';
import { readJsonOps } from './readers/json.js';
import { OpSink } from './readers/op-sink.js';
import { ChunkedSource } from './readers/source.js';

/** A history file format (`--format`); `auto` picks one from the first bytes (see `hindsight formats`). */
export type HistoryFormat = 'auto' | 'edn' | 'edn-vector' | 'json' | 'jepsen-log';
/** Every HistoryFormat, `auto` first. */
export const HISTORY_FORMATS: readonly HistoryFormat[] = ['auto', 'edn', 'edn-vector', 'json', 'jepsen-log'];

/** How `readHistory` reads. */
export interface ReadOptions {
  /** The format to read (default `auto`: picked from the first bytes). */
  format?: HistoryFormat;
  /** Reject on the first warning as on an error (`--strict`). Default false. */
  strict?: boolean;
  /** Called with each warning as it is found (they are also on `history.warnings`). */
  onWarning?: (w: { file: string; line: number; message: string }) => void;
  /**
   * Called with bytes read so far and the file's size, after each chunk; for a gzip file, its
   * compressed bytes; for standard input the size is 0 (not known).
   */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Bytes per read (default 1 MiB); tests use tiny chunks to exercise chunk boundaries. */
  chunkSize?: number;
  /**
   * Read bytes that are not UTF-8 as U+FFFD (with one warning counting them) instead of
   * refusing the file: values that differed only in those bytes then compare equal.
   */
  lossyUtf8?: boolean;
  /**
   * The file's name in messages and warnings (default: `file` as given). A queue worker reads
   * a copy, or the archive under its own mount point, and names it as the user did.
   */
  name?: string;
}

/** What `readHistoryWithFormat` resolves to. */
export interface ReadResult {
  /** The history read. */
  history: History;
  /** The format it was read as (the one picked, under `auto`). */
  format: Exclude<HistoryFormat, 'auto'>;
}

/** Like `readHistory` (and rejecting as it does), also saying which format was read. */
export async function readHistoryWithFormat(file: string, options: ReadOptions = {}): Promise<ReadResult> {
  const format = options.format ?? 'auto';
  const name = options.name ?? displayName(file);
  if (!HISTORY_FORMATS.includes(format)) {
    throw new HistoryError(name, 0, `unknown format ${String(format)}; expected one of ${HISTORY_FORMATS.join(', ')}`);
  }
  const d = new Diagnostics(name, options.strict ?? false, options.onWarning);
  const b = new HistoryBuilder(name, d);
  const sink = new OpSink(b, d);
  const src = await ChunkedSource.open(file, { chunkSize: options.chunkSize, onProgress: options.onProgress, name });
  let used: ReadResult['format'];
  try {
    let detected = format === 'auto' ? detectFormat(src.buf, src.start, src.end, src.eof) : format;
    while (detected === undefined) {
      await src.fill(0); // the first chunk was all blank or comment: read on
      detected = detectFormat(src.buf, src.start, src.end, src.eof);
    }
    used = detected;
    const utf8 = options.lossyUtf8 === true ? 'lossy' : 'strict';
    if (used !== 'jepsen-log') src.checkUtf8From(utf8);
    switch (used) {
      case 'edn':
        await readEdnOps(src, sink, d, false);
        break;
      case 'edn-vector':
        await readEdnOps(src, sink, d, true);
        break;
      case 'json':
        await readJsonOps(src, sink, d);
        break;
      case 'jepsen-log':
        await readJepsenLog(src, sink, d, utf8);
        if (sink.count === 0 && src.contentBytes > src.start) {
          d.error(0, 'found no ops; expected EDN op maps, a JSON array or JSON lines, or Jepsen log lines (see `hindsight formats`)');
        }
        break;
    }
    if (src.lossyUtf8.count > 0) {
      const n = src.lossyUtf8.count;
      d.warn(src.lossyUtf8.line, `${n} byte sequence${n === 1 ? ' that is' : 's that are'} not UTF-8 ${n === 1 ? 'was' : 'were'} read as U+FFFD (--lossy-utf8); values that differ only there compare equal`);
    }
    // Nothing to check is bad input, not a history that is trivially valid.
    if (sink.count === 0) {
      d.error(0, `no ops in ${name}: ${src.contentBytes === 0 ? src.emptyReason() : 'only blanks and comments'}; expected op maps like {:type :invoke, :process 0, :f :read, :value nil}`);
    }
  } finally {
    await src.close();
  }
  return { history: b.build(), format: used };
}

/**
 * Reads a history file into a `History`: EDN op maps (Jepsen's history.edn), one EDN vector of
 * them, JSON (an array or lines) or a Jepsen log, picked from the first bytes unless
 * `options.format` says; gzipped or not; `-` is standard input, once per process.
 * Completions with no invocation, a torn last line and the like are warnings
 * (`options.onWarning`, `history.warnings`).
 *
 * Rejects with `HistoryError` (`file:line: …`) when the file cannot be read, a line is not
 * well-formed or not an op, the file holds no ops, or (with `strict`) on the first warning;
 * with an error named `BudgetExceeded` when the file would not fit in what is left of the heap.
 *
 * @example
 * const history = await readHistory('history.edn', { onWarning: (w) => console.warn(`${w.file}:${w.line}: ${w.message}`) });
 * for (const op of history.ops()) if (op.type === 'fail') console.log(op.index, op.error);
 */
export async function readHistory(file: string, options: ReadOptions = {}): Promise<History> {
  return (await readHistoryWithFormat(file, options)).history;
}
