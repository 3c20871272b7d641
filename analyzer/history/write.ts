/** Writing ops back out: EDN lines as Jepsen's `prn` writes history.edn, and JSON objects. */
import { printEdn, setOwn, toJson, type Json } from '../edn/print.js';
import { type EdnValue, Keyword, mapEntries } from '../edn/values.js';
import type { Op } from './op.js';

/** One op as a line of Jepsen's history.edn: keys `:index :time :type :process :f :value`, then `:error` and extras. */
export function printOp(op: Op): string {
  const parts: string[] = [`:index ${op.index}`];
  if (op.time !== undefined) parts.push(`:time ${op.time}`);
  parts.push(`:type :${op.type}`);
  if (op.process !== undefined) parts.push(`:process ${printEdn(op.process)}`);
  if (op.f !== undefined) parts.push(`:f ${printEdn(op.f)}`);
  parts.push(`:value ${printEdn(op.value)}`);
  if (op.error !== undefined) parts.push(`:error ${printEdn(op.error)}`);
  if (op.extra !== undefined) for (const [k, v] of mapEntries(op.extra)) parts.push(`${printEdn(k)} ${printEdn(v)}`);
  return '{' + parts.join(', ') + '}';
}

/** One op as a JSON object with the same keys (elle-cli's convention: keywords as strings). */
export function opToJson(op: Op): { [key: string]: Json } {
  const o: { [key: string]: Json } = { index: op.index };
  if (op.time !== undefined) o.time = op.time;
  o.type = op.type;
  if (op.process !== undefined) o.process = toJson(op.process);
  if (op.f !== undefined) o.f = toJson(op.f);
  o.value = toJson(op.value);
  if (op.error !== undefined) o.error = toJson(op.error);
  if (op.extra !== undefined)
    for (const [k, v] of mapEntries(op.extra)) setOwn(o, k instanceof Keyword ? k.name : String(toJson(k as EdnValue)), toJson(v));
  return o;
}
