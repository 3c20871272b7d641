/**
 * Transactions, read out of a history into flat typed arrays.
 *
 * Every client invocation whose `:value` is a list of micro-ops becomes one transaction,
 * whatever its `:f`. Its micro-ops come from the completion when the transaction is `:ok` (that
 * is where reads carry their values) and from the invocation otherwise (a `:fail` or `:info`
 * transaction's reads are unknown). Keys and values are interned to small ints so that the rest
 * of the checker compares ints, never EDN values:
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

export const APPEND = 0;
export const READ = 1;
export const WRITE = 2;
/** A register read or write of nil. */
export const NIL = -1;
/** A read whose value is unknown (an invocation's `nil`). */
export const UNKNOWN_VALUE = -2;

export type Workload = 'list-append' | 'rw-register';

export interface Txns {
  workload: Workload;
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

const SMALL_LIMIT = 1 << 24;

/** Interns EDN values to dense ids: primitives by value, everything else by printed form. */
export class Interner {
  readonly table: EdnValue[] = [];
  private readonly ids = new Map<unknown, number>();
  /** Small non-negative integers (the usual values) by direct lookup: id + 1, 0 = none. */
  private small = new Int32Array(1024);
  id(v: EdnValue): number {
    if (typeof v === 'number' && v >= 0 && v < SMALL_LIMIT && (v | 0) === v) {
      if (v >= this.small.length) {
        let cap = this.small.length;
        while (cap <= v) cap *= 2;
        const b = new Int32Array(cap);
        b.set(this.small);
        this.small = b;
      }
      const s = this.small[v];
      if (s !== 0) return s - 1;
      const id = this.table.length;
      this.table.push(v);
      this.small[v] = id + 1;
      return id;
    }
    const key = v === null || typeof v !== 'object' || v instanceof Keyword ? v : '\u0000' + printEdn(v, { sorted: true });
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.table.length;
      this.table.push(v);
      this.ids.set(key, id);
    }
    return id;
  }
}

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

/** Bad input at op i: the file, its line and what was expected (the CLI exits 3 with it). */
function badTxn(history: History, i: number, detail: string): never {
  throw new HistoryError(history.file, history.line[i], detail);
}

const MOPS = { 'list-append': '[:append k v] or [:r k list]', 'rw-register': '[:w k v] or [:r k v]' } as const;

/** Reads the transactions of `history` for `workload`. */
export function readTxns(history: History, workload: Workload): Txns {
  const inv = history.invocations();
  // Size every array up front: growing big typed arrays by doubling makes V8 run full
  // collections over the (large) history on each growth.
  let mopCount = 0;
  let elemCount = 0;
  for (let j = 0; j < inv.length; j++) {
    const i = inv[j];
    const c = history.pair[i];
    const v = c >= 0 && history.type[c] === OK && Array.isArray(history.value[c]) ? history.value[c] : history.value[i];
    if (!Array.isArray(v)) continue;
    mopCount += v.length;
    for (const m of v) if (Array.isArray(m) && m.length > 2 && Array.isArray(m[2])) elemCount += m[2].length;
  }
  const invoke = new IntVec(inv.length);
  const complete = new IntVec(inv.length);
  const statusV = new IntVec(inv.length);
  const processV = new IntVec(inv.length);
  const mopStart = new IntVec(inv.length + 1);
  const mopTxn = new IntVec(mopCount);
  const kind = new IntVec(mopCount);
  const key = new IntVec(mopCount);
  const value = new IntVec(mopCount);
  const len = new IntVec(mopCount);
  const elems = new IntVec(elemCount);
  const keys = new Interner();
  const values = new Interner();
  const listReads = workload === 'list-append';

  for (let j = 0; j < inv.length; j++) {
    const i = inv[j];
    const c = history.pair[i];
    const outcome = c < 0 ? INFO : history.type[c];
    const fromCompletion = outcome === OK && isTxnValue(history.value[c]);
    const v = fromCompletion ? history.value[c] : history.value[i];
    if (!isTxnValue(v)) {
      if (!isTxnOp(history, i)) continue; // another kind of op beside the transactions
      const at = outcome === OK ? c : i;
      badTxn(history, at, `expected a :txn value, a vector of micro-ops like ${MOPS[workload]}; found ${printEdn(history.value[at]).slice(0, 80)}`);
    }
    const t = invoke.n;
    invoke.push(i);
    complete.push(c);
    statusV.push(outcome === OK ? OK : outcome === FAIL ? FAIL : INFO);
    processV.push(history.process[i]);
    mopStart.push(kind.n);
    for (const m of v) {
      const f = mopName(m[0]);
      const k = m[1];
      const x = m.length > 2 ? m[2] : null;
      if ((f === 'append' && listReads) || (f === 'w' && !listReads)) {
        kind.push(f === 'append' ? APPEND : WRITE);
        value.push(x === null && f === 'w' ? NIL : values.id(x));
        len.push(0);
      } else if (f === 'r') {
        kind.push(READ);
        if (listReads) {
          if (fromCompletion && x !== null && !Array.isArray(x)) badTxn(history, c, `a list-append read returns a list; found ${printEdn(m).slice(0, 80)}`);
          if (!fromCompletion) {
            value.push(0);
            len.push(-1);
          } else {
            value.push(elems.n);
            const xs = (x ?? []) as EdnValue[];
            for (const e of xs) elems.push(values.id(e));
            len.push(xs.length);
          }
        } else {
          value.push(!fromCompletion ? UNKNOWN_VALUE : x === null ? NIL : values.id(x));
          len.push(0);
        }
      } else {
        const other = f === 'w' ? ' (an rw-register micro-op: try --checker rw-register)' : f === 'append' ? ' (a list-append micro-op: try --checker list-append)' : '';
        badTxn(history, fromCompletion ? c : i, `unknown micro-op ${printEdn(m).slice(0, 80)} for ${workload}; expected ${MOPS[workload]}${other}`);
      }
      key.push(keys.id(k));
      mopTxn.push(t);
    }
  }
  mopStart.push(kind.n);
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
    mopKind: Uint8Array.from(kind.toArray()),
    mopKey: key.toArray(),
    mopValue: value.toArray(),
    mopLen: len.toArray(),
    readElems: elems.toArray(),
    keys: keys.table,
    values: values.table,
  };
}

/** The op a transaction is best shown by: its completion if any, else its invocation. */
export function txnOpPosition(txns: Txns, t: number): number {
  return txns.complete[t] >= 0 ? txns.complete[t] : txns.invoke[t];
}
