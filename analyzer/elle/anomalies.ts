/**
 * Non-cycle anomalies: the cases one anomaly has (as Elle-style maps, a bounded number of
 * examples and the full count), the table of contents a workload lists its anomaly finders in,
 * and how the checker gathers them.
 *
 * Every anomaly is looked for, asked for or not: `:not` is what all of them rule out, and the
 * checker reports only the ones asked about. Each finder is its own function over the
 * transactions and the workload's version orders; a table of contents groups finders that read
 * the same micro-ops, and within a group the types are listed by where each one's first case
 * is (in history order), so that the result reads top to bottom like the history.
 */
import { type EdnRecord, type EdnValue, kw } from '../edn/values.js';
import { opRecord } from '../check/results.js';
import { APPEND, type Txns, WRITE, txnOpPosition } from './txns.js';

/** At most this many examples of one anomaly type are kept (the count is kept in full). */
export const MAX_EXAMPLES = 32;

/** The cases of one anomaly type: its first MAX_EXAMPLES examples, how many in all, and where the first was found. */
export class Cases {
  /** The first MAX_EXAMPLES cases, in the order found. */
  readonly examples: EdnRecord[] = [];
  /** All cases found. */
  count = 0;
  /** Where the first case is: a micro-op (or -1: before any), then a place within it. */
  private firstAt = 0;
  private firstWithin = 0;

  constructor(readonly type: string) {}

  /**
   * Notes one case at micro-op `at` (place `within` it, e.g. an element's index); `make` builds
   * its map only if it is kept as an example.
   */
  add(at: number, within: number, make: () => EdnRecord): void {
    if (this.count++ === 0) {
      this.firstAt = at;
      this.firstWithin = within;
    }
    if (this.examples.length < MAX_EXAMPLES) this.examples.push(make());
  }

  /** Orders two types' cases by where their first cases are (negative: `a` first). */
  static byFirstCase(a: Cases, b: Cases): number {
    return a.firstAt - b.firstAt || a.firstWithin - b.firstWithin;
  }
}

/** A function that finds every case of one anomaly in the transactions and version orders `O`, adding each to `cases`. */
export type AnomalyFinder<O> = (cases: Cases, txns: Txns, orders: O) => void;

/** One line of a table of contents: an anomaly type and its finder. */
export interface AnomalyEntry<O> {
  readonly type: string;
  readonly find: AnomalyFinder<O>;
}

/**
 * A workload's table of contents of non-cycle anomalies: groups of entries, each group about
 * the same micro-ops. The result lists the groups in this order; within a group, by first case,
 * ties in the order given.
 */
export type AnomalyContents<O> = readonly (readonly AnomalyEntry<O>[])[];

/** Runs every finder of `contents`; the types with cases, in the order the result lists them. */
export function findAnomalies<O>(contents: AnomalyContents<O>, txns: Txns, orders: O): Map<string, Cases> {
  const found = new Map<string, Cases>();
  for (const group of contents) {
    const cases: Cases[] = [];
    for (const { type, find } of group) {
      const c = new Cases(type);
      find(c, txns, orders);
      if (c.count > 0) cases.push(c);
    }
    cases.sort(Cases.byFirstCase); // stable: ties keep the table's order
    for (const c of cases) found.set(c.type, c);
  }
  return found;
}

/** Elle's op maps carry no :error (see OpRecordKeys). */
const ELLE_OP_KEYS = { error: false } as const;

/** Transaction t's op as an Elle-style map: {:index, :time, :type, :process, :f, :value}. */
export function txnRecord(txns: Txns, t: number): EdnRecord {
  return opRecord(txns.history, txnOpPosition(txns, t), ELLE_OP_KEYS);
}

/** Micro-op m as written in the history, e.g. [:append 9 2] or [:r 9 [1 2]]. */
export function mopAsWritten(txns: Txns, m: number): EdnValue[] {
  const k = txns.keys[txns.mopKey[m]];
  const kind = txns.mopKind[m];
  if (kind === APPEND) return [kw('append'), k, txns.values[txns.mopValue[m]]];
  if (kind === WRITE) return [kw('w'), k, txns.mopValue[m] < 0 ? null : txns.values[txns.mopValue[m]]];
  return [kw('r'), k, txns.workload.readValue(txns, m)];
}
