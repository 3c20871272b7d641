/**
 * A file read as a sliding window of bytes, never as one string: readers scan
 * `buf[0, end)`, and when a value runs past `end` they call `fill(keepFrom)`, which drops the
 * bytes before `keepFrom` (already consumed), moves the rest to the front and reads the next
 * chunk behind it. The buffer grows only if one value is longer than half of it.
 *
 * It also keeps line numbers: `lineAt(offset)` counts newlines forward from the last offset
 * asked about, so over a whole file every byte is counted once, by the native `indexOf`.
 */
import { readSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { HistoryError } from '../diagnostics.js';
import { guardHeapWhileReading } from '../../util/budget.js';
import { describeByte } from '../../edn/bytes.js';
import { invalidUtf8, unfinishedTail, validUtf8 } from './utf8-check.js';

/**
 * What to do with bytes that are not UTF-8: `strict` makes them bad input with their line;
 * `lossy` (`--lossy-utf8`) lets the decoder replace them with U+FFFD and counts them.
 */
export type Utf8Policy = 'strict' | 'lossy';

export const BAD_UTF8 = 'is not UTF-8; expected a UTF-8 text file (pass --lossy-utf8 to read such bytes as U+FFFD)';

const DEFAULT_CHUNK = 1 << 20;

function describeFsError(file: string, e: NodeJS.ErrnoException): HistoryError {
  const why: Record<string, string> = {
    ENOENT: 'no such file',
    EISDIR: 'it is a directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
  };
  const reason = (e.code !== undefined ? why[e.code] : undefined) ?? e.message;
  return new HistoryError(file, 0, `cannot read: ${reason}`, `cannot read ${file}: ${reason}`);
}

export class ChunkedSource {
  buf: Buffer;
  end = 0;
  eof = false;
  /** Where the content starts in the first window (3 when the file opens with a UTF-8 BOM). */
  start = 0;
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
    readonly file: string,
    private readonly fd: FileHandle,
    readonly size: number,
    private readonly chunk: number,
    private readonly onProgress?: (bytesRead: number, totalBytes: number) => void,
  ) {
    this.buf = Buffer.allocUnsafe(chunk * 2);
  }

  /** Opens `file` and reads its first chunk. File-system errors become HistoryErrors ("cannot read X: no such file"). */
  static async open(
    file: string,
    options: { chunkSize?: number; onProgress?: (bytesRead: number, totalBytes: number) => void } = {},
  ): Promise<ChunkedSource> {
    let fd: FileHandle;
    let size: number;
    try {
      fd = await open(file, 'r');
      const st = await fd.stat();
      if (st.isDirectory()) {
        await fd.close();
        throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      }
      size = st.size;
    } catch (e) {
      throw describeFsError(file, e as NodeJS.ErrnoException);
    }
    const src = new ChunkedSource(file, fd, size, Math.max(16, options.chunkSize ?? DEFAULT_CHUNK), options.onProgress);
    await src.fill(0);
    if (src.end >= 3 && src.buf[0] === 0xef && src.buf[1] === 0xbb && src.buf[2] === 0xbf) src.start = 3;
    return src;
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
      // A synchronous read: the bytes are usually in the page cache, and an async read would
      // wait for a thread-pool thread each chunk, which on a busy machine costs more wall time
      // than the whole scan of the chunk.
      n = readSync(this.fd.fd, this.buf, this.end, this.buf.length - this.end, null);
    } catch (e) {
      throw describeFsError(this.file, e as NodeJS.ErrnoException);
    }
    if (n === 0) this.eof = true;
    this.end += n;
    this.bytesRead += n;
    if (this.utf8Policy !== undefined) this.checkWindow();
    guardHeapWhileReading(this.file, this.bytesRead, this.size);
    this.onProgress?.(this.bytesRead, this.size);
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

  async close(): Promise<void> {
    await this.fd.close();
  }
}
