/**
 * Checking rw-register's non-cycle anomalies (analyzer/elle/register-certificate.ts's
 * `:anomalies`) against the transactions' own micro-ops, with none of Elle's inference. A read's
 * case names its `:ok` transaction `:op` and the read `:mop` `[:r k v]`; what is checked, per type:
 *
 * - internal: the read is not the transaction's first access of k, and the access of k just
 *   before it (a write, or a read) has another value.
 * - future-read: v (not nil) is written to k by the same transaction after the read.
 * - garbage-read: the read is the first access of k, v is not nil, and no transaction writes v to k.
 * - G1a: the read is the first access of k; `:writer`, the only transaction writing v to k, failed.
 * - G1b: the read is the first access of k; `:writer`, the only transaction writing v to k, is
 *   another one, did not fail, and wrote k again after v.
 * - lost-update: two or more `:ok` `:txns` each read `:key` = `:value` as their first access of
 *   it, and wrote it afterwards.
 */
import { printEdn } from '../edn/print.js';
import { EdnMap, type EdnValue, Keyword, ednEquals } from '../edn/values.js';
import { type Txn, name } from './elle-txns.js';

const P = printEdn;

/** Positions in t's micro-ops of its first access of key k, and of what `mop` is. */
function positions(t: Txn, mop: EdnValue | undefined, k: EdnValue): { first: number; at: number[] } {
  const first = t.mops.findIndex(([, mk]) => ednEquals(mk, k));
  const at = t.mops.flatMap((m, j) => (ednEquals(m, mop ?? null) ? [j] : []));
  return { first, at };
}

/** The transactions writing v to k. */
function writersOf(txns: Map<number, Txn>, k: EdnValue, v: EdnValue): Txn[] {
  return [...txns.values()].filter((t) => t.mops.some(([f, mk, mv]) => name(f) === 'w' && ednEquals(mk, k) && ednEquals(mv, v)));
}

/** Why read case `c` of `type` does not hold, or undefined when it does (see the file's header). */
function readFault(txns: Map<number, Txn>, type: string, c: EdnMap): string | undefined {
  const t = typeof c.kw('op') === 'number' ? txns.get(c.kw('op') as number) : undefined;
  if (t === undefined || !t.ok) return `op ${P(c.kw('op') ?? null)} is no :ok transaction`;
  const mop = c.kw('mop');
  if (!Array.isArray(mop) || mop.length !== 3 || name(mop[0]) !== 'r') return `${P(mop ?? null)} is no read`;
  const [, k, v] = mop;
  const { first, at } = positions(t, mop, k);
  if (at.length === 0) return `op ${t.index} has no read ${P(mop)}`;
  if (type === 'internal') {
    // The access of k just before the read: what the read should show.
    const before = (j: number): EdnValue => t.mops[t.mops.slice(0, j).map(([, mk]) => ednEquals(mk, k)).lastIndexOf(true)][2];
    return at.some((j) => j > first && !ednEquals(before(j), v)) ? undefined : `op ${t.index}'s read ${P(mop)} shows what it wrote or read of key ${P(k)} just before`;
  }
  if (type === 'future-read') return v !== null && at.some((j) => t.mops.slice(j + 1).some(([f, mk, mv]) => name(f) === 'w' && ednEquals(mk, k) && ednEquals(mv, v))) ? undefined : `op ${t.index} writes no ${P(v)} to key ${P(k)} after its read`;
  if (!at.includes(first)) return `op ${t.index}'s read ${P(mop)} is not its first access of key ${P(k)}`;
  if (v === null) return `op ${t.index} read nil, the initial version`;
  const who = writersOf(txns, k, v);
  if (type === 'garbage-read') return who.length === 0 ? undefined : `op ${who[0].index} wrote ${P(v)} to key ${P(k)}`;
  const w = typeof c.kw('writer') === 'number' ? txns.get(c.kw('writer') as number) : undefined;
  if (w === undefined || !who.includes(w)) return `op ${P(c.kw('writer') ?? null)} writes no ${P(v)} to key ${P(k)}`;
  if (who.length !== 1) return `${who.length} transactions write ${P(v)} to key ${P(k)}, so its writer is not known`;
  if (type === 'G1a') return w.failed ? undefined : `the writer op ${w.index} did not fail`;
  if (type !== 'G1b') return `no verifier for ${type}`;
  if (w === t || w.failed) return `the writer op ${w.index} is the reader or failed`;
  const j = w.mops.findIndex(([f, mk, mv]) => name(f) === 'w' && ednEquals(mk, k) && ednEquals(mv, v));
  return w.mops.slice(j + 1).some(([f, mk]) => name(f) === 'w' && ednEquals(mk, k)) ? undefined : `the writer op ${w.index} did not write key ${P(k)} again after ${P(v)}`;
}

/** Why a lost-update case does not hold, or undefined when it does. */
function lostUpdateFault(txns: Map<number, Txn>, c: EdnMap): string | undefined {
  const k = c.kw('key') ?? null;
  const v = c.kw('value') ?? null;
  const ts = ((c.kw('txns') as EdnValue[] | undefined) ?? []).map((i) => (typeof i === 'number' ? txns.get(i) : undefined));
  if (ts.length < 2 || new Set(ts).size !== ts.length) return ':txns do not name two or more transactions';
  for (const t of ts) {
    if (t === undefined || !t.ok) return 'a transaction of :txns is no :ok transaction';
    const first = t.mops.findIndex(([, mk]) => ednEquals(mk, k));
    const [f, , mv] = first >= 0 ? t.mops[first] : [null, null, null];
    if (name(f ?? null) !== 'r' || !ednEquals(mv ?? null, v) || !t.mops.slice(first + 1).some(([g, mk]) => name(g) === 'w' && ednEquals(mk, k))) return `op ${t.index} does not first read key ${P(k)} = ${P(v)} and then write it`;
  }
  return undefined;
}

/** Checks `:anomalies` (type → cases): how many cases of which types hold, or the first that does not. */
export function registerAnomaliesFault(txns: Map<number, Txn>, anomalies: EdnValue): { count: number; types: string[] } | string {
  if (!(anomalies instanceof EdnMap)) return 'rw-register: :anomalies is not a map';
  let count = 0;
  const types: string[] = [];
  for (const [i, key] of anomalies.keys.entries()) {
    const type = key instanceof Keyword ? key.name : String(key);
    const cases = anomalies.vals[i];
    if (!Array.isArray(cases)) return `rw-register, ${type}: its cases are not a list`;
    for (const [j, c] of cases.entries()) {
      if (!(c instanceof EdnMap)) return `rw-register, ${type} ${j}: not a map`;
      const why = type === 'lost-update' ? lostUpdateFault(txns, c) : readFault(txns, type, c);
      if (why !== undefined) return `rw-register, ${type} ${j}: ${why}`;
      count++;
    }
    if (cases.length > 0) types.push(type);
  }
  return { count, types };
}
