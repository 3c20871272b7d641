/**
 * The byte-level half of the EDN scanner: the read window and its end-of-input rules,
 * whitespace and comments, and the atoms (numbers, symbols, keywords, strings, characters).
 * `EdnScanner` (scanner.ts) adds collections and `#` forms on top.
 *
 * Every method reads `buf` from `pos` and must not look at or past `end`; when a token may
 * continue past `end` and `eof` is false it throws `INCOMPLETE` so the caller can fetch more
 * bytes and scan the whole value again.
 */
import { ByteWindow } from './byte-window.js';
import { INCOMPLETE, describeByte, keywordAt, utf8 } from './bytes.js';
import { Char, type EdnValue, Ratio, Sym, WholeFloat, normalInt } from './values.js';

/**
 * Byte classes: 1 = whitespace (incl. comma), 2 = other token delimiter, 0 = token. Control
 * bytes (NUL and the rest below space, and DEL) are delimiters too, so none can become part of
 * a keyword, symbol or number: `:a\0b` is an error at the NUL, not a keyword nobody can type.
 */
export const CLASS = new Uint8Array(256);
for (let c = 0; c < 32; c++) CLASS[c] = 2;
CLASS[127] = 2;
for (const c of [32, 9, 10, 13, 12, 11, 44]) CLASS[c] = 1;
for (const c of '()[]{}";'.split('').map((s) => s.charCodeAt(0))) CLASS[c] = 2;

export { MAX_NESTING, NESTING_TOO_DEEP } from './byte-window.js';

const charNames: Record<string, string> = {
  newline: '\n',
  space: ' ',
  tab: '\t',
  return: '\r',
  backspace: '\b',
  formfeed: '\f',
};

const FLOAT = /^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?$/;

/** A float literal's value: whole-valued ones stay floats, apart from the integers. */
function float(x: number): EdnValue {
  return Number.isInteger(x) ? new WholeFloat(x) : x;
}
const INTEGER = /^[+-]?\d+$/;

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/**
 * The scanner state (`buf`, `pos`, `end`, `eof`) and the reading of atoms; `EdnScanner`
 * (scanner.ts) is the concrete subclass. Methods throw `EdnSyntaxError` on malformed input and
 * `INCOMPLETE` when a token may continue past `end`.
 */
export abstract class AtomScanner extends ByteWindow {
  /** Skips whitespace, commas, `;` comments and `#_` discarded values. */
  skipWs(): void {
    const buf = this.buf;
    const end = this.end;
    let p = this.pos;
    for (;;) {
      if (p >= end) break;
      const c = buf[p];
      if (CLASS[c] === 1) {
        p++;
      } else if (c === 59) {
        // A comment ends at a line feed or a carriage return, as in Clojure's reader (files
        // with CR-only line endings would otherwise be one comment to their end).
        let nl = p + 1;
        while (nl < end && buf[nl] !== 10 && buf[nl] !== 13) nl++;
        if (nl >= end) {
          if (!this.eof) {
            this.pos = p;
            throw INCOMPLETE;
          }
          p = end;
        } else p = nl + 1;
      } else if (c === 35) {
        if (p + 1 >= end) {
          if (!this.eof) {
            this.pos = p;
            throw INCOMPLETE;
          }
          break;
        }
        if (buf[p + 1] !== 95) break;
        this.pos = p + 2;
        this.nest(p);
        this.read();
        this.depth--;
        p = this.pos;
      } else break;
    }
    this.pos = p;
  }

  /** True when only whitespace and comments remain before `end`. */
  atEnd(): boolean {
    this.skipWs();
    return this.pos >= this.end;
  }

  /** Reads one value, skipping whitespace before it (collections are the subclass's). */
  abstract read(): EdnValue;

  /** End of the token starting at p (first delimiter); throws INCOMPLETE if it may continue. */
  protected tokenEnd(p: number): number {
    const buf = this.buf;
    const end = this.end;
    while (p < end && CLASS[buf[p]] === 0) p++;
    if (p >= end && !this.eof) throw INCOMPLETE;
    return p;
  }

  protected readNumber(): EdnValue {
    const buf = this.buf;
    const end = this.end;
    const start = this.pos;
    let p = start;
    let neg = false;
    if (buf[p] === 45) {
      neg = true;
      p++;
    } else if (buf[p] === 43) p++;
    const digits = p;
    let n = 0;
    while (p < end) {
      const d = buf[p] - 48;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
      p++;
    }
    if (p >= end && !this.eof) throw INCOMPLETE;
    if (p >= end || CLASS[buf[p]] !== 0) {
      this.pos = p;
      if (p - digits <= 15) return neg ? 0 - n : n;
      return normalInt(BigInt(utf8(buf, start, p, true)));
    }
    const tokEnd = this.tokenEnd(p);
    const text = utf8(buf, start, tokEnd, true);
    this.pos = tokEnd;
    const last = text[text.length - 1];
    if (last === 'N' && INTEGER.test(text.slice(0, -1))) return normalInt(BigInt(text.slice(0, -1)));
    if (last === 'M' && FLOAT.test(text.slice(0, -1))) return float(Number(text.slice(0, -1)));
    if (FLOAT.test(text)) return float(Number(text));
    const slash = text.indexOf('/');
    if (slash > 0 && INTEGER.test(text.slice(0, slash)) && /^\d+$/.test(text.slice(slash + 1))) {
      let num = BigInt(text.slice(0, slash));
      let den = BigInt(text.slice(slash + 1));
      if (den === 0n) this.fail(start, `ratio ${text} divides by zero`);
      const g = gcd(num, den);
      num /= g;
      den /= g;
      return den === 1n ? normalInt(num) : new Ratio(num, den);
    }
    const hex = /^([+-]?)0[xX]([0-9a-fA-F]+)N?$/.exec(text);
    if (hex) {
      const v = BigInt('0x' + hex[2]);
      return normalInt(hex[1] === '-' ? -v : v);
    }
    return this.fail(start, `invalid number ${text}`);
  }

  protected readSymbol(): EdnValue {
    const start = this.pos;
    const buf = this.buf;
    let ascii = true;
    let p = start;
    const end = this.end;
    while (p < end && CLASS[buf[p]] === 0) {
      if (buf[p] >= 128) ascii = false;
      p++;
    }
    if (p >= end && !this.eof) throw INCOMPLETE;
    if (p === start) this.fail(start, `unexpected ${describeByte(buf, start, end)}`);
    this.pos = p;
    const len = p - start;
    if (len === 3 && buf[start] === 110 && buf[start + 1] === 105 && buf[start + 2] === 108) return null;
    if (len === 4 && buf[start] === 116 && buf[start + 1] === 114 && buf[start + 2] === 117 && buf[start + 3] === 101) return true;
    const name = utf8(buf, start, p, ascii);
    if (name === 'false') return false;
    return Sym.of(name);
  }

  protected readKeyword(): EdnValue {
    const buf = this.buf;
    const end = this.end;
    const start = this.pos + 1;
    let p = start;
    let ascii = true;
    while (p < end) {
      const c = buf[p];
      if (CLASS[c] !== 0) break;
      if (c >= 128) ascii = false;
      p++;
    }
    if (p >= end && !this.eof) throw INCOMPLETE;
    if (p === start) this.fail(this.pos, "expected a keyword name after ':'");
    this.pos = p;
    return keywordAt(buf, start, p, buf[start] * 31 + buf[p - 1] * 7 + buf[(start + p) >> 1], ascii);
  }



  /** EDN's escapes beyond JSON's: `\'` and octal `\NNN` (one to three digits, as Clojure reads them). */
  protected otherEscape(e: number, p: number): { text: string; next: number } | undefined {
    if (e === 39) return { text: "'", next: p };
    if (e < 48 || e > 55) return undefined;
    const buf = this.buf;
    const end = this.end;
    let code = e - 48;
    let k = 0;
    while (k < 2 && p < end && buf[p] >= 48 && buf[p] <= 55) {
      code = code * 8 + buf[p] - 48;
      p++;
      k++;
    }
    return { text: String.fromCharCode(code), next: p };
  }

  protected readChar(): Char {
    const buf = this.buf;
    const start = this.pos;
    const end = this.end;
    if (start + 1 >= end) this.more(start, 'a character');
    // The first character after the backslash is always part of it (so `\(` and `\,` work),
    // even when it is a multi-byte UTF-8 sequence.
    const lead = buf[start + 1];
    let p = start + 1 + (lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4);
    if (p > end) this.more(start, 'a character');
    while (p < end && CLASS[buf[p]] === 0) p++;
    if (p >= end && !this.eof) throw INCOMPLETE;
    const text = utf8(buf, start + 1, p, false);
    this.pos = p;
    if ([...text].length === 1) return new Char(text);
    const named = charNames[text];
    if (named !== undefined) return new Char(named);
    if (/^u[0-9a-fA-F]{4}$/.test(text)) return new Char(String.fromCharCode(parseInt(text.slice(1), 16)));
    if (/^o[0-7]{1,3}$/.test(text)) return new Char(String.fromCharCode(parseInt(text.slice(1), 8)));
    return this.fail(start, `unknown character \\${text}`);
  }

}
