/**
 * What went wrong, in words, for the kinds of result a person most often opens a report for.
 * A checker's own `describe` is a one-line summary for a terminal; a report can say more:
 *
 * - linearizable: which op could not be placed, and after what: "process 70's read of 0
 *   (op 491) cannot be ordered after process 76's write of 2 (op 472): can't read 0 from
 *   register 2". The "after" op is the one that set the model state the failing op contradicts,
 *   found on the longest linearization the search reached (`:final-paths`).
 * - list-append / rw-register: the anomaly names, the consistency models ruled out, and the
 *   first cycle's explanation (T1 < T2 because …) as detail.
 * - set-full / set: how many acknowledged elements were lost or stale, and the first few.
 *
 * Every other checker falls back to its `describe`. These read results back from EDN, so they
 * check each value's shape and return undefined rather than throw on a result they do not know.
 */
import { printEdn } from '../edn/print.js';
import { EdnSet, type EdnRecord, type EdnValue, Keyword, isRecord } from '../edn/values.js';

export interface Words {
  /** One sentence, no trailing full stop. */
  sentence: string;
  /** Longer text shown under the sentence (e.g. a cycle's explanation); may contain newlines. */
  detail?: string;
}

const name = (v: EdnValue | undefined): string => (v instanceof Keyword ? v.name : v === undefined ? '?' : printEdn(v));

function seconds(ns: EdnValue | undefined): string {
  return typeof ns === 'number' && Number.isFinite(ns) ? ` at ${(ns / 1e9).toFixed(2)} s` : '';
}

/** "process 70's read of 0 (op 491)": who did what, as a person would say it. */
export function opWords(op: EdnRecord, withTime = true): string {
  const who = op.process === undefined || op.process === null ? 'the' : `process ${name(op.process)}'s`;
  const what = `${who} ${op.f === undefined ? 'op' : name(op.f)}${op.value === undefined || op.value === null ? '' : ` of ${printEdn(op.value)}`}`;
  const index = typeof op.index === 'number' ? ` (op ${op.index})` : '';
  return `${what}${index}${withTime ? seconds(op.time) : ''}`;
}

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

export function elleWords(r: EdnRecord): Words | undefined {
  if (r['valid?'] === true) return undefined;
  const types = Array.isArray(r['anomaly-types']) ? r['anomaly-types'].map(name) : [];
  const not = r.not instanceof EdnSet ? r.not.items.map(name).sort() : [];
  if (types.length === 0 && not.length === 0) return undefined;
  const found = types.length === 0 ? 'no anomaly found' : `${types.join(', ')} ${types.length === 1 ? 'anomaly' : 'anomalies'}`;
  const ruled = not.length > 0 ? `: not ${not.join(' or ')} (nor any stronger model)` : '';
  const sentence = `${found}${ruled}`;
  let detail: string | undefined;
  if (isRecord(r.anomalies)) {
    for (const t of Object.keys(r.anomalies)) {
      const list = r.anomalies[t];
      const first = Array.isArray(list) ? list.find(isRecord) : undefined;
      if (first !== undefined && typeof first.explanation === 'string') {
        detail = `The first ${t}:\n${first.explanation}`;
        break;
      }
    }
  }
  return { sentence, detail };
}

function firstFew(v: EdnValue | undefined, n = 5): string {
  // The set checker writes its element sets as range strings ("#{2 5..9}").
  if (typeof v === 'string') return v.length > 0 && v.length <= 60 && v !== '#{}' ? ` (${v})` : '';
  const items = Array.isArray(v) ? v : v instanceof EdnSet ? v.items : [];
  if (items.length === 0) return '';
  return ` (${items.slice(0, n).map((x) => printEdn(x)).join(', ')}${items.length > n ? ', …' : ''})`;
}

export function setFullWords(r: EdnRecord): Words | undefined {
  if (typeof r['attempt-count'] !== 'number' || typeof r['lost-count'] !== 'number') return undefined;
  const parts = [`${r['lost-count']} of ${r['attempt-count']} added elements lost${firstFew(r.lost)}`];
  if (typeof r['stale-count'] === 'number' && r['stale-count'] > 0) parts.push(`${r['stale-count']} stale${firstFew(r.stale)}`);
  if (typeof r['never-read-count'] === 'number' && r['never-read-count'] > 0) parts.push(`${r['never-read-count']} never read`);
  if (typeof r['duplicated-count'] === 'number' && r['duplicated-count'] > 0) parts.push(`${r['duplicated-count']} duplicated`);
  return { sentence: parts.join(', ') };
}

export function setWords(r: EdnRecord): Words | undefined {
  if (typeof r['acknowledged-count'] !== 'number' || typeof r['lost-count'] !== 'number') return undefined;
  const parts = [`${r['lost-count']} of ${r['acknowledged-count']} acknowledged adds lost${firstFew(r.lost)}`];
  if (typeof r['unexpected-count'] === 'number' && r['unexpected-count'] > 0) parts.push(`${r['unexpected-count']} unexpected${firstFew(r.unexpected)}`);
  return { sentence: parts.join(', ') };
}

const byChecker: Record<string, (r: EdnRecord) => Words | undefined> = {
  linearizable: linearWords,
  'list-append': elleWords,
  'rw-register': elleWords,
  'set-full': setFullWords,
  set: setWords,
};

/** Words for a checker's result, or undefined to fall back to the checker's `describe`. */
export function wordsFor(checker: string, result: EdnRecord): Words | undefined {
  const f = byChecker[checker];
  if (f === undefined) return undefined;
  try {
    return f(result);
  } catch {
    return undefined;
  }
}
