/**
 * A hand-written EDN scanner over UTF-8 bytes, built for reading large histories fast.
 *
 * It reads from a window `buf[pos, end)` of a file. When a value runs past `end` and `eof` is
 * false, it throws `INCOMPLETE`; the caller then fetches the next chunk and scans that value
 * again from its first byte (values are small next to a chunk, so the re-scan costs nothing
 * measurable). At `eof` the same situation is a syntax error flagged `atEof`: a torn last line.
 *
 * What it produces is the value model of `values.ts`: integers as numbers up to 2^53 and exact
 * `bigint` beyond, keywords interned straight from their bytes, lists as marked arrays, sets and
 * maps checked for duplicates as Clojure's reader does, tagged literals as `Tagged` except
 * `#jepsen.history.Op{…}`, which is just an op map and is unwrapped.
 *
 * The history readers do not build an `EdnMap` for each op: `readMapInto` fills two reusable
 * arrays with the op's keys and values, which the op layer turns into columns.
 */
import { EdnSyntaxError, INCOMPLETE, describeByte, hexDigit, keywordAt, utf8 } from './bytes.js';
import { Char, EdnMap, EdnSet, type EdnValue, Keyword, Ratio, Sym, Tagged, ednEquals, ednHash, markList, normalInt } from './values.js';
import { printEdn } from './print.js';

/** 1 = whitespace (incl. comma), 2 = other token delimiter. */
const CLASS = new Uint8Array(256);
for (const c of [32, 9, 10, 13, 12, 11, 44]) CLASS[c] = 1;
for (const c of '()[]{}";'.split('').map((s) => s.charCodeAt(0))) CLASS[c] = 2;

const charNames: Record<string, string> = {
  newline: '\n',
  space: ' ',
  tab: '\t',
  return: '\r',
  backspace: '\b',
  formfeed: '\f',
};

const VEC_SLOTS = 1 << 14;
const vecCache: (EdnValue[] | undefined)[] = new Array(VEC_SLOTS).fill(undefined);

const FLOAT = /^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** The index of the first item equal to an earlier one, or -1. */
export function firstDuplicate(items: readonly EdnValue[]): number {
  if (items.length < 2) return -1;
  if (items.length <= 8) {
    for (let i = 1; i < items.length; i++) for (let j = 0; j < i; j++) if (ednEquals(items[i], items[j])) return i;
    return -1;
  }
  const seen = new Map<number, EdnValue[]>();
  for (let i = 0; i < items.length; i++) {
    const h = ednHash(items[i]);
    const bucket = seen.get(h);
    if (bucket === undefined) seen.set(h, [items[i]]);
    else {
      for (const x of bucket) if (ednEquals(x, items[i])) return i;
      bucket.push(items[i]);
    }
  }
  return -1;
}

export class EdnScanner {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  end = 0;
  eof = true;

  /** Points the scanner at `buf[pos, end)`; `eof` says no more bytes follow `end`. */
  reset(buf: Buffer, pos: number, end: number, eof: boolean): void {
    this.sp = 0;
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.eof = eof;
  }

  private fail(offset: number, detail: string): never {
    throw new EdnSyntaxError(offset, detail);
  }

  /** Out of bytes inside a value: wait for more, or at end of file report what was unfinished. */
  private more(startOffset: number, what: string): never {
    if (!this.eof) throw INCOMPLETE;
    throw new EdnSyntaxError(startOffset, `file ends inside ${what}`, true);
  }

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
        const nl = buf.indexOf(10, p);
        if (nl < 0 || nl >= end) {
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
        this.read();
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

  /** Reads one value (skipping whitespace before it). */
  read(): EdnValue {
    this.skipWs();
    return this.readHere();
  }

  /** Like `readHere`, with the commonest values of op maps (keywords, small integers) first. */
  private readValueHere(): EdnValue {
    const buf = this.buf;
    const p = this.pos;
    if (p >= this.end) return this.readHere();
    const c = buf[p];
    if (c === 58) return this.readKeyword();
    if (c >= 48 && c <= 57) {
      const end = this.end;
      let q = p;
      let v = 0;
      while (q < end) {
        const d = buf[q] - 48;
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
        q++;
      }
      if (q < end && CLASS[buf[q]] !== 0 && q - p <= 15) {
        this.pos = q;
        return v;
      }
    }
    return this.readHere();
  }

  /** Reads one value starting exactly at `pos` (whitespace already skipped). */
  private readHere(): EdnValue {
    const buf = this.buf;
    const p = this.pos;
    if (p >= this.end) this.more(p, 'a value');
    const c = buf[p];
    switch (c) {
      case 123:
        return this.readMap();
      case 91:
        return this.readSeq(93, 'a vector');
      case 40:
        return markList(this.readSeq(41, 'a list'));
      case 34:
        return this.readString();
      case 58:
        return this.readKeyword();
      case 92:
        return this.readChar();
      case 35:
        return this.readDispatch();
      case 125:
      case 93:
      case 41:
        return this.fail(p, `unexpected ${describeByte(buf, p, this.end)}`);
    }
    if ((c >= 48 && c <= 57) || ((c === 45 || c === 43) && p + 1 < this.end && buf[p + 1] >= 48 && buf[p + 1] <= 57)) {
      return this.readNumber();
    }
    if ((c === 45 || c === 43) && p + 1 >= this.end && !this.eof) throw INCOMPLETE;
    return this.readSymbol();
  }

  /** Items of collections being read, shared by all nesting levels, so each result is allocated once at its exact size. */
  private stack: EdnValue[] = [];

  private sp = 0;

  /**
   * Reads a vector or list. The common items of histories (small integers, keywords, nil) are
   * read inline rather than through `readHere`, and hashed as they go so that a short vector of
   * them can be shared (see `shared`).
   */
  private readSeq(close: number, what: string): EdnValue[] {
    const start = this.pos;
    const buf = this.buf;
    const end = this.end;
    const stack = this.stack;
    const base = this.sp;
    let p = start + 1;
    /** Hash of the items so far, or 0 once an item is not an atom worth sharing. */
    let h = 0x2f0b3c1d;
    for (;;) {
      while (p < end && CLASS[buf[p]] === 1) p++;
      if (p >= end) {
        this.pos = p;
        this.more(start, what);
      }
      const c = buf[p];
      if (c === close) {
        this.pos = p + 1;
        const n = this.sp - base;
        const out = h !== 0 && close === 93 && n <= 4 ? this.shared(base, n, h) : stack.slice(base, this.sp);
        this.sp = base;
        return out;
      }
      if (c >= 48 && c <= 57) {
        // a non-negative integer of up to 15 digits followed by a delimiter
        let q = p;
        let v = 0;
        while (q < end) {
          const d = buf[q] - 48;
          if (d < 0 || d > 9) break;
          v = v * 10 + d;
          q++;
        }
        if (q < end && CLASS[buf[q]] !== 0 && q - p <= 15) {
          stack[this.sp++] = v;
          if (h !== 0) h = Math.imul(h ^ v, 0x9e3779b1) | 1;
          p = q;
          continue;
        }
      } else if (c === 58) {
        this.pos = p;
        const k = this.readKeyword() as Keyword;
        stack[this.sp++] = k;
        if (h !== 0) h = Math.imul(h ^ (k.id + 0x5bd1e995), 0x85ebca6b) | 1;
        p = this.pos;
        continue;
      } else if (c === 110 && p + 3 < end && buf[p + 1] === 105 && buf[p + 2] === 108 && CLASS[buf[p + 3]] !== 0) {
        stack[this.sp++] = null;
        if (h !== 0) h = Math.imul(h ^ 0x27d4eb2f, 0x165667b1) | 1;
        p += 3;
        continue;
      }
      this.pos = p;
      this.skipWs(); // a comment or #_ discard
      if (this.pos !== p) {
        p = this.pos;
        continue;
      }
      const v = this.readHere();
      stack[this.sp++] = v;
      h = 0;
      p = this.pos;
    }
  }

  /**
   * Short vectors of atoms (`[:append 31 1]`, `[:r 14 nil]`) recur all through a history: an
   * invocation and its completion carry the same micro-ops. They are shared (hash-consed) from
   * a direct-mapped cache and frozen, so a million ops allocate far fewer arrays and the
   * garbage collector has far less to copy; frozen, a checker that tried to modify one would
   * fail loudly rather than change another op's value.
   */
  private shared(from: number, n: number, h: number): EdnValue[] {
    const stack = this.stack;
    const slot = (h ^ (h >>> 15) ^ n) & (VEC_SLOTS - 1);
    const hit = vecCache[slot];
    if (hit !== undefined && hit.length === n) {
      let i = 0;
      while (i < n && hit[i] === stack[from + i]) i++;
      if (i === n) return hit;
    }
    const out = Object.freeze(stack.slice(from, from + n)) as EdnValue[];
    vecCache[slot] = out;
    return out;
  }

  /**
   * Reads a map (or `#jepsen.history.Op{…}`) at the current position into `keys`/`vals`
   * (cleared first) without building an EdnMap. Returns false if the next value is not a map
   * (the position is then unchanged, after whitespace).
   */
  readMapInto(keys: EdnValue[], vals: EdnValue[]): boolean {
    this.skipWs();
    const buf = this.buf;
    let p = this.pos;
    if (p >= this.end) this.more(p, 'a value');
    if (buf[p] === 35) {
      const tagEnd = this.tokenEnd(p + 1);
      if (utf8(buf, p + 1, tagEnd, true) !== 'jepsen.history.Op') return false;
      this.pos = tagEnd;
      this.skipWs();
      p = this.pos;
      if (p >= this.end) this.more(p, 'a #jepsen.history.Op');
    }
    if (buf[p] !== 123) return false;
    keys.length = 0;
    vals.length = 0;
    this.pos = p + 1;
    for (;;) {
      this.skipWs();
      if (this.pos >= this.end) this.more(p, 'a map');
      if (buf[this.pos] === 125) {
        this.pos++;
        return true;
      }
      keys.push(buf[this.pos] === 58 ? this.readKeyword() : this.readHere());
      this.skipWs();
      if (this.pos < this.end && buf[this.pos] === 125) {
        this.fail(this.pos, `map has a key with no value (${printEdn(keys[keys.length - 1])})`);
      }
      vals.push(this.readValueHere());
    }
  }

  private readMap(): EdnMap {
    const start = this.pos;
    const keys: EdnValue[] = [];
    const vals: EdnValue[] = [];
    this.readMapInto(keys, vals);
    const d = firstDuplicate(keys);
    if (d >= 0) this.fail(start, `duplicate key ${printEdn(keys[d])} in a map`);
    return new EdnMap(keys, vals);
  }

  /** End of the token starting at p (first delimiter); throws INCOMPLETE if it may continue. */
  private tokenEnd(p: number): number {
    const buf = this.buf;
    const end = this.end;
    while (p < end && CLASS[buf[p]] === 0) p++;
    if (p >= end && !this.eof) throw INCOMPLETE;
    return p;
  }

  private readNumber(): EdnValue {
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
    if (last === 'M' && FLOAT.test(text.slice(0, -1))) return Number(text.slice(0, -1));
    if (FLOAT.test(text)) return Number(text);
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

  private readSymbol(): EdnValue {
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

  private readKeyword(): EdnValue {
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
      if (c >= 128) ascii = false;
      p++;
    }
    this.pos = p + 1;
    return utf8(buf, open + 1, p, ascii);
  }

  private readEscapedString(open: number, p: number, ascii: boolean): string {
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
        case 39: out += "'"; break;
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
        default:
          if (e >= 48 && e <= 55) {
            let code = e - 48;
            let k = 0;
            while (k < 2 && p < end && buf[p] >= 48 && buf[p] <= 55) {
              code = code * 8 + buf[p] - 48;
              p++;
              k++;
            }
            out += String.fromCharCode(code);
            break;
          }
          this.fail(p - 2, `unknown escape \\${String.fromCharCode(e)} in a string`);
      }
      const runStart = p;
      let runAscii = true;
      for (;;) {
        if (p >= end) this.more(open, 'a string');
        const c = buf[p];
        if (c === 34 || c === 92) break;
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

  private readChar(): Char {
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

  private readDispatch(): EdnValue {
    const buf = this.buf;
    const start = this.pos;
    if (start + 1 >= this.end) this.more(start, 'a # form');
    const c = buf[start + 1];
    if (c === 123) {
      this.pos = start + 1;
      const items = this.readSeq(125, 'a set');
      const d = firstDuplicate(items);
      if (d >= 0) this.fail(start, `duplicate item ${printEdn(items[d])} in a set`);
      return new EdnSet(items);
    }
    if (c === 35) {
      const e = this.tokenEnd(start + 2);
      const name = utf8(buf, start + 2, e, true);
      this.pos = e;
      if (name === 'Inf') return Infinity;
      if (name === '-Inf') return -Infinity;
      if (name === 'NaN') return NaN;
      return this.fail(start, `unknown symbolic value ##${name}`);
    }
    if (CLASS[c] !== 0 || c === 35 || c === 58 || c === 34) {
      return this.fail(start, `unexpected ${describeByte(buf, start + 1, this.end)} after #`);
    }
    const tagEnd = this.tokenEnd(start + 1);
    const tag = utf8(buf, start + 1, tagEnd, false);
    this.pos = tagEnd;
    const value = this.read();
    return tag === 'jepsen.history.Op' ? value : new Tagged(tag, value);
  }
}

/** Reads one EDN value from a string (tests, small inputs). Throws EdnSyntaxError. */
export function parseEdn(text: string): EdnValue {
  const bytes = Buffer.from(text, 'utf8');
  const s = new EdnScanner();
  s.reset(bytes, 0, bytes.length, true);
  const v = s.read();
  if (!s.atEnd()) throw new EdnSyntaxError(s.pos, `expected end of input, found ${describeByte(bytes, s.pos, bytes.length)}`);
  return v;
}
