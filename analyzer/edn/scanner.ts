/**
 * A hand-written EDN scanner over UTF-8 bytes, built for reading large histories fast: this
 * file reads collections and `#` forms, on top of the atoms of `AtomScanner` (atoms.ts), and
 * `parseEdn` reads one value from a string.
 *
 * It reads from a window `buf[pos, end)` of a file. When a value runs past `end` and `eof` is
 * false, it throws `INCOMPLETE`; the caller then fetches the next chunk and scans that value
 * again from its first byte (values are small next to a chunk, so the re-scan costs nothing
 * measurable). At `eof` the same situation is a syntax error flagged `atEof`: a torn last line.
 *
 * What it produces is the value model of `values.ts`: integers as numbers up to 2^53 and exact
 * `bigint` beyond, keywords interned straight from their bytes, lists as marked arrays, short
 * vectors shared through the cache of vector-cache.ts, sets and maps refused when an item or key
 * repeats, as by Clojure's reader (distinct.ts), tagged literals as `Tagged` except
 * `#jepsen.history.Op{…}`, which is just an op map and is unwrapped.
 *
 * The history readers do not build an `EdnMap` for each op: `OpScanner`
 * (history/readers/op-scanner.ts) extends this class and reads op maps straight into fields.
 * `readMapInto` does the same for any map, into two reusable arrays of keys and values.
 */
import { EdnSyntaxError, INCOMPLETE, describeByte, keywordAt, utf8 } from './bytes.js';
import { AtomScanner, CLASS } from './atoms.js';
import { EdnMap, EdnSet, type EdnValue, Keyword, Tagged, markList } from './values.js';
import { printEdn } from './print.js';
import { firstDuplicate } from './distinct.js';
import { sharedVector, small } from './vector-cache.js';

export { firstDuplicate } from './distinct.js';

/** Longest vector `readSeq` shares. */
const SHARE_MAX = 32;

/**
 * Reads EDN values from a window of UTF-8 bytes: point it at the bytes with `reset`, then call
 * `read` (or `readMapInto`) per value; `pos` is then just past the value. Throws
 * `EdnSyntaxError` on malformed input (`atEof` when the input ended mid-value) and `INCOMPLETE`
 * when a value runs past `end` before end of input (fetch more bytes and read it again).
 * One scanner is reused for a whole file; it is not reentrant.
 */
export class EdnScanner extends AtomScanner {
  /** Reads one value (skipping whitespace before it). */
  read(): EdnValue {
    this.skipWs();
    return this.readHere();
  }

  /** Like `readHere`, with the commonest values of op maps (keywords, small integers) first. */
  protected readValueHere(): EdnValue {
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
  protected readHere(): EdnValue {
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

  override reset(buf: Buffer, pos: number, end: number, eof: boolean): void {
    this.sp = 0;
    super.reset(buf, pos, end, eof);
  }

  /**
   * The hash `readSeq` computed for the vector it just returned if that vector is shared (see
   * `sharedVector`), else 0: a vector of shared vectors (`[[:append 3 1] [:r 4 nil]]`) can then be
   * shared in turn.
   */
  private seqHash = 0;

  /**
   * Reads a vector or list. The common items of histories (small integers, keywords, nil,
   * nested vectors) are read inline rather than through `readHere`, and hashed as they go so
   * that a vector of them can be shared (see `sharedVector` in vector-cache.ts).
   */
  private readSeq(close: number, what: string): EdnValue[] {
    const start = this.pos;
    const buf = this.buf;
    const end = this.end;
    const stack = this.stack;
    const base = this.sp;
    this.nest(start);
    let sp = base; // this.sp is kept up to date only around calls that read nested values
    let p = start + 1;
    /** Hash of the items so far, or 0 once an item is not worth sharing or there are too many. */
    let h = close === 93 ? 0x2f0b3c1d : 0;
    for (;;) {
      while (p < end && CLASS[buf[p]] === 1) p++;
      if (p >= end) {
        this.pos = p;
        this.more(start, what);
      }
      const c = buf[p];
      if (c === close) {
        this.pos = p + 1;
        const n = sp - base;
        let out: EdnValue[];
        if (h !== 0) out = sharedVector(stack, base, n, h);
        else out = n <= 4 ? small(stack, base, n) : stack.slice(base, sp);
        this.seqHash = h;
        this.sp = base;
        this.depth--;
        return out;
      }
      if (c >= 48 && c <= 57) {
        // a non-negative integer of up to 15 digits followed by a delimiter
        let q = p + 1;
        let v = c - 48;
        while (q < end) {
          const d = buf[q] - 48;
          if (d < 0 || d > 9) break;
          v = v * 10 + d;
          q++;
        }
        if (q < end && CLASS[buf[q]] !== 0 && q - p <= 15) {
          stack[sp++] = v;
          if (h !== 0) h = sp - base > SHARE_MAX ? 0 : Math.imul(h ^ v, 0x9e3779b1) | 1;
          p = q;
          continue;
        }
      } else if (c === 58) {
        // an ASCII keyword (`:append`, `:r`), looked up by its bytes
        const s = p + 1;
        let q = s;
        let b = 0;
        while (q < end && CLASS[(b = buf[q])] === 0 && b < 128) q++;
        if (q < end && q > s && b < 128) {
          const k = keywordAt(buf, s, q, buf[s] * 31 + buf[q - 1] * 7 + buf[(s + q) >> 1], true);
          stack[sp++] = k;
          if (h !== 0) h = sp - base > SHARE_MAX ? 0 : Math.imul(h ^ (k.id + 0x5bd1e995), 0x85ebca6b) | 1;
          p = q;
          continue;
        }
        this.pos = p;
        const k = this.readKeyword() as Keyword;
        stack[sp++] = k;
        if (h !== 0) h = sp - base > SHARE_MAX ? 0 : Math.imul(h ^ (k.id + 0x5bd1e995), 0x85ebca6b) | 1;
        p = this.pos;
        continue;
      } else if (c === 91) {
        this.pos = p;
        this.sp = sp;
        const v = this.readSeq(93, 'a vector');
        stack[sp++] = v;
        const vh = this.seqHash;
        if (h !== 0) h = vh === 0 || sp - base > SHARE_MAX ? 0 : Math.imul(h ^ vh, 0x2545f491) | 1;
        p = this.pos;
        continue;
      } else if (c === 110 && p + 3 < end && buf[p + 1] === 105 && buf[p + 2] === 108 && CLASS[buf[p + 3]] !== 0) {
        stack[sp++] = null;
        if (h !== 0) h = sp - base > SHARE_MAX ? 0 : Math.imul(h ^ 0x27d4eb2f, 0x165667b1) | 1;
        p += 3;
        continue;
      }
      this.pos = p;
      this.sp = sp;
      this.skipWs(); // a comment or #_ discard
      if (this.pos !== p) {
        p = this.pos;
        continue;
      }
      const v = this.readHere();
      stack[sp++] = v;
      h = 0;
      p = this.pos;
    }
  }

  /**
   * Reads a map (or `#jepsen.history.Op{…}`) at the current position into `keys[0, n)` and
   * `vals[0, n)` without building an EdnMap, and returns n; the arrays are reused from op to
   * op, and entries past n are stale. Returns -1 if the next value is not a map (the position
   * is then unchanged, after whitespace).
   */
  readMapInto(keys: EdnValue[], vals: EdnValue[]): number {
    this.skipWs();
    const buf = this.buf;
    let p = this.pos;
    if (p >= this.end) this.more(p, 'a value');
    if (buf[p] === 35) {
      const tagEnd = this.tokenEnd(p + 1);
      if (utf8(buf, p + 1, tagEnd, true) !== 'jepsen.history.Op') return -1;
      this.pos = tagEnd;
      this.skipWs();
      p = this.pos;
      if (p >= this.end) this.more(p, 'a #jepsen.history.Op');
    }
    if (buf[p] !== 123) return -1;
    let n = 0;
    this.pos = p + 1;
    this.nest(p);
    for (;;) {
      this.skipWs();
      if (this.pos >= this.end) this.more(p, 'a map');
      if (buf[this.pos] === 125) {
        this.pos++;
        this.depth--;
        return n;
      }
      keys[n] = buf[this.pos] === 58 ? this.readKeyword() : this.readHere();
      this.skipWs();
      if (this.pos < this.end && buf[this.pos] === 125) {
        this.fail(this.pos, `map has a key with no value (${printEdn(keys[n])})`);
      }
      vals[n] = this.readValueHere();
      n++;
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
    this.nest(start);
    const value = this.read();
    this.depth--;
    return tag === 'jepsen.history.Op' ? value : new Tagged(tag, value);
  }
}

/**
 * Reads one EDN value from a string (a saved result, a test's input, any small text).
 * Throws `EdnSyntaxError` when the text is not one well-formed EDN value (trailing whitespace
 * and comments are allowed, anything else after the value is an error).
 *
 * @example
 * const v = parseEdn('{:type :ok, :f :read, :value [1 2]}') as EdnMap;
 * v.get(Keyword.of('value')); // [1, 2]
 */
export function parseEdn(text: string): EdnValue {
  const bytes = Buffer.from(text, 'utf8');
  const s = new EdnScanner();
  s.reset(bytes, 0, bytes.length, true);
  const v = s.read();
  if (!s.atEnd()) throw new EdnSyntaxError(s.pos, `expected end of input, found ${describeByte(bytes, s.pos, bytes.length)}`);
  return v;
}
