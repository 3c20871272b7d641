/**
 * EDN text for display, cut at a length: `printEdn` of a 100 k-element set costs a megabyte
 * of string before it could be cut, so this prints collections item by item and stops as soon
 * as the budget is spent (ending in `…`). Below the limit the text equals `printEdn`'s.
 */
import { printEdn } from '../edn/print.js';
import { EdnMap, EdnSet, type EdnValue, isList, isRecord, mapEntries } from '../edn/values.js';

/** Pieces so far, their total length and the budget; module-level functions, not closures, keep calls cheap. */
interface Out {
  parts: string[];
  length: number;
  limit: number;
}

/** Appends; false once over the limit, so callers stop early. */
function push(out: Out, s: string): boolean {
  out.parts.push(s);
  out.length += s.length;
  return out.length <= out.limit;
}

function walk(out: Out, x: EdnValue): boolean {
  if (typeof x === 'number' && Number.isSafeInteger(x)) return push(out, String(x));
  if (x === null || typeof x !== 'object') return push(out, printEdn(x));
  if (Array.isArray(x) || x instanceof EdnSet) {
    const items = Array.isArray(x) ? x : x.items;
    if (!push(out, Array.isArray(x) ? (isList(x) ? '(' : '[') : '#{')) return false;
    for (let k = 0; k < items.length; k++) {
      if (k > 0 && !push(out, ' ')) return false;
      if (!walk(out, items[k])) return false;
    }
    return push(out, Array.isArray(x) ? (isList(x) ? ')' : ']') : '}');
  }
  if (x instanceof EdnMap || isRecord(x)) {
    if (!push(out, '{')) return false;
    let first = true;
    for (const [key, val] of mapEntries(x)) {
      if (!first && !push(out, ', ')) return false;
      first = false;
      if (!walk(out, key) || !push(out, ' ') || !walk(out, val)) return false;
    }
    return push(out, '}');
  }
  return push(out, printEdn(x));
}

/**
 * `printEdn(v)` when that is at most `limit` characters, else its first `limit` characters and
 * `…`, without printing the rest.
 */
export function printEdnBounded(v: EdnValue, limit: number): string {
  const out: Out = { parts: [], length: 0, limit };
  const done = walk(out, v);
  const text = out.parts.join('');
  return done ? text : text.slice(0, limit) + '…';
}
