/**
 * Checking a list-append certificate (analyzer/elle/certificate.ts) against the history, with
 * none of Elle's inference: each cycle's steps are derived again from the transactions' own
 * micro-ops and the history's order.
 *
 * - wr k v: the first transaction appended v to k; the second read k, and its read ends in v.
 * - ww k v v': the first appended v, the second v', and some read of k shows v' right after v —
 *   or v ends the longest read of k and no read shows v'.
 * - rw k v v': the first read k ending in v (an empty read when v is nil) and the second appended
 *   v', which some read shows right after v (first, for nil) — or no read shows v' and the
 *   first's read is as long as the longest.
 * - process p: both ran on process p, the second invoked after the first completed.
 * - realtime: the first completed (op a') before the second was invoked (op b).
 *
 * A cycle must close, and its edges must make the anomaly it is called: G0 ww only; G1c ww and
 * wr with a wr; G-single(-item) one rw; G-nonadjacent(-item) rw edges, none adjacent;
 * G2(-item) two rw in a row; `-process` / `-realtime` with such an edge. That reads are prefixes of one order (what
 * makes "right after" mean "next") is Elle's incompatible-order check, not this one's.
 *
 * A valid result's `:order` is replayed as a serial execution: it must hold every transaction
 * that completed :ok once and no failed one; each append takes effect in turn (an :info
 * transaction's only where some read shows it); each :ok read must see exactly the appends of
 * its key before it; and with `:realtime`, no transaction may come after one invoked after it
 * completed. That is serializability (strict, with real time) shown, not inferred.
 *
 * The non-cycle anomalies under `:anomalies` are derived again by elle-append-anomalies.ts.
 */
import { printEdn } from '../edn/print.js';
import { type EdnMap, type EdnValue, ednEquals } from '../edn/values.js';
import type { History } from '../history/history.js';
import { FAIL } from '../history/op.js';
import type { Check } from './linear.js';
import { anomaliesFault } from './elle-append-anomalies.js';
import { cyclesFault } from './elle-cycles.js';
import { type Txn, appends, listOf, name, txnsOf } from './elle-txns.js';

/** What the reads of each key show: consecutive pairs, first elements, every element, the longest read. */
class Reads {
  private readonly next = new Set<string>();
  private readonly seen = new Set<string>();
  private readonly longest = new Map<string, EdnValue[]>();

  constructor(txns: Iterable<Txn>) {
    for (const t of txns) {
      if (!t.ok) continue;
      for (const [f, k, raw] of t.mops) {
        const v = listOf(raw);
        if (name(f) !== 'r' || v === undefined) continue;
        const key = printEdn(k);
        let prev = '^';
        for (const e of v) {
          const text = printEdn(e);
          this.next.add(`${key}\0${prev}\0${text}`);
          this.seen.add(`${key}\0${text}`);
          prev = text;
        }
        if (v.length > (this.longest.get(key)?.length ?? -1)) this.longest.set(key, v);
      }
    }
  }

  /** Some read of k shows b right after a (a nil: b first). */
  adjacent(k: EdnValue, a: EdnValue, b: EdnValue): boolean {
    return this.next.has(`${printEdn(k)}\0${a === null ? '^' : printEdn(a)}\0${printEdn(b)}`);
  }

  /** Some read of k shows v. */
  shows(k: EdnValue, v: EdnValue): boolean {
    return this.seen.has(`${printEdn(k)}\0${printEdn(v)}`);
  }

  longestOf(k: EdnValue): EdnValue[] {
    return this.longest.get(printEdn(k)) ?? [];
  }
}

const readsOf = (t: Txn, k: EdnValue): EdnValue[][] => (t.ok ? t.mops.filter(([f, mk, mv]) => name(f) === 'r' && ednEquals(mk, k) && listOf(mv) !== undefined).map(([, , mv]) => listOf(mv)!) : []);
const lastOf = (l: readonly EdnValue[]): EdnValue => (l.length === 0 ? null : l[l.length - 1]);

/** Why step `s` from `a` to `b` does not hold, or undefined when it does. */
function stepFault(reads: Reads, a: Txn, b: Txn, s: EdnMap): string | undefined {
  const type = name(s.kw('type') ?? null);
  const k = s.kw('key') ?? null;
  const v = s.kw('value') ?? null;
  const v2 = s.kw("value'") ?? null;
  const ab = `op ${a.index} → op ${b.index}`;
  switch (type) {
    case 'wr':
      if (!appends(a, k, v)) return `wr ${ab}: op ${a.index} appends no ${printEdn(v)} to key ${printEdn(k)}`;
      if (!readsOf(b, k).some((l) => l.length > 0 && ednEquals(lastOf(l), v))) return `wr ${ab}: op ${b.index} has no read of key ${printEdn(k)} ending in ${printEdn(v)}`;
      return undefined;
    case 'ww': {
      if (!appends(a, k, v) || !appends(b, k, v2)) return `ww ${ab}: the two do not append ${printEdn(v)} and ${printEdn(v2)} to key ${printEdn(k)}`;
      const unread = ednEquals(lastOf(reads.longestOf(k)), v) && !reads.shows(k, v2);
      if (!reads.adjacent(k, v, v2) && !unread) return `ww ${ab}: no read of key ${printEdn(k)} shows ${printEdn(v2)} right after ${printEdn(v)}`;
      return undefined;
    }
    case 'rw': {
      const rs = readsOf(a, k).filter((l) => ednEquals(lastOf(l), v));
      if (rs.length === 0) return `rw ${ab}: op ${a.index} has no read of key ${printEdn(k)} ending in ${printEdn(v)}`;
      if (!appends(b, k, v2)) return `rw ${ab}: op ${b.index} appends no ${printEdn(v2)} to key ${printEdn(k)}`;
      const later = !reads.shows(k, v2) && rs.some((l) => l.length === reads.longestOf(k).length);
      if (!reads.adjacent(k, v, v2) && !later) return `rw ${ab}: no read of key ${printEdn(k)} shows ${printEdn(v2)} right after ${printEdn(v)}`;
      return undefined;
    }
    default:
      return `${ab}: an edge of unknown type ${printEdn(s.kw('type') ?? null)}`;
  }
}

/** Replays a valid result's `:order` (see this file's header): what it replayed, or the first step that does not hold. */
function replayOrder(h: History, order: EdnValue, realtime: boolean): Check {
  if (!Array.isArray(order) || !order.every((x) => typeof x === 'number')) return { holds: false, why: 'list-append: :order is not a list of op indexes' };
  const txns = txnsOf(h);
  const reads = new Reads(txns.values());
  const state = new Map<string, EdnValue[]>();
  const placed = new Set<number>();
  let maxInv = -1;
  let maxAt = -1;
  for (const [j, idx] of (order as number[]).entries()) {
    const t = txns.get(idx);
    const what = `list-append, order position ${j} (op ${idx})`;
    if (t === undefined) return { holds: false, why: `${what}: no transaction of the history` };
    if (t.comp >= 0 && !t.ok && h.type[t.comp] === FAIL) return { holds: false, why: `${what}: a failed transaction` };
    if (placed.has(idx)) return { holds: false, why: `${what}: comes twice` };
    if (realtime && t.ok && t.comp < maxInv) return { holds: false, why: `${what}: completed before op ${order[maxAt] as number} was invoked, yet comes after it` };
    for (const [f, k, v] of t.mops) {
      const key = printEdn(k);
      const cur = state.get(key) ?? [];
      if (name(f) === 'append') {
        if (t.ok || reads.shows(k, v)) state.set(key, [...cur, v]);
      } else if (name(f) === 'r' && t.ok) {
        const seen = listOf(v);
        if (seen === undefined || seen.length !== cur.length || !seen.every((e, i) => ednEquals(e, cur[i]))) {
          return { holds: false, why: `${what}: reads key ${key} = ${printEdn(v)}, but the appends before it in the order make it ${printEdn(cur)}` };
        }
      }
    }
    placed.add(idx);
    if (t.inv > maxInv) {
      maxInv = t.inv;
      maxAt = j;
    }
  }
  for (const t of txns.values()) if (t.ok && !placed.has(t.index)) return { holds: false, why: `list-append: op ${t.index} completed :ok but is not in the order` };
  return { holds: true, what: `list-append: a serial order of ${placed.size} transactions replayed${realtime ? ', real time respected' : ''}` };
}

/** Checks the list-append evidence `cert` against `h` (see this file's header). */
export function verifyListAppend(h: History, cert: EdnMap): Check {
  const order = cert.kw('order');
  if (order !== undefined) return replayOrder(h, order, cert.kw('realtime') === true);
  const cycles = cert.kw('cycles') ?? [];
  const anomalies = cert.kw('anomalies');
  if (!Array.isArray(cycles)) return { holds: false, why: 'list-append: :cycles is not a list' };
  const txns = txnsOf(h);
  const shown = anomalies === undefined ? { count: 0, types: [] } : anomaliesFault(txns, anomalies);
  if (typeof shown === 'string') return { holds: false, why: shown };
  if (cycles.length === 0 && shown.count === 0) return { holds: false, why: 'list-append: the evidence shows no cycle and no other anomaly' };
  const reads = new Reads(txns.values());
  const found = cyclesFault(txns, cycles, 'list-append', (a, b, st) => stepFault(reads, a, b, st));
  if (typeof found === 'string') return { holds: false, why: found };
  const types = found.types;
  const parts = [cycles.length > 0 ? `${cycles.length} cycle${cycles.length === 1 ? '' : 's'}` : '', shown.count > 0 ? `${shown.count} other anomal${shown.count === 1 ? 'y' : 'ies'}` : ''].filter((p) => p !== '');
  return { holds: true, what: `list-append: ${parts.join(' and ')} derived again from the ops (${[...new Set([...types, ...shown.types])].join(', ')})` };
}
