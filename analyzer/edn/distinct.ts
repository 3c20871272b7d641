/**
 * The check that a set's items (or a map's keys) are distinct, as Clojure's reader demands:
 * `firstDuplicate`, built to cost a few milliseconds and no garbage on the sets of hundreds of
 * thousands of elements that set-full histories read. `EdnScanner` (scanner.ts) and `OpScanner`
 * (history/readers/op-scanner.ts) call it on every set and map they read.
 */
import { type EdnValue, Keyword, ednEquals, ednHash } from './values.js';

/**
 * Scratch tables for `firstDuplicate`, reused from set to set (a read of a big set in a set-full
 * history holds hundreds of thousands of elements, and a history holds hundreds of such reads).
 * Tables past SCRATCH_LIMIT entries are allocated per call so one huge set does not pin memory.
 */
const SCRATCH_LIMIT = 1 << 22;
let bitScratch = new Int32Array(1024);
let slotScratch = new Int32Array(1024);

function scratch(kind: 'bits' | 'slots', n: number): Int32Array {
  const cur = kind === 'bits' ? bitScratch : slotScratch;
  if (n <= cur.length) {
    cur.fill(0, 0, n);
    return cur;
  }
  if (n > SCRATCH_LIMIT) return new Int32Array(n);
  let cap = cur.length;
  while (cap < n) cap *= 2;
  const t = new Int32Array(cap);
  if (kind === 'bits') bitScratch = t;
  else slotScratch = t;
  return t;
}

/** A hash consistent with `ednEquals`, cheap for the items sets usually hold (integers, keywords, strings). */
function itemHash(v: EdnValue): number {
  if (typeof v === 'number' && (v | 0) === v) return Math.imul(v ^ (v >>> 16), 0x45d9f3b);
  if (v instanceof Keyword) return Math.imul(v.id + 0x5bd1e995, 0x85ebca6b);
  return ednHash(v);
}

/**
 * The index of the first item equal (`ednEquals`) to an earlier one, or -1 when all are
 * distinct (Clojure's reader rejects a set or map that repeats one). Sets of non-negative
 * integers, the common case by far (Jepsen's set elements), are checked against a bitset when
 * their range is compact, else every kind of item goes through an open-addressing table of item
 * positions in an Int32Array: no per-item allocation, so a 200 000-element set costs a few
 * milliseconds and leaves no garbage.
 *
 * @example
 * firstDuplicate([1, 2, 3]);    // -1
 * firstDuplicate([1, 2, 1, 2]); // 2
 */
export function firstDuplicate(items: readonly EdnValue[]): number {
  const n = items.length;
  if (n < 2) return -1;
  if (n <= 8) {
    for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) if (ednEquals(items[i], items[j])) return i;
    return -1;
  }
  let max = 0;
  let ints = true;
  for (let i = 0; i < n; i++) {
    const v = items[i];
    if (typeof v !== 'number' || (v | 0) !== v || v < 0) {
      ints = false;
      break;
    }
    if (v > max) max = v;
  }
  if (ints && max >>> 5 < 4 * n) {
    const bits = scratch('bits', (max >>> 5) + 1);
    for (let i = 0; i < n; i++) {
      const v = items[i] as number;
      const w = v >>> 5;
      const m = 1 << (v & 31);
      if ((bits[w] & m) !== 0) return i;
      bits[w] |= m;
    }
    return -1;
  }
  let cap = 16;
  while (cap < 2 * n) cap *= 2;
  const mask = cap - 1;
  const slots = scratch('slots', cap); // item position + 1; 0 = empty
  for (let i = 0; i < n; i++) {
    const v = items[i];
    let s = itemHash(v) & mask;
    for (;;) {
      const k = slots[s];
      if (k === 0) break;
      const u = items[k - 1];
      if (u === v || (typeof u === 'object' && ednEquals(u, v))) return i;
      s = (s + 1) & mask;
    }
    slots[s] = i + 1;
  }
  return -1;
}
