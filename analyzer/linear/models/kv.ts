/**
 * `kv`: Porcupine's key-value store. Ops carry `:key`; `:get` reads the key's value, `:put`
 * sets it, `:append` concatenates onto it; every key starts as the empty string. A get with
 * a nil value (never completed) reads something unknown.
 *
 * The state is a short array of keys sorted by printed key (usually one entry: the checker
 * splits kv histories by key), so a step copies a few pointers, not a Map.
 */
import { printEdn } from '../../edn/print.js';
import { type EdnValue, EdnMap } from '../../edn/values.js';
import { compileKv } from './kv-compiled.js';
import { Inconsistent, type Model, type ModelOp } from './model.js';

interface Entry {
  readonly text: string;
  readonly key: EdnValue;
  readonly value: string;
}
type Store = readonly Entry[];

const text = (v: EdnValue): string => (typeof v === 'string' ? v : v === null ? '' : printEdn(v));

/** Printed keys, computed once per op object. */
const keyTexts = new WeakMap<ModelOp, string>();
function keyText(op: ModelOp): string {
  let t = keyTexts.get(op);
  if (t === undefined) keyTexts.set(op, (t = printEdn(op.key ?? null)));
  return t;
}

function withValue(s: Store, at: number, entry: Entry): Store {
  const out = s.slice();
  if (at >= 0) out[at] = entry;
  else {
    out.push(entry);
    out.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  }
  return out;
}

/** `kv`: Porcupine's key-value store (see this file's header); compiled to int states (kv-compiled.ts) where it can be. */
export const kv: Model<Store> = {
  name: 'kv',
  summary: 'a key-value store: get, put, append on the op\'s :key; keys start as ""',
  fs: ['get', 'put', 'append'],
  init: () => [],
  step: (s, op) => {
    const k = keyText(op);
    const at = s.length === 1 ? (s[0].text === k ? 0 : -1) : s.findIndex((e) => e.text === k);
    const cur = at >= 0 ? s[at].value : '';
    switch (op.f) {
      case 'get':
        return op.value === null || text(op.value) === cur ? s : new Inconsistent(() => `can't get ${printEdn(op.value)} from key ${k} ${JSON.stringify(cur)}`);
      case 'put':
        return withValue(s, at, { text: k, key: op.key ?? null, value: text(op.value) });
      case 'append':
        return withValue(s, at, { text: k, key: op.key ?? null, value: cur + text(op.value) });
    }
    return new Inconsistent(() => `kv has no op ${op.f}`);
  },
  readOnly: (op) => op.f === 'get',
  compile: (ops, initial, timing) => (initial.length === 0 ? compileKv(ops, keyText, text, timing) : undefined),
  key: (s) => (s.length === 1 ? `${s[0].text}\u0001${s[0].value}` : s.map((e) => `${e.text}\u0001${e.value}`).join('\u0002')),
  toEdn: (s) => new EdnMap(s.map((e) => e.key), s.map((e) => e.value)),
};
