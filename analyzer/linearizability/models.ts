/**
 * Sequential specifications ("models") the linearizability search checks histories against.
 *
 * A model is a pure state machine: `init(initValue)` gives the first state and
 * `step(state, f, value)` either returns the next state or a `ModelError` saying why the op
 * cannot happen in that state ("can't read 3 from register 0"). States are plain EDN values;
 * the search interns them to small ints by their printed form, so a model never needs its own
 * equality or hash: two states are the same iff they print the same (sets and maps must
 * therefore be kept in a canonical order, which the helpers below do).
 *
 * `infoDrop(f)` says whether an indeterminate (:info) op of kind f may simply be dropped: a
 * crashed read returned nothing to the client, so it constrains nothing and never changes the
 * state; dropping it is exact and saves the search a branch. A crashed dequeue is dropped too
 * (documented approximation: we never learn which element it took).
 */
import { printEdn } from '../edn/print.js';
import { EdnMap, EdnSet, type EdnValue, Keyword, ednCompare, ednEquals, kw } from '../edn/values.js';

/** A rejected step. The message is built only when asked for: the search rejects millions of steps and reports a few. */
export class ModelError {
  constructor(private readonly explain: () => string) {}
  get error(): string {
    return this.explain();
  }
}

export interface Model {
  readonly name: string;
  /** The initial state; `initValue` is the parsed `--init`, or undefined for the model's default. */
  init(initValue: EdnValue | undefined): EdnValue;
  step(state: EdnValue, f: string, value: EdnValue): EdnValue | ModelError;
  infoDrop(f: string): boolean;
  /** "register 3", for failure reasons and final paths. */
  describeState(state: EdnValue): string;
}

const show = (v: EdnValue): string => printEdn(v);
const fail = (msg: () => string): ModelError => new ModelError(msg);
const unknownF = (model: string, f: string): ModelError => fail(() => `${model} has no operation ${f}`);

/** A single register: read / write, and (cas-register) cas [old new]. */
function registerModel(name: string, withCas: boolean): Model {
  return {
    name,
    init: (v) => (v === undefined ? null : v),
    step(state, f, value) {
      switch (f) {
        case 'read':
          // Knossos: a read of nil saw nothing we know of, so it matches any value.
          return value === null || ednEquals(state, value) ? state : fail(() => `can't read ${show(value)} from register ${show(state)}`);
        case 'write':
          return value;
        case 'cas': {
          if (!withCas) return unknownF(name, f);
          if (!Array.isArray(value) || value.length !== 2) return fail(() => `cas needs [old new], got ${show(value)}`);
          return ednEquals(state, value[0]) ? value[1] : fail(() => `can't CAS ${show(state)} from ${show(value[0])} to ${show(value[1])}`);
        }
        default:
          return unknownF(name, f);
      }
    },
    infoDrop: (f) => f === 'read',
    describeState: (s) => `register ${show(s)}`,
  };
}

const mutex: Model = {
  name: 'mutex',
  init: (v) => v === true,
  step(state, f) {
    if (f === 'acquire') return state === true ? fail(() => "can't acquire a held mutex") : true;
    if (f === 'release') return state === true ? false : fail(() => "can't release a free mutex");
    return unknownF('mutex', f);
  },
  infoDrop: () => false,
  describeState: (s) => (s === true ? 'held mutex' : 'free mutex'),
};

/** Elements sorted by EDN order, so equal sets print (and intern) the same. */
function sortedItems(items: readonly EdnValue[]): EdnValue[] {
  return [...items].sort(ednCompare);
}

function itemsOf(v: EdnValue): EdnValue[] | undefined {
  if (v instanceof EdnSet) return v.items;
  if (Array.isArray(v)) return v;
  return undefined;
}

const setModel: Model = {
  name: 'set',
  init: (v) => new EdnSet(sortedItems(itemsOf(v ?? []) ?? [])),
  step(state, f, value) {
    const items = (state as EdnSet).items;
    if (f === 'add') {
      if (items.some((x) => ednEquals(x, value))) return state;
      return new EdnSet(sortedItems([...items, value]));
    }
    if (f === 'read') {
      const read = itemsOf(value);
      if (read === undefined) return fail(() => `a set read needs a collection, got ${show(value)}`);
      const want = new EdnSet(sortedItems(read.filter((x, i) => read.findIndex((y) => ednEquals(x, y)) === i)));
      return ednEquals(want, state) ? state : fail(() => `can't read ${show(value)} from set ${show(state)}`);
    }
    return unknownF('set', f);
  },
  infoDrop: (f) => f === 'read',
  describeState: (s) => `set ${show(s)}`,
};

/** Queues: a dequeue's value is the element it took; a dequeue of nil means it found the queue empty. */
function queueModel(name: string, fifo: boolean): Model {
  return {
    name,
    init: (v) => {
      const items = itemsOf(v ?? []) ?? [];
      return fifo ? [...items] : sortedItems(items);
    },
    step(state, f, value) {
      const q = state as EdnValue[];
      if (f === 'enqueue') return fifo ? [...q, value] : sortedItems([...q, value]);
      if (f === 'dequeue') {
        if (value === null) return q.length === 0 ? q : fail(() => `can't dequeue nothing from queue ${show(q)}`);
        if (fifo) {
          return q.length > 0 && ednEquals(q[0], value) ? q.slice(1) : fail(() => `can't dequeue ${show(value)} from queue ${show(q)}`);
        }
        const at = q.findIndex((x) => ednEquals(x, value));
        return at < 0 ? fail(() => `can't dequeue ${show(value)} from queue ${show(q)}`) : [...q.slice(0, at), ...q.slice(at + 1)];
      }
      return unknownF(name, f);
    },
    infoDrop: (f) => f === 'dequeue',
    describeState: (s) => `queue ${show(s)}`,
  };
}

/** Several registers changed by `:txn` ops of `[:read k v]` / `[:write k v]`; a read of nil constrains nothing. */
const multiRegister: Model = {
  name: 'multi-register',
  init: (v) => {
    if (v === undefined) return new EdnMap([], []);
    if (!(v instanceof EdnMap)) throw new Error(`multi-register --init must be a map, got ${show(v)}`);
    return canonicalMap(v.keys, v.vals);
  },
  step(state, f, value) {
    if (f !== 'txn') return unknownF('multi-register', f);
    if (!Array.isArray(value)) return fail(() => `a txn needs a vector of micro-ops, got ${show(value)}`);
    const m = state as EdnMap;
    let keys = m.keys;
    let vals = m.vals;
    for (const mop of value) {
      if (!Array.isArray(mop) || mop.length !== 3 || !(mop[0] instanceof Keyword)) return fail(() => `bad micro-op ${show(mop)}`);
      const [mf, k, v] = mop;
      const at = keys.findIndex((x) => ednEquals(x, k));
      const cur = at < 0 ? null : vals[at];
      if (mf === kw('read') || mf === kw('r')) {
        if (v !== null && !ednEquals(cur, v)) return fail(() => `can't read ${show(v)} from key ${show(k)} holding ${show(cur)}`);
      } else if (mf === kw('write') || mf === kw('w')) {
        if (keys === m.keys) {
          keys = [...keys];
          vals = [...vals];
        }
        if (at < 0) {
          keys.push(k);
          vals.push(v);
        } else vals[at] = v;
      } else return fail(() => `bad micro-op ${show(mop)}`);
    }
    return keys === m.keys ? state : canonicalMap(keys, vals);
  },
  infoDrop: () => false,
  describeState: (s) => `registers ${show(s)}`,
};

function canonicalMap(keys: readonly EdnValue[], vals: readonly EdnValue[]): EdnMap {
  const order = keys.map((_, i) => i).sort((a, b) => ednCompare(keys[a], keys[b]));
  return new EdnMap(
    order.map((i) => keys[i]),
    order.map((i) => vals[i]),
  );
}

/** Porcupine's key-value model for ONE key (the checker always splits kv histories by `:key`). */
const kv: Model = {
  name: 'kv',
  init: (v) => (v === undefined ? '' : v),
  step(state, f, value) {
    const s = state as string;
    switch (f) {
      case 'get':
        return ednEquals(s, value) ? s : fail(() => `can't get ${show(value)} from key holding ${show(s)}`);
      case 'put':
        return typeof value === 'string' ? value : fail(() => `put needs a string, got ${show(value)}`);
      case 'append':
        return typeof value === 'string' ? s + value : fail(() => `append needs a string, got ${show(value)}`);
      default:
        return unknownF('kv', f);
    }
  },
  infoDrop: (f) => f === 'get',
  describeState: (s) => `key holding ${show(s)}`,
};

export const models: ReadonlyMap<string, Model> = new Map(
  [
    registerModel('register', false),
    registerModel('cas-register', true),
    mutex,
    multiRegister,
    setModel,
    queueModel('unordered-queue', false),
    queueModel('fifo-queue', true),
    kv,
  ].map((m) => [m.name, m]),
);
