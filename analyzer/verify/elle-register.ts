/**
 * Checking an rw-register certificate (analyzer/elle/register-certificate.ts) against the
 * history, with none of Elle's inference: each cycle's data steps are derived again from the two
 * transactions' micro-ops (`[:w k v]`, `[:r k v]`), and every version order a step needs from the
 * ops its `:why` names. A transaction's *external read* of k is its first access of k when that
 * is a read of a known value (an `:ok` transaction's); its *final write* of k its last write of k.
 *
 * - wr k v: the first (not failed) finally wrote v to k; the second, `:ok` and another
 *   transaction, read v externally.
 * - ww k v v': the first finally wrote v, the second v' (neither failed), and v precedes v'.
 * - rw k v v': the first, `:ok`, read v externally (nil: the initial version), the second (not
 *   failed) finally wrote v', and v precedes v'.
 *
 * v precedes v' when v is nil and v' happened (its writer completed `:ok`, or some `:ok` read
 * saw one of its writes) — or, under an assumption the certificate names in `:assumptions`, by
 * `:why`: `{:wfr-keys op}`, an `:ok` transaction that read v externally and finally wrote v';
 * `{:sequential-keys [op op']}`, `:ok` transactions of one process, op' invoked after op
 * completed (or the same transaction, reading v then writing v'), op seeing (reading externally
 * or finally writing) v and op' v'; `{:linearizable-keys [op op']}`, op completed before op' was
 * invoked, op's last version of k (its final write, else its external read) v, op''s first
 * (its external read, else its first write) v'. Process and realtime steps, and whether the
 * edges make the anomaly named, are checked as for list-append (elle-cycles.ts). The non-cycle
 * anomalies under `:anomalies` are derived again by elle-register-anomalies.ts.
 */
import { printEdn } from '../edn/print.js';
import { EdnMap, type EdnValue, Keyword, ednEquals } from '../edn/values.js';
import type { History } from '../history/history.js';
import type { Check } from './linear.js';
import { cyclesFault } from './elle-cycles.js';
import { type Txn, name, txnsOf } from './elle-txns.js';
import { registerAnomaliesFault } from './elle-register-anomalies.js';

const P = printEdn;
const NONE = Symbol('none');
type Seen = EdnValue | typeof NONE;

/** Transaction t's external read, final write and first sighting of key k (NONE: none). */
function sightings(t: Txn, k: EdnValue): { read: Seen; final: Seen; first: Seen } {
  let read: Seen = NONE;
  let final: Seen = NONE;
  let first: Seen = NONE;
  for (const [f, mk, v] of t.mops) {
    if (!ednEquals(mk, k)) continue;
    if (name(f) === 'w') {
      final = v;
      if (first === NONE) first = v;
    } else if (name(f) === 'r' && t.ok && first === NONE) read = first = v;
  }
  return { read, final, first };
}

const same = (a: Seen, b: EdnValue): boolean => a !== NONE && ednEquals(a, b);

/** Why v does not precede v' on key k as `why` claims (see the file's header), or undefined. */
function orderFault(txns: Map<number, Txn>, assumptions: readonly string[], k: EdnValue, v: EdnValue, v2: EdnValue, b: Txn, why: EdnValue | undefined): string | undefined {
  const order = `${P(v)} < ${P(v2)} on key ${P(k)}`;
  if (v === null) {
    const happened = b.ok || [...txns.values()].some((r) => r.ok && r !== b && r.mops.some(([f, mk, mv]) => name(f) === 'r' && mv !== null && same(sightings(r, mk).read, mv) && b.mops.some(([g, bk, bv]) => name(g) === 'w' && ednEquals(bk, mk) && ednEquals(bv, mv))));
    return happened ? undefined : `${order}: op ${b.index} did not complete :ok and no read saw its writes`;
  }
  if (!(why instanceof EdnMap) || why.keys.length !== 1 || !(why.keys[0] instanceof Keyword)) return `${order}: no :why names the ops that order them`;
  const by = why.keys[0].name;
  const ops = ([why.vals[0]].flat() as EdnValue[]).map((i) => (typeof i === 'number' ? txns.get(i) : undefined));
  if (!assumptions.includes(by)) return `${order}: by ${by}, which the certificate does not assume`;
  if (ops.some((t) => t === undefined || !t.ok)) return `${order}: ${by} names ${P(why.vals[0])}, not :ok transactions`;
  const [x, y] = ops as Txn[];
  const sx = sightings(x, k);
  const sy = sightings(y ?? x, k);
  const none = `${order}: by ${by}, ops ${P(why.vals[0])} do not show it`;
  switch (by) {
    case 'wfr-keys':
      return ops.length === 1 && same(sx.read, v) && same(sx.final, v2) ? undefined : none;
    case 'sequential-keys': {
      if (ops.length !== 2 || !ednEquals(x.process ?? null, y.process ?? null)) return `${order}: by sequential-keys, ops ${P(why.vals[0])} are not of one process`;
      if (x === y) return same(sx.read, v) && same(sx.final, v2) ? undefined : none;
      if (x.comp < 0 || x.comp > y.inv) return `${order}: by sequential-keys, op ${y.index} was invoked before op ${x.index} completed`;
      return (same(sx.read, v) || same(sx.final, v)) && (same(sy.read, v2) || same(sy.final, v2)) ? undefined : none;
    }
    case 'linearizable-keys':
      if (ops.length !== 2 || x.comp < 0 || x.comp > y.inv) return `${order}: by linearizable-keys, op ${y?.index ?? '?'} was invoked before op ${x.index} completed`;
      return same(sx.final !== NONE ? sx.final : sx.read, v) && same(sy.first, v2) ? undefined : none;
    default:
      return `${order}: by ${by}, which no verifier knows`;
  }
}

/** Why data step `s` from `a` to `b` does not hold, or undefined (see the file's header). */
function dataFault(txns: Map<number, Txn>, assumptions: readonly string[], a: Txn, b: Txn, s: EdnMap): string | undefined {
  const type = name(s.kw('type') ?? null);
  const k = s.kw('key') ?? null;
  const v = s.kw('value') ?? null;
  const v2 = s.kw("value'") ?? null;
  const ab = `${type} op ${a.index} → op ${b.index}`;
  const sa = sightings(a, k);
  const sb = sightings(b, k);
  if (type === 'wr') {
    if (a.failed || !same(sa.final, v) || v === null) return `${ab}: op ${a.index} did not finally write ${P(v)} to key ${P(k)}`;
    if (a === b || !same(sb.read, v)) return `${ab}: op ${b.index} did not read key ${P(k)} = ${P(v)} first`;
    return undefined;
  }
  if (type !== 'ww' && type !== 'rw') return `op ${a.index} → op ${b.index}: an edge of unknown type ${P(s.kw('type') ?? null)}`;
  if (type === 'ww' && (a.failed || !same(sa.final, v) || v === null)) return `${ab}: op ${a.index} did not finally write ${P(v)} to key ${P(k)}`;
  if (type === 'rw' && !same(sa.read, v)) return `${ab}: op ${a.index} did not read key ${P(k)} = ${P(v)} first`;
  if (b.failed || !same(sb.final, v2) || v2 === null) return `${ab}: op ${b.index} did not finally write ${P(v2)} to key ${P(k)}`;
  const why = orderFault(txns, assumptions, k, v, v2, b, s.kw('why'));
  return why === undefined ? undefined : `${ab}: ${why}`;
}

/** Checks the rw-register evidence `cert` against `h` (see this file's header). */
export function verifyRwRegister(h: History, cert: EdnMap): Check {
  const cycles = cert.kw('cycles') ?? [];
  if (!Array.isArray(cycles)) return { holds: false, why: 'rw-register: :cycles is not a list' };
  const given = cert.kw('assumptions');
  const assumptions = Array.isArray(given) ? given.map((a) => (a instanceof Keyword ? a.name : String(a))) : [];
  const txns = txnsOf(h);
  const anomalies = cert.kw('anomalies');
  const shown = anomalies === undefined ? { count: 0, types: [] } : registerAnomaliesFault(txns, anomalies);
  if (typeof shown === 'string') return { holds: false, why: shown };
  if (cycles.length === 0 && shown.count === 0) return { holds: false, why: 'rw-register: the evidence shows no cycle and no other anomaly' };
  const found = cyclesFault(txns, cycles, 'rw-register', (a, b, s) => dataFault(txns, assumptions, a, b, s));
  if (typeof found === 'string') return { holds: false, why: found };
  const assuming = assumptions.length > 0 ? `, assuming ${assumptions.join(', ')}` : '';
  const parts = [cycles.length > 0 ? `${cycles.length} cycle${cycles.length === 1 ? '' : 's'}` : '', shown.count > 0 ? `${shown.count} other anomal${shown.count === 1 ? 'y' : 'ies'}` : ''].filter((p) => p !== '');
  return { holds: true, what: `rw-register: ${parts.join(' and ')} derived again from the ops (${[...new Set([...found.types, ...shown.types])].join(', ')})${assuming}` };
}
