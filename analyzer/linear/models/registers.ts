/**
 * Register-like models: `register` (read / write), `cas-register` (+ cas [old new]), `mutex`
 * (acquire / release) and `multi-register` (txns of [:read k v] / [:write k v]).
 *
 * A read whose value is nil reads "something": its result is unknown (an :info read, or a
 * Knossos history whose invocations carry nil), so it fits any state. Under `--nil absent` an
 * :ok read of nil reads `ABSENT` instead (nil-reads.ts), which fits only a nil state. A register
 * whose missing value is the keyword `:nil` (Couchbase) just uses `--init :nil`.
 */
import { printEdn } from '../../edn/print.js';
import { type EdnValue, EdnMap, ednEquals, mapEntries } from '../../edn/values.js';
import { Inconsistent, type Model, type ModelOp } from './model.js';
import { isAbsent } from '../nil-reads.js';

const show = (v: EdnValue): string => (isAbsent(v) ? 'nil' : printEdn(v));

function registerStep(name: string, s: EdnValue, op: ModelOp, cas: boolean): EdnValue | Inconsistent {
  switch (op.f) {
    case 'read':
      if (isAbsent(op.value)) return s === null ? s : new Inconsistent(() => `can't read nil (no value) from ${name} ${show(s)}`);
      return op.value === null || ednEquals(op.value, s) ? s : new Inconsistent(() => `can't read ${show(op.value)} from ${name} ${show(s)}`);
    case 'write':
      return op.value;
    case 'cas': {
      if (!cas) break;
      const v = op.value;
      if (!Array.isArray(v) || v.length !== 2) return new Inconsistent(() => `cas value ${show(v)} is not [old new]`);
      return ednEquals(v[0], s) ? v[1] : new Inconsistent(() => `can't CAS ${show(s)} from ${show(v[0])} to ${show(v[1])}`);
    }
  }
  return new Inconsistent(() => `${name} has no op ${op.f}`);
}

/** `register`: read and write of one value; starts at `--init` (default nil). */
export const register: Model<EdnValue> = {
  name: 'register',
  summary: 'a single register: read, write (initial value --init, default nil)',
  fs: ['read', 'write'],
  init: (initial) => initial ?? null,
  step: (s, op) => registerStep('register', s, op, false),
  readOnly: (op) => op.f === 'read',
  blindWrite: (op) => op.f === 'write',
  key: show,
  toEdn: (s) => s,
};

/** `cas-register`: `register` plus `cas [old new]`, which happens only where the value is old. */
export const casRegister: Model<EdnValue> = {
  name: 'cas-register',
  summary: 'a register with compare-and-set: read, write, cas [old new] (--init, default nil)',
  fs: ['read', 'write', 'cas'],
  init: (initial) => initial ?? null,
  step: (s, op) => registerStep('register', s, op, true),
  readOnly: (op) => op.f === 'read',
  blindWrite: (op) => op.f === 'write',
  key: show,
  toEdn: (s) => s,
};

/** `mutex`: acquire of a free lock, release of a held one; starts free (`--init` is not used). */
export const mutex: Model<boolean> = {
  name: 'mutex',
  summary: 'a lock: acquire, release (initially free)',
  fs: ['acquire', 'release'],
  init: () => false,
  step: (held, op) => {
    if (op.f === 'acquire') return held ? new Inconsistent('can\'t acquire a held mutex') : true;
    if (op.f === 'release') return held ? false : new Inconsistent('can\'t release a free mutex');
    return new Inconsistent(() => `mutex has no op ${op.f}`);
  },
  key: (held) => (held ? 'held' : 'free'),
  toEdn: (held) => held,
};

/** Registers by printed key; the state is an immutable Map (copied on write). */
type Registers = ReadonlyMap<string, readonly [EdnValue, EdnValue]>;

/**
 * `multi-register`: registers by key; a `:txn` is a vector of `[:read k v]` / `[:write k v]`
 * (`:r` / `:w` too) taken in order. `--init` is a map of starting values; other keys start nil.
 */
export const multiRegister: Model<Registers> = {
  name: 'multi-register',
  summary: 'several registers read and written by :txn ops of [:read k v] / [:write k v] (--init {:x 0 :y 0})',
  fs: ['txn'],
  init: (initial) => {
    const m = new Map<string, readonly [EdnValue, EdnValue]>();
    if (initial instanceof EdnMap) for (const [k, v] of mapEntries(initial)) m.set(show(k), [k, v]);
    return m;
  },
  step: (s, op) => {
    if (op.f !== 'txn' || !Array.isArray(op.value)) return new Inconsistent(() => `multi-register has no op ${op.f}`);
    let out: Map<string, readonly [EdnValue, EdnValue]> | undefined;
    for (const mop of op.value) {
      if (!Array.isArray(mop) || mop.length !== 3) return new Inconsistent(() => `bad micro-op ${show(mop)}`);
      const [f, k, v] = mop;
      const key = show(k);
      const cur = (out ?? s).get(key)?.[1] ?? null;
      const fn = show(f);
      if (fn === ':read' || fn === ':r') {
        if (isAbsent(v) ? cur !== null : v !== null && !ednEquals(v, cur)) return new Inconsistent(() => `can't read ${isAbsent(v) ? 'nil (no value)' : show(v)} from register ${key} ${show(cur)}`);
      } else if (fn === ':write' || fn === ':w') {
        out ??= new Map(s);
        out.set(key, [k, v]);
      } else return new Inconsistent(() => `bad micro-op ${show(mop)}`);
    }
    return out ?? s;
  },
  readOnly: (op) => op.f === 'txn' && Array.isArray(op.value) && op.value.every((m) => Array.isArray(m) && (show(m[0]) === ':read' || show(m[0]) === ':r')),
  key: (s) => [...s.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, [, v]]) => `${k} ${show(v)}`).join(','),
  toEdn: (s) => new EdnMap([...s.values()].map(([k]) => k), [...s.values()].map(([, v]) => v)),
};
