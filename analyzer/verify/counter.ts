/**
 * Checking a counter certificate (analyzer/checkers/evidence.ts) against the history, with none
 * of the checker's code. The bounds of a read are derived again from the adds: *lower*, the sum
 * of the increments acknowledged (`:ok`) before the read was invoked — a negative one counting
 * from its invocation —, and *upper*, the sum of the increments invoked (and not failed) before
 * the read completed — a negative one counting from its `:ok`. Each `[read lower upper]` of the
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

/** The bounds as they stand before each position: lower[i], upper[i]. */
function boundsBefore(ops: OpIndex): { lower: Float64Array; upper: Float64Array } {
  const h = ops.h;
  const lower = new Float64Array(h.length + 1);
  const upper = new Float64Array(h.length + 1);
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < h.length; i++) {
    lower[i] = lo;
    upper[i] = hi;
    const inv = h.type[i] === INVOKE ? i : h.pair[i];
    if (!(ops.is(i, 'add', INVOKE) || ops.is(i, 'add', OK)) || inv < 0 || (h.pair[inv] >= 0 && h.type[h.pair[inv]] === FAIL)) continue;
    const d = amountOf(h.value[inv]);
    if (d === undefined) continue;
    // An increment raises upper when invoked and lower when acknowledged; a decrement the other way.
    if ((h.type[i] === INVOKE) === d >= 0) hi += d;
    else lo += d;
  }
  lower[h.length] = lo;
  upper[h.length] = hi;
  return { lower, upper };
}

/** Checks the counter evidence `cert` against `h` (see this file's header). */
export function verifyCounter(h: History, cert: EdnMap): Check {
  const ops = new OpIndex(h);
  const { lower, upper } = boundsBefore(ops);
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
    if (lo !== lower[inv] || hi !== upper[c]) return fault(`${what}: its bounds are [${lower[inv]} ${upper[c]}] (acknowledged before op ${h.index[inv]}, attempted before op ${h.index[c]}), not [${printEdn(lo)} ${printEdn(hi)}]`);
    const n = amountOf(h.value[c]);
    const inside = n !== undefined && n >= lower[inv] && n <= upper[c];
    if (inside !== valid) return fault(`${what}: ${printEdn(h.value[c])} is ${inside ? 'within' : 'outside'} [${lower[inv]} ${upper[c]}]`);
  }
  if (valid) {
    for (let i = 0; i < h.length; i++) if (ops.is(i, 'read', OK) && h.pair[i] >= 0 && !named.has(i)) return fault(`counter: read op ${h.index[i]} completed :ok but its bounds are not shown`);
    return { holds: true, what: `counter: ${count(named.size, 'read')} within the bounds derived again from the adds` };
  }
  if (named.size === 0) return fault('counter: the verdict is invalid, but no read is shown out of bounds');
  return { holds: true, what: `counter: ${count(named.size, 'read')} outside the bounds derived again from the adds` };
}
