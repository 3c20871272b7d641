/**
 * Jepsen's text forms of a history: the op lines its `jepsen.util` logger writes into
 * `jepsen.log`, and `history.txt`. Each op is `process  type  f  value[  error]`, fields
 * separated by tabs or runs of spaces, each field an EDN value:
 *
 *   INFO  jepsen.util - 3	:invoke	:cas	[1 4]                                      (old logs)
 *   2022-07-28 07:52:57,101{GMT}	INFO	[jepsen worker 3] jepsen.util: [ 1345013587 ] 3	:invoke	:read	nil
 *   3	:invoke	:read	nil                                                            (history.txt)
 *
 * In a log (any `jepsen.util` in the first chunk) only lines after a `jepsen.util` marker
 * count, and marker lines that are not ops are ignored like every other log line; the optional
 * `[ n ]` after the marker is the op's time in nanoseconds. In a bare `history.txt` every
 * non-blank line must be an op.
 *
 * Old Jepsen clients completed a timed-out op with its error in the value field
 * (`3 :info :cas :timed-out`). So when an `:info` or `:fail` line without an error field holds a
 * keyword value that differs from its invocation's value, the keyword is taken as the `:error`
 * and the op's value is its invocation's.
 */
import { EdnSyntaxError } from '../../edn/bytes.js';
import { EdnScanner } from '../../edn/scanner.js';
import { type EdnValue, Keyword, ednEquals } from '../../edn/values.js';
import type { Diagnostics } from '../diagnostics.js';
import { FAIL, INFO, INVOKE } from '../op.js';
import { TORN_OP } from './edn.js';
import { TYPE_EXPECTED, type OpSink, typeCodeOf } from './op-sink.js';
import type { ChunkedSource } from './source.js';

const MARKER = Buffer.from('jepsen.util');
const EXPECTED_FIELDS = 'expected process, type, f, value[, error] separated by tabs';

interface LineOp {
  time: number | undefined;
  process: EdnValue;
  typeCode: number;
  f: EdnValue;
  value: EdnValue;
  error: EdnValue | undefined;
}

/** Parses the op fields in buf[start, end); returns a message instead when the line is not an op. */
function parseFields(sc: EdnScanner, buf: Buffer, start: number, end: number, inLog: boolean): LineOp | string {
  sc.reset(buf, start, end, true);
  let time: number | undefined;
  const fields: EdnValue[] = [];
  try {
    while (!sc.atEnd()) {
      fields.push(sc.read());
      if (fields.length > 6) return `too many fields; ${EXPECTED_FIELDS}`;
    }
  } catch (e) {
    if (e instanceof EdnSyntaxError) return `malformed field: ${e.detail}; ${EXPECTED_FIELDS}`;
    throw e;
  }
  if (inLog && fields.length > 0 && Array.isArray(fields[0]) && fields[0].length === 1 && typeof fields[0][0] === 'number') {
    time = fields[0][0] as number;
    fields.shift();
  }
  if (fields.length < 4 || fields.length > 5) return `found ${fields.length} field${fields.length === 1 ? '' : 's'}; ${EXPECTED_FIELDS}`;
  const typeCode = typeCodeOf(fields[1]);
  if (typeCode < 0) return `unknown type ${String(fields[1])}; ${TYPE_EXPECTED}`;
  return { time, process: fields[0], typeCode, f: fields[2], value: fields[3], error: fields[4] };
}

/** Whether the text in buf[start, end) contains the log marker (decides log vs bare history.txt). */
export function looksLikeLog(buf: Buffer, start: number, end: number): boolean {
  const m = buf.indexOf(MARKER, start);
  return m >= 0 && m + MARKER.length <= end;
}

export async function readJepsenLog(src: ChunkedSource, sink: OpSink, d: Diagnostics): Promise<void> {
  const sc = new EdnScanner();
  const inLog = looksLikeLog(src.buf, src.start, src.end);
  /** Value of each process's open invocation, to restore values that old logs replaced by the error. */
  const openValue = new Map<unknown, EdnValue>();
  const processKey = (p: EdnValue) => (p instanceof Keyword || typeof p === 'number' ? p : String(p));
  let pos = src.start;
  let ignored = 0;

  const handle = (lineStart: number, fieldsStart: number, lineEnd: number, last: boolean) => {
    let e = lineEnd;
    if (e > fieldsStart && src.buf[e - 1] === 13) e--;
    const parsed = parseFields(sc, src.buf, fieldsStart, e, inLog);
    const line = src.lineAt(lineStart);
    if (typeof parsed === 'string') {
      if (inLog) {
        ignored++;
        return;
      }
      // bare history.txt: blank and comment lines are fine, anything else is an error
      sc.reset(src.buf, fieldsStart, e, true);
      if (sc.atEnd()) return;
      if (sink.count === 0) d.error(line, `not a history in any format hindsight reads: ${parsed} (see \`hindsight formats\`)`);
      if (last) d.warn(line, TORN_OP);
      else d.error(line, parsed);
      return;
    }
    let { value, error } = parsed;
    const key = processKey(parsed.process);
    if (parsed.typeCode === INVOKE) openValue.set(key, value);
    else {
      const invoked = openValue.get(key);
      if (
        error === undefined &&
        (parsed.typeCode === INFO || parsed.typeCode === FAIL) &&
        value instanceof Keyword &&
        invoked !== undefined &&
        !ednEquals(invoked, value)
      ) {
        error = value;
        value = invoked;
      }
      openValue.delete(key);
    }
    sink.add(undefined, parsed.time, parsed.typeCode, parsed.process, parsed.f, value, error, undefined, line);
  };

  for (;;) {
    const buf = src.buf;
    const end = src.end;
    if (inLog) {
      // Jump from marker to marker; lines without one are never looked at.
      for (;;) {
        let m = buf.indexOf(MARKER, pos);
        if (m >= end) m = -1;
        if (m < 0) {
          // keep the unfinished last line: a marker may straddle the chunk boundary
          const lastNl = end > 0 ? buf.lastIndexOf(10, end - 1) : -1;
          pos = Math.max(pos, lastNl + 1);
          break;
        }
        const lineStart = m > 0 ? buf.lastIndexOf(10, m - 1) + 1 : 0;
        let lineEnd = buf.indexOf(10, m);
        if (lineEnd < 0 || lineEnd >= end) {
          if (!src.eof) {
            pos = Math.max(pos, lineStart);
            break;
          }
          lineEnd = end;
        }
        let f = m + MARKER.length;
        while (f < lineEnd && (buf[f] === 58 || buf[f] === 32 || buf[f] === 9 || buf[f] === 45)) f++;
        handle(lineStart, f, lineEnd, lineEnd === end);
        pos = lineEnd + 1;
      }
    } else {
      for (;;) {
        if (pos >= end) break;
        let lineEnd = buf.indexOf(10, pos);
        if (lineEnd < 0 || lineEnd >= end) {
          if (!src.eof) break;
          lineEnd = end;
        }
        handle(pos, pos, lineEnd, lineEnd === end);
        pos = lineEnd + 1;
      }
    }
    if (src.eof) break;
    pos = Math.min(pos, src.end);
    await src.fill(pos);
    pos = 0;
  }
  void ignored;
}
