/**
 * The standard workloads' ops on etcd's KV API, one function per op shape (see core/types.ts):
 *
 * - register `read [k nil]` / `write [k v]` / `cas [k [old new]]` on key `r/<k>`; cas is a Txn
 *   guarded by `value(r/<k)) == old`, so a compare that fails is a definite `:fail`.
 * - set `add v` / `read nil` on ONE key holding the whole set (JSON): add reads the set and its mod
 *   revision, then a Txn guarded by `mod(set) == rev` writes the set with v added (retried a few
 *   times on a lost race, then `:fail`); read returns the sorted elements.
 * - txn (list-append `[:append k v]`/`[:r k nil]`, rw-register `[:w k v]`/`[:r k nil]`): read every
 *   key the txn touches in one Txn (a single revision), run the micro-ops locally, then commit the
 *   writes in a Txn guarded by `mod(key) == revision read` for every key (0 for absent keys). If any
 *   key changed in between, the guard fails and nothing was written: `:fail`. A read-only txn
 *   completes from the snapshot read.
 *
 * Reads are linearizable unless `serializable` (etcd then answers from the member's local state,
 * possibly stale). Errors become completions via `completionFor`: failed reads are `:fail`.
 */
import { type EdnValue, Keyword, kw } from '../../analyzer/edn/values.js';
import type { Completion, Invocation } from '../core/types.js';
import type { Compare, EtcdClient, TxnOp } from './client.js';
import { completionFor } from './errors.js';

/** How the KV ops read and retry. */
export interface KvOptions {
  /** Serializable (possibly stale) reads instead of linearizable ones. */
  readonly serializable: boolean;
  /** Attempts of a set add's read-modify-write before giving up with :fail. */
  readonly setAddAttempts?: number;
}

/** The completion for an op whose RPC threw `e`: `completionFor`'s verdict with `:error [:name message]`. */
export function errorCompletion(e: unknown, read: boolean): Completion {
  const c = completionFor(e, read);
  return { type: c.type, error: [kw(c.error), c.message] };
}

function keyText(k: EdnValue): string {
  return typeof k === 'string' ? k : JSON.stringify(k);
}

function parseInt10(s: string): number {
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer value: ${s.slice(0, 40)}`);
  return n;
}

/** One register op (`read`/`write`/`cas` on `[k …]`); throws only for an unknown `f`. */
export async function registerOp(c: EtcdClient, op: Invocation, o: KvOptions): Promise<Completion> {
  const [k, v] = op.value as [EdnValue, EdnValue];
  const key = `r/${keyText(k)}`;
  switch (op.f) {
    case 'read':
      try {
        const r = await c.get(key, { serializable: o.serializable });
        return { type: 'ok', value: [k, r.kv ? parseInt10(r.kv.value) : null] };
      } catch (e) {
        return errorCompletion(e, true);
      }
    case 'write':
      try {
        await c.put(key, String(v));
        return { type: 'ok' };
      } catch (e) {
        return errorCompletion(e, false);
      }
    case 'cas': {
      const [from, to] = v as [EdnValue, EdnValue];
      try {
        const r = await c.txn([{ key, target: 'VALUE', result: 'EQUAL', operand: String(from) }], [{ put: key, value: String(to) }]);
        return r.succeeded ? { type: 'ok' } : { type: 'fail', error: kw('cas-mismatch') };
      } catch (e) {
        return errorCompletion(e, false);
      }
    }
    default:
      throw new Error(`register: unknown f ${op.f}`);
  }
}

const SET_KEY = 'set';

/**
 * One set op (`add`/`read`); an add that loses every race ends `:fail :contended`. Throws only for an unknown `f`.
 */
export async function setOp(c: EtcdClient, op: Invocation, o: KvOptions): Promise<Completion> {
  if (op.f === 'read') {
    try {
      const r = await c.get(SET_KEY, { serializable: o.serializable });
      const xs = r.kv ? (JSON.parse(r.kv.value) as number[]) : [];
      return { type: 'ok', value: [...xs].sort((a, b) => a - b) };
    } catch (e) {
      return errorCompletion(e, true);
    }
  }
  if (op.f !== 'add') throw new Error(`set: unknown f ${op.f}`);
  const v = op.value as number;
  const attempts = o.setAddAttempts ?? 10;
  for (let i = 0; i < attempts; i++) {
    let cur: number[];
    let rev: number;
    try {
      // Linearizable even with --serializable-reads: a stale read here would only make the guard
      // below fail again and again (the guard keeps the write safe whatever this read saw).
      const r = await c.get(SET_KEY);
      cur = r.kv ? (JSON.parse(r.kv.value) as number[]) : [];
      rev = r.kv ? r.kv.modRevision : 0;
    } catch (e) {
      return errorCompletion(e, true);
    }
    try {
      const t = await c.txn([{ key: SET_KEY, target: 'MOD', result: 'EQUAL', operand: rev }], [{ put: SET_KEY, value: JSON.stringify([...cur, v]) }]);
      if (t.succeeded) return { type: 'ok' };
    } catch (e) {
      return errorCompletion(e, false);
    }
    // Lost a race with another adder: back off a little so ten adders do not lock-step.
    await new Promise((r) => setTimeout(r, Math.random() * 10 * (i + 1)));
  }
  return { type: 'fail', error: kw('contended') };
}

type Mop = [Keyword, EdnValue, EdnValue];

/**
 * One list-append or rw-register txn (`f` `txn`, a vector of micro-ops), completed as the module doc says.
 */
export async function txnOp(c: EtcdClient, op: Invocation, o: KvOptions): Promise<Completion> {
  const mops = op.value as Mop[];
  const keys = [...new Set(mops.map((m) => `t/${keyText(m[1])}`))];
  let state: Map<string, { value: EdnValue; mod: number }>;
  try {
    const r = await c.txn([], keys.map((k) => ({ get: k, serializable: o.serializable })));
    state = new Map();
    r.results.forEach((res, i) => {
      const kv = 'kv' in res ? res.kv : undefined;
      state.set(keys[i]!, { value: kv ? (JSON.parse(kv.value) as EdnValue) : null, mod: kv ? kv.modRevision : 0 });
    });
  } catch (e) {
    return errorCompletion(e, true);
  }
  const written = new Set<string>();
  const out: Mop[] = mops.map(([f, k, v]) => {
    const key = `t/${keyText(k)}`;
    const s = state.get(key)!;
    switch (f.name) {
      case 'r':
        return [f, k, Array.isArray(s.value) ? [...s.value] : s.value];
      case 'append':
        s.value = [...((s.value as EdnValue[] | null) ?? []), v];
        written.add(key);
        return [f, k, v];
      case 'w':
        s.value = v;
        written.add(key);
        return [f, k, v];
      default:
        throw new Error(`txn: unknown micro-op ${f.name}`);
    }
  });
  if (written.size === 0) return { type: 'ok', value: out };
  const guard: Compare[] = keys.map((k) => ({ key: k, target: 'MOD', result: 'EQUAL', operand: state.get(k)!.mod }));
  const puts: TxnOp[] = [...written].map((k) => ({ put: k, value: JSON.stringify(state.get(k)!.value) }));
  try {
    const r = await c.txn(guard, puts);
    return r.succeeded ? { type: 'ok', value: out } : { type: 'fail', error: kw('conflict') };
  } catch (e) {
    return errorCompletion(e, false);
  }
}
