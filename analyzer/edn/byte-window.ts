/**
 * The window of bytes a scanner reads (EDN's and JSON's alike): `buf[pos, end)`, whether more
 * bytes follow `end`, and how deep the value being read nests. Both scanners are restartable:
 * a token that may run past `end` while more input follows throws `INCOMPLETE`, and the caller
 * fetches more and reads the value again from its start.
 */
import { EdnSyntaxError, INCOMPLETE } from './bytes.js';

/**
 * How deep values may nest (vectors, lists, maps, sets, tagged and discarded forms; JSON arrays
 * and objects) before the reader refuses them. Histories nest a few levels (an op's transaction
 * of micro-ops of lists); the limit keeps reading, printing and comparing values far inside
 * the JavaScript stack, so a pathological file is bad input with its line rather than a stack
 * overflow.
 */
export const MAX_NESTING = 1000;
/** The error detail for a value nested past MAX_NESTING (EDN and JSON alike). */
export const NESTING_TOO_DEEP = `values nest more than ${MAX_NESTING} levels deep; expected at most ${MAX_NESTING} (see docs/formats.md)`;

/** A scanner's window and nesting depth, with the three ways out of a value it cannot finish. */
export abstract class ByteWindow {
  /** The bytes being read; only `[pos, end)` is looked at. */
  buf: Buffer = Buffer.alloc(0);
  /** Offset of the next byte to read. */
  pos = 0;
  /** End of the window: no byte at or past it is read. */
  end = 0;
  /** True when no more bytes follow `end` (a value cut off there is an error, not INCOMPLETE). */
  eof = true;
  /** Collections open around the value being read; see `MAX_NESTING`. */
  protected depth = 0;

  /** Points the scanner at `buf[pos, end)`; `eof` says no more bytes follow `end`. */
  reset(buf: Buffer, pos: number, end: number, eof: boolean): void {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.eof = eof;
    this.depth = 0;
  }

  /** Enters one more level of nesting at `offset`, refusing past MAX_NESTING. */
  protected nest(offset: number): void {
    if (++this.depth > MAX_NESTING) this.fail(offset, NESTING_TOO_DEEP);
  }

  /** Malformed input at `offset`: throws an EdnSyntaxError with `detail`. */
  protected fail(offset: number, detail: string): never {
    throw new EdnSyntaxError(offset, detail);
  }

  /** Out of bytes inside a value: wait for more, or at end of file report what was unfinished. */
  protected more(startOffset: number, what: string): never {
    if (!this.eof) throw INCOMPLETE;
    throw new EdnSyntaxError(startOffset, `file ends inside ${what}`, true);
  }
}
