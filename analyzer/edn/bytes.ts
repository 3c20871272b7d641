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

export function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Keyword interning by bytes: a keyword read twice is never turned into a JS string twice. */
interface KwEntry {
  bytes: Uint8Array;
  kw: Keyword;
}
const kwTable = new Map<number, KwEntry | KwEntry[]>();
let kwCount = 0;
const KW_CACHE_LIMIT = 200_000;

function sameBytes(a: Uint8Array, buf: Uint8Array, start: number, len: number): boolean {
  if (a.length !== len) return false;
  for (let i = 0; i < len; i++) if (a[i] !== buf[start + i]) return false;
  return true;
}

/** The Keyword whose name is the UTF-8 bytes [start, end); `hash` is any hash of those bytes. */
export function keywordAt(buf: Uint8Array, start: number, end: number, hash: number, ascii: boolean): Keyword {
  const len = end - start;
  const key = (hash ^ len) | 0;
  const hit = kwTable.get(key);
  if (hit !== undefined) {
    if (!Array.isArray(hit)) {
      if (sameBytes(hit.bytes, buf, start, len)) return hit.kw;
    } else {
      for (const e of hit) if (sameBytes(e.bytes, buf, start, len)) return e.kw;
    }
  }
  const kw = Keyword.of(utf8(buf, start, end, ascii));
  if (kwCount < KW_CACHE_LIMIT) {
    kwCount++;
    const entry = { bytes: buf.slice(start, end), kw };
    if (hit === undefined) kwTable.set(key, entry);
    else if (Array.isArray(hit)) hit.push(entry);
    else kwTable.set(key, [hit, entry]);
  }
  return kw;
}
