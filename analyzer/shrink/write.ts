/**
 * A shrunk history as a file: a `; hindsight-shrink {…}` comment line naming the original, the
 * failure kept, the checker and its flags, and the sizes; then the ops as Jepsen's history.edn
 * lines, `:index` renumbered from 0 and the original's kept as `:original-index` so each op can
 * be found in the original.
 */
import { printEdn } from '../edn/print.js';
import { parseEdn } from '../edn/scanner.js';
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
    still: s.kind.describe,
    check: info.check,
    'ops-before': s.opsBefore,
    'ops-after': s.opsAfter,
    tests: s.tests,
    finished: s.finished,
    seconds: Math.round(info.seconds * 10) / 10,
  };
  const lines = [`${HEADER}${printEdn(header)}`];
  const h = s.history;
  const original = kw('original-index');
  for (let i = 0; i < h.length; i++) {
    const op = h.op(i);
    const extra = op.extra === undefined ? new EdnMap([original], [op.index]) : new EdnMap([...op.extra.keys, original], [...op.extra.vals, op.index]);
    lines.push(printOp({ ...op, index: i, extra }));
  }
  return lines.join('\n') + '\n';
}

/** The file a run's shrunk history is kept in, beside its history.edn (`report --shrink`). */
export const RUN_SHRUNK_FILE = 'history.min.edn';

/** What a shrunk file's header says, for a report to link it. */
export interface ShrunkSummary {
  opsBefore: number;
  opsAfter: number;
  /** What the shrunk history still shows (`G1c`, `not valid at op 491`). */
  still: string;
}

const HEADER = '; hindsight-shrink ';

/** The summary in `text`'s first line, when it is a hindsight-shrink header; undefined otherwise. */
export function shrunkSummary(text: string): ShrunkSummary | undefined {
  if (!text.startsWith(HEADER)) return undefined;
  const end = text.indexOf('\n');
  try {
    const h = parseEdn(text.slice(HEADER.length, end < 0 ? undefined : end));
    if (!(h instanceof EdnMap)) return undefined;
    const before = h.kw('ops-before');
    const after = h.kw('ops-after');
    const still = h.kw('still');
    if (typeof before !== 'number' || typeof after !== 'number' || typeof still !== 'string') return undefined;
    return { opsBefore: before, opsAfter: after, still };
  } catch {
    return undefined;
  }
}
