/**
 * Transactions, read out of a history into flat typed arrays.
 *
 * Every client invocation whose `:value` is a list of micro-ops becomes one transaction,
 * whatever its `:f`. Its micro-ops come from the completion when the transaction is `:ok` (that
 * is where reads carry their values) and from the invocation otherwise (a `:fail` or `:info`
 * transaction's reads are unknown). What each micro-op means is the workload's business
 * (`MicroOpReader.readMicroOp`); this file walks the ops and stores what it says. Keys and values
 * are interned to small ints (util/interner.ts) so that the rest of the checker compares ints,
 * never EDN values:
 *
 *   mopKind[m]  APPEND / READ / WRITE        mopKey[m]  key id
 *   mopValue[m] append/write: value id; register read: value id or NIL; list read: offset into
 *               readElems (with mopLen[m] elements), or unknown (mopLen -1)
 */
import { type EdnValue, Keyword } from '../edn/values.js';
import { printEdn } from '../edn/print.js';
import { HistoryError } from '../history/diagnostics.js';
import type { History } from '../history/history.js';
import { FAIL, INFO, OK } from '../history/op.js';
import { IntVec } from '../util/int-tables.js';
import { Interner } from '../util/interner.js';
import type { MicroOpReader, WorkloadIdentity } from './workload.js';

/** Micro-op kind: a list-append append. */
export const APPEND = 0;
/** Micro-op kind: a read (a list or a register value, by workload). */
export const READ = 1;
/** Micro-op kind: a register write. */
export const WRITE = 2;
/** A register read or write of nil. */
export const NIL = -1;
/** A read whose value is unknown (an invocation's `nil`). */
export const UNKNOWN_VALUE = -2;

/** A history's transactions, micro-op by micro-op, as typed arrays (see the file header). */
export interface Txns {
  /** The workload whose micro-ops these are (it says how a read shows). */
  workload: MicroOpReader;
  history: History;
  count: number;
  /** History positions of each transaction's invocation and completion (-1: none). */
  invoke: Int32Array;
  complete: Int32Array;
  /** OK, INFO or FAIL. */
  status: Uint8Array;
  process: Int32Array;
  /** Micro-ops of transaction t are mopStart[t] .. mopStart[t+1]-1. */
  mopStart: Int32Array;
  mopTxn: Int32Array;
  mopKind: Uint8Array;
  mopKey: Int32Array;
  mopValue: Int32Array;
  /** List reads: element count, -1 when unknown. Unused (0) for other micro-ops. */
  mopLen: Int32Array;
  readElems: Int32Array;
  keys: EdnValue[];
  values: EdnValue[];
}

/**
 * Where a workload's `readMicroOp` puts the micro-op it read: one `add` per micro-op, with
 * values interned through `valueId` and a list read's elements through `elements`.
 */
export class MicroOpSink {
  /** Whether the micro-ops come from an `:ok` completion (reads carry values) or an invocation. */
  fromCompletion = false;
  /** History position of the op being read (for `bad`). */
  at = 0;
  /** Micro-ops added so far (the arrays below hold them in `[0, count)`). */
  count = 0;
  /** Each micro-op's kind (becomes `Txns.mopKind`). */
  kinds: Uint8Array;
  /** Each micro-op's value (becomes `Txns.mopValue`). */
  mopValues: Int32Array;
  /** Each list read's length (becomes `Txns.mopLen`). */
  lengths: Int32Array;
  /** A list read's elements, interned. */
  readonly elems: IntVec;
  /** The interner of values (and read elements). */
  readonly values = new Interner();

  /** Room for `mops` micro-ops and `elems` read elements (typed arrays are sized up front). */
  constructor(
    private readonly history: History,
    mops: number,
    elems: number,
  ) {
    this.kinds = new Uint8Array(Math.max(16, mops));
    this.mopValues = new Int32Array(this.kinds.length);
    this.lengths = new Int32Array(this.kinds.length);
    this.elems = new IntVec(elems);
  }

  /** Records one micro-op: its kind (APPEND, READ, WRITE), value (id, NIL, offset…) and list length. */
  add(kind: number, value: number, length: number): void {
    const n = this.count;
    if (n === this.kinds.length) this.grow();
    this.kinds[n] = kind;
    this.mopValues[n] = value;
    this.lengths[n] = length;
    this.count = n + 1;
  }

  private grow(): void {
    const cap = this.kinds.length * 2;
    const kinds = new Uint8Array(cap);
    const values = new Int32Array(cap);
    const lengths = new Int32Array(cap);
    kinds.set(this.kinds);
    values.set(this.mopValues);
    lengths.set(this.lengths);
    this.kinds = kinds;
    this.mopValues = values;
    this.lengths = lengths;
  }

  /** The interned id of value `x`. */
  valueId(x: EdnValue): number {
    return this.values.id(x);
  }

  /** Interns a list read's elements into readElems; returns the offset of the first. */
  elements(xs: readonly EdnValue[]): number {
    const start = this.elems.n;
    for (let j = 0; j < xs.length; j++) this.elems.push(this.values.id(xs[j]));
    return start;
  }

  /** Throws bad input at the op being read: the file, its line and `detail` (the CLI exits 3 with it). */
  bad(detail: string): never {
    throw new HistoryError(this.history.file, this.history.line[this.at], detail);
  }
}

/** A micro-op's name: `:append` → "append"; elle-cli's JSON spells it as a string. */
function mopName(f: EdnValue): string | undefined {
  if (f instanceof Keyword) return f.name;
  return typeof f === 'string' ? f : undefined;
}

function isTxnValue(v: EdnValue): v is EdnValue[][] {
  return Array.isArray(v) && v.every((m) => Array.isArray(m) && m.length >= 2);
}

/** A transaction op is one whose `:f` is `:txn`, or that has no `:f` (as in Elle's tests). */
function isTxnOp(history: History, i: number): boolean {
  return history.f[i] < 0 || history.fName(i) === 'txn';
}

/** Micro-op and element counts, to size every array up front (growing big typed arrays by doubling makes V8 run full collections over the large history). */
function countMicroOps(history: History, inv: Int32Array): { mops: number; elems: number } {
  let mops = 0;
  let elems = 0;
  for (let j = 0; j < inv.length; j++) {
    const i = inv[j];
    const c = history.pair[i];
    const v = c >= 0 && history.type[c] === OK && Array.isArray(history.value[c]) ? history.value[c] : history.value[i];
    if (!Array.isArray(v)) continue;
    mops += v.length;
    for (const m of v) if (Array.isArray(m) && m.length > 2 && Array.isArray(m[2])) elems += m[2].length;
  }
  return { mops, elems };
}

/**
 * Reads the transactions of `history` as `workload`'s. `others` are the other workloads, named
 * in the message when a micro-op is one of theirs. Throws HistoryError (bad input, with the op's
 * line) for a transaction whose value is not micro-ops, or a micro-op the workload does not know.
 */
export function readTxns(history: History, workload: MicroOpReader, others: readonly WorkloadIdentity[] = []): Txns {
  const inv = history.invocations();
  const counts = countMicroOps(history, inv);
  const invoke = new IntVec(inv.length);
  const complete = new IntVec(inv.length);
  const statusV = new IntVec(inv.length);
  const processV = new IntVec(inv.length);
  const mopStart = new IntVec(inv.length + 1);
  const mopTxn = new IntVec(counts.mops);
  const key = new IntVec(counts.mops);
  const keys = new Interner();
  const sink: MicroOpSink = new MicroOpSink(history, counts.mops, counts.elems);

  for (let j = 0; j < inv.length; j++) {
    const i = inv[j];
    const c = history.pair[i];
    const outcome = c < 0 ? INFO : history.type[c];
    const fromCompletion = outcome === OK && isTxnValue(history.value[c]);
    const v = fromCompletion ? history.value[c] : history.value[i];
    if (!isTxnValue(v)) {
      if (!isTxnOp(history, i)) continue; // another kind of op beside the transactions
      sink.at = outcome === OK ? c : i;
      sink.bad(`expected a :txn value, a vector of micro-ops like ${workload.microOps}; found ${printEdn(history.value[sink.at]).slice(0, 80)}`);
    }
    const t = invoke.n;
    invoke.push(i);
    complete.push(c);
    statusV.push(outcome === OK ? OK : outcome === FAIL ? FAIL : INFO);
    processV.push(history.process[i]);
    mopStart.push(sink.count);
    sink.fromCompletion = fromCompletion;
    sink.at = fromCompletion ? c : i;
    for (const m of v) {
      const f = mopName(m[0]);
      if (!workload.readMicroOp(f, m, sink)) {
        const owner = others.find((o) => o !== workload && o.writeName === f);
        const hint = owner === undefined ? '' : ` (${owner.aMicroOp}: try --checker ${owner.name})`;
        sink.bad(`unknown micro-op ${printEdn(m).slice(0, 80)} for ${workload.name}; expected ${workload.microOps}${hint}`);
      }
      key.push(keys.id(m[1]));
      mopTxn.push(t);
    }
  }
  mopStart.push(sink.count);
  const n = sink.count;
  return {
    workload,
    history,
    count: invoke.n,
    invoke: invoke.toArray(),
    complete: complete.toArray(),
    status: Uint8Array.from(statusV.toArray()),
    process: processV.toArray(),
    mopStart: mopStart.toArray(),
    mopTxn: mopTxn.toArray(),
    mopKind: n === sink.kinds.length ? sink.kinds : sink.kinds.subarray(0, n),
    mopKey: key.toArray(),
    mopValue: n === sink.mopValues.length ? sink.mopValues : sink.mopValues.subarray(0, n),
    mopLen: n === sink.lengths.length ? sink.lengths : sink.lengths.subarray(0, n),
    readElems: sink.elems.toArray(),
    keys: keys.values,
    values: sink.values.values,
  };
}

/** The op a transaction is best shown by: its completion if any, else its invocation. */
export function txnOpPosition(txns: Txns, t: number): number {
  return txns.complete[t] >= 0 ? txns.complete[t] : txns.invoke[t];
}
