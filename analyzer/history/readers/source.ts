/**
 * A file read as a sliding window of bytes, never as one string: readers scan
 * `buf[0, end)`, and when a value runs past `end` they call `fill(keepFrom)`, which drops the
 * bytes before `keepFrom` (already consumed), moves the rest to the front and reads the next
 * chunk behind it. The buffer grows only if one value is longer than half of it.
 *
 * The bytes come from a `ByteSource` (byte-source.ts): the file itself, read synchronously; the
 * file decompressed, when it starts with gzip's magic number (whatever its name); or standard
 * input, for the file name `-` (named `<stdin>` in messages). Readers see only the window.
 *
 * It also keeps line numbers: `lineAt(offset)` counts newlines forward from the last offset
 * asked about, so over a whole file every byte is counted once, by the native `indexOf`.
 */
import { HistoryError } from '../diagnostics.js';
import { guardHeapWhileReading } from '../../util/budget.js';
import { describeByte } from '../../edn/bytes.js';
import { BadBytes, type ByteSource, FileBytes, STDIN, describeFsError, displayName, emptyReason, gunzipBytes, isGzip, stdinBytes } from './byte-source.js';
import { invalidUtf8, unfinishedTail, validUtf8 } from './utf8-check.js';

/**
 * What to do with bytes that are not UTF-8: `strict` makes them bad input with their line;
 * `lossy` (`--lossy-utf8`) lets the decoder replace them with U+FFFD and counts them.
 */
export type Utf8Policy = 'strict' | 'lossy';

/** The message, after the file and line, for bytes that are not UTF-8 under the `strict` policy. */
export const BAD_UTF8 = 'is not UTF-8; expected a UTF-8 text file (pass --lossy-utf8 to read such bytes as U+FFFD)';

const DEFAULT_CHUNK = 1 << 20;
/** The least window a small file gets. */
const SMALL_CHUNK = 1 << 16;

/**
 * A file (or standard input) read as a sliding window `buf[0, end)`, as this file's header
 * describes: `open` it, scan the window, `fill(keepFrom)` for more until `eof`, then `close`.
 */
export class ChunkedSource {
  /** The window's bytes (only `[0, end)` hold content). */
  buf: Buffer;
  /** End of the content in `buf`. */
  end = 0;
  /** True once the last bytes of the input are in the window. */
  eof = false;
  /** Where the content starts in the first window (3 when the file opens with a UTF-8 BOM). */
  start = 0;
  /** Bytes of content read (after decompression). */
  private bytesRead = 0;
  private line = 1;
  private linePos = 0;
  /**
   * The first newline at or after `linePos` in this window, or `end` when there is none; -1 when
   * not yet looked for. Kept so that a file of few, very long lines (a 50 MB JSON array on one
   * line) is searched for newlines once, not once per op: reading stays linear in bytes.
   */
  private nextNewline = -1;
  /** Set by `checkUtf8From`: every byte of the window before `utf8Checked` has been checked. */
  private utf8Policy: Utf8Policy | undefined;
  private utf8Checked = 0;
  /** Bad UTF-8 sequences let through under the `lossy` policy, and the line of the first. */
  lossyUtf8 = { count: 0, line: 0 };

  private constructor(
    /** The name in messages (`<stdin>` for `-`). */
    readonly file: string,
    private bytes: ByteSource,
    private readonly chunk: number,
    private readonly onProgress?: (bytesRead: number, totalBytes: number) => void,
  ) {
    this.buf = Buffer.allocUnsafe(chunk * 2);
  }

  /**
   * Opens `file` (`-`: standard input) and reads its first chunk, decompressing from then on if
   * that chunk starts like gzip. File-system errors become HistoryErrors ("cannot read X: no such file").
   */
  static async open(
    file: string,
    options: { chunkSize?: number; onProgress?: (bytesRead: number, totalBytes: number) => void; name?: string } = {},
  ): Promise<ChunkedSource> {
    const name = options.name ?? displayName(file);
    const bytes = file === STDIN ? stdinBytes() : await FileBytes.open(file, name);
    // A small file gets a window its size (64 KiB at least), not 2 MiB: over many small
    // histories the big windows were most of the garbage collector's work.
    const fit = bytes.origin === 'file' && bytes.size > 0 ? Math.min(DEFAULT_CHUNK, Math.max(SMALL_CHUNK, bytes.size + 1)) : DEFAULT_CHUNK;
    const src = new ChunkedSource(name, bytes, Math.max(16, options.chunkSize ?? fit), options.onProgress);
    try {
      await src.fill(0);
      if (isGzip(src.buf, 0, src.end)) {
        // Nothing has looked at the window yet: start it again with the decompressed bytes.
        src.bytes = gunzipBytes(Buffer.from(src.buf.subarray(0, src.end)), bytes);
        src.end = 0;
        src.bytesRead = 0;
        src.eof = false;
        await src.fill(0);
      }
    } catch (e) {
      await src.close();
      throw e;
    }
    if (src.end >= 3 && src.buf[0] === 0xef && src.buf[1] === 0xbb && src.buf[2] === 0xbf) src.start = 3;
    return src;
  }

  /** Bytes of content read so far (decompressed, for gzip): the whole content's once `eof`. */
  get contentBytes(): number {
    return this.bytesRead;
  }

  /** Why a file without ops had none to give: `the file is empty`, `standard input is empty`, … */
  emptyReason(): string {
    return emptyReason(this.bytes);
  }

  /** Discards bytes before `keepFrom`, then reads more. Afterwards `end` has grown or `eof` is true. */
  async fill(keepFrom: number): Promise<void> {
    if (this.eof) return;
    if (keepFrom > 0) {
      // Bytes about to be dropped unchecked can only be an unfinished character: bad UTF-8.
      if (this.utf8Policy !== undefined && this.utf8Checked < keepFrom) this.checkUtf8(this.utf8Checked, keepFrom);
      this.utf8Checked = Math.max(0, this.utf8Checked - keepFrom);
      this.lineAt(keepFrom);
      this.buf.copyWithin(0, keepFrom, this.end);
      this.end -= keepFrom;
      this.linePos -= keepFrom;
      this.start = 0;
    }
    this.nextNewline = -1;
    if (this.buf.length - this.end < this.chunk) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.end + this.chunk));
      this.buf.copy(bigger, 0, 0, this.end);
      this.buf = bigger;
    }
    let n: number;
    try {
      const r = this.bytes.read(this.buf, this.end, this.buf.length - this.end);
      n = typeof r === 'number' ? r : await r; // a plain file's read is synchronous: no await
    } catch (e) {
      throw this.readProblem(e);
    }
    if (n === 0) this.eof = true;
    this.end += n;
    this.bytesRead += n;
    if (this.utf8Policy !== undefined) this.checkWindow();
    // Progress and the heap's estimate go by the input's bytes (compressed ones for gzip): the
    // share of the input read is what predicts the rest.
    const taken = this.bytes.consumed();
    guardHeapWhileReading(this.file, taken, this.bytes.size);
    this.onProgress?.(taken, this.bytes.size);
  }

  /**
   * A failed read as bad input: corrupt gzip data, at the line of the last byte it gave (none if
   * it gave none), or the file-system's error.
   */
  private readProblem(e: unknown): unknown {
    if (e instanceof BadBytes) return new HistoryError(this.file, this.bytesRead > 0 ? this.lineAt(Math.max(0, this.end - 1)) : 0, e.message);
    if (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && !(e instanceof HistoryError)) {
      return describeFsError(this.file, e as NodeJS.ErrnoException);
    }
    return e;
  }

  /**
   * From now on every byte read is checked to be UTF-8, starting with the window's; the readers
   * of EDN and JSON ask for this once the format is known. A Jepsen log is checked line by line
   * instead (`checkUtf8`), as only its op lines are read.
   */
  checkUtf8From(policy: Utf8Policy): void {
    this.utf8Policy = policy;
    this.utf8Checked = this.start;
    this.checkWindow();
  }

  private checkWindow(): void {
    const to = this.eof ? this.end : this.end - unfinishedTail(this.buf, this.utf8Checked, this.end);
    this.checkUtf8(this.utf8Checked, to);
    this.utf8Checked = Math.max(this.utf8Checked, to);
  }

  /**
   * Checks that `buf[from, to)` is UTF-8: if not, under `strict` (the default) a HistoryError
   * names the line of the first bad byte; under `lossy` the bad sequences are counted.
   */
  checkUtf8(from: number, to: number, policy: Utf8Policy = this.utf8Policy ?? 'strict'): void {
    if (validUtf8(this.buf, from, to)) return;
    const bad = invalidUtf8(this.buf, from, to);
    if (bad.first < 0) return;
    if (policy === 'strict') {
      throw new HistoryError(this.file, this.lineAt(bad.first), `${describeByte(this.buf, bad.first, to)} ${BAD_UTF8}`);
    }
    if (this.lossyUtf8.count === 0) this.lossyUtf8.line = this.peekLine(bad.first);
    this.lossyUtf8.count += bad.count;
  }

  /** Like `lineAt`, without moving on: for an offset readers have not reached yet. */
  private peekLine(offset: number): number {
    let line = this.line;
    for (let p = this.linePos; p < offset; ) {
      const nl = this.buf.indexOf(10, p);
      if (nl < 0 || nl >= offset) break;
      line++;
      p = nl + 1;
    }
    return line;
  }

  /** The 1-based line of byte `offset` (offsets asked about must not decrease between fills). */
  lineAt(offset: number): number {
    const buf = this.buf;
    const end = this.end;
    let p = this.linePos;
    let line = this.line;
    let nl = this.nextNewline;
    for (;;) {
      if (nl < p) {
        nl = buf.indexOf(10, p);
        if (nl < 0 || nl > end) nl = end;
      }
      if (nl >= offset || nl >= end) break;
      line++;
      p = nl + 1;
    }
    this.line = line;
    // every newline before `offset` is counted now (and `nl`, if not `end`, is the next one)
    this.linePos = p > offset ? p : offset;
    this.nextNewline = nl;
    return line;
  }

  /** Closes the file; call it once reading is over, whatever happened. */
  async close(): Promise<void> {
    await this.bytes.close();
  }
}
