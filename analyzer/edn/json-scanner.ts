/**
 * A JSON scanner over UTF-8 bytes with the same windowed, restartable contract as `EdnScanner`
 * (throws `INCOMPLETE` when a value runs past the window and more input may follow).
 *
 * Values map into the EDN model: objects -> EdnMap with string keys, arrays -> vectors,
 * integers exact (numbers up to 2^53, bigint beyond — `JSON.parse` would round them),
 * other numbers -> number. Keyword conventions for histories (`"type": "invoke"` -> `:invoke`)
 * are the history reader's business, not this scanner's.
 */
import { ByteWindow } from './byte-window.js';
import { INCOMPLETE, describeByte, utf8 } from './bytes.js';
import { EdnMap, type EdnValue, normalInt } from './values.js';

const WS = new Uint8Array(256);
for (const c of [32, 9, 10, 13]) WS[c] = 1;
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Reads JSON values from a window of UTF-8 bytes, as `EdnScanner` reads EDN: `reset`, then
 * `read` (or `readObjectInto`) per value. Throws `EdnSyntaxError` on malformed input (`atEof`
 * when the input ended mid-value) and `INCOMPLETE` when a value runs past `end` before end of
 * input.
 */
export class JsonScanner extends ByteWindow {
  protected override readonly rawControlInStrings = false;

  /** Skips JSON whitespace. */
  skipWs(): void {
    const buf = this.buf;
    const end = this.end;
    let p = this.pos;
    while (p < end && WS[buf[p]] === 1) p++;
    this.pos = p;
  }

  /** The next byte after whitespace, or -1 at the end of the window. */
  peek(): number {
    this.skipWs();
    return this.pos < this.end ? this.buf[this.pos] : -1;
  }

  read(): EdnValue {
    this.skipWs();
    const buf = this.buf;
    const p = this.pos;
    if (p >= this.end) this.more(p, 'a value');
    const c = buf[p];
    if (c === 123) {
      const keys: string[] = [];
      const vals: EdnValue[] = [];
      this.readObjectInto(keys, vals);
      return new EdnMap(keys, vals);
    }
    if (c === 91) return this.readArray();
    if (c === 34) return this.readString();
    if (c === 45 || (c >= 48 && c <= 57)) return this.readNumber();
    return this.readLiteral();
  }

  private readArray(): EdnValue[] {
    const start = this.pos;
    this.pos++;
    const out: EdnValue[] = [];
    if (this.peek() === 93) {
      this.pos++;
      return out;
    }
    this.nest(start);
    for (;;) {
      out.push(this.read());
      const c = this.peek();
      if (c === 44) this.pos++;
      else if (c === 93) {
        this.pos++;
        this.depth--;
        return out;
      } else if (c < 0) this.more(start, 'an array');
      else this.fail(this.pos, `expected ',' or ']' in an array, found ${describeByte(this.buf, this.pos, this.end)}`);
    }
  }

  /** Reads an object into `keys`/`vals` (cleared first). Returns false if the next value is not an object. */
  readObjectInto(keys: string[], vals: EdnValue[]): boolean {
    const c0 = this.peek();
    if (c0 < 0) this.more(this.pos, 'a value');
    if (c0 !== 123) return false;
    const start = this.pos;
    this.pos++;
    keys.length = 0;
    vals.length = 0;
    if (this.peek() === 125) {
      this.pos++;
      return true;
    }
    this.nest(start);
    for (;;) {
      const c = this.peek();
      if (c < 0) this.more(start, 'an object');
      if (c !== 34) this.fail(this.pos, `expected a "key" in an object, found ${describeByte(this.buf, this.pos, this.end)}`);
      const key = this.readString();
      const colon = this.peek();
      if (colon < 0) this.more(start, 'an object');
      if (colon !== 58) this.fail(this.pos, `expected ':' after the key "${key}", found ${describeByte(this.buf, this.pos, this.end)}`);
      this.pos++;
      if (keys.includes(key)) this.fail(start, `duplicate key "${key}" in an object`);
      keys.push(key);
      vals.push(this.read());
      const next = this.peek();
      if (next === 44) this.pos++;
      else if (next === 125) {
        this.pos++;
        this.depth--;
        return true;
      } else if (next < 0) this.more(start, 'an object');
      else this.fail(this.pos, `expected ',' or '}' in an object, found ${describeByte(this.buf, this.pos, this.end)}`);
    }
  }



  /** JSON's one escape beyond EDN's shared ones: `\/`. */
  protected otherEscape(e: number, p: number): { text: string; next: number } | undefined {
    return e === 47 ? { text: '/', next: p } : undefined;
  }

  private tokenEnd(p: number): number {
    const buf = this.buf;
    const end = this.end;
    while (p < end) {
      const c = buf[p];
      if (WS[c] === 1 || c === 44 || c === 93 || c === 125 || c === 58) break;
      p++;
    }
    if (p >= end && !this.eof) throw INCOMPLETE;
    return p;
  }

  private readNumber(): EdnValue {
    const start = this.pos;
    const e = this.tokenEnd(start);
    const text = utf8(this.buf, start, e, true);
    if (!NUMBER.test(text)) this.fail(start, `invalid number ${text}`);
    this.pos = e;
    if (/^-?\d+$/.test(text)) return text.length <= 15 ? Number(text) : normalInt(BigInt(text));
    return Number(text);
  }

  private readLiteral(): EdnValue {
    const start = this.pos;
    const e = this.tokenEnd(start);
    const text = utf8(this.buf, start, e, false);
    this.pos = e;
    if (text === 'null') return null;
    if (text === 'true') return true;
    if (text === 'false') return false;
    if (text === '') this.fail(start, `unexpected ${describeByte(this.buf, start, this.end)}`);
    return this.fail(start, `unexpected ${text}; expected a JSON value`);
  }
}
