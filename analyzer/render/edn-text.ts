/**
 * EDN text for display, cut at a length: `printEdn` of a 100 k-element set costs a megabyte
 * of string before it could be cut, so this prints collections item by item and stops as soon
 * as the budget is spent (ending in `…`). Below the limit the text equals `printEdn`'s.
 */
import { printEdn } from '../edn/print.js';
import { EdnMap, EdnSet, type EdnValue, isList, isRecord, mapEntries } from '../edn/values.js';

export function printEdnBounded(v: EdnValue, limit: number): string {
  const parts: string[] = [];
  let length = 0;
  const push = (s: string): boolean => {
    parts.push(s);
    length += s.length;
    return length <= limit;
  };
  // Returns false once over the limit, so callers stop early.
  const walk = (x: EdnValue): boolean => {
    if (Array.isArray(x) || x instanceof EdnSet) {
      const items = Array.isArray(x) ? x : x.items;
      const [open, close] = Array.isArray(x) ? (isList(x) ? ['(', ')'] : ['[', ']']) : ['#{', '}'];
      if (!push(open)) return false;
      for (let k = 0; k < items.length; k++) {
        if (k > 0 && !push(' ')) return false;
        if (!walk(items[k])) return false;
      }
      return push(close);
    }
    if (x instanceof EdnMap || isRecord(x)) {
      if (!push('{')) return false;
      let first = true;
      for (const [key, val] of mapEntries(x)) {
        if (!first && !push(', ')) return false;
        first = false;
        if (!walk(key) || !push(' ') || !walk(val)) return false;
      }
      return push('}');
    }
    return push(printEdn(x));
  };
  if (walk(v)) return parts.join('');
  return parts.join('').slice(0, limit) + '…';
}
