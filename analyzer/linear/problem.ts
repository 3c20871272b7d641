/**
 * From a History to per-key search problems. Client invocations only (nemesis ops are not
 * ops on the object); an invocation that failed never took effect and is dropped; an ok op is
 * determinate and the model checks its completion's value (a read's result); an :info or
 * never-completed op may have taken effect at any time after its invocation, or never, and
 * the model checks its invocation's value.
 *
 * With `nil: 'absent'`, an ok read's nil value becomes `ABSENT` (nil-reads.ts): a read of no
 * value rather than of an unknown one.
 *
 * Splitting by key (P-compositionality): ops carrying `:key` (Porcupine's kv) are grouped by
 * it; with `independent`, values that are Jepsen tuples `[k v]` are grouped by k and the model
 * sees v. Tuples are never split unasked, since a cas value `[old new]` looks just the same.
 */
import { printEdn } from '../edn/print.js';
import { type EdnValue, kw } from '../edn/values.js';
import type { History } from '../history/history.js';
import { FAIL, OK } from '../history/op.js';
import type { ModelOp } from './models/model.js';
import type { LinearProblem } from './search.js';
import { type NilReads, absentReads } from './nil-reads.js';

/** One key's search problem, with where its ops sit in the history (for results and pictures). */
export interface KeyProblem extends LinearProblem {
  /** The key (undefined: the history is one object). */
  key: EdnValue | undefined;
  /** Per op id: its invocation's position in the history, and its completion's (-1: none). */
  invoke: Int32Array;
  complete: Int32Array;
}

const KEY = kw('key');

/**
 * The history's search problems, one per key (a single one when no op has a key), as this file's
 * header says; with `independent`, `[k v]` values are split by k. Keys in order of first invocation.
 */
export function problemsOf(history: History, independent: boolean, nil: NilReads = 'any'): KeyProblem[] {
  interface Raw { inv: number; comp: number; ok: boolean; op: ModelOp }
  const groups = new Map<string, { key: EdnValue | undefined; raws: Raw[] }>();
  for (const i of history.invocations()) {
    const outcome = history.outcome(i);
    if (outcome === FAIL) continue;
    const c = history.pair[i];
    const ok = outcome === OK;
    let value = ok ? history.value[c] : history.value[i];
    let key = history.extra.get(i)?.kw('key') ?? (c >= 0 ? history.extra.get(c)?.get(KEY) : undefined);
    if (independent && Array.isArray(value) && value.length === 2) {
      key = value[0];
      value = value[1];
    }
    const f = history.fName(i) ?? '';
    const op: ModelOp = { f, value: ok && nil === 'absent' ? absentReads(f, value) : value };
    if (key !== undefined) op.key = key;
    const label = key === undefined ? '' : printEdn(key);
    let g = groups.get(label);
    if (g === undefined) groups.set(label, (g = { key, raws: [] }));
    g.raws.push({ inv: i, comp: ok ? c : -1, ok, op });
  }
  const out: KeyProblem[] = [];
  for (const { key, raws } of groups.values()) {
    const det = raws.filter((r) => r.ok).sort((a, b) => a.comp - b.comp);
    const indet = raws.filter((r) => !r.ok);
    const all = [...det, ...indet];
    const n = all.length;
    const p: KeyProblem = {
      key,
      n,
      determinate: det.length,
      call: new Float64Array(n),
      ret: new Float64Array(n),
      ops: all.map((r) => r.op),
      invoke: new Int32Array(n),
      complete: new Int32Array(n),
    };
    all.forEach((r, k) => {
      p.call[k] = r.inv;
      p.ret[k] = r.ok ? r.comp : Infinity;
      p.invoke[k] = r.inv;
      p.complete[k] = r.comp;
    });
    out.push(p);
  }
  return out;
}
