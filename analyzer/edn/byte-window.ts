/**
 * The window of bytes a scanner reads (EDN's and JSON's alike): `buf[pos, end)`, whether more
 * bytes follow `end`, and how deep the value being read nests. Both scanners are restartable:
 * a token that may run past `end` while more input follows throws `INCOMPLETE`, and the caller
 * fetches more and reads the value again from its start.
 */
import { EdnSyntaxError, INCOMPLETE, hexDigit, utf8 } from './bytes.js';

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

  /** Strings may hold raw control characters (EDN's may; JSON's must escape them). */
  protected readonly rawControlInStrings: boolean = true;

  /** Reads a string literal starting at `pos` (its opening quote), unescaping it. */
  readString(): string {
    const buf = this.buf;
    const end = this.end;
    const open = this.pos;
    let p = open + 1;
    let ascii = true;
    for (;;) {
      if (p >= end) this.more(open, 'a string');
      const c = buf[p];
      if (c === 34) break;
      if (c === 92) return this.readEscapedString(open, p, ascii);
      if (c < 32 && !this.rawControlInStrings) this.fail(p, 'unescaped control character in a string');
      if (c >= 128) ascii = false;
      p++;
    }
    this.pos = p + 1;
    return utf8(buf, open + 1, p, ascii);
  }

  /**
   * The rest of a string from its first backslash at `p` (`open` is its opening quote; `ascii`
   * says whether the bytes before `p` are ASCII). The escapes both formats share are decoded
   * here; any other goes to `otherEscape`. Rare in histories, so kept off the fast path.
   */
  protected readEscapedString(open: number, p: number, ascii: boolean): string {
    const buf = this.buf;
    const end = this.end;
    let out = utf8(buf, open + 1, p, ascii);
    for (;;) {
      // buf[p] is a backslash
      if (p + 1 >= end) this.more(open, 'a string');
      const e = buf[p + 1];
      p += 2;
      switch (e) {
        case 110: out += '\n'; break;
        case 116: out += '\t'; break;
        case 114: out += '\r'; break;
        case 98: out += '\b'; break;
        case 102: out += '\f'; break;
        case 34: out += '"'; break;
        case 92: out += '\\'; break;
        case 117: {
          if (p + 4 > end) this.more(open, 'a string');
          let code = 0;
          for (let k = 0; k < 4; k++) {
            const h = hexDigit(buf[p + k]);
            if (h < 0) this.fail(p - 2, 'expected four hex digits after \\u in a string');
            code = code * 16 + h;
          }
          out += String.fromCharCode(code);
          p += 4;
          break;
        }
        default: {
          const other = this.otherEscape(e, p);
          if (other === undefined) this.fail(p - 2, `unknown escape \\${String.fromCharCode(e)} in a string`);
          out += other.text;
          p = other.next;
        }
      }
      const runStart = p;
      let runAscii = true;
      for (;;) {
        if (p >= end) this.more(open, 'a string');
        const c = buf[p];
        if (c === 34 || c === 92) break;
        if (c < 32 && !this.rawControlInStrings) this.fail(p, 'unescaped control character in a string');
        if (c >= 128) runAscii = false;
        p++;
      }
      out += utf8(buf, runStart, p, runAscii);
      if (buf[p] === 34) {
        this.pos = p + 1;
        return out;
      }
    }
  }

  /**
   * A format's own escape `\e` (its next byte at `p`): the text and where the string goes on,
   * or undefined when the format has no such escape (an error naming it).
   */
  protected abstract otherEscape(e: number, p: number): { text: string; next: number } | undefined;
}
