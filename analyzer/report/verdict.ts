/**
 * The verdict in words, for the top of a report: the report's own words for the common checkers
 * (headline.ts: "not linearizable: process 70's read of 0 …"), else each checker's `describe`,
 * else "valid" / "invalid" / "unknown".
 */
import { type CheckResult, validityOf } from '../checkers/checker.js';
import { checkerNamed } from '../checkers/registry.js';
import { EdnMap, type EdnRecord, type EdnValue, Keyword, isRecord } from '../edn/values.js';
import { wordsFor } from './headline.js';

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

export function verdictWord(v: EdnValue | undefined): 'valid' | 'invalid' | 'unknown' {
  const x = validityOf(v);
  return x === true ? 'valid' : x === false ? 'invalid' : 'unknown';
}

export interface CheckerVerdict {
  checker: string;
  verdict: 'valid' | 'invalid' | 'unknown';
  sentence: string;
  /** Longer text for a failing checker (e.g. an Elle cycle's explanation). */
  detail?: string;
  result: EdnRecord;
}

function describeOne(name: string, result: EdnRecord): { sentence: string; detail?: string } {
  const words = wordsFor(name, result);
  if (words !== undefined) return words;
  return { sentence: describeWithChecker(name, result) };
}

/** A lone checker's result, without a name: recognised by the keys only that checker writes. */
export function guessChecker(r: EdnRecord): string | undefined {
  if ('final-paths' in r || ('model' in r && ('op' in r || 'key-count' in r || 'linearization-length' in r))) return 'linearizable';
  if ('anomaly-types' in r) return 'list-append';
  if ('attempt-count' in r && 'stale-count' in r) return 'set-full';
  if ('acknowledged-count' in r && 'unexpected-count' in r) return 'set';
  return undefined;
}

function describeWithChecker(name: string, result: EdnRecord): string {
  const c = checkerNamed(name);
  const word = verdictWord(result['valid?']);
  if (c?.describe) {
    try {
      return c.describe(result as CheckResult);
    } catch {
      // A result written by another version may lack keys describe expects: fall back to the word.
    }
  }
  return word;
}

/**
 * Splits a result into per-checker verdicts: a composed result (`{:valid? … :set-full {…} :perf {…}}`)
 * gives one per checker; a single checker's result gives one named `checkerHint`.
 */
export function checkerVerdicts(results: EdnValue, checkerHint?: string): CheckerVerdict[] {
  const r = toRecord(results);
  if (!isRecord(r)) return [];
  const parts = Object.entries(r).filter(
    ([k, v]) => k !== 'valid?' && isRecord(v) && 'valid?' in v && checkerNamed(k) !== undefined,
  ) as [string, EdnRecord][];
  if (parts.length > 0) {
    return parts.map(([k, v]) => ({ checker: k, verdict: verdictWord(v['valid?']), ...describeOne(k, v), result: v }));
  }
  const name = checkerHint ?? guessChecker(r) ?? 'result';
  return [{ checker: name, verdict: verdictWord(r['valid?']), ...describeOne(name, r), result: r }];
}

/** One headline: the first invalid checker's sentence, else the first unknown's, else "valid". */
export function headline(results: EdnValue, checkerHint?: string): { verdict: string; sentence: string; detail?: string } {
  const vs = checkerVerdicts(results, checkerHint);
  const top = isRecord(toRecord(results)) ? verdictWord((toRecord(results) as EdnRecord)['valid?']) : 'unknown';
  const pick = vs.find((v) => v.verdict === 'invalid') ?? vs.find((v) => v.verdict === 'unknown') ?? vs[0];
  if (pick === undefined) return { verdict: top, sentence: top };
  // "list-append: G-single-item; …" names its checker; "not linearizable: …" already does.
  const named = pick.checker === 'result' || /^(not )?linearizable/.test(pick.sentence);
  const sentence = vs.length > 1 && !named ? `${pick.checker}: ${pick.sentence}` : pick.sentence;
  return pick.detail === undefined || pick.verdict === 'valid' ? { verdict: top, sentence } : { verdict: top, sentence, detail: pick.detail };
}
