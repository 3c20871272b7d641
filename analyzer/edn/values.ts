/**
 * The EDN value model shared by every reader, checker and writer.
 *
 * Mapping (chosen so checkers can use plain JS where it is exact):
 *   nil -> null, true/false -> boolean, strings -> string,
 *   integers -> number when |n| <= 2^53 - 1, otherwise bigint (exact),
 *   floats -> number, except whole-valued ones (`1.0`, `2e3`) -> WholeFloat, so that `1.0` and
 *   `1` stay different values as in Clojure (`(= 1 1.0)` is false); ratios -> Ratio,
 *   keywords -> Keyword (interned: `Keyword.of('ok') === Keyword.of('ok')`),
 *   symbols -> Sym (interned), characters -> Char,
 *   vectors -> JS arrays, lists -> JS arrays marked by `markList` (printed back as `(...)`),
 *   sets -> EdnSet, maps read from EDN -> EdnMap (any keys),
 *   tagged literals -> Tagged (except `#jepsen.history.Op{}`, which readers unwrap).
 *
 * Results built by checkers may also use plain JS objects ("records"): their keys
 * print as keywords (`{'valid?': true}` prints as `{:valid? true}`).
 */

/**
 * An EDN keyword (`:ok`). Interned: `Keyword.of(name)` always returns the same object for a
 * name, so `===` is equality; `name` is without the colon.
 */
export class Keyword {
  private static readonly table = new Map<string, Keyword>();
  private constructor(
    /** The name, without the colon. */
    readonly name: string,
    /** A small integer unique to this keyword (creation order), for hashing on hot paths. */
    readonly id: number,
  ) {}
  /** The one Keyword for `name` (without the colon); identity comparison is equality. */
  static of(name: string): Keyword {
    let k = Keyword.table.get(name);
    if (k === undefined) {
      k = new Keyword(name, Keyword.table.size);
      Keyword.table.set(name, k);
    }
    return k;
  }
  /** The keyword as EDN: `:name`. */
  toString(): string {
    return ':' + this.name;
  }
}

/** An EDN symbol (`foo`, `jepsen.history/op`), interned like `Keyword`. */
export class Sym {
  private static readonly table = new Map<string, Sym>();
  private constructor(readonly name: string) {}
  /** The one Sym for `name`. */
  static of(name: string): Sym {
    let s = Sym.table.get(name);
    if (s === undefined) {
      s = new Sym(name);
      Sym.table.set(name, s);
    }
    return s;
  }
  toString(): string {
    return this.name;
  }
}

/** An EDN character (`\a`, `\newline`); `char` is the one character as a JS string. */
export class Char {
  constructor(readonly char: string) {}
}

/**
 * A float whose value is a whole number (`1.0`): JS would make it the integer 1, which is a
 * different EDN value (a register that holds 1.0 was never written 1). Other floats are plain
 * numbers: they cannot be mistaken for an integer.
 */
export class WholeFloat {
  constructor(readonly value: number) {}
}

/** The JS number an EDN number stands for (integers within 2^53, floats, whole floats), else undefined. */
export function numberValue(v: EdnValue): number | undefined {
  if (typeof v === 'number') return v;
  return v instanceof WholeFloat ? v.value : undefined;
}

/** An EDN ratio (`1/3`) in lowest terms, with a denominator above 1 (others read as integers). */
export class Ratio {
  constructor(
    readonly numerator: bigint,
    readonly denominator: bigint,
  ) {}
}

/** A tagged literal (`#inst "…"`) the reader does not interpret: the tag without `#`, and its value. */
export class Tagged {
  constructor(
    readonly tag: string,
    readonly value: EdnValue,
  ) {}
}

/** An EDN set. Items are distinct under `ednEquals`; order is insertion order. */
export class EdnSet {
  constructor(
    /** The items, distinct, in insertion order. */
    readonly items: EdnValue[],
  ) {}
  /** The number of items. */
  get size(): number {
    return this.items.length;
  }
}

/** An EDN map with arbitrary keys, in the order read. Lookup is structural. */
export class EdnMap {
  constructor(
    /** The keys, distinct, in read order. */
    readonly keys: EdnValue[],
    /** `vals[i]` is the value under `keys[i]`. */
    readonly vals: EdnValue[],
  ) {}
  /** The number of entries. */
  get size(): number {
    return this.keys.length;
  }
  /** The value under `key` (compared by `ednEquals`), or undefined. */
  get(key: EdnValue): EdnValue | undefined {
    for (let i = 0; i < this.keys.length; i++) {
      if (ednEquals(this.keys[i], key)) return this.vals[i];
    }
    return undefined;
  }
  /** Lookup by keyword name, the common case (`m.kw('value')` for `:value`). */
  kw(name: string): EdnValue | undefined {
    const k = Keyword.of(name);
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] === k) return this.vals[i];
    return undefined;
  }
}

/** A plain JS object whose keys are keyword names; how checkers build result maps. */
export interface EdnRecord {
  [key: string]: EdnValue | undefined;
}

/** Any EDN value, as readers produce and checkers' results hold (the mapping is in this file's header). */
export type EdnValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Keyword
  | Sym
  | Char
  | Ratio
  | WholeFloat
  | Tagged
  | EdnSet
  | EdnMap
  | EdnValue[]
  | EdnRecord;

const lists = new WeakSet<EdnValue[]>();
/** Marks an array as an EDN list `( … )` rather than a vector; equality ignores the difference, as Clojure's does. */
export function markList<T extends EdnValue[]>(a: T): T {
  lists.add(a);
  return a;
}
/** True for an array marked by `markList` (read from `( … )`). */
export function isList(a: EdnValue[]): boolean {
  return lists.has(a);
}

/** True for a plain object (an `EdnRecord`), as opposed to arrays, class instances and primitives. */
export function isRecord(v: unknown): v is EdnRecord {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** `Keyword.of`, short: `kw('ok') === Keyword.of('ok')`. */
export const kw = Keyword.of;

/** Normalises an integer: a bigint that fits in a safe number becomes a number. */
export function normalInt(n: bigint): number | bigint {
  return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n;
}

/** Iterates a map-like value (EdnMap or record) as [key, value] pairs with EDN keys. */
export function* mapEntries(m: EdnMap | EdnRecord): Iterable<[EdnValue, EdnValue]> {
  if (m instanceof EdnMap) {
    for (let i = 0; i < m.keys.length; i++) yield [m.keys[i], m.vals[i]];
  } else {
    for (const k of Object.keys(m)) {
      const v = m[k];
      if (v !== undefined) yield [Keyword.of(k), v];
    }
  }
}

/** Structural equality with Clojure's semantics for the cases histories contain. */
export function ednEquals(a: EdnValue, b: EdnValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    // number vs bigint never both appear for the same integer (normalInt), so === suffices.
    return false;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!ednEquals(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Char) return b instanceof Char && a.char === b.char;
  if (a instanceof Ratio) return b instanceof Ratio && a.numerator === b.numerator && a.denominator === b.denominator;
  if (a instanceof WholeFloat) return b instanceof WholeFloat && a.value === b.value;
  if (a instanceof Tagged) return b instanceof Tagged && a.tag === b.tag && ednEquals(a.value, b.value);
  if (a instanceof EdnSet) {
    if (!(b instanceof EdnSet) || a.size !== b.size) return false;
    outer: for (const x of a.items) {
      for (const y of b.items) if (ednEquals(x, y)) continue outer;
      return false;
    }
    return true;
  }
  if (a instanceof EdnMap || isRecord(a)) {
    if (!(b instanceof EdnMap || isRecord(b))) return false;
    const ae = [...mapEntries(a)];
    const be = [...mapEntries(b)];
    if (ae.length !== be.length) return false;
    outer: for (const [k, v] of ae) {
      for (const [k2, v2] of be) if (ednEquals(k, k2)) {
        if (!ednEquals(v, v2)) return false;
        continue outer;
      }
      return false;
    }
    return true;
  }
  return false;
}

const keywordHashes = new WeakMap<object, number>();
function stringHash(s: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A hash consistent with `ednEquals` (order-independent for sets and maps). */
export function ednHash(v: EdnValue): number {
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) ? (Math.imul(v | 0, 0x9e3779b1) ^ ((v / 4294967296) | 0)) >>> 0 : stringHash(String(v), 7);
    case 'bigint':
      return stringHash(v.toString(), 11);
    case 'string':
      return stringHash(v, 0x811c9dc5);
    case 'boolean':
      return v ? 1231 : 1237;
    case 'object':
      break;
    default:
      return 0;
  }
  if (v === null) return 0x1f1f;
  if (v instanceof Keyword || v instanceof Sym) {
    let h = keywordHashes.get(v);
    if (h === undefined) {
      h = stringHash(v.name, v instanceof Keyword ? 0x2545f491 : 0x3c6ef372);
      keywordHashes.set(v, h);
    }
    return h;
  }
  if (Array.isArray(v)) {
    let h = 0x345678;
    for (const x of v) h = (Math.imul(h, 31) + ednHash(x)) | 0;
    return h >>> 0;
  }
  if (v instanceof Char) return stringHash(v.char, 13);
  if (v instanceof Ratio) return stringHash(`${v.numerator}/${v.denominator}`, 17);
  if (v instanceof WholeFloat) return stringHash(String(v.value), 23);
  if (v instanceof Tagged) return (stringHash(v.tag, 19) ^ ednHash(v.value)) >>> 0;
  if (v instanceof EdnSet) {
    let h = 0x5e7;
    for (const x of v.items) h = (h + ednHash(x)) | 0;
    return h >>> 0;
  }
  let h = 0x3a9;
  for (const [k, x] of mapEntries(v)) h = (h + (ednHash(k) ^ Math.imul(ednHash(x), 0x85ebca6b))) | 0;
  return h >>> 0;
}

function typeRank(v: EdnValue): number {
  if (v === null) return 0;
  switch (typeof v) {
    case 'boolean':
      return 1;
    case 'number':
    case 'bigint':
      return 2;
    case 'string':
      return 4;
  }
  if (v instanceof Ratio || v instanceof WholeFloat) return 2;
  if (v instanceof Char) return 3;
  if (v instanceof Keyword) return 5;
  if (v instanceof Sym) return 6;
  if (Array.isArray(v)) return 7;
  if (v instanceof EdnSet) return 8;
  if (v instanceof Tagged) return 10;
  return 9;
}

function numeric(v: EdnValue): number | bigint {
  if (v instanceof Ratio) return Number(v.numerator) / Number(v.denominator);
  if (v instanceof WholeFloat) return v.value;
  return v as number | bigint;
}

/** A total order for printing sets sorted and for stable output: numbers numerically, then by type. */
export function ednCompare(a: EdnValue, b: EdnValue): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return Number(a) - Number(b);
    case 2: {
      const x = numeric(a);
      const y = numeric(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 3:
      return (a as Char).char < (b as Char).char ? -1 : (a as Char).char > (b as Char).char ? 1 : 0;
    case 4:
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 5:
    case 6: {
      const x = (a as Keyword).name;
      const y = (b as Keyword).name;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 7: {
      const x = a as EdnValue[];
      const y = b as EdnValue[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = ednCompare(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
    default:
      return 0;
  }
}
