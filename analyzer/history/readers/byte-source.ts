/**
 * Where a `ChunkedSource`'s bytes come from: a file read with `readSync` (the fast path, and
 * what nearly every history is), or a stream pulled chunk by chunk through its async iterator —
 * a gzip file decompressed by node:zlib, or standard input. Pulling (rather than listening for
 * `data`) keeps memory bounded: a stream reads ahead only its high-water mark.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { Readable, pipeline } from 'node:stream';
import { isMainThread } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import { HistoryError } from '../diagnostics.js';

/** The file name that means standard input, and how messages name it (like `<generated>`). */
export const STDIN = '-';
/** How messages name standard input. */
export const STDIN_NAME = '<stdin>';

/** The name of `file` in messages: `<stdin>` for `-`, else the file as given. */
export function displayName(file: string): string {
  return file === STDIN ? STDIN_NAME : file;
}

/** Bytes to read, from wherever they come: what a `ChunkedSource` reads its chunks from. */
export interface ByteSource {
  /** Where the bytes come from: a file named on the command line, or standard input. */
  readonly origin: 'file' | 'stdin';
  /** Whether they are decompressed from gzip. */
  readonly gzip: boolean;
  /** Reads into `buf[offset, offset + length)`; 0 at the end. Synchronous where it can be. */
  read(buf: Buffer, offset: number, length: number): number | Promise<number>;
  /** Input bytes taken so far, for progress: compressed ones for gzip. */
  consumed(): number;
  /** The input's size in the same bytes; 0 when not known beforehand (standard input). */
  readonly size: number;
  /** What is left unread, as chunks: for handing the rest to a decompressor. */
  remaining(): AsyncIterable<Buffer>;
  /** Releases the file (a no-op for standard input). */
  close(): Promise<void>;
}

/** Bytes that cannot be read as what they claim to be (a truncated or corrupt gzip file). */
export class BadBytes extends Error {}

/** The HistoryError for a file that cannot be read (`cannot read X: no such file`, …). */
export function describeFsError(file: string, e: NodeJS.ErrnoException): HistoryError {
  const why: Record<string, string> = {
    ENOENT: 'no such file',
    EISDIR: 'it is a directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
  };
  const reason = (e.code !== undefined ? why[e.code] : undefined) ?? e.message;
  return new HistoryError(file, 0, `cannot read: ${reason}`, `cannot read ${file}: ${reason}`);
}

/**
 * A file read with `readSync` on its descriptor, opened, stat'ed and closed synchronously too:
 * each of those done asynchronously waits for a thread-pool thread, and over Porcupine's 102
 * small etcd logs in one process that waiting was 115 ms of 614 (the process idle).
 */
export class FileBytes implements ByteSource {
  readonly origin = 'file';
  readonly gzip = false;
  private taken = 0;
  private constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  /** Opens `file`; file-system errors become HistoryErrors ("cannot read X: no such file"), naming it `name`. */
  static async open(file: string, name = file): Promise<FileBytes> {
    try {
      const fd = openSync(file, 'r');
      const st = fstatSync(fd);
      if (st.isDirectory()) {
        closeSync(fd);
        throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      }
      return new FileBytes(fd, st.size);
    } catch (e) {
      throw describeFsError(name, e as NodeJS.ErrnoException);
    }
  }

  read(buf: Buffer, offset: number, length: number): number {
    // A synchronous read: the bytes are usually in the page cache, and an async read would
    // wait for a thread-pool thread each chunk, which on a busy machine costs more wall time
    // than the whole scan of the chunk.
    const n = readSync(this.fd, buf, offset, length, null);
    this.taken += n;
    return n;
  }

  consumed(): number {
    return this.taken;
  }

  remaining(): AsyncIterable<Buffer> {
    // From the current position (not 0): the bytes already read were handed over as a prefix,
    // and a pipe (`<(zcat …)`) could not seek back anyway. The handle is closed by `close`.
    return createReadStream('', { fd: this.fd, autoClose: false, highWaterMark: 1 << 16 });
  }

  async close(): Promise<void> {
    closeSync(this.fd);
  }
}

/** A stream's chunks as a ByteSource: each read fills what it is asked for, or ends the stream. */
class StreamBytes implements ByteSource {
  private pending: Buffer | undefined;
  private at = 0;
  private done = false;
  /** An error met after some bytes were read: given on the next read, so those bytes count. */
  private failed: unknown;

  constructor(
    readonly origin: ByteSource['origin'],
    readonly gzip: boolean,
    private readonly chunks: AsyncIterator<unknown>,
    readonly size: number,
    readonly consumed: () => number,
    private readonly onClose: () => Promise<void>,
  ) {}

  async read(buf: Buffer, offset: number, length: number): Promise<number> {
    if (this.failed !== undefined) throw this.failed;
    let got = 0;
    while (got < length) {
      if (this.pending === undefined) {
        if (this.done) break;
        let r: IteratorResult<unknown>;
        try {
          r = await this.chunks.next();
        } catch (e) {
          if (got === 0) throw e;
          this.failed = e;
          break;
        }
        if (r.done === true) {
          this.done = true;
          break;
        }
        this.pending = asBuffer(r.value);
        this.at = 0;
      }
      const n = this.pending.copy(buf, offset + got, this.at, Math.min(this.pending.length, this.at + length - got));
      got += n;
      this.at += n;
      if (this.at >= this.pending.length) this.pending = undefined;
    }
    return got;
  }

  async *remaining(): AsyncIterable<Buffer> {
    if (this.pending !== undefined) yield this.pending.subarray(this.at);
    this.pending = undefined;
    while (!this.done) {
      const r = await this.chunks.next();
      if (r.done === true) this.done = true;
      else yield asBuffer(r.value);
    }
  }

  async close(): Promise<void> {
    this.done = true;
    await this.chunks.return?.();
    await this.onClose();
  }
}

function asBuffer(chunk: unknown): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
}

let stdinTaken = false;

/**
 * Standard input, once per process: a stream read to its end cannot be read again, and a second
 * reader waiting on it would hang, so the second asking is refused.
 */
export function stdinBytes(): ByteSource {
  if (stdinTaken) {
    throw new HistoryError(STDIN_NAME, 0, 'cannot read: standard input was read already; it can be read once per process', `cannot read ${STDIN_NAME}: standard input was read already; it can be read once per process`);
  }
  stdinTaken = true;
  let taken = 0;
  const it = process.stdin[Symbol.asyncIterator]() as AsyncIterator<unknown>;
  const counted: AsyncIterator<unknown> = {
    next: async () => {
      const r = await it.next();
      if (r.done !== true) taken += asBuffer(r.value).length;
      return r;
    },
    return: async () => it.return?.() ?? { done: true, value: undefined },
  };
  return new StreamBytes('stdin', false, counted, 0, () => taken, async () => {});
}

/** Why nothing was read: `no ops in FILE: <this>`. */
export function emptyReason(src: ByteSource): string {
  if (src.origin === 'file') return src.gzip ? 'it decompresses to nothing' : 'the file is empty';
  const what = src.gzip ? 'standard input decompresses to nothing' : 'standard input is empty';
  // A worker thread's standard input holds only what its creator passed it (by default nothing).
  return isMainThread ? what : `${what} (read on a worker thread, whose standard input is only what its creator passes it)`;
}

/** Whether bytes start like gzip (its magic number 1f 8b), whatever the file is called. */
export function isGzip(buf: Uint8Array, start: number, end: number): boolean {
  return end - start >= 2 && buf[start] === 0x1f && buf[start + 1] === 0x8b;
}

/** zlib's complaint as bad input: a truncated file (`unexpected end of file`) or corrupt data. */
function gzipProblem(e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if (typeof code !== 'string' || !code.startsWith('Z_')) return e;
  const what = code === 'Z_BUF_ERROR' ? 'truncated' : 'corrupt';
  return new BadBytes(`${what} gzip data (${(e as Error).message}); expected a whole gzip file`);
}

/**
 * `under`'s bytes decompressed: `prefix` (what was read of it to see the magic number), then
 * the rest of it, through zlib's gunzip. Progress counts the compressed bytes taken.
 */
export function gunzipBytes(prefix: Buffer, under: ByteSource): ByteSource {
  let taken = 0;
  async function* compressed(): AsyncGenerator<Buffer> {
    taken += prefix.length;
    yield prefix;
    for await (const c of under.remaining()) {
      taken += c.length;
      yield c;
    }
  }
  const input = Readable.from(compressed(), { objectMode: false });
  const gunzip = createGunzip({ chunkSize: 1 << 16 });
  // Either side's error destroys both and reaches the reader through gunzip's iterator; the
  // callback is only there so that no error goes unhandled.
  pipeline(input, gunzip, () => {});
  const it = gunzip[Symbol.asyncIterator]() as AsyncIterator<unknown>;
  const chunks: AsyncIterator<unknown> = {
    next: async () => {
      try {
        return await it.next();
      } catch (e) {
        throw gzipProblem(e);
      }
    },
    return: async () => it.return?.() ?? { done: true, value: undefined },
  };
  return new StreamBytes(under.origin, true, chunks, under.size, () => taken, async () => {
    gunzip.destroy();
    input.destroy();
    await under.close();
  });
}
