/**
 * Byte-level helpers shared by the EDN and JSON scanners: the "ran out of buffer" signal,
 * syntax errors that know their byte offset, string decoding and keyword interning.
 *
 * The scanners read UTF-8 bytes straight out of file chunks rather than decoded strings:
 * most of a history is ASCII punctuation, digits and keywords that never need to become JS
 * strings at all (a keyword is looked up by its bytes; an integer is accumulated digit by digit).
 */
import { Keyword } from './values.js';

/**
 * Thrown (as this one object, never an Error, so it costs no stack trace) when a scanner reaches
 * the end of its buffer before the end of a value and more input may follow. The caller reads
 * another chunk and scans the value again from its start.
 */
export const INCOMPLETE: unique symbol = Symbol('incomplete');

/** A syntax error at a byte offset of the buffer being scanned. `atEof`: the input ended mid-value. */
export class EdnSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly detail: string,
    readonly atEof = false,
  ) {
    super(detail);
    this.name = 'EdnSyntaxError';
  }
}

/** How a byte reads in an error message. */
export function describeByte(buf: Uint8Array, pos: number, end: number): string {
  if (pos >= end) return 'end of file';
  const c = buf[pos];
  if (c === 10) return 'end of line';
  if (c >= 0x21 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

const decoder = new TextDecoder('utf-8');

/** Decodes bytes [start, end) as UTF-8; short ASCII runs skip the decoder. */
export function utf8(buf: Uint8Array, start: number, end: number, ascii: boolean): string {
  if (ascii && end - start <= 24) {
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]);
    return s;
  }
  return decoder.decode(buf.subarray(start, end));
}

/** The value of an ASCII hex digit byte (`0-9a-fA-F`), or -1 for any other byte. */
export function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Keyword interning by bytes: a keyword read twice is never turned into a JS string twice.
 * A direct-mapped cache indexed by a hash of the bytes; a miss (new keyword or collision)
 * falls back to `Keyword.of` and replaces the slot. Histories use a few dozen keywords.
 */
const KW_SLOTS = 4096;
const kwBytes: (Uint8Array | undefined)[] = new Array(KW_SLOTS).fill(undefined);
const kwObjs: (Keyword | undefined)[] = new Array(KW_SLOTS).fill(undefined);

/** The Keyword whose name is the UTF-8 bytes [start, end); `hash` is any hash of those bytes. */
export function keywordAt(buf: Uint8Array, start: number, end: number, hash: number, ascii: boolean): Keyword {
  const len = end - start;
  const slot = (hash ^ (hash >>> 13) ^ len) & (KW_SLOTS - 1);
  const b = kwBytes[slot];
  if (b !== undefined && b.length === len) {
    let i = 0;
    while (i < len && b[i] === buf[start + i]) i++;
    if (i === len) return kwObjs[slot]!;
  }
  const kw = Keyword.of(utf8(buf, start, end, ascii));
  kwBytes[slot] = Uint8Array.prototype.slice.call(buf, start, end); // a copy: buf is reused for later chunks
  kwObjs[slot] = kw;
  return kw;
}
