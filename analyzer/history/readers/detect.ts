/**
 * Picks a history's format from its first bytes:
 *   `[` then `{"`  -> json (array)        `{"`    -> json (lines)
 *   `[` otherwise, `(` -> edn-vector         `{`/`#` -> edn (op maps)
 *   anything else  -> jepsen-log (a log or history.txt)
 * Leading whitespace and `;` comment lines are skipped first (Knossos files open with one).
 */
export type DetectedFormat = 'edn' | 'edn-vector' | 'json' | 'jepsen-log';

function skipBlank(buf: Uint8Array, p: number, end: number): number {
  for (;;) {
    while (p < end && (buf[p] === 32 || buf[p] === 9 || buf[p] === 10 || buf[p] === 13 || buf[p] === 44)) p++;
    if (p < end && buf[p] === 59) {
      while (p < end && buf[p] !== 10 && buf[p] !== 13) p++;
      continue;
    }
    return p;
  }
}

/**
 * The format of the bytes buf[start, end), or undefined if they end before deciding and more
 * may follow (`eof` false): the caller reads more and asks again.
 */
export function detectFormat(buf: Uint8Array, start: number, end: number, eof = true): DetectedFormat | undefined {
  const p = skipBlank(buf, start, end);
  if (p >= end) return eof ? 'edn' : undefined;
  const c = buf[p];
  if (c === 40) return 'edn-vector';
  if (c === 91) {
    const q = skipBlank(buf, p + 1, end);
    if (q >= end && !eof) return undefined;
    if (q < end && buf[q] === 123) {
      const r = skipBlank(buf, q + 1, end);
      if (r >= end && !eof) return undefined;
      if (r < end && buf[r] === 34) return 'json';
    }
    return 'edn-vector';
  }
  if (c === 123) {
    const r = skipBlank(buf, p + 1, end);
    if (r >= end && !eof) return undefined;
    return r < end && buf[r] === 34 ? 'json' : 'edn';
  }
  if (c === 35) return 'edn';
  return 'jepsen-log';
}
