/**
 * A shrunk history as a file: a `; hindsight-shrink {…}` comment line naming the original, the
 * failure kept, the checker and its flags, and the sizes; then the ops as Jepsen's history.edn
 * lines, `:index` renumbered from 0 and the original's kept as `:original-index` so each op can
 * be found in the original.
 */
import { printEdn } from '../edn/print.js';
import { type EdnRecord, EdnMap, kw } from '../edn/values.js';
import { printOp } from '../history/write.js';
import type { Shrunk } from './shrink.js';

/** What the header says besides the shrink itself. */
export interface ShrunkFileInfo {
  original: string;
  /** The `hindsight check` flags that show the failure (`--checker list-append`). */
  check: string;
  seconds: number;
}

/** The shrunk history's file text (see this file's header). */
export function shrunkFile(s: Shrunk, info: ShrunkFileInfo): string {
  const header: EdnRecord = {
    original: info.original,
    kept: s.kind.edn,
    check: info.check,
    'ops-before': s.opsBefore,
    'ops-after': s.opsAfter,
    tests: s.tests,
    finished: s.finished,
    seconds: Math.round(info.seconds * 10) / 10,
  };
  const lines = [`; hindsight-shrink ${printEdn(header)}`];
  const h = s.history;
  const original = kw('original-index');
  for (let i = 0; i < h.length; i++) {
    const op = h.op(i);
    const extra = op.extra === undefined ? new EdnMap([original], [op.index]) : new EdnMap([...op.extra.keys, original], [...op.extra.vals, op.index]);
    lines.push(printOp({ ...op, index: i, extra }));
  }
  return lines.join('\n') + '\n';
}
