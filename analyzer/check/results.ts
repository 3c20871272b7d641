/**
 * The result helpers checkers share: the verdict for nothing judged, an op as a result map
 * (`opRecord`, for counterexamples), a read's items, values sorted as Clojure sorts them.
 */
import { EdnSet, type EdnRecord, type EdnValue, Keyword, ednCompare, kw } from '../edn/values.js';
import { printEdn } from '../edn/print.js';
import type { History } from '../history/history.js';
import { OK, OP_TYPES } from '../history/op.js';
import { type CheckResult, UNKNOWN } from './checker.js';

/**
 * The verdict of a checker that found nothing to judge (no op of the kind it checks completed
 * :ok): :unknown, never valid, with `error` saying what was missing. `extra` keeps the
 * checker's usual counts beside it.
 */
export function nothingToJudge(error: string, extra: EdnRecord = {}): CheckResult {
  return { ...extra, 'valid?': UNKNOWN, error };
}

/** How many client ops with `:f` id `f` (any `:f` when -1) completed :ok. */
export function okCount(history: History, f = -1): number {
  let n = 0;
  for (let i = 0; i < history.length; i++) if (history.type[i] === OK && (f < 0 || history.f[i] === f) && history.isClient(i)) n++;
  return n;
}

/**
 * Which optional keys an op record may carry (both by default). Elle's anomaly maps have never
 * carried :error, nor sequential's citations :time (real time means nothing to it) or :error;
 * those callers turn them off so their results keep exactly the keys they always had.
 */
export interface OpRecordKeys {
  time?: boolean;
  error?: boolean;
}

/** Op i as a result map (`{:index :time :type :process :f :value :error}`), for counterexamples. */
export function opRecord(history: History, i: number, keys: OpRecordKeys = {}): EdnRecord {
  const r: EdnRecord = { index: history.index[i] };
  if (keys.time !== false && !Number.isNaN(history.time[i])) r.time = history.time[i];
  r.type = kw(OP_TYPES[history.type[i]]);
  const p = history.processValue(i);
  if (p !== undefined) r.process = p;
  const f = history.fValue(i);
  if (f !== undefined) r.f = f;
  r.value = history.value[i];
  const e = keys.error === false ? undefined : history.error.get(i);
  if (e !== undefined) r.error = e;
  return r;
}

/** The items of a read value: a vector, list or set; undefined for anything else (nil included). */
export function itemsOf(v: EdnValue): EdnValue[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof EdnSet) return v.items;
  return undefined;
}

/** Sorts values as Clojure's `sort` would for the element types histories use. */
export function sortedValues(vs: Iterable<EdnValue>): EdnValue[] {
  return [...vs].sort(ednCompare);
}

/** A name for an error class value (symbol, keyword, string): `java.net.ConnectException`. */
export function className(v: EdnValue): string {
  if (v instanceof Keyword) return v.name;
  if (typeof v === 'string') return v;
  return printEdn(v);
}
