/**
 * The collection verifiers' own small reading of a history (verify/set-full.ts, set.ts,
 * counter.ts, queue.ts, unique-ids.ts, bank.ts): ops found by the `:index` a certificate names
 * them by, a read's elements, the client ops of one `:f`. Written here again rather than
 * imported from the checkers, so that a slip in a checker's reading is not the verifier's too.
 */
import { printEdn } from '../edn/print.js';
import { EdnMap, EdnSet, type EdnValue } from '../edn/values.js';
import type { History } from '../history/history.js';
import { INVOKE, OK } from '../history/op.js';
import type { Check } from './linear.js';

/** A client op's position by its `:index`, and the ops of each `:f`. */
export class OpIndex {
  private readonly at = new Map<number, number>();

  constructor(readonly h: History) {
    for (let i = 0; i < h.length; i++) this.at.set(h.index[i], i);
  }

  /** The position of the op whose `:index` is `v`, or -1 (not a number, or no such op). */
  position(v: EdnValue | undefined): number {
    return typeof v === 'number' ? (this.at.get(v) ?? -1) : -1;
  }

  /** Op i is a client op with `:f` `f` and `:type` `type`. */
  is(i: number, f: string, type: number): boolean {
    return i >= 0 && this.h.type[i] === type && this.h.isClient(i) && this.h.fName(i) === f;
  }

  /** The positions of the client invocations of `:f` `f`, in history order. */
  invocationsOf(f: string): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.h.length; i++) if (this.is(i, f, INVOKE)) out.push(i);
    return out;
  }

  /** The completion of invocation i when it is `:ok`, else -1. */
  okOf(i: number): number {
    const c = this.h.pair[i];
    return c >= 0 && this.h.type[c] === OK ? c : -1;
  }

  /** The value an op stands for: its invocation's (what was asked), the op's own when it has none. */
  askedValue(i: number): EdnValue {
    const h = this.h;
    return h.type[i] === INVOKE || h.pair[i] < 0 ? h.value[i] : h.value[h.pair[i]];
  }
}

/** A read's elements: a vector, list or set; undefined for anything else. */
export function elementsOf(v: EdnValue): EdnValue[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof EdnSet) return v.items;
  return undefined;
}

/** A value as a map key: its EDN text (structural equality, as the history's values compare); an integer's digits without the printer, the common case. */
export const textOf = (v: EdnValue): string => (typeof v === 'number' && Number.isSafeInteger(v) && !Object.is(v, -0) ? String(v) : printEdn(v));

/** The entries of an evidence list: maps only, else the position of the first that is not. */
export function mapsOf(v: EdnValue | undefined): EdnMap[] | number {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return -1;
  const bad = v.findIndex((e) => !(e instanceof EdnMap));
  return bad >= 0 ? bad : (v as EdnMap[]);
}

/** The first step that does not hold, as a Check. */
export const fault = (why: string): Check => ({ holds: false, why });

/** "1 element" / "3 elements". */
export const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
