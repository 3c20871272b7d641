/**
 * What a history is shrunk by: whole ops (an invocation and its completion go together, so every
 * sub-history stays well-formed), client processes, and keys — of Jepsen's independent `[k v]`
 * tuples, or of the micro-ops of transactions (`[:append k v]`, `[:r k nil]`), where removing a
 * key removes its micro-ops from every transaction and a transaction left empty goes whole.
 *
 * Elements, too: an element of a set (added by `add`, observed in reads of the whole set) can
 * go altogether — its add, and its place in every read — as if it had never been added.
 *
 * A sub-history must also stay *closed*: every value an `:ok` op observes (a read's value or
 * elements, a cas's old value, a dequeued element) that some op of the original produced (a
 * write, a cas's new value, an add, an append, an enqueue) is still produced by a kept op.
 * Without it, shrinking "succeeds" by deleting the write a read saw, leaving a read of a value
 * never written: a failure, but not the one that was there.
 */
import { printEdn } from '../edn/print.js';
import { type EdnValue, EdnSet, Keyword } from '../edn/values.js';
import { type History, HistoryBuilder } from '../history/history.js';
import { Diagnostics } from '../history/diagnostics.js';
import { FAIL, INVOKE, OK } from '../history/op.js';

/** How keys appear in the ops, if they do. */
export type KeyShape = 'tuple' | 'micro-ops';

/** The history's units (see this file's header). */
export interface Units {
  /** Per whole op: its positions in the history (invocation first). */
  readonly positions: readonly (readonly number[])[];
  /** Per whole op: its process id (as in `History.process`). */
  readonly process: Int32Array;
  /** Client process ids, in order of first appearance. */
  readonly processes: readonly number[];
  /** How keys appear; undefined: the ops have none to shrink by. */
  readonly keyShape?: KeyShape;
  /** Keys (printed), in order of first appearance. */
  readonly keys: readonly string[];
  /** Per whole op: its keys (printed). */
  readonly opKeys: readonly (readonly string[])[];
  /** Per whole op: the values it produces and, when it completed :ok, observes, as `key\0value` tokens. */
  readonly produces: readonly (readonly Token[])[];
  readonly observes: readonly (readonly Token[])[];
  /** Every value some op of the original produces. */
  readonly produced: ReadonlySet<string>;
  /** Elements added to sets (as token texts, in order of first add), when reads observe whole sets. */
  readonly elements: readonly string[];
}

/** A value of a key, as `closed` compares them. */
export interface Token {
  /** The key (printed; '' for one object). */
  key: string;
  text: string;
}

const isMicroOp = (m: EdnValue): m is EdnValue[] => Array.isArray(m) && (m.length === 2 || m.length === 3) && m[0] instanceof Keyword;
const isTxn = (v: EdnValue): v is EdnValue[][] => Array.isArray(v) && v.length > 0 && v.every(isMicroOp);
const isTuple = (v: EdnValue): v is [EdnValue, EdnValue] => Array.isArray(v) && v.length === 2;

/** The units of `h`; keys by `tuple` when `independent`, by micro-ops when every client op is a transaction. */
export function unitsOf(h: History, independent: boolean): Units {
  const positions: number[][] = [];
  const seen = new Uint8Array(h.length);
  for (let i = 0; i < h.length; i++) {
    if (seen[i]) continue;
    const unit = [i];
    seen[i] = 1;
    const p = h.pair[i];
    if (h.type[i] === INVOKE && p > i) {
      unit.push(p);
      seen[p] = 1;
    }
    positions.push(unit);
  }
  const clientValues = positions.filter((u) => h.isClient(u[0])).map((u) => h.value[u[0]]);
  const keyShape: KeyShape | undefined = independent && clientValues.some(isTuple) ? 'tuple' : clientValues.length > 0 && clientValues.every(isTxn) ? 'micro-ops' : undefined;
  const keys = new Map<string, number>();
  const opKeys = positions.map((u) => {
    if (!h.isClient(u[0]) || keyShape === undefined) return [];
    const ks = new Set<string>();
    for (const i of u) {
      const v = h.value[i];
      if (keyShape === 'tuple' && isTuple(v)) ks.add(printEdn(v[0]));
      if (keyShape === 'micro-ops' && Array.isArray(v)) for (const m of v) if (isMicroOp(m) && m.length >= 2) ks.add(printEdn(m[1]));
    }
    for (const k of ks) if (!keys.has(k)) keys.set(k, keys.size);
    return [...ks];
  });
  const produces: Token[][] = [];
  const observes: Token[][] = [];
  positions.forEach((u) => {
    const [p, o] = h.isClient(u[0]) ? valuesOf(h, u, keyShape) : [[], []];
    produces.push(p);
    observes.push(o);
  });
  const produced = new Set(produces.flat().map(tokenText));
  const process = Int32Array.from(positions, (u) => h.process[u[0]]);
  const processes: number[] = [];
  const pseen = new Set<number>();
  positions.forEach((u, k) => {
    if (h.isClient(u[0]) && !pseen.has(process[k])) {
      pseen.add(process[k]);
      processes.push(process[k]);
    }
  });
  // Elements are worth removing one by one only where reads return whole collections (sets).
  const setReads = keyShape !== 'micro-ops' && positions.some((u) => u.length > 1 && h.type[u[1]] === OK && fname(h.fValue(u[0])) === 'read' && collectionOf(h.value[u[1]], keyShape) !== undefined);
  const elements = setReads ? [...new Set(positions.flatMap((u, k) => (fname(h.fValue(u[0])) === 'add' ? produces[k].map(tokenText) : [])))] : [];
  return { positions, process, processes, keyShape, keys: [...keys.keys()], opKeys, produces, observes, produced, elements };
}

/** A read's whole-collection value (inside a `[k v]` tuple for keyed ops), or undefined. */
function collectionOf(v: EdnValue, shape: KeyShape | undefined): EdnValue[] | undefined {
  const inner = shape === 'tuple' && isTuple(v) ? v[1] : v;
  return inner instanceof EdnSet ? inner.items : Array.isArray(inner) && shape !== 'tuple' ? inner : undefined;
}

/** `v` (a read's value) without the dropped elements of `key`. */
function withoutElements(v: EdnValue, shape: KeyShape | undefined, key: string, dropped: ReadonlySet<string>): EdnValue {
  const inner = shape === 'tuple' && isTuple(v) ? v[1] : v;
  const gone = (e: EdnValue): boolean => dropped.has(`${key}\0${printEdn(e)}`);
  const out = inner instanceof EdnSet ? new EdnSet(inner.items.filter((e) => !gone(e))) : Array.isArray(inner) ? inner.filter((e) => !gone(e)) : inner;
  return shape === 'tuple' && isTuple(v) ? [v[0], out] : out;
}

const tokenText = (t: Token): string => `${t.key}\0${t.text}`;
const PRODUCE = new Set(['write', 'add', 'enqueue', 'append', 'put', 'w']);
const OBSERVE = new Set(['read', 'dequeue', 'get', 'r']);
const fname = (f: EdnValue | undefined): string => (f instanceof Keyword ? f.name : typeof f === 'string' ? f : '');
/** A collection's elements, or the value itself. */
const elements = (v: EdnValue): EdnValue[] => (Array.isArray(v) ? v : v instanceof EdnSet ? v.items : [v]);

/** What whole op `u` produces and (completed :ok) observes; the op's `:f` and value say which. */
function valuesOf(h: History, u: readonly number[], shape: KeyShape | undefined): [Token[], Token[]] {
  const inv = u[0];
  const comp = u.length > 1 ? u[1] : -1;
  const ok = comp >= 0 && h.type[comp] === OK;
  const failed = comp >= 0 && h.type[comp] === FAIL;
  const produces: Token[] = [];
  const observes: Token[] = [];
  if (failed) return [produces, observes];
  const extraKey = h.extra.get(inv)?.kw('key');
  const baseKey = extraKey === undefined ? '' : printEdn(extraKey);
  const one = (f: string, value: EdnValue, key: string, observed: EdnValue | undefined): void => {
    if (f === 'cas' && Array.isArray(value) && value.length === 2) {
      produces.push({ key, text: printEdn(value[1]) });
      if (ok) observes.push({ key, text: printEdn(value[0]) });
    } else if (PRODUCE.has(f)) {
      produces.push({ key, text: printEdn(value) });
    } else if (OBSERVE.has(f) && ok && observed !== undefined && observed !== null) {
      for (const e of elements(observed)) observes.push({ key, text: printEdn(e) });
    }
  };
  const f = fname(h.fValue(inv));
  const value = h.value[inv];
  const result = ok ? h.value[comp] : undefined;
  if (shape === 'micro-ops' && Array.isArray(value)) {
    const done = Array.isArray(result) ? result : value;
    value.forEach((m, i) => {
      if (!isMicroOp(m) || m.length < 3) return;
      const r = done[i];
      one(fname(m[0]), m[2], printEdn(m[1]), isMicroOp(r) && r.length >= 3 ? r[2] : undefined);
    });
  } else if (shape === 'tuple' && isTuple(value)) {
    one(f, value[1], printEdn(value[0]), result !== undefined && isTuple(result) ? result[1] : undefined);
  } else {
    one(f, value, baseKey, result);
  }
  return [produces, observes];
}

/**
 * Whether `sel` is closed (see this file's header): every value a kept op observes, that the
 * original produced, a kept op still produces (keys removed take their values with them).
 */
export function closed(u: Units, sel: Selection): boolean {
  const kept = (t: Token): boolean => (sel.keys === undefined || u.keyShape === undefined || sel.keys.has(t.key)) && !(sel.dropped?.has(tokenText(t)) ?? false);
  const have = new Set<string>();
  for (const k of sel.ops) for (const t of u.produces[k]) if (kept(t)) have.add(tokenText(t));
  for (const k of sel.ops) {
    for (const t of u.observes[k]) {
      if (!kept(t)) continue;
      const text = tokenText(t);
      if (u.produced.has(text) && !have.has(text)) return false;
    }
  }
  return true;
}

/** Which units a sub-history keeps: whole ops by unit id, and (when the ops have keys) the keys kept. */
export interface Selection {
  ops: readonly number[];
  keys?: ReadonlySet<string>;
  /** Set elements removed altogether (token texts): their adds, and their places in reads. */
  dropped?: ReadonlySet<string>;
}

/**
 * The sub-history of `h` that `sel` keeps: its ops in their order, a transaction's micro-ops
 * on removed keys left out (one left with none goes whole), an independent op on a removed key
 * gone; `:index` kept from the original.
 */
export function subHistory(h: History, u: Units, sel: Selection): History {
  const keep = new Uint8Array(h.length);
  const filtered = new Map<number, EdnValue>();
  for (const k of sel.ops) {
    const unit = u.positions[k];
    if (sel.keys !== undefined && u.opKeys[k].length > 0) {
      if (u.keyShape === 'tuple' && !u.opKeys[k].some((key) => sel.keys!.has(key))) continue;
      if (u.keyShape === 'micro-ops') {
        const values = unit.map((i) => (h.value[i] as EdnValue[]).filter((m) => !isMicroOp(m) || m.length < 2 || sel.keys!.has(printEdn(m[1]))));
        if (values[0].length === 0) continue;
        unit.forEach((i, j) => {
          if (values[j].length !== (h.value[i] as EdnValue[]).length) filtered.set(i, values[j]);
        });
      }
    }
    if (sel.dropped !== undefined && sel.dropped.size > 0) {
      const made = u.produces[k];
      if (made.length > 0 && made.every((t) => sel.dropped!.has(tokenText(t))) && fname(h.fValue(unit[0])) === 'add') continue;
      for (const i of unit) {
        if (h.type[i] !== OK || u.observes[k].length === 0) continue;
        const key = u.observes[k][0].key;
        const v = withoutElements(h.value[i], u.keyShape, key, sel.dropped);
        if (v !== h.value[i]) filtered.set(i, v);
      }
    }
    for (const i of unit) keep[i] = 1;
  }
  const b = new HistoryBuilder(h.file, new Diagnostics(h.file, false));
  for (let i = 0; i < h.length; i++) {
    if (!keep[i]) continue;
    const op = h.op(i);
    const v = filtered.get(i);
    b.add(v === undefined ? op : { ...op, value: v }, h.line[i]);
  }
  return b.build();
}
