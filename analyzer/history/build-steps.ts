/**
 * The passes `HistoryBuilder.build` (history.ts) makes over all the rows read, before pairing:
 * a warning when `:index` goes backwards, client ids for integer processes too big for the
 * process column, and an invocation inserted before each completion that has none (histories
 * that list only completions). Each runs once per history, over the builder's columns.
 */
import type { EdnMap, EdnValue } from '../edn/values.js';
import type { Diagnostics } from './diagnostics.js';
import { INVOKE } from './op.js';

/** A builder's columns, rows [0, n) in use (the typed arrays may be longer). */
export interface Rows {
  n: number;
  index: Float64Array<ArrayBuffer>;
  time: Float64Array<ArrayBuffer>;
  type: Uint8Array<ArrayBuffer>;
  process: Int32Array<ArrayBuffer>;
  f: Int32Array<ArrayBuffer>;
  line: Int32Array<ArrayBuffer>;
  values: EdnValue[];
  /** `:error` per row (sparse). */
  errors: Map<number, EdnValue>;
  /** The op's other keys per row (sparse). */
  extras: Map<number, EdnMap>;
}

/** One warning when `:index` goes back somewhere: the ops are taken in file order, as read. */
export function warnIndexOrder(index: Float64Array, line: Int32Array, n: number, diagnostics: Diagnostics): void {
  for (let i = 1; i < n; i++) {
    if (index[i] < index[i - 1]) {
      diagnostics.warn(line[i], `:index ${index[i]} comes after :index ${index[i - 1]}; the ops are taken in file order, not by :index`);
      return;
    }
  }
}

/**
 * Gives integer processes outside 0..2^31-1 client ids above every ordinary one, rewriting
 * `process[0, n)` in place. `oddIds` are those processes' ids as interned (negative: id -1-k is
 * `processNames[k]`). Returns each new id's process value. Throws `HistoryError` (through
 * `diagnostics.error`) when the new ids would pass 2^31-1.
 */
export function renumberOddClients(
  process: Int32Array,
  n: number,
  oddIds: readonly number[],
  processNames: readonly EdnValue[],
  diagnostics: Diagnostics,
): Map<number, EdnValue> {
  const out = new Map<number, EdnValue>();
  if (oddIds.length === 0) return out;
  let max = -1;
  for (let i = 0; i < n; i++) if (process[i] > max) max = process[i];
  if (max + oddIds.length > 0x7fffffff) diagnostics.error(0, `too many distinct processes (${oddIds.length} beyond 2^31)`);
  const renumber = new Map<number, number>();
  for (const id of oddIds) {
    renumber.set(id, ++max);
    out.set(max, processNames[-1 - id]!);
  }
  for (let i = 0; i < n; i++) {
    const to = renumber.get(process[i]);
    if (to !== undefined) process[i] = to;
  }
  return out;
}

/**
 * New rows with an invocation inserted just before each of `unmatched` (ascending positions of
 * completions that have no invocation): a copy of the completion's row typed INVOKE, with no
 * `:error` or other keys. Arrays are exactly `n + unmatched.length` long.
 */
export function withInvocations(rows: Rows, unmatched: readonly number[]): Rows {
  const size = rows.n + unmatched.length;
  const index = new Float64Array(size);
  const time = new Float64Array(size);
  const type = new Uint8Array(size);
  const process = new Int32Array(size);
  const f = new Int32Array(size);
  const line = new Int32Array(size);
  const values: EdnValue[] = new Array<EdnValue>(size);
  const errors = new Map<number, EdnValue>();
  const extras = new Map<number, EdnMap>();
  const copy = (from: number, to: number, t: number): void => {
    index[to] = rows.index[from];
    time[to] = rows.time[from];
    type[to] = t;
    process[to] = rows.process[from];
    f[to] = rows.f[from];
    line[to] = rows.line[from];
    values[to] = rows.values[from]!;
  };
  let out = 0;
  let next = 0;
  for (let i = 0; i < rows.n; i++) {
    if (next < unmatched.length && unmatched[next] === i) {
      next++;
      copy(i, out++, INVOKE);
    }
    copy(i, out, rows.type[i]);
    const e = rows.errors.get(i);
    if (e !== undefined) errors.set(out, e);
    const x = rows.extras.get(i);
    if (x !== undefined) extras.set(out, x);
    out++;
  }
  return { n: size, index, time, type, process, f, line, values, errors, extras };
}
