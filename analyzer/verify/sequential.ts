/**
 * Checking a sequential certificate (analyzer/checkers/sequential/) against the history, with
 * none of the checker's code: a valid verdict's `:order` is replayed as one register. The ops
 * are read here again — an `:ok` `:read` returns its completion's value; a `:write v` and a
 * `:cas [a b]` (not failed) take their value from the completion, or the invocation when the
 * completion has none; a cas [a a] is a read of a; nil and `:nil` are the initial value — and
 * named by the `:index` the checker cites (the completion, or the invocation when there is none).
 *
 * The order must name every `:ok` op once, `:info` writes and cas at most once (one it leaves out
 * did not happen) and nothing else; keep each process's ops in their history order; and, replayed
 * from the initial value, have every read return the value last written and every cas find its
 * expected one. That is a total order in which each process's ops keep their order and every
 * read sees the latest write: sequential consistency shown, whatever the checker's chains.
 */
import { printEdn } from '../edn/print.js';
import { type EdnMap, type EdnValue, Keyword } from '../edn/values.js';
import type { History } from '../history/history.js';
import { FAIL, INFO, INVOKE, OK } from '../history/op.js';
import type { Check } from './linear.js';
import { count, fault, textOf } from './ops.js';

interface RegisterOp {
  inv: number;
  kind: 'read' | 'write' | 'cas';
  /** As text: the value read, written, or expected (cas); and the cas's new value. */
  value: string;
  next: string;
  ok: boolean;
}

/** nil and `:nil` (Couchbase's missing document) are the initial value. */
const valueText = (v: EdnValue): string => (v === null || (v instanceof Keyword && v.name === 'nil') ? 'nil' : textOf(v));

/** The register ops by the `:index` a certificate names them by (see the file's header). */
function registerOps(h: History): Map<number, RegisterOp> {
  const out = new Map<number, RegisterOp>();
  for (let i = 0; i < h.length; i++) {
    if (h.type[i] !== INVOKE || !h.isClient(i)) continue;
    const c = h.pair[i];
    const type = c < 0 ? INFO : h.type[c];
    if (type === FAIL) continue;
    const ok = type === OK;
    const given = c >= 0 && h.value[c] !== null ? h.value[c] : h.value[i];
    const f = h.fName(i);
    let op: RegisterOp | undefined;
    if (f === 'read' && ok) op = { inv: i, kind: 'read', value: valueText(h.value[c]), next: '', ok };
    else if (f === 'write') op = { inv: i, kind: 'write', value: valueText(given), next: valueText(given), ok };
    else if (f === 'cas' && Array.isArray(given) && given.length === 2) {
      const [a, b] = given.map(valueText);
      if (a !== b) op = { inv: i, kind: 'cas', value: a, next: b, ok };
      else if (ok) op = { inv: i, kind: 'read', value: a, next: '', ok };
    }
    if (op !== undefined) out.set(h.index[c >= 0 ? c : i], op);
  }
  return out;
}

/** Checks the sequential evidence `cert` against `h` (see this file's header). */
export function verifySequential(h: History, cert: EdnMap): Check {
  const order = cert.kw('order');
  if (cert.kw('valid?') !== true || !Array.isArray(order)) return fault('sequential: only a valid verdict with an :order has evidence');
  const ops = registerOps(h);
  const placed = new Set<number>();
  // Per process, its latest op placed: invocation position and cited :index.
  const lastOfProcess = new Map<number, { inv: number; index: number }>();
  let state = 'nil';
  for (const [j, x] of order.entries()) {
    const what = `sequential, order position ${j} (op ${printEdn(x)})`;
    const op = typeof x === 'number' ? ops.get(x) : undefined;
    if (op === undefined) return fault(`${what}: no read, write or cas of the history that took effect or may have`);
    if (placed.has(x as number)) return fault(`${what}: comes twice`);
    const p = h.process[op.inv];
    const before = lastOfProcess.get(p);
    if (before !== undefined && before.inv > op.inv) return fault(`${what}: comes after op ${before.index}, which its process invoked later`);
    // A read and a cas must find the value they expect; a write and a cas set the register.
    if (op.kind !== 'write' && op.value !== state) return fault(`${what}: ${op.kind === 'read' ? 'reads' : 'expects'} ${op.value}, but the register holds ${state}`);
    if (op.kind !== 'read') state = op.next;
    placed.add(x as number);
    lastOfProcess.set(p, { inv: op.inv, index: x as number });
  }
  for (const [x, op] of ops) if (op.ok && !placed.has(x)) return fault(`sequential: op ${x} completed :ok but is not in the order`);
  return { holds: true, what: `sequential: one order of ${count(placed.size, 'op')} replayed, each process's kept` };
}
