/**
 * A hint for the commonest false alarm on a register: a history whose register starts at a
 * value (Knossos's tests start at 0) checked without `--init`. The search then fails at the
 * first read of that value; if no op ever writes it, the read can only be of the initial
 * state, and saying so saves a user from chasing a bug that is not there.
 */
import type { CheckResult } from '../check/checker.js';
import { printEdn } from '../edn/print.js';
import { type EdnValue, Keyword, ednEquals, isRecord } from '../edn/values.js';
import type { History } from '../history/history.js';

const REGISTERS = new Set(['register', 'cas-register']);

/** The value a write or cas of this op puts in its register (`[k v]` unwrapped when keyed). */
function written(h: History, i: number, independent: boolean): { key: EdnValue | undefined; value: EdnValue } | undefined {
  const f = h.fName(i);
  let v = h.value[i];
  let key: EdnValue | undefined;
  if (independent) {
    if (!Array.isArray(v) || v.length !== 2) return undefined;
    key = v[0];
    v = v[1]!;
  }
  if (f === 'write') return { key, value: v };
  if (f === 'cas' && Array.isArray(v) && v.length === 2) return { key, value: v[1]! };
  return undefined;
}

/** "no op writes 0: if the register starts at 0, pass --init 0", or undefined. */
export function initHint(h: History, result: CheckResult, opts: { model: string; init: unknown; independent: boolean }): string | undefined {
  if (result['valid?'] !== false || opts.init !== undefined || !REGISTERS.has(opts.model)) return undefined;
  const op = result.op;
  const f = isRecord(op) ? op.f : undefined;
  if (!isRecord(op) || (f instanceof Keyword ? f.name : f) !== 'read') return undefined;
  let read = op.value as EdnValue;
  let key: EdnValue | undefined;
  if (opts.independent) {
    if (!Array.isArray(read) || read.length !== 2) return undefined;
    key = read[0];
    read = read[1]!;
  }
  if (read === null || read === undefined) return undefined;
  for (const i of h.invocations()) {
    const w = written(h, i, opts.independent);
    if (w !== undefined && (key === undefined || ednEquals(w.key ?? null, key)) && ednEquals(w.value, read)) return undefined;
  }
  const v = printEdn(read);
  return `no op writes ${v}${key === undefined ? '' : ` to key ${printEdn(key)}`}: if the register starts at ${v}, pass --init ${v}`;
}
