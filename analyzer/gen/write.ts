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
import { closeSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { printEdn } from '../edn/print.js';
import { type EdnRecord, EdnMap, EdnSet, type EdnValue, Keyword, isList, mapEntries } from '../edn/values.js';
import type { History } from '../history/history.js';
import type { OpInput } from '../history/op.js';
import { tempPathFor } from '../util/atomic-write.js';

const CHUNK = 1 << 16;
const BUFFER = 1 << 20;

/**
 * `printEdn` for the shapes generated values take (integers, nil, keywords, vectors, sets),
 * without its options and allocations; anything else goes to `printEdn`.
 */
export function fastEdn(v: EdnValue): string {
  if (typeof v === 'number') return Number.isInteger(v) && !Object.is(v, -0) ? String(v) : printEdn(v);
  if (Array.isArray(v)) return isList(v) ? printEdn(v) : '[' + joinEdn(v) + ']';
  if (v instanceof Keyword) return ':' + v.name;
  if (v === null) return 'nil';
  if (v instanceof EdnSet) return '#{' + joinEdn(v.items) + '}';
  return printEdn(v);
}

function joinEdn(xs: readonly EdnValue[]): string {
  if (xs.length === 0) return '';
  let s = fastEdn(xs[0]);
  for (let i = 1; i < xs.length; i++) s += ' ' + fastEdn(xs[i]);
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

/** True when `path` exists and is not a regular file (a device, a pipe). */
function isSpecialFile(path: string): boolean {
  try {
    return !statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Where output goes: a writable stream (left open), or a file path (replaced whole). */
export type GenTarget = Writable | NodeJS.WritableStream | string;

/**
 * Writes the header and the ops to `target`, in chunks. A file is written synchronously (no
 * event-loop round trip per chunk: this is most of the cost); a stream honours backpressure.
 */
export async function writeLines(header: EdnRecord, ops: Iterable<OpInput>, target: GenTarget): Promise<void> {
  if (typeof target === 'string') {
    // A file is written whole: into a temporary file beside it, renamed into place at the end
    // (a device or pipe such as /dev/stdout is written directly).
    const whole = !isSpecialFile(target);
    const path = whole ? tempPathFor(target) : target;
    // Lines are encoded straight into one reused buffer: no 64 KiB ropes to flatten and collect.
    const fd = openSync(path, whole ? 'wx' : 'w');
    const buf = Buffer.allocUnsafe(BUFFER);
    let pos = 0;
    const put = (line: string): void => {
      if (pos + 3 * line.length + 1 > buf.length) {
        writeSync(fd, buf, 0, pos);
        pos = 0;
        if (3 * line.length + 1 > buf.length) {
          writeSync(fd, line + '\n');
          return;
        }
      }
      pos += buf.write(line, pos);
      buf[pos++] = 10;
    };
    try {
      try {
        put(headerLine(header));
        for (const op of ops) put(opLine(op));
        writeSync(fd, buf, 0, pos);
      } finally {
        closeSync(fd);
      }
      if (whole) renameSync(path, target);
    } catch (e) {
      if (whole) rmSync(path, { force: true });
      throw e;
    }
    return;
  }
  let chunk = headerLine(header) + '\n';
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

