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
 *
 * An invalid verdict is certified for the anomalies the ops show alone (its `:ops` all `:ok`):
 * **unwritten-read** — a read (or a cas's expectation) of a value that is not the initial one and
 * that no op that did not fail writes; **competing-cas** — two cas from one value, which had at
 * most one source (the initial value, or a write or cas of it that did not fail), so one
 * occurrence for two cas to take; **cas-cycle** — cas ops each writing what the next expects,
 * round a loop, none of whose values is the initial one or written by an op outside it, so the
 * first of them to run had nothing to find.
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

/**
 * Why an invalid verdict's `:anomaly` over `:ops` (all `:ok`) does not hold, or undefined when it
 * does. A value's *sources* are the initial value (nil) and every write or cas of it that did not
 * fail; a cas consumes one occurrence of its expected value.
 */
function anomalyFault(ops: Map<number, RegisterOp>, anomaly: string, named: EdnValue[]): string | undefined {
  const cited = named.map((x) => (typeof x === 'number' ? ops.get(x) : undefined));
  const what = `sequential, ${anomaly}`;
  if (cited.length === 0 || cited.some((o) => o === undefined || !o.ok)) return `${what}: ${printEdn(named)} are not :ok register ops`;
  const cs = cited as RegisterOp[];
  const sources = (v: string, but: RegisterOp[] = []): number => (v === 'nil' ? 1 : 0) + [...ops.values()].filter((o) => o.kind !== 'read' && o.next === v && !but.includes(o)).length;
  switch (anomaly) {
    case 'unwritten-read': {
      const [r] = cs;
      return r.kind !== 'write' && sources(r.value) === 0 ? undefined : `${what}: ${r.value} is the initial value or written by an op that did not fail`;
    }
    case 'competing-cas': {
      const [a, b] = cs;
      if (cs.length !== 2 || a.kind !== 'cas' || b.kind !== 'cas' || a.value !== b.value) return `${what}: ${printEdn(named)} are not two cas from one value`;
      // Both took the value from the register, and only one occurrence of it ever existed.
      return sources(a.value) <= 1 ? undefined : `${what}: ${a.value} has ${sources(a.value)} sources, so both cas could take it`;
    }
    case 'cas-cycle': {
      const broken = cs.findIndex((c, j) => c.kind !== 'cas' || c.next !== cs[(j + 1) % cs.length].value);
      if (broken >= 0) return `${what}: op ${printEdn(named[broken])} is no cas writing what the next one expects`;
      // The first of them to run needed a value only the others write.
      const outside = cs.find((c) => sources(c.value, cs) > 0);
      return outside === undefined ? undefined : `${what}: ${outside.value} is the initial value or written by an op outside the loop`;
    }
    default:
      return `${what}: rests on the checker's chains, which no verifier derives`;
  }
}

/** Checks the sequential evidence `cert` against `h` (see this file's header). */
export function verifySequential(h: History, cert: EdnMap): Check {
  const order = cert.kw('order');
  const ops = registerOps(h);
  if (cert.kw('valid?') === false) {
    const anomaly = cert.kw('anomaly');
    const named = cert.kw('ops');
    const why = anomalyFault(ops, anomaly instanceof Keyword ? anomaly.name : printEdn(anomaly ?? null), Array.isArray(named) ? named : []);
    return why === undefined ? { holds: true, what: `sequential: ${printEdn(anomaly ?? null).slice(1)} shown by ops ${printEdn(named ?? null)}` } : fault(why);
  }
  if (cert.kw('valid?') !== true || !Array.isArray(order)) return fault('sequential: a valid verdict needs an :order');
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
