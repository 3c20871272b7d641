/**
 * Writes a generated history as EDN lines, one op map a line as Jepsen's `prn` writes them
 * (`{:index 0, :time 123, :type :invoke, :process 0, :f :write, :value 3}`), after a header
 * comment line `; hindsight-gen {…}` that states the expected verdict and the checker to use.
 * EDN readers skip `;` comments, so the file is an ordinary history.
 *
 * Output goes out in chunks of about 64 KiB, waiting for the stream to drain, so a history of
 * millions of ops never exists as one string.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { printEdn } from '../edn/print.js';
import { type EdnRecord, mapEntries } from '../edn/values.js';
import type { History } from '../history/history.js';
import type { OpInput } from '../history/op.js';

const CHUNK = 1 << 16;

/** One op as its EDN line (no newline). */
export function opLine(op: OpInput): string {
  let s = `{:index ${op.index ?? 0}`;
  if (op.time !== undefined) s += `, :time ${op.time}`;
  s += `, :type :${op.type}`;
  if (op.process !== undefined) s += `, :process ${typeof op.process === 'number' ? op.process : printEdn(op.process)}`;
  if (op.f !== undefined) s += `, :f ${printEdn(op.f)}`;
  if (op.extra !== undefined) for (const [k, v] of mapEntries(op.extra)) s += `, ${printEdn(k)} ${printEdn(v)}`;
  s += `, :value ${printEdn(op.value ?? null)}`;
  if (op.error !== undefined) s += `, :error ${printEdn(op.error)}`;
  return s + '}';
}

/** The header comment line (no newline). */
export function headerLine(header: EdnRecord): string {
  return `; hindsight-gen ${printEdn(header)}`;
}

/** Where output goes: a writable stream (left open), or a file path (created, and closed at the end). */
export type GenTarget = Writable | NodeJS.WritableStream | string;

/** Writes the header and the ops to `target`, in chunks, honouring backpressure. */
export async function writeLines(header: EdnRecord, ops: Iterable<OpInput>, target: GenTarget): Promise<void> {
  const ownStream = typeof target === 'string';
  const out = ownStream ? createWriteStream(target) : target;
  let chunk = headerLine(header) + '\n';
  for (const op of ops) {
    chunk += opLine(op) + '\n';
    if (chunk.length >= CHUNK) {
      if (!out.write(chunk)) await once(out as Writable, 'drain');
      chunk = '';
    }
  }
  if (chunk !== '') out.write(chunk);
  if (ownStream) {
    (out as Writable).end();
    await once(out as Writable, 'finish');
  }
}

/** A History's ops, as op objects. */
export function* historyOps(h: History): Generator<OpInput> {
  for (let i = 0; i < h.length; i++) yield h.op(i);
}

