/**
 * The verdict in words, for the top of a report: each checker's own report words
 * (`Checker.words`: "not linearizable: process 70's read of 0 …"), else its `describe`, else
 * "valid" / "invalid" / "unknown". Which checker a part of a result is comes from the registry
 * (`recognize` for a lone result that names none), never from this file.
 */
import { verdictWord } from '../check/checker.js';
import { registry } from '../checkers/registry.js';
import { EdnMap, type EdnRecord, type EdnValue, Keyword, isRecord } from '../edn/values.js';

/** Results read back from EDN are EdnMaps with keyword keys; checkers' `describe` wants records. */
export function toRecord(v: EdnValue): EdnValue {
  if (v instanceof EdnMap && v.keys.every((k) => k instanceof Keyword)) {
    const out: EdnRecord = {};
    v.keys.forEach((k, i) => (out[(k as Keyword).name] = toRecord(v.vals[i])));
    return out;
  }
  if (Array.isArray(v)) return v.map(toRecord);
  return v;
}

export { verdictWord };

/** One checker's part of a result, in words. */
export interface CheckerVerdict {
  /** The checker's name (`result` when no checker is known). */
  checker: string;
  verdict: 'valid' | 'invalid' | 'unknown';
  /** One sentence: the checker's report words, else its `describe`, else the verdict word. */
  sentence: string;
  /** Longer text for a failing checker (e.g. an Elle cycle's explanation). */
  detail?: string;
  /** The checker's result, as a record. */
  result: EdnRecord;
}

function describeOne(name: string, result: EdnRecord): { sentence: string; detail?: string } {
  return registry.words(name, result) ?? { sentence: verdictWord(result['valid?']) };
}

/**
 * Splits a result into per-checker verdicts: a composed result (`{:valid? … :set-full {…} :perf {…}}`)
 * gives one per checker; a single checker's result gives one named `checkerHint`.
 */
export function checkerVerdicts(results: EdnValue, checkerHint?: string): CheckerVerdict[] {
  const r = toRecord(results);
  if (!isRecord(r)) return [];
  const parts = Object.entries(r).filter(
    ([k, v]) => k !== 'valid?' && isRecord(v) && 'valid?' in v && registry.named(k) !== undefined,
  ) as [string, EdnRecord][];
  if (parts.length > 0) {
    return parts.map(([k, v]) => ({ checker: k, verdict: verdictWord(v['valid?']), ...describeOne(k, v), result: v }));
  }
  const name = checkerHint ?? registry.recognize(r) ?? 'result';
  return [{ checker: name, verdict: verdictWord(r['valid?']), ...describeOne(name, r), result: r }];
}

/** One headline: the first invalid checker's sentence, else the first unknown's, else "valid". */
export function headline(results: EdnValue, checkerHint?: string): { verdict: string; sentence: string; detail?: string } {
  const vs = checkerVerdicts(results, checkerHint);
  const top = isRecord(toRecord(results)) ? verdictWord((toRecord(results) as EdnRecord)['valid?']) : 'unknown';
  const pick = vs.find((v) => v.verdict === 'invalid') ?? vs.find((v) => v.verdict === 'unknown') ?? vs[0];
  if (pick === undefined) return { verdict: top, sentence: top };
  // "list-append: G-single-item; …" names its checker; a sentence that opens with the
  // checker's name ("not linearizable: …", "linearizable (3 keys)") already does.
  const named = pick.checker === 'result' || new RegExp(`^(not )?${pick.checker}\\b`).test(pick.sentence);
  const sentence = vs.length > 1 && !named ? `${pick.checker}: ${pick.sentence}` : pick.sentence;
  return pick.detail === undefined || pick.verdict === 'valid' ? { verdict: top, sentence } : { verdict: top, sentence, detail: pick.detail };
}
