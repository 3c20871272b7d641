/**
 * Writes a generated history as EDN lines, one op map a line as Jepsen's `prn` writes them
 * (`{:index 0, :time 123, :type :invoke, :process 0, :f :write, :value 3}`), after a header
 * comment line `; hindsight-gen {…}` that states the expected verdict and the checker to use.
 * EDN readers skip `;` comments, so the file is an ordinary history.
 *
 * Output goes out in chunks of about 64 KiB as the ops are generated, so a history of millions
 * of ops never exists as one string (nor, with `streamGenerated`, as a History).
 */
import { once } from 'node:events';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { printEdn } from '../edn/print.js';
import { type EdnRecord, EdnMap, EdnSet, type EdnValue, Keyword, isList, mapEntries } from '../edn/values.js';
import type { History } from '../history/history.js';
import type { OpInput } from '../history/op.js';

const CHUNK = 1 << 16;

/**
 * `printEdn` for the shapes generated values take (integers, nil, keywords, vectors, sets),
 * without its options and allocations; anything else goes to `printEdn`.
 */
export function fastEdn(v: EdnValue): string {
  if (typeof v === 'number') return Number.isInteger(v) && !Object.is(v, -0) ? String(v) : printEdn(v);
  if (v === null) return 'nil';
  if (v instanceof Keyword) return ':' + v.name;
  if (Array.isArray(v) && !isList(v)) return '[' + joinEdn(v) + ']';
  if (v instanceof EdnSet) return '#{' + joinEdn(v.items) + '}';
  return printEdn(v);
}

function joinEdn(xs: readonly EdnValue[]): string {
  let s = '';
  for (let i = 0; i < xs.length; i++) s += (i === 0 ? '' : ' ') + fastEdn(xs[i]);
  return s;
}

/** One op as its EDN line (no newline). */
export function opLine(op: OpInput): string {
  let s = '{:index ' + String(op.index ?? 0);
  if (op.time !== undefined) s += ', :time ' + String(op.time);
  s += ', :type :' + op.type;
  if (op.process !== undefined) s += ', :process ' + (typeof op.process === 'number' ? String(op.process) : fastEdn(op.process));
  if (op.f !== undefined) s += ', :f ' + fastEdn(op.f);
  const x = op.extra;
  if (x instanceof EdnMap) for (let i = 0; i < x.keys.length; i++) s += ', ' + fastEdn(x.keys[i]) + ' ' + fastEdn(x.vals[i]);
  else if (x !== undefined) for (const [k, v] of mapEntries(x)) s += ', ' + fastEdn(k) + ' ' + fastEdn(v);
  s += ', :value ' + fastEdn(op.value ?? null);
  if (op.error !== undefined) s += ', :error ' + fastEdn(op.error);
  return s + '}';
}

/** The header comment line (no newline). */
export function headerLine(header: EdnRecord): string {
  return `; hindsight-gen ${printEdn(header)}`;
}

/** Where output goes: a writable stream (left open), or a file path (created or truncated). */
export type GenTarget = Writable | NodeJS.WritableStream | string;

/**
 * Writes the header and the ops to `target`, in chunks. A file is written synchronously (no
 * event-loop round trip per chunk: this is most of the cost); a stream honours backpressure.
 */
export async function writeLines(header: EdnRecord, ops: Iterable<OpInput>, target: GenTarget): Promise<void> {
  let chunk = headerLine(header) + '\n';
  if (typeof target === 'string') {
    const fd = openSync(target, 'w');
    try {
      for (const op of ops) {
        chunk += opLine(op) + '\n';
        if (chunk.length >= CHUNK) {
          writeSync(fd, chunk);
          chunk = '';
        }
      }
      writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
    return;
  }
  for (const op of ops) {
    chunk += opLine(op) + '\n';
    if (chunk.length >= CHUNK) {
      if (!target.write(chunk)) await once(target as Writable, 'drain');
      chunk = '';
    }
  }
  if (chunk !== '' && !target.write(chunk)) await once(target as Writable, 'drain');
}

/** A History's ops, as op objects. */
export function* historyOps(h: History): Generator<OpInput> {
  for (let i = 0; i < h.length; i++) yield h.op(i);
}

