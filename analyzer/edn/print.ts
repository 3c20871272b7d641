/** Writes EDN values as Clojure's `prn` does (maps with `, ` between entries), and converts them to JSON (`toJson`, `setOwn`). */
import {
  Char,
  EdnMap,
  EdnSet,
  type EdnValue,
  Keyword,
  Ratio,
  WholeFloat,
  Sym,
  Tagged,
  ednCompare,
  isList,
  isRecord,
  mapEntries,
} from './values.js';

const charNames: Record<string, string> = { '\n': 'newline', ' ': 'space', '\t': 'tab', '\r': 'return', '\b': 'backspace', '\f': 'formfeed' };

function printString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    switch (c) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      default:
        out += c;
    }
  }
  return out + '"';
}

function printNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  if (Number.isNaN(n)) return '##NaN';
  if (n === Infinity) return '##Inf';
  if (n === -Infinity) return '##-Inf';
  return String(n);
}

/** How `printEdn` prints. */
export interface PrintOptions {
  /** Sort set items and map entries (stable output for results and tests). Default false: read order. */
  sorted?: boolean;
}

/**
 * One line of EDN, as `prn` prints it: plain records print as maps with keyword keys, lists as
 * `( … )`, integers past 2^53 with an `N`, whole floats with a `.0`. Never throws.
 *
 * @example
 * printEdn({ 'valid?': false, count: 3 });           // '{:valid? false, :count 3}'
 * printEdn(new EdnSet([3, 1, 2]), { sorted: true }); // '#{1 2 3}'
 */
export function printEdn(v: EdnValue, opts: PrintOptions = {}): string {
  if (v === null) return 'nil';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return printNumber(v);
    case 'bigint':
      return v.toString() + 'N';
    case 'string':
      return printString(v);
  }
  if (v instanceof Keyword) return ':' + v.name;
  if (v instanceof Sym) return v.name;
  if (v instanceof Char) return '\\' + (charNames[v.char] ?? v.char);
  if (v instanceof Ratio) return `${v.numerator}/${v.denominator}`;
  if (v instanceof WholeFloat) return Object.is(v.value, -0) ? '-0.0' : /[.e]/.test(String(v.value)) ? String(v.value) : `${v.value}.0`;
  if (v instanceof Tagged) return `#${v.tag} ${printEdn(v.value, opts)}`;
  if (Array.isArray(v)) {
    const inner = v.map((x) => printEdn(x, opts)).join(' ');
    return isList(v) ? `(${inner})` : `[${inner}]`;
  }
  if (v instanceof EdnSet) {
    const items = opts.sorted ? [...v.items].sort(ednCompare) : v.items;
    return '#{' + items.map((x) => printEdn(x, opts)).join(' ') + '}';
  }
  if (v instanceof EdnMap || isRecord(v)) {
    let entries = [...mapEntries(v)];
    if (opts.sorted && v instanceof EdnMap) entries = entries.sort((a, b) => ednCompare(a[0], b[0]));
    return '{' + entries.map(([k, x]) => printEdn(k, opts) + ' ' + printEdn(x, opts)).join(', ') + '}';
  }
  return String(v);
}

/** A JSON value, as `toJson` returns it and `JSON.stringify` takes it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function jsonKey(k: EdnValue): string {
  if (typeof k === 'string') return k;
  if (k instanceof Keyword || k instanceof Sym) return k.name;
  if (typeof k === 'number' || typeof k === 'bigint') return k.toString();
  return printEdn(k);
}

/**
 * Sets an own, enumerable property even when the key is `__proto__`: plain
 * assignment would set the object's prototype instead (or, for a non-object
 * value, silently drop the key), so a history holding that key would lose it.
 */
export function setOwn<T>(out: { [key: string]: T }, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/**
 * EDN -> JSON, as the CLI's `--json` promises: keywords become strings without the colon,
 * sets become sorted arrays, integers beyond 2^53 become strings, maps become objects
 * (non-string keys printed as EDN), tagged values become their inner value. Never throws.
 *
 * @example
 * toJson({ 'valid?': false, 'anomaly-types': [Keyword.of('G1c')] }); // { 'valid?': false, 'anomaly-types': ['G1c'] }
 */
export function toJson(v: EdnValue): Json {
  if (v === null) return null;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : String(v);
    case 'bigint':
      return v.toString();
    case 'string':
      return v;
  }
  if (v instanceof Keyword || v instanceof Sym) return v.name;
  if (v instanceof Char) return v.char;
  if (v instanceof Ratio) return Number(v.numerator) / Number(v.denominator);
  if (v instanceof WholeFloat) return v.value;
  if (v instanceof Tagged) return toJson(v.value);
  if (Array.isArray(v)) return v.map(toJson);
  if (v instanceof EdnSet) return [...v.items].sort(ednCompare).map(toJson);
  const out: { [key: string]: Json } = {};
  for (const [k, x] of mapEntries(v as EdnMap)) setOwn(out, jsonKey(k), toJson(x));
  return out;
}
