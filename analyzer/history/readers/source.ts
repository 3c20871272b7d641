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
      this.lineAt(keepFrom);
      this.buf.copyWithin(0, keepFrom, this.end);
      this.end -= keepFrom;
      this.linePos -= keepFrom;
      this.start = 0;
    }
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
    this.onProgress?.(this.bytesRead, this.size);
  }

  /** The 1-based line of byte `offset` (offsets asked about must not decrease between fills). */
  lineAt(offset: number): number {
    const buf = this.buf;
    let p = this.linePos;
    let line = this.line;
    while (p < offset) {
      const nl = buf.indexOf(10, p);
      if (nl < 0 || nl >= offset) break;
      line++;
      p = nl + 1;
    }
    this.line = line;
    // every newline before `offset` is counted now
    this.linePos = p > offset ? p : offset;
    return line;
  }

  async close(): Promise<void> {
    await this.fd.close();
  }
}
