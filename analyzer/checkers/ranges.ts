/**
 * Compact printing of element sets, as Jepsen's `integer-interval-set-str`: the integers
 * {1 2 3 4 5 7} print as the string `"#{1..5 7}"`. Results keep it a plain string, so EDN
 * shows exactly what Jepsen's results.edn shows and JSON gets the same text.
 * Non-integer elements are printed one by one (sorted) after the integer runs.
 */
import { printEdn } from '../edn/print.js';
import { type EdnValue, ednCompare } from '../edn/values.js';

/** Elements as Jepsen prints an integer interval set (see this file's header): `#{1..5 7 :x}`. */
export function intervalSetString(elements: Iterable<EdnValue>): string {
  const ints: number[] = [];
  const others: EdnValue[] = [];
  for (const e of elements) {
    if (typeof e === 'number' && Number.isInteger(e)) ints.push(e);
    else others.push(e);
  }
  ints.sort((a, b) => a - b);
  const parts: string[] = [];
  let k = 0;
  while (k < ints.length) {
    const start = ints[k];
    let end = start;
    k++;
    while (k < ints.length && (ints[k] === end || ints[k] === end + 1)) end = ints[k++];
    parts.push(start === end ? String(start) : `${start}..${end}`);
  }
  others.sort(ednCompare);
  for (const o of others) parts.push(printEdn(o));
  return '#{' + parts.join(' ') + '}';
}
