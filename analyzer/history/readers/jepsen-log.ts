/**
 * Jepsen's text forms of a history: the op lines its `jepsen.util` logger writes into
 * `jepsen.log`, and `history.txt`. Each op is `process  type  f  value[  error]`, fields
 * separated by tabs or runs of spaces, each field an EDN value:
 *
 *   INFO  jepsen.util - 3	:invoke	:cas	[1 4]                                      (old logs)
 *   2022-07-28 07:52:57,101{GMT}	INFO	[jepsen worker 3] jepsen.util: [ 1345013587 ] 3	:invoke	:read	nil
 *   3	:invoke	:read	nil                                                            (history.txt)
 *
 * The first line that is not blank says which: one holding the `jepsen.util` marker, or any
 * other line that is not an op, makes the file a log, where only lines after a `jepsen.util`
 * marker count and marker lines that are not ops are ignored like every other log line (the
 * optional `[ n ]` after the marker is the op's time in nanoseconds). A first line that is an
 * op makes it a bare `history.txt`, where every non-blank line must be an op.
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
import { validUtf8 } from './utf8-check.js';
import { FAIL, INFO, INVOKE } from '../op.js';
import { TORN_OP } from './edn.js';
import { TYPE_EXPECTED, type OpSink, typeCodeOf } from './op-sink.js';
import type { ChunkedSource, Utf8Policy } from './source.js';

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

export async function readJepsenLog(src: ChunkedSource, sink: OpSink, d: Diagnostics, utf8: Utf8Policy = 'strict'): Promise<void> {
  const sc = new EdnScanner();
  let mode: 'unknown' | 'log' | 'bare' = 'unknown';
  /** Value of each process's open invocation, to restore values that old logs replaced by the error. */
  const openValue = new Map<unknown, EdnValue>();
  const processKey = (p: EdnValue) => (p instanceof Keyword || typeof p === 'number' ? p : String(p));
  let pos = src.start;

  const add = (parsed: LineOp, line: number) => {
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

  /** The fields of a log line start after the marker: ': ' (new logs) or ' - ' (old logs). */
  const fieldsAfter = (m: number, lineEnd: number) => {
    const buf = src.buf;
    let f = m + MARKER.length;
    if (f < lineEnd && buf[f] === 58) f++;
    while (f < lineEnd && (buf[f] === 32 || buf[f] === 9)) f++;
    if (f + 1 < lineEnd && buf[f] === 45 && (buf[f + 1] === 32 || buf[f + 1] === 9)) f++;
    return f;
  };

  const trimCr = (from: number, lineEnd: number) => (lineEnd > from && src.buf[lineEnd - 1] === 13 ? lineEnd - 1 : lineEnd);

  /** The first line of a file read as a log because it was not an op: named if no op follows. */
  let firstNonOp: { line: number; why: string; binary: boolean } | undefined;
  /** Marker lines that are not ops: dropped, but said (a dropped op can change a verdict). */
  let dropped = 0;
  let firstDropped: { line: number; why: string } | undefined;

  /** A log line holding the marker at m: an op, or one that is not (counted and warned about). */
  const logLine = (lineStart: number, m: number, lineEnd: number) => {
    const f = fieldsAfter(m, lineEnd);
    const parsed = parseFields(sc, src.buf, f, trimCr(f, lineEnd), true);
    if (typeof parsed !== 'string') {
      src.checkUtf8(f, lineEnd, utf8); // only op lines are read, so only they must be UTF-8
      add(parsed, src.lineAt(lineStart));
    }
    else {
      dropped++;
      firstDropped ??= { line: src.lineAt(lineStart), why: parsed };
    }
  };

  for (;;) {
    const buf = src.buf;
    const end = src.end;
    if (mode === 'log') {
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
        const lineStart = Math.max(pos, m > 0 ? buf.lastIndexOf(10, m - 1) + 1 : 0);
        let lineEnd = buf.indexOf(10, m);
        if (lineEnd < 0 || lineEnd >= end) {
          if (!src.eof) {
            pos = lineStart;
            break;
          }
          lineEnd = end;
        }
        logLine(lineStart, m, lineEnd);
        pos = lineEnd + 1;
      }
    } else {
      while (pos < end && mode !== 'log') {
        let lineEnd = buf.indexOf(10, pos);
        if (lineEnd < 0 || lineEnd >= end) {
          if (!src.eof) break;
          lineEnd = end;
        }
        const last = lineEnd === end;
        const e = trimCr(pos, lineEnd);
        if (mode === 'unknown') {
          const m = buf.indexOf(MARKER, pos);
          if (m >= 0 && m < e) {
            mode = 'log';
            logLine(pos, m, lineEnd);
            pos = lineEnd + 1;
            break;
          }
        }
        sc.reset(buf, pos, e, true);
        if (sc.atEnd()) {
          // A blank or comment line of a history.txt (or before one): the file is all history, so
          // it must be UTF-8 as EDN's comments must; only a log's other lines are left unread.
          src.checkUtf8(pos, e, utf8);
        } else {
          const parsed = parseFields(sc, buf, pos, e, false);
          const line = src.lineAt(pos);
          if (typeof parsed !== 'string') {
            mode = 'bare';
            src.checkUtf8(pos, e, utf8);
            add(parsed, line);
          } else if (mode === 'unknown') {
            mode = 'log'; // a log's preamble: ignore the line, look for markers from here on
            firstNonOp = { line, why: parsed, binary: !validUtf8(buf, pos, e) || buf.subarray(pos, e).includes(0) };
          } else if (last) {
            d.warn(line, TORN_OP);
          } else {
            d.error(line, parsed);
          }
        }
        pos = lineEnd + 1;
      }
      if (mode === 'log' && pos < end) continue;
    }
    if (src.eof) break;
    pos = Math.min(pos, src.end);
    await src.fill(pos);
    pos = 0;
  }
  if (sink.count === 0 && firstNonOp !== undefined) {
    // Nothing in the file is an op: name where that shows first.
    const what = firstNonOp.binary ? 'holds binary data, not text' : `is not an op (${firstNonOp.why})`;
    d.error(
      firstNonOp.line,
      `found no ops: this line ${what}, and no line has the ${MARKER.toString()} marker of a Jepsen log; expected EDN op maps, a JSON array or JSON lines, or Jepsen log lines (see \`hindsight formats\`)`,
    );
  }
  if (firstDropped !== undefined) {
    const more = dropped > 1 ? ` (and ${dropped - 1} more such lines)` : '';
    d.warn(firstDropped.line, `a ${MARKER.toString()} line that is not an op was skipped${more}: ${firstDropped.why}`, dropped);
  }
}
