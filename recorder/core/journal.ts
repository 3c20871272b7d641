/**
 * The crash-safe history journal: `history.edn`, one op map a line, appended as ops happen.
 *
 * Lines are buffered and written in small batches (every `flushMs`, or sooner when the buffer
 * grows), and the file is fsynced at least every `syncMs` and on close. A SIGKILL therefore loses
 * at most the last batch; each write is a whole number of lines, so the file ends at a line
 * boundary unless the kernel tore the very last write, which the reader skips with a warning.
 *
 * The file is created, never reopened: a journal that already exists belongs to another run,
 * and appending to it would interleave two histories (duplicate `:index` values).
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { printOp } from '../../analyzer/history/write.js';
import type { Op } from '../../analyzer/history/op.js';

/**
 * Journal timing (defaults: flush every 50 ms, fsync at least every 1000 ms, flush at 256 buffered lines).
 */
export interface JournalOptions {
  /** Milliseconds between batched writes. */
  flushMs?: number;
  /** Least milliseconds between fsyncs (close always syncs). */
  syncMs?: number;
  /** Flush as soon as this many lines are buffered. */
  maxLines?: number;
}

/**
 * Appends ops to a new history file. The constructor throws (EEXIST) if `path` exists: a journal
 * is never reopened. `close` flushes, fsyncs and is safe to call twice.
 */
export class Journal {
  private fd: number;
  private buf: string[] = [];
  private timer: NodeJS.Timeout;
  private lastSync = Date.now();
  private dirty = false;
  private readonly syncMs: number;
  private readonly maxLines: number;
  /** Ops appended so far. */
  count = 0;

  constructor(readonly path: string, o: JournalOptions = {}) {
    this.fd = openSync(path, 'wx');
    this.syncMs = o.syncMs ?? 1000;
    this.maxLines = o.maxLines ?? 256;
    this.timer = setInterval(() => this.flush(), o.flushMs ?? 50);
    this.timer.unref();
  }

  /** Buffers one op as an EDN line (written within `flushMs`, or at once when the buffer is full). */
  append(op: Op): void {
    this.buf.push(printOp(op) + '\n');
    this.count++;
    if (this.buf.length >= this.maxLines) this.flush();
  }

  /** Writes buffered lines; fsyncs if the last sync was `syncMs` ago. */
  flush(): void {
    if (this.fd < 0) return;
    if (this.buf.length > 0) {
      const data = this.buf.join('');
      this.buf = [];
      writeSync(this.fd, data);
      this.dirty = true;
    }
    if (this.dirty && Date.now() - this.lastSync >= this.syncMs) this.sync();
  }

  private sync(): void {
    fsyncSync(this.fd);
    this.dirty = false;
    this.lastSync = Date.now();
  }

  /** Writes what is buffered, fsyncs and closes the file; idempotent. */
  close(): void {
    if (this.fd < 0) return;
    clearInterval(this.timer);
    this.flush();
    this.sync();
    closeSync(this.fd);
    this.fd = -1;
  }
}
