/**
 * JSON histories, as elle-cli takes them: one array of op objects, or JSON lines (one object
 * after another). Keys are the EDN keys as strings; see `op-sink.ts` for which strings become
 * keywords.
 */
import { INCOMPLETE, describeByte } from '../../edn/bytes.js';
import { JsonScanner } from '../../edn/json-scanner.js';
import type { EdnValue } from '../../edn/values.js';
import type { Diagnostics } from '../diagnostics.js';
import { TORN_OP, syntaxProblem } from './edn.js';
import type { OpSink } from './op-sink.js';
import type { ChunkedSource } from './source.js';

/**
 * Reads the JSON op objects of `src` (one array of them, or JSON lines) into `sink`. Throws
 * `HistoryError` (through `d`) for JSON that is not well-formed or a value that is not an op
 * object; warns of a torn last op.
 */
export async function readJsonOps(src: ChunkedSource, sink: OpSink, d: Diagnostics): Promise<void> {
  const sc = new JsonScanner();
  const keys: string[] = [];
  const vals: EdnValue[] = [];
  let pos = src.start;
  /** undefined until the first byte says: array or lines. */
  let array: boolean | undefined;
  let closed = false;
  /** In an array: true when the next thing must be ',' or ']'. */
  let afterItem = false;
  for (;;) {
    sc.reset(src.buf, pos, src.end, src.eof);
    try {
      for (;;) {
        const c = sc.peek();
        pos = sc.pos;
        if (c < 0) break;
        const line = src.lineAt(pos);
        if (closed) d.error(line, `expected the end of the file after the closing ']', found ${describeByte(src.buf, pos, src.end)}`);
        if (array === undefined) {
          array = c === 91;
          if (array) {
            pos = ++sc.pos;
            continue;
          }
        }
        if (array) {
          if (c === 93) {
            closed = true;
            pos = ++sc.pos;
            continue;
          }
          if (afterItem) {
            if (c !== 44) d.error(line, `expected ',' or ']' after an op, found ${describeByte(src.buf, pos, src.end)}`);
            afterItem = false;
            pos = ++sc.pos;
            continue;
          }
        }
        if (!sc.readObjectInto(keys, vals)) {
          d.error(line, `expected an op object {"type": …, "f": …, "value": …}, found ${describeByte(src.buf, sc.pos, src.end)}`);
        }
        pos = sc.pos;
        afterItem = true;
        sink.addJson(keys, vals, line);
      }
    } catch (e) {
      if (e !== INCOMPLETE) {
        syntaxProblem(e, src, d, pos, 'JSON');
        return;
      }
    }
    if (src.eof) break;
    await src.fill(pos);
    pos = 0;
  }
  if (array === true && !closed) d.warn(src.lineAt(src.end), TORN_OP.replace('in the middle of an op', "before the array's closing ']'"));
}
