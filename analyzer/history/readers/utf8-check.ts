/**
 * UTF-8 validation of history bytes. The scanners decode text with replacement (U+FFFD) for
 * speed and simplicity, which would make `"a\xff"` and `"a\xfe"` the same value and could turn
 * a non-linearizable history valid. So the bytes are checked first, once, by Node's native
 * `isUtf8` (gigabytes a second); only a range that fails is walked here, to find the first bad
 * byte or to count the bad sequences.
 */
import { isUtf8 } from 'node:buffer';

/**
 * How many bytes at the end of `buf[from, end)` may be the start of a character that continues
 * past `end` (0–3): they are checked with the next chunk instead.
 */
export function unfinishedTail(buf: Uint8Array, from: number, end: number): number {
  for (let back = 1; back <= 3 && end - back >= from; back++) {
    const b = buf[end - back];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** True when `buf[from, to)` is valid UTF-8. */
export function validUtf8(buf: Uint8Array, from: number, to: number): boolean {
  return from >= to || isUtf8(buf.subarray(from, to));
}

/**
 * The length of the well-formed character at `p`, or 0 if `p` starts an ill-formed sequence
 * (per the Unicode standard's table of well-formed byte sequences: no overlong forms, no
 * surrogates, nothing past U+10FFFF).
 */
function charLength(buf: Uint8Array, p: number, to: number): number {
  const b = buf[p];
  if (b < 0x80) return 1;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) n = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    n = 3;
    if (b === 0xe0) lo = 0xa0;
    else if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    n = 4;
    if (b === 0xf0) lo = 0x90;
    else if (b === 0xf4) hi = 0x8f;
  } else return 0;
  if (p + n > to) return 0;
  const c1 = buf[p + 1];
  if (c1 < lo || c1 > hi) return 0;
  for (let k = 2; k < n; k++) if ((buf[p + k] & 0xc0) !== 0x80) return 0;
  return n;
}

/** Where the bad sequences of `buf[from, to)` are: the first's offset and how many there are. */
export function invalidUtf8(buf: Uint8Array, from: number, to: number): { first: number; count: number } {
  let first = -1;
  let count = 0;
  let p = from;
  while (p < to) {
    const n = charLength(buf, p, to);
    if (n > 0) {
      p += n;
      continue;
    }
    if (first < 0) first = p;
    count++;
    p++;
    while (p < to && (buf[p] & 0xc0) === 0x80) p++; // a sequence's stray continuations count once
  }
  return { first, count };
}
