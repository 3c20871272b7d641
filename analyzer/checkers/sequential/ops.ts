/**
 * The register operations the `sequential` checker orders, extracted from a history.
 *
 * Each kept op is one of
 *   - a read of value v            (an :ok :read; its value is the completion's),
 *   - a write of v                 (an :ok :write, or an :info one whose value someone observed),
 *   - a cas from a to b            (an :ok :cas [a b], or an :info one whose b someone observed).
 *
 * What is dropped, and why that is exact for registers with unique writes:
 *   - :fail ops did not happen.
 *   - :info reads returned nothing, so they constrain nothing.
 *   - an :info write (or cas) whose value nobody observed may be taken not to have happened:
 *     if some total order exists with it, removing it leaves every read reading the same
 *     write (nobody read its value, so no read sat between it and the next write), and the
 *     world where it did not happen is one of the worlds an :info op allows.
 *   - an :info write whose value was observed must have happened (writes are unique).
 * A cas [a a] changes nothing and is a read of a at one instant, so it is kept as a read.
 * `nil` and `:nil` (Couchbase's missing document) both mean the initial, never-written value.
 */
import { Interner } from '../../util/interner.js';
import { type EdnValue, Keyword } from '../../edn/values.js';
import type { History } from '../../history/history.js';
import { FAIL, INFO, INVOKE } from '../../history/op.js';

/** `RegisterOps.kind` of a read. */
export const READ = 0;
/** `RegisterOps.kind` of a write. */
export const WRITE = 1;
/** `RegisterOps.kind` of a cas [old new] with old ≠ new. */
export const CAS = 2;

/** Value id of the initial value (nil / :nil). */
export const INITIAL = 0;

/** The kept ops (see this file's header), column-wise. */
export interface RegisterOps {
  /** Number of kept ops; arrays below are indexed by kept-op id, in history order. */
  n: number;
  /** READ, WRITE or CAS. */
  kind: Uint8Array;
  /** The history's process id of each op. */
  process: Int32Array;
  /** READ: the value read; WRITE: the value written; CAS: the expected (old) value. */
  value: Int32Array;
  /** CAS: the new value; otherwise -1. */
  value2: Int32Array;
  /** History position of the invocation, and of the op to cite (the completion when there is one). */
  invoke: Int32Array;
  cite: Int32Array;
  /** Value ids back to values (values[0] is nil). */
  values: readonly EdnValue[];
  /** Ops whose :f is not read/write/cas, or whose value has the wrong shape: not checked. */
  skipped: number;
}

const NIL_KW = Keyword.of('nil');

/** Values as dense ids, nil (and `:nil`) being INITIAL, the register's value before any write. */
class ValueTable {
  private readonly interner = new Interner();
  constructor() {
    this.interner.id(null); // id 0 = INITIAL
  }
  get values(): readonly EdnValue[] {
    return this.interner.values;
  }
  id(v: EdnValue): number {
    return v === null || v === NIL_KW ? INITIAL : this.interner.id(v);
  }
}

interface Candidate {
  kind: number;
  process: number;
  value: number;
  value2: number;
  invoke: number;
  cite: number;
  info: boolean;
}

/** The value of an op: the completion's when it has one that is not nil, else the invocation's. */
function opValue(h: History, inv: number, done: number): EdnValue {
  if (done >= 0 && h.value[done] !== null) return h.value[done];
  return h.value[inv];
}

/** The register ops of `h` to order (see this file's header); ops of another :f, and cas values that are not `[old new]`, count as `skipped`. */
export function registerOps(h: History): RegisterOps {
  const table = new ValueTable();
  const cands: Candidate[] = [];
  let skipped = 0;
  for (let i = 0; i < h.length; i++) {
    if (h.type[i] !== INVOKE || !h.isClient(i)) continue;
    const outcome = h.outcome(i);
    if (outcome === FAIL) continue;
    const done = h.pair[i];
    const cite = done >= 0 ? done : i;
    const f = h.fName(i);
    const info = outcome === INFO;
    if (f === 'read') {
      if (info) continue;
      cands.push({ kind: READ, process: h.process[i], value: table.id(h.value[done]), value2: -1, invoke: i, cite, info });
    } else if (f === 'write') {
      cands.push({ kind: WRITE, process: h.process[i], value: table.id(opValue(h, i, done)), value2: -1, invoke: i, cite, info });
    } else if (f === 'cas') {
      const v = opValue(h, i, done);
      if (!Array.isArray(v) || v.length !== 2) {
        skipped++;
        continue;
      }
      const a = table.id(v[0]);
      const b = table.id(v[1]);
      if (a === b) {
        if (!info) cands.push({ kind: READ, process: h.process[i], value: a, value2: -1, invoke: i, cite, info });
        continue;
      }
      cands.push({ kind: CAS, process: h.process[i], value: a, value2: b, invoke: i, cite, info });
    } else {
      skipped++;
    }
  }
  const keep = keepObserved(cands, table.values.length);
  const n = keep.length;
  const out: RegisterOps = {
    n,
    kind: new Uint8Array(n),
    process: new Int32Array(n),
    value: new Int32Array(n),
    value2: new Int32Array(n),
    invoke: new Int32Array(n),
    cite: new Int32Array(n),
    values: table.values,
    skipped,
  };
  keep.forEach((c, k) => {
    out.kind[k] = c.kind;
    out.process[k] = c.process;
    out.value[k] = c.value;
    out.value2[k] = c.value2;
    out.invoke[k] = c.invoke;
    out.cite[k] = c.cite;
  });
  return out;
}

/**
 * Keeps every determinate op, and each :info write/cas whose written value is observed by a
 * kept op (a read of it, or a kept cas expecting it). A kept :info cas observes its own old
 * value in turn, so this runs to a fixed point.
 */
function keepObserved(cands: Candidate[], nValues: number): Candidate[] {
  const observed = new Uint8Array(nValues);
  const pendingByValue = new Map<number, Candidate[]>();
  const kept = new Set<Candidate>();
  const work: number[] = [];
  const observe = (v: number) => {
    if (observed[v] === 0) {
      observed[v] = 1;
      work.push(v);
    }
  };
  for (const c of cands) {
    if (!c.info) {
      kept.add(c);
      if (c.kind !== WRITE) observe(c.value);
    } else {
      const written = c.kind === CAS ? c.value2 : c.value;
      let list = pendingByValue.get(written);
      if (list === undefined) pendingByValue.set(written, (list = []));
      list.push(c);
    }
  }
  while (work.length > 0) {
    const v = work.pop()!;
    for (const c of pendingByValue.get(v) ?? []) {
      kept.add(c);
      if (c.kind === CAS) observe(c.value);
    }
    pendingByValue.delete(v);
  }
  return cands.filter((c) => kept.has(c));
}
