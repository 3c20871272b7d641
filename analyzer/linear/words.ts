/**
 * The linearizable checker's words in a report: which op could not be placed, and after what —
 * "process 70's read of 0 (op 491) cannot be ordered after process 76's write of 2 (op 472):
 * can't read 0 from register 2". The "after" op is the one that set the model state the failing
 * op contradicts, found on the longest linearization the search reached (`:final-paths`).
 */
import { printEdn } from '../edn/print.js';
import { type EdnRecord, type EdnValue, isRecord } from '../edn/values.js';
import type { Words } from '../check/checker.js';
import { opWords } from '../check/words.js';

/** The op on a final path that set the model state the failing op contradicts. */
function stateSetter(path: EdnValue | undefined): EdnRecord | undefined {
  if (!Array.isArray(path) || path.length < 2) return undefined;
  const steps = path.filter(isRecord);
  const before = steps.slice(0, -1);
  const state = before[before.length - 1]?.model;
  let setter: EdnRecord | undefined;
  // Walk back while the state is unchanged; the step where it first took this value set it.
  for (let i = before.length - 1; i >= 0; i--) {
    if (printEdn(before[i].model ?? null) !== printEdn(state ?? null)) break;
    if (isRecord(before[i].op)) setter = before[i].op as EdnRecord;
  }
  return setter;
}

/** Words for a result read back from EDN; undefined unless it is invalid with a failing op. */
export function linearWords(r: EdnRecord): Words | undefined {
  if (r['valid?'] !== false) return undefined;
  const results = Array.isArray(r.results) ? r.results.filter(isRecord) : [];
  const inner = results.find((x) => x['valid?'] === false) ?? r;
  const op = isRecord(inner.op) ? inner.op : isRecord(r.op) ? r.op : undefined;
  if (op === undefined) return undefined;
  const key = 'key' in inner && inner.key !== undefined ? `key ${printEdn(inner.key)}: ` : '';
  const paths = Array.isArray(inner['final-paths']) ? inner['final-paths'] : [];
  const setter = stateSetter(paths[0]);
  const prev = isRecord(inner['previous-ok']) ? inner['previous-ok'] : undefined;
  const after = setter ?? prev;
  const reason = typeof inner.reason === 'string' ? `: ${inner.reason}` : typeof r.reason === 'string' ? `: ${r.reason}` : '';
  const sentence = `not linearizable: ${key}${opWords(op)} cannot be ordered after ${after ? opWords(after, false) : 'the ops before it'}${reason}`;
  const detail =
    paths.length > 0
      ? `No order of the ops places it: ${paths.length === 1 ? 'the longest order the search reached ends' : `each of the ${paths.length} longest orders the search reached ends`} ` +
        `in a state where this op is impossible.`
      : undefined;
  return { sentence, detail };
}

