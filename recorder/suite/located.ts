/**
 * A suite file read with the line each value starts on, so a bad field is reported at its line
 * (`sanity.edn:12: …`), not just by its path. The project's EDN and JSON scanners read every
 * value; this module only walks maps and vectors itself to note where each item begins.
 */
import { EdnSyntaxError } from '../../analyzer/edn/bytes.js';
import { JsonScanner } from '../../analyzer/edn/json-scanner.js';
import { EdnScanner } from '../../analyzer/edn/scanner.js';
import type { EdnValue } from '../../analyzer/edn/values.js';

/** A value as read, the line (1-based) it starts on, and, for a map or vector, its parts located too. */
export interface Located {
  readonly value: EdnValue;
  readonly line: number;
  /** A vector's (JSON array's) items. */
  readonly items?: readonly Located[];
  /** A map's (JSON object's) entries, in file order. */
  readonly entries?: ReadonlyArray<readonly [key: Located, value: Located]>;
}

/** Bad syntax at a line: the message without the file name, which the caller adds. */
export class LocatedSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'LocatedSyntaxError';
  }
}

const OPEN_MAP = 123;
const CLOSE_MAP = 125;
const OPEN_VEC = 91;
const CLOSE_VEC = 93;

/** Line numbers of byte offsets, from the offsets where lines start. */
function lineIndex(buf: Buffer): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < buf.length; i++) if (buf[i] === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

type Scanner = EdnScanner | JsonScanner;

/** Reads the value at the scanner's position, locating the items of maps and vectors. */
function walk(s: Scanner, json: boolean, lineOf: (o: number) => number): Located {
  s.skipWs();
  const start = s.pos;
  const c = s.buf[start];
  if (start < s.end && (c === OPEN_MAP || c === OPEN_VEC)) {
    const close = c === OPEN_MAP ? CLOSE_MAP : CLOSE_VEC;
    const kids: Located[] = [];
    s.pos++;
    for (;;) {
      s.skipWs();
      if (s.pos >= s.end) throw new EdnSyntaxError(start, `file ends inside a ${c === OPEN_MAP ? 'map' : 'vector'}`, true);
      if (s.buf[s.pos] === close) break;
      kids.push(walk(s, json, lineOf));
      if (!json) continue;
      // JSON's separators: ':' after a key, ',' between items; the scanner's own read checks them again below.
      s.skipWs();
      const sep = s.buf[s.pos];
      if (sep === 58 || sep === 44) s.pos++;
    }
    // The value itself, read again by the scanner: its checks (duplicate keys, separators) are the reader's.
    s.pos = start;
    const value = s.read();
    const line = lineOf(start);
    if (c === OPEN_VEC) return { value, line, items: kids };
    const entries: Array<[Located, Located]> = [];
    for (let i = 0; i + 1 < kids.length; i += 2) entries.push([kids[i], kids[i + 1]]);
    return { value, line, entries };
  }
  const value = s.read();
  return { value, line: lineOf(start) };
}

/**
 * Reads one EDN (or, with `json`, JSON) value from `text` with its located parts. Throws
 * `LocatedSyntaxError` (with the line) when the text is not one well-formed value.
 */
export function readLocated(text: string, json: boolean): Located {
  const buf = Buffer.from(text, 'utf8');
  const lineOf = lineIndex(buf);
  const s: Scanner = json ? new JsonScanner() : new EdnScanner();
  s.reset(buf, 0, buf.length, true);
  try {
    const v = walk(s, json, lineOf);
    s.skipWs();
    if (s.pos < s.end) throw new EdnSyntaxError(s.pos, 'expected the end of the file after the suite map');
    return v;
  } catch (e) {
    if (e instanceof EdnSyntaxError) throw new LocatedSyntaxError(lineOf(e.offset), e.detail);
    throw e;
  }
}
