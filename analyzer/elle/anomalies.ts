/**
 * Collecting non-cycle anomalies as Elle-style maps, keeping a bounded number of examples per
 * type (the count is kept in full). Every type is collected, asked for or not: `:not` is what
 * all of them rule out, and the checker reports only the ones asked about.
 */
import { type EdnRecord, type EdnValue, kw } from '../edn/values.js';
import { opRecord } from '../check/results.js';
import type { Txns } from './txns.js';
import { txnOpPosition } from './txns.js';

export const MAX_EXAMPLES = 32;

export class AnomalyLog {
  readonly found = new Map<string, EdnRecord[]>();
  readonly counts = new Map<string, number>();
  add(type: string, make: () => EdnRecord): void {
    this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
    let list = this.found.get(type);
    if (list === undefined) this.found.set(type, (list = []));
    if (list.length < MAX_EXAMPLES) list.push(make());
  }
}

/** Elle's op maps carry no :error (see OpRecordKeys). */
const ELLE_OP_KEYS = { error: false } as const;

/** Transaction t's op as an Elle-style map: {:index, :time, :type, :process, :f, :value}. */
export function txnRecord(txns: Txns, t: number): EdnRecord {
  return opRecord(txns.history, txnOpPosition(txns, t), ELLE_OP_KEYS);
}

/** Micro-op m as written in the history, e.g. [:append 9 2] or [:r 9 [1 2]]. */
export function mopValue(txns: Txns, m: number): EdnValue[] {
  const k = txns.keys[txns.mopKey[m]];
  const kind = txns.mopKind[m];
  if (kind === 0) return [kw('append'), k, txns.values[txns.mopValue[m]]];
  if (kind === 2) return [kw('w'), k, txns.mopValue[m] < 0 ? null : txns.values[txns.mopValue[m]]];
  if (txns.workload === 'list-append') {
    const n = txns.mopLen[m];
    if (n < 0) return [kw('r'), k, null];
    const out: EdnValue[] = [];
    for (let j = 0; j < n; j++) out.push(txns.values[txns.readElems[txns.mopValue[m] + j]]);
    return [kw('r'), k, out];
  }
  const v = txns.mopValue[m];
  return [kw('r'), k, v < 0 ? null : txns.values[v]];
}
