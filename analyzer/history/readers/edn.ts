/**
 * EDN histories: Jepsen's `history.edn` (one op map after another, normally one a line, with
 * `;` comments and blank lines allowed) and Knossos's data files (one vector `[ {...} ... ]`,
 * or a list `( {...} ... )`, whose maps may span lines). Both are a run of op maps; the vector form only adds brackets.
 *
 * A file that ends inside an op (a torn last line, as a recorder killed mid-write leaves) loses
 * that op with a warning; any other syntax error stops the read with the line it is on.
 */
import { EdnSyntaxError, INCOMPLETE, describeByte } from '../../edn/bytes.js';
import type { Diagnostics } from '../diagnostics.js';
import type { OpSink } from './op-sink.js';
import { OpScanner } from './op-scanner.js';
import type { ChunkedSource } from './source.js';

/** The warning for an op cut off by the end of the file (EDN and JSON readers alike). */
export const TORN_OP = 'file ends in the middle of an op (a torn last line, as a killed recorder leaves); skipped it';

/** Turns a scanner's syntax error into a HistoryError (or, at end of file, a torn-op warning). */
export function syntaxProblem(e: unknown, src: ChunkedSource, d: Diagnostics, opStart: number, what: string): void {
  if (!(e instanceof EdnSyntaxError)) throw e;
  if (e.atEof) {
    d.warn(src.lineAt(opStart), TORN_OP);
    return;
  }
  d.error(src.lineAt(e.offset), `malformed ${what}: ${e.detail}`);
}

/**
 * The file ended inside the op starting at `opStart`. If that op runs over later lines that
 * start like ops of their own, it was not torn at the end: an op in the middle was left
 * unclosed and swallowed the rest. That loses many ops, so it is an error, not a warning.
 */
function unclosedBeforeNextOp(src: ChunkedSource, d: Diagnostics, opStart: number): void {
  const buf = src.buf;
  let nl = buf.indexOf(10, opStart);
  while (nl >= 0 && nl < src.end) {
    let p = nl + 1;
    while (p < src.end && (buf[p] === 32 || buf[p] === 9 || buf[p] === 13)) p++;
    if (p < src.end && buf[p] === 123) {
      const opLine = src.lineAt(opStart);
      d.error(src.lineAt(p), `the op at line ${opLine} is not closed before this line, which starts another op; expected '}'`);
    }
    nl = buf.indexOf(10, p);
  }
}

/**
 * Reads the EDN op maps of `src` into `sink`: one after another, or (`vector`) inside one
 * vector or list. Throws `HistoryError` (through `d`) for a value that is not well-formed or
 * not an op map, or an op left unclosed before another starts; warns of a torn last op.
 */
export async function readEdnOps(src: ChunkedSource, sink: OpSink, d: Diagnostics, vector: boolean): Promise<void> {
  const sc = new OpScanner();
  let pos = src.start;
  let opened = !vector;
  let closed = false;
  let closer = 93;
  for (;;) {
    sc.reset(src.buf, pos, src.end, src.eof);
    try {
      for (;;) {
        sc.skipWs();
        pos = sc.pos;
        if (pos >= src.end) break;
        const line = src.lineAt(pos);
        if (closed) d.error(line, `expected the end of the file after the closing ${closer === 93 ? "']'" : "')'"}, found ${describeByte(src.buf, pos, src.end)}`);
        if (!opened) {
          const open = src.buf[pos];
          if (open !== 91 && open !== 40) d.error(line, `expected '[' to open the vector of ops, found ${describeByte(src.buf, pos, src.end)}`);
          closer = open === 91 ? 93 : 41;
          opened = true;
          pos = ++sc.pos;
          continue;
        }
        if (vector && src.buf[pos] === closer) {
          closed = true;
          pos = ++sc.pos;
          continue;
        }
        if (!sc.readOp()) d.error(line, `expected an op map {:type …, :f …, :value …}, found ${describeByte(src.buf, sc.pos, src.end)}`);
        pos = sc.pos;
        sink.addFields(sc, line);
      }
    } catch (e) {
      if (e !== INCOMPLETE) {
        if (!vector && e instanceof EdnSyntaxError && e.atEof) unclosedBeforeNextOp(src, d, pos);
        syntaxProblem(e, src, d, pos, 'EDN');
        return;
      }
    }
    if (src.eof) break;
    await src.fill(pos);
    pos = 0;
  }
  if (vector && opened && !closed) d.warn(src.lineAt(src.end), TORN_OP.replace('in the middle of an op', "before the vector's closing ']'"));
}
