/**
 * The ops the linearizability search sees, pulled out of a History.
 *
 * Each client invocation becomes one op unless it failed (a :fail op certainly did not take
 * effect, so it is dropped). An :ok op has a call and a return; an :info op, or one never
 * completed, has only a call: it may take effect at any time after it was invoked, or never.
 * The value checked is the completion's for ok ops (what a read saw) and the invocation's for
 * info ops. Nemesis ops are ignored. Info ops the model says carry no effect (crashed reads)
 * are dropped as well.
 *
 * Splitting by key (P-compositionality: a history is linearizable iff each key's sub-history
 * is) happens here too: by the op's `:key` (kv), or by Jepsen's independent `[k v]` tuples.
 */
import { printEdn } from '../edn/print.js';
import { type EdnValue, Keyword } from '../edn/values.js';
import type { History } from '../history/history.js';
import { FAIL, OK } from '../history/op.js';
import type { Model } from './models.js';

export interface LinOps {
  n: number;
  /** History position of each op's invocation. */
  inv: Int32Array;
  /** History position of each op's ok completion; -1 for info / never completed. */
  ret: Int32Array;
  f: string[];
  value: EdnValue[];
}

export interface KeyedOps {
  /** undefined when the history is not split. */
  key: EdnValue | undefined;
  ops: LinOps;
}

function fNameOf(history: History, i: number): string {
  const f = history.fValue(i);
  if (f instanceof Keyword) return f.name;
  return typeof f === 'string' ? f : String(f);
}

/**
 * The search's ops, one group per key. kv ops (with `:key`) are always split; `[k v]` values
 * only when `independent` (a cas-register's own values are 2-vectors, so guessing is unsafe).
 */
export function linOps(history: History, model: Model, independent: boolean): KeyedOps[] {
  const groups = new Map<string, { key: EdnValue; idx: number[] }>();
  const plain: number[] = [];
  const inv: number[] = [];
  const ret: number[] = [];
  const f: string[] = [];
  const value: EdnValue[] = [];
  const keyOf: (EdnValue | undefined)[] = [];
  for (const i of history.invocations()) {
    const outcome = history.outcome(i);
    if (outcome === FAIL) continue;
    const c = history.pair[i];
    const ok = outcome === OK;
    const name = fNameOf(history, i);
    if (!ok && model.infoDrop(name)) continue;
    let v = ok ? history.value[c] : history.value[i];
    let key = history.extra.get(i)?.kw('key');
    if (key === undefined && independent) {
      const tuple = ok ? history.value[c] : history.value[i];
      if (Array.isArray(tuple) && tuple.length === 2) {
        key = tuple[0];
        v = tuple[1];
      } else {
        const iv = history.value[i];
        if (Array.isArray(iv) && iv.length === 2) key = iv[0];
        v = null;
      }
    }
    inv.push(i);
    ret.push(ok ? c : -1);
    f.push(name);
    value.push(v);
    keyOf.push(key);
  }
  for (let k = 0; k < inv.length; k++) {
    const key = keyOf[k];
    if (key === undefined) {
      plain.push(k);
      continue;
    }
    const id = typeof key === 'string' ? `s${key}` : `e${printEdn(key)}`;
    let g = groups.get(id);
    if (g === undefined) groups.set(id, (g = { key, idx: [] }));
    g.idx.push(k);
  }
  const build = (idx: number[]): LinOps => ({
    n: idx.length,
    inv: Int32Array.from(idx, (k) => inv[k]),
    ret: Int32Array.from(idx, (k) => ret[k]),
    f: idx.map((k) => f[k]),
    value: idx.map((k) => value[k]),
  });
  const out: KeyedOps[] = [];
  if (plain.length > 0 || groups.size === 0) out.push({ key: undefined, ops: build(plain) });
  for (const g of groups.values()) out.push({ key: g.key, ops: build(g.idx) });
  return out;
}
