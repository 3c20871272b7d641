/**
 * Checking a counter certificate (analyzer/checkers/evidence.ts) against the history, with none
 * of the checker's code. The bounds of a read are derived again from the adds: *lower*, the
 * increments acknowledged (`:ok`) before the read was invoked plus the decrements attempted
 * (invoked, not failed) before it completed; *upper*, the increments attempted before it
 * completed plus the decrements acknowledged before it was invoked. Each `[read lower upper]` of the
 * certificate must name an `:ok` read with exactly those bounds; a valid verdict's `:reads` must
 * name every `:ok` read once, each value within its bounds, an invalid one's `:errors` reads
 * whose value is not.
 */
import { type EdnMap, type EdnValue, numberValue } from '../edn/values.js';
import { printEdn } from '../edn/print.js';
import type { History } from '../history/history.js';
import { FAIL, INVOKE, OK } from '../history/op.js';
import type { Check } from './linear.js';
import { OpIndex, count, fault } from './ops.js';

const amountOf = (v: EdnValue): number | undefined => {
  const n = numberValue(v);
  return n !== undefined && Number.isFinite(n) ? n : undefined;
};

/** Per position, the sums before it of increments and decrements, acknowledged and attempted. */
interface Sums {
  incAcked: Float64Array;
  incTried: Float64Array;
  decAcked: Float64Array;
  decTried: Float64Array;
}

function sumsBefore(ops: OpIndex): Sums {
  const h = ops.h;
  const s: Sums = { incAcked: new Float64Array(h.length + 1), incTried: new Float64Array(h.length + 1), decAcked: new Float64Array(h.length + 1), decTried: new Float64Array(h.length + 1) };
  let ia = 0;
  let it = 0;
  let da = 0;
  let dt = 0;
  for (let i = 0; i <= h.length; i++) {
    s.incAcked[i] = ia;
    s.incTried[i] = it;
    s.decAcked[i] = da;
    s.decTried[i] = dt;
    if (i === h.length) break;
    const inv = h.type[i] === INVOKE ? i : h.pair[i];
    if (!(ops.is(i, 'add', INVOKE) || ops.is(i, 'add', OK)) || inv < 0 || (h.pair[inv] >= 0 && h.type[h.pair[inv]] === FAIL)) continue;
    const d = amountOf(h.value[inv]);
    if (d === undefined) continue;
    const invoked = h.type[i] === INVOKE;
    if (d >= 0) invoked ? (it += d) : (ia += d);
    else invoked ? (dt += d) : (da += d);
  }
  return s;
}

/** A read's bounds: invoked at `inv`, completed at `c`. */
const boundsOf = (s: Sums, inv: number, c: number): [number, number] => [s.incAcked[inv] + s.decTried[c], s.incTried[c] + s.decAcked[inv]];

/** Checks the counter evidence `cert` against `h` (see this file's header). */
export function verifyCounter(h: History, cert: EdnMap): Check {
  const ops = new OpIndex(h);
  const sums = sumsBefore(ops);
  const valid = cert.kw('valid?');
  if (valid !== true && valid !== false) return fault('counter: the evidence has no verdict');
  const list = cert.kw(valid ? 'reads' : 'errors');
  if (!Array.isArray(list)) return fault(`counter: the evidence has no :${valid ? 'reads' : 'errors'}`);
  const named = new Set<number>();
  for (const [j, entry] of list.entries()) {
    if (!Array.isArray(entry) || entry.length !== 3) return fault(`counter: entry ${j} is not [read lower upper]`);
    const [r, lo, hi] = entry;
    const c = ops.position(r);
    const inv = c >= 0 ? h.pair[c] : -1;
    const what = `counter, read op ${printEdn(r)}`;
    if (!ops.is(c, 'read', OK) || inv < 0) return fault(`${what}: no :ok read of the counter`);
    if (named.has(c)) return fault(`${what}: named twice`);
    named.add(c);
    const [lower, upper] = boundsOf(sums, inv, c);
    if (lo !== lower || hi !== upper) return fault(`${what}: its bounds are [${lower} ${upper}] (acknowledged before op ${h.index[inv]}, attempted before op ${h.index[c]}), not [${printEdn(lo)} ${printEdn(hi)}]`);
    const n = amountOf(h.value[c]);
    const inside = n !== undefined && n >= lower && n <= upper;
    if (inside !== valid) return fault(`${what}: ${printEdn(h.value[c])} is ${inside ? 'within' : 'outside'} [${lower} ${upper}]`);
  }
  if (valid) {
    for (let i = 0; i < h.length; i++) if (ops.is(i, 'read', OK) && h.pair[i] >= 0 && !named.has(i)) return fault(`counter: read op ${h.index[i]} completed :ok but its bounds are not shown`);
    return { holds: true, what: `counter: ${count(named.size, 'read')} within the bounds derived again from the adds` };
  }
  if (named.size === 0) return fault('counter: the verdict is invalid, but no read is shown out of bounds');
  return { holds: true, what: `counter: ${count(named.size, 'read')} outside the bounds derived again from the adds` };
}
