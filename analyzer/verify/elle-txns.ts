/**
 * The list-append verifiers' own reading of transactions (elle-append.ts, elle-append-anomalies.ts):
 * every op whose value is micro-ops, by the `:index` a certificate names it by.
 */
import { type EdnValue, Keyword, ednEquals } from '../edn/values.js';
import type { History } from '../history/history.js';
import { FAIL, INVOKE, OK } from '../history/op.js';

/** A transaction as the verifier reads it. */
export interface Txn {
  index: number;
  process: EdnValue | undefined;
  /** Positions in the history: invocation, and completion (-1: none). */
  inv: number;
  comp: number;
  ok: boolean;
  /** It completed :fail (took no effect). */
  failed: boolean;
  /** The micro-ops as the completion gives them (the invocation's when it did not complete :ok). */
  mops: EdnValue[][];
}

/** A keyword's name ('' for anything else). */
export const name = (v: EdnValue): string => (v instanceof Keyword ? v.name : '');
const isList = (v: EdnValue): v is EdnValue[] => Array.isArray(v);

/**
 * The transactions by the `:index` a certificate names them by (completion, or invocation): every
 * op whose value is micro-ops (`[f k v]`, or `[f k]` for `[f k nil]`), whatever its `:f` or
 * process (Elle's own tests have neither), a lone completion as a whole transaction at its place.
 */
export function txnsOf(h: History): Map<number, Txn> {
  const out = new Map<number, Txn>();
  for (let i = 0; i < h.length; i++) {
    const c = h.pair[i];
    const lone = h.type[i] !== INVOKE && c < 0;
    if (h.type[i] !== INVOKE && !lone) continue;
    const comp = lone ? i : c;
    const ok = comp >= 0 && h.type[comp] === OK;
    const value = ok ? h.value[comp] : h.value[i];
    if (!isList(value) || !value.every((m) => isList(m) && (m.length === 3 || m.length === 2))) continue;
    // `[:r k]` (Elle's tests write reads so) is a read of nil.
    const mops = (value as EdnValue[][]).map((m) => (m.length === 2 ? [...m, null] : m));
    const t: Txn = { index: h.index[comp >= 0 ? comp : i], process: h.processValue(i), inv: i, comp, ok, failed: comp >= 0 && h.type[comp] === FAIL, mops };
    out.set(t.index, t);
  }
  return out;
}

/** Transaction t appends v to key k. */
export const appends = (t: Txn, k: EdnValue, v: EdnValue): boolean => t.mops.some(([f, mk, mv]) => name(f) === 'append' && ednEquals(mk, k) && ednEquals(mv, v));
/** A read's list: nil, a read of a key never appended to, is the empty list (as Elle reads it). */
export const listOf = (v: EdnValue): EdnValue[] | undefined => (v === null ? [] : isList(v) ? v : undefined);
