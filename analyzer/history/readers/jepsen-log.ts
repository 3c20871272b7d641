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

/**
 * One Jepsen log or history.txt being read: the mode the first lines decide, each process's open
 * invocation's value, and the lines skipped, for the messages at the end.
 */
class LogReader {
  private readonly sc = new EdnScanner();
  /** Unknown until the first line that is not blank says: a log, or a bare history.txt. */
  private mode: 'unknown' | 'log' | 'bare' = 'unknown';
  /** Value of each process's open invocation, to restore values that old logs replaced by the error. */
  private readonly openValue = new Map<unknown, EdnValue>();
  /** The first line of a file read as a log because it was not an op: named if no op follows. */
  private firstNonOp: { line: number; why: string; binary: boolean } | undefined;
  /** Marker lines that are not ops: dropped, but said (a dropped op can change a verdict). */
  private dropped = 0;
  private firstDropped: { line: number; why: string } | undefined;

  constructor(
    private readonly src: ChunkedSource,
    private readonly sink: OpSink,
    private readonly d: Diagnostics,
    private readonly utf8: Utf8Policy,
  ) {}

  /** Adds an op line, taking an old log's error-in-the-value back apart (see the file's header). */
  private add(parsed: LineOp, line: number): void {
    let { value, error } = parsed;
    const p = parsed.process;
    const key = p instanceof Keyword || typeof p === 'number' ? p : String(p);
    if (parsed.typeCode === INVOKE) this.openValue.set(key, value);
    else {
      const invoked = this.openValue.get(key);
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
      this.openValue.delete(key);
    }
    this.sink.add(undefined, parsed.time, parsed.typeCode, parsed.process, parsed.f, value, error, undefined, line);
  }

  /** The fields of a log line start after the marker: ': ' (new logs) or ' - ' (old logs). */
  private fieldsAfter(m: number, lineEnd: number): number {
    const buf = this.src.buf;
    let f = m + MARKER.length;
    if (f < lineEnd && buf[f] === 58) f++;
    while (f < lineEnd && (buf[f] === 32 || buf[f] === 9)) f++;
    if (f + 1 < lineEnd && buf[f] === 45 && (buf[f + 1] === 32 || buf[f + 1] === 9)) f++;
    return f;
  }

  private trimCr(from: number, lineEnd: number): number {
    return lineEnd > from && this.src.buf[lineEnd - 1] === 13 ? lineEnd - 1 : lineEnd;
  }

  /** A log line holding the marker at m: an op, or one that is not (counted and warned about). */
  private logLine(lineStart: number, m: number, lineEnd: number): void {
    const src = this.src;
    const f = this.fieldsAfter(m, lineEnd);
    const parsed = parseFields(this.sc, src.buf, f, this.trimCr(f, lineEnd), true);
    if (typeof parsed !== 'string') {
      src.checkUtf8(f, lineEnd, this.utf8); // only op lines are read, so only they must be UTF-8
      this.add(parsed, src.lineAt(lineStart));
    }
    else {
      this.dropped++;
      this.firstDropped ??= { line: src.lineAt(lineStart), why: parsed };
    }
  }

  /** True once the file is known to be a log (then read with `scanMarkers`). */
  inLog(): boolean {
    return this.mode === 'log';
  }

  /**
   * In a log, from `pos` of the window: jumps from marker to marker (lines without one are
   * never looked at) and returns where to go on after the next fill (the unfinished last line).
   */
  scanMarkers(pos: number): number {
    const src = this.src;
    const buf = src.buf;
    const end = src.end;
    for (;;) {
      let m = buf.indexOf(MARKER, pos);
      if (m >= end) m = -1;
      if (m < 0) {
        // keep the unfinished last line: a marker may straddle the chunk boundary
        const lastNl = end > 0 ? buf.lastIndexOf(10, end - 1) : -1;
        return Math.max(pos, lastNl + 1);
      }
      const lineStart = Math.max(pos, m > 0 ? buf.lastIndexOf(10, m - 1) + 1 : 0);
      let lineEnd = buf.indexOf(10, m);
      if (lineEnd < 0 || lineEnd >= end) {
        if (!src.eof) return lineStart;
        lineEnd = end;
      }
      this.logLine(lineStart, m, lineEnd);
      pos = lineEnd + 1;
    }
  }

  /**
   * In a history.txt, or before the first line says which the file is: line by line from `pos`
   * until the window's last whole line, or until a line makes the file a log. Returns where the
   * next line starts.
   */
  scanLines(pos: number): number {
    const src = this.src;
    const d = this.d;
    const sc = this.sc;
    const buf = src.buf;
    const end = src.end;
    while (pos < end && this.mode !== 'log') {
      let lineEnd = buf.indexOf(10, pos);
      if (lineEnd < 0 || lineEnd >= end) {
        if (!src.eof) break;
        lineEnd = end;
      }
      const last = lineEnd === end;
      const e = this.trimCr(pos, lineEnd);
      if (this.mode === 'unknown') {
        const m = buf.indexOf(MARKER, pos);
        if (m >= 0 && m < e) {
          this.mode = 'log';
          this.logLine(pos, m, lineEnd);
          return lineEnd + 1;
        }
      }
      sc.reset(buf, pos, e, true);
      if (sc.atEnd()) {
        // A blank or comment line of a history.txt (or before one): the file is all history, so
        // it must be UTF-8 as EDN's comments must; only a log's other lines are left unread.
        src.checkUtf8(pos, e, this.utf8);
      } else {
        const parsed = parseFields(sc, buf, pos, e, false);
        const line = src.lineAt(pos);
        if (typeof parsed !== 'string') {
          this.mode = 'bare';
          src.checkUtf8(pos, e, this.utf8);
          this.add(parsed, line);
        } else if (this.mode === 'unknown') {
          this.mode = 'log'; // a log's preamble: ignore the line, look for markers from here on
          this.firstNonOp = { line, why: parsed, binary: !validUtf8(buf, pos, e) || buf.subarray(pos, e).includes(0) };
        } else if (last) {
          d.warn(line, TORN_OP);
        } else {
          d.error(line, parsed);
        }
      }
      pos = lineEnd + 1;
    }
    return pos;
  }

  /** After the last line: an error if no line was an op, a warning for marker lines skipped. */
  finish(): void {
    const d = this.d;
    const firstNonOp = this.firstNonOp;
    if (this.sink.count === 0 && firstNonOp !== undefined) {
      // Nothing in the file is an op: name where that shows first.
      const what = firstNonOp.binary ? 'holds binary data, not text' : `is not an op (${firstNonOp.why})`;
      d.error(
        firstNonOp.line,
        `found no ops: this line ${what}, and no line has the ${MARKER.toString()} marker of a Jepsen log; expected EDN op maps, a JSON array or JSON lines, or Jepsen log lines (see \`hindsight formats\`)`,
      );
    }
    const dropped = this.dropped;
    if (this.firstDropped !== undefined) {
      const more = dropped > 1 ? ` (and ${dropped - 1} more such lines)` : '';
      d.warn(this.firstDropped.line, `a ${MARKER.toString()} line that is not an op was skipped${more}: ${this.firstDropped.why}`, dropped);
    }
  }
}

/**
 * Reads the ops of a Jepsen log or history.txt from `src` into `sink`, as the file's header
 * describes. Throws `HistoryError` (through `d`) for a history.txt line that is not an op, a
 * file with no op at all, or bytes that are not UTF-8 on a line that is read (under `strict`);
 * warns of a torn last line and of marker lines skipped.
 */
export async function readJepsenLog(src: ChunkedSource, sink: OpSink, d: Diagnostics, utf8: Utf8Policy = 'strict'): Promise<void> {
  const r = new LogReader(src, sink, d, utf8);
  let pos = src.start;
  for (;;) {
    if (r.inLog()) pos = r.scanMarkers(pos);
    else {
      pos = r.scanLines(pos);
      if (r.inLog() && pos < src.end) continue;
    }
    if (src.eof) break;
    pos = Math.min(pos, src.end);
    await src.fill(pos);
    pos = 0;
  }
  r.finish();
}
