/**
 * A key's search problem as a worker message: typed arrays (transferred, not copied) plus each
 * distinct op value once, as EDN text, so no EDN objects are structured-cloned (class
 * instances such as keywords would lose their identity in a clone).
 */
import { printEdn } from '../edn/print.js';
import { parseEdn } from '../edn/scanner.js';
import type { EdnValue } from '../edn/values.js';
import type { ModelOp } from './models/model.js';
import type { LinearProblem } from './search.js';

/** A `LinearProblem` as a worker message (see this file's header). */
export interface WireProblem {
  n: number;
  determinate: number;
  call: Float64Array;
  ret: Float64Array;
  /** Per op: index into fNames, into texts for the value, and into texts for the key (-1: none). */
  f: Int32Array;
  value: Int32Array;
  key: Int32Array;
  fNames: string[];
  texts: string[];
}

/** The problem as a message; its typed arrays are copies, so transferring them leaves `p` whole. */
export function toWire(p: LinearProblem): WireProblem {
  const fIds = new Map<string, number>();
  const textIds = new Map<string, number>();
  const id = <K>(m: Map<K, number>, k: K): number => {
    let i = m.get(k);
    if (i === undefined) m.set(k, (i = m.size));
    return i;
  };
  const w: WireProblem = {
    n: p.n,
    determinate: p.determinate,
    call: Float64Array.from(p.call),
    ret: Float64Array.from(p.ret),
    f: new Int32Array(p.n),
    value: new Int32Array(p.n),
    key: new Int32Array(p.n),
    fNames: [],
    texts: [],
  };
  p.ops.forEach((op, k) => {
    w.f[k] = id(fIds, op.f);
    w.value[k] = id(textIds, printEdn(op.value));
    w.key[k] = op.key === undefined ? -1 : id(textIds, printEdn(op.key));
  });
  w.fNames = [...fIds.keys()];
  w.texts = [...textIds.keys()];
  return w;
}

/** The problem back from a message, each distinct value or key text parsed once. */
export function fromWire(w: WireProblem): LinearProblem {
  const values: EdnValue[] = w.texts.map(parseEdn);
  const ops: ModelOp[] = [];
  for (let k = 0; k < w.n; k++) {
    const op: ModelOp = { f: w.fNames[w.f[k]], value: values[w.value[k]] };
    if (w.key[k] >= 0) op.key = values[w.key[k]];
    ops.push(op);
  }
  return { n: w.n, determinate: w.determinate, call: w.call, ret: w.ret, ops };
}

/** The message's typed-array buffers, to transfer rather than copy. */
export const transferables = (w: WireProblem): ArrayBuffer[] => [w.call, w.ret, w.f, w.value, w.key].map((a) => a.buffer as ArrayBuffer);
