/**
 * The pieces checkers' report words are made of (see `Checker.words`): an op as a person would
 * name it, a value's name, the first few elements of a set. Results read back from EDN may be of
 * another version, so each helper takes any value and never throws.
 */
import { printEdn } from '../edn/print.js';
import { EdnSet, type EdnRecord, type EdnValue, Keyword } from '../edn/values.js';

/** A keyword's name, or the value printed as EDN; `?` for a missing one. */
export const nameOf = (v: EdnValue | undefined): string => (v instanceof Keyword ? v.name : v === undefined ? '?' : printEdn(v));

function seconds(ns: EdnValue | undefined): string {
  return typeof ns === 'number' && Number.isFinite(ns) ? ` at ${(ns / 1e9).toFixed(2)} s` : '';
}

/** "process 70's read of 0 (op 491)": who did what, as a person would say it. */
export function opWords(op: EdnRecord, withTime = true): string {
  const who = op.process === undefined || op.process === null ? 'the' : `process ${nameOf(op.process)}'s`;
  const what = `${who} ${op.f === undefined ? 'op' : nameOf(op.f)}${op.value === undefined || op.value === null ? '' : ` of ${printEdn(op.value)}`}`;
  const index = typeof op.index === 'number' ? ` (op ${op.index})` : '';
  return `${what}${index}${withTime ? seconds(op.time) : ''}`;
}

/** " (2, 5, 9, …)": the first `n` items of a collection (or a short range string), or ''. */
export function firstFew(v: EdnValue | undefined, n = 5): string {
  // The set checker writes its element sets as range strings ("#{2 5..9}").
  if (typeof v === 'string') return v.length > 0 && v.length <= 60 && v !== '#{}' ? ` (${v})` : '';
  const items = Array.isArray(v) ? v : v instanceof EdnSet ? v.items : [];
  if (items.length === 0) return '';
  return ` (${items.slice(0, n).map((x) => printEdn(x)).join(', ')}${items.length > n ? ', …' : ''})`;
}

