/**
 * Checking list-append's non-cycle anomalies (analyzer/elle/certificate.ts's `:anomalies`)
 * against the transactions' own micro-ops, with none of Elle's inference. Each case names its
 * transactions by `:index` and its micro-op as written; what is checked, per type:
 *
 * - G1a: the `:ok` `:op` has the read `:mop`, which shows `:element`; `:writer` failed, appended
 *   it to the key, and no other transaction did.
 * - G1b: the read ends in `:element`; `:writer` (not failed, not `:op`) is its only appender, and
 *   appended to the key again after it.
 * - garbage-read: the read shows `:element`, which no transaction appended to the key.
 * - duplicate-elements: the read shows `:element` twice.
 * - future-read: the read shows `:element`, which the same transaction appends to the key later.
 * - internal: the read disagrees with the transaction's own micro-ops before it: its previous
 *   read of the key followed by its appends since, or (no previous read) ending in its appends.
 * - dirty-update: `:txns` [failed committed] appended `:values` [a b] to `:key`; the first
 *   failed, the second did not, and some `:ok` read of the key shows a before b.
 * - incompatible-order: `:ok` reads of `:key` returned both `:values`, neither a prefix of the other.
 * - lost-update: two or more `:ok` `:txns` each read the version of `:key` that `:value` is (a
 *   list's version is its last element, appends being unique; the empty list the initial one) and
 *   appended to it later.
 */
import { printEdn } from '../edn/print.js';
import { EdnMap, type EdnValue, Keyword, ednEquals } from '../edn/values.js';
import { type Txn, appends, listOf, name } from './elle-txns.js';

const P = printEdn;

/** The context the cases are checked in: the transactions, and each (key, element)'s appenders. */
class Appenders {
  private readonly by = new Map<string, Txn[]>();

  constructor(readonly txns: Map<number, Txn>) {
    for (const t of txns.values()) {
      for (const [f, k, v] of t.mops) {
        if (name(f) !== 'append') continue;
        const id = `${P(k)}\0${P(v)}`;
        const l = this.by.get(id);
        if (l === undefined) this.by.set(id, [t]);
        else if (l[l.length - 1] !== t) l.push(t);
      }
    }
  }

  of(k: EdnValue, v: EdnValue): Txn[] {
    return this.by.get(`${P(k)}\0${P(v)}`) ?? [];
  }
}

/** The case's `:op`, an `:ok` transaction, and the positions of its read `:mop` in it; or why not. */
function readCase(a: Appenders, c: EdnMap): { t: Txn; k: EdnValue; l: EdnValue[]; at: number[] } | string {
  const t = a.txns.get(typeof c.kw('op') === 'number' ? (c.kw('op') as number) : NaN);
  if (t === undefined || !t.ok) return `op ${P(c.kw('op') ?? null)} is no :ok transaction`;
  const mop = c.kw('mop');
  const at = t.mops.flatMap((m, j) => (ednEquals(m, mop ?? null) ? [j] : []));
  const l = Array.isArray(mop) && mop.length === 3 && name(mop[0]) === 'r' ? listOf(mop[2]) : undefined;
  if (l === undefined || at.length === 0) return `op ${t.index} has no read ${P(mop ?? null)}`;
  return { t, k: (mop as EdnValue[])[1], l, at };
}

/** What transaction t did to key k before micro-op p disagrees with its read l there (internal). */
function internalMismatch(t: Txn, k: EdnValue, p: number, l: EdnValue[]): boolean {
  let q = p - 1;
  const since: EdnValue[] = [];
  for (; q >= 0; q--) {
    const [f, mk, mv] = t.mops[q];
    if (!ednEquals(mk, k)) continue;
    if (name(f) === 'append') since.unshift(mv);
    else if (name(f) === 'r' && listOf(mv) !== undefined) break;
  }
  const prev = q >= 0 ? listOf(t.mops[q][2])! : undefined;
  if (prev === undefined && since.length === 0) return false;
  const expected = [...(prev ?? []), ...since];
  if (prev !== undefined) return l.length !== expected.length || l.some((x, j) => !ednEquals(x, expected[j]));
  return l.length < since.length || since.some((x, j) => !ednEquals(x, l[l.length - since.length + j]));
}

/** Why case `c` of anomaly `type` does not hold, or undefined when it does. */
function caseFault(a: Appenders, type: string, c: EdnMap): string | undefined {
  const txn = (v: EdnValue | undefined): Txn | undefined => (typeof v === 'number' ? a.txns.get(v) : undefined);
  const e = c.kw('element') ?? null;
  switch (type) {
    case 'G1a':
    case 'G1b':
    case 'garbage-read':
    case 'duplicate-elements':
    case 'future-read':
    case 'internal': {
      const r = readCase(a, c);
      if (typeof r === 'string') return r;
      const { t, k, l, at } = r;
      const shows = l.filter((x) => ednEquals(x, e)).length;
      if (type === 'internal') return at.some((p) => internalMismatch(t, k, p, l)) ? undefined : `op ${t.index}'s read ${P(c.kw('mop') ?? null)} agrees with its own earlier micro-ops`;
      if (shows === 0) return `op ${t.index}'s read of key ${P(k)} does not show ${P(e)}`;
      if (type === 'duplicate-elements') return shows >= 2 ? undefined : `op ${t.index}'s read of key ${P(k)} shows ${P(e)} once`;
      if (type === 'future-read') return at.some((p) => t.mops.slice(p + 1).some(([f, mk, mv]) => name(f) === 'append' && ednEquals(mk, k) && ednEquals(mv, e))) ? undefined : `op ${t.index} appends no ${P(e)} to key ${P(k)} after its read`;
      const who = a.of(k, e);
      if (type === 'garbage-read') return who.length === 0 ? undefined : `op ${who[0].index} appended ${P(e)} to key ${P(k)}`;
      const w = txn(c.kw('writer'));
      if (w === undefined || !appends(w, k, e)) return `op ${P(c.kw('writer') ?? null)} appends no ${P(e)} to key ${P(k)}`;
      if (who.length !== 1) return `${who.length} transactions append ${P(e)} to key ${P(k)}, so its writer is not known`;
      if (type === 'G1a') return w.failed ? undefined : `the writer op ${w.index} did not fail`;
      // G1b: the read ends in the element, and its writer appended to the key again after it.
      if (!ednEquals(l[l.length - 1], e)) return `op ${t.index}'s read of key ${P(k)} does not end in ${P(e)}`;
      if (w === t || w.failed) return `the writer op ${w.index} is the reader or failed`;
      const j = w.mops.findIndex(([f, mk, mv]) => name(f) === 'append' && ednEquals(mk, k) && ednEquals(mv, e));
      return w.mops.slice(j + 1).some(([f, mk]) => name(f) === 'append' && ednEquals(mk, k)) ? undefined : `the writer op ${w.index} did not append to key ${P(k)} after ${P(e)}`;
    }
    case 'dirty-update': {
      const k = c.kw('key') ?? null;
      const [vf, vc] = (Array.isArray(c.kw('values')) ? c.kw('values') : []) as EdnValue[];
      const [wf, wc] = ((c.kw('txns') as EdnValue[] | undefined) ?? []).map(txn);
      if (wf === undefined || wc === undefined || !appends(wf, k, vf ?? null) || !appends(wc, k, vc ?? null)) return `:txns do not append ${P(vf ?? null)} and ${P(vc ?? null)} to key ${P(k)}`;
      if (!wf.failed || wc.failed) return `op ${wf.index} must have failed and op ${wc.index} not`;
      const seen = [...a.txns.values()].some((t) => t.ok && t.mops.some(([f, mk, mv]) => name(f) === 'r' && ednEquals(mk, k) && Array.isArray(mv) && mv.findIndex((x) => ednEquals(x, vf)) >= 0 && mv.findIndex((x) => ednEquals(x, vf)) < mv.findIndex((x) => ednEquals(x, vc))));
      return seen ? undefined : `no read of key ${P(k)} shows ${P(vc)} after ${P(vf)}`;
    }
    case 'incompatible-order': {
      const k = c.kw('key') ?? null;
      const [x, y] = ((c.kw('values') as EdnValue[] | undefined) ?? []).map((v) => listOf(v ?? null));
      const readWith = (v: EdnValue[] | undefined): boolean => v !== undefined && [...a.txns.values()].some((t) => t.ok && t.mops.some(([f, mk, mv]) => name(f) === 'r' && ednEquals(mk, k) && ednEquals(listOf(mv) ?? null, v)));
      if (!readWith(x) || !readWith(y)) return `no two :ok reads of key ${P(k)} return ${P(c.kw('values') ?? null)}`;
      const prefix = (p: EdnValue[], q: EdnValue[]): boolean => p.length <= q.length && p.every((v, j) => ednEquals(v, q[j]));
      return prefix(x!, y!) || prefix(y!, x!) ? `the reads ${P(x!)} and ${P(y!)} of key ${P(k)} are compatible: one is a prefix of the other` : undefined;
    }
    case 'lost-update': {
      const k = c.kw('key') ?? null;
      const v = listOf(c.kw('value') ?? null);
      const ts = ((c.kw('txns') as EdnValue[] | undefined) ?? []).map(txn);
      if (v === undefined || ts.length < 2 || new Set(ts).size !== ts.length) return `:txns do not name two or more transactions`;
      for (const t of ts) {
        if (t === undefined || !t.ok) return 'a transaction of :txns is no :ok transaction';
        const version = (l: EdnValue[]): string => (l.length === 0 ? '' : `#${P(l[l.length - 1])}`);
        const p = t.mops.findIndex(([f, mk, mv]) => name(f) === 'r' && ednEquals(mk, k) && listOf(mv) !== undefined && version(listOf(mv)!) === version(v));
        if (p < 0 || !t.mops.slice(p + 1).some(([f, mk]) => name(f) === 'append' && ednEquals(mk, k))) return `op ${t.index} does not read the version ${P(v)} of key ${P(k)} and then append to it`;
      }
      return undefined;
    }
    default:
      return `no verifier for ${type}`;
  }
}

/** Checks `:anomalies` (type → cases): how many cases of which types hold, or the first that does not. */
export function anomaliesFault(txns: Map<number, Txn>, anomalies: EdnValue): { count: number; types: string[] } | string {
  if (!(anomalies instanceof EdnMap)) return 'list-append: :anomalies is not a map';
  const a = new Appenders(txns);
  let count = 0;
  const types: string[] = [];
  for (const [i, key] of anomalies.keys.entries()) {
    const type = key instanceof Keyword ? key.name : String(key);
    const cases = anomalies.vals[i];
    if (!Array.isArray(cases)) return `list-append, ${type}: its cases are not a list`;
    for (const [j, c] of cases.entries()) {
      if (!(c instanceof EdnMap)) return `list-append, ${type} ${j}: not a map`;
      const why = caseFault(a, type, c);
      if (why !== undefined) return `list-append, ${type} ${j}: ${why}`;
      count++;
    }
    if (cases.length > 0) types.push(type);
  }
  return { count, types };
}
