/**
 * The cache through which `EdnScanner.readSeq` (scanner.ts) shares vectors it reads.
 *
 * Vectors of atoms (`[:append 31 1]`, `[:r 14 nil]`, a read's `[1 2 3 4]`) and vectors of such
 * vectors (a transaction) recur all through a history: an invocation and its completion carry
 * the same micro-ops, and reads of one key between two writes return the same list. They are
 * shared (hash-consed) from a direct-mapped cache, so a million ops allocate far fewer arrays
 * and the garbage collector has far less to copy. The cache is one per process, shared by every
 * scanner, and holds at most VEC_SLOTS vectors (the scanner offers only short ones).
 */
import type { EdnValue } from './values.js';

const VEC_SLOTS = 1 << 14;
const vecCache: (EdnValue[] | undefined)[] = new Array(VEC_SLOTS).fill(undefined);
/** Per slot, the hash and length of the vector cached there (0: none), checked before the vector itself. */
const vecTags = new Int32Array(VEC_SLOTS);
/** Per slot, 1 once the cached vector has been handed out twice and frozen (see `sharedVector`). */
const vecFrozen = new Uint8Array(VEC_SLOTS);

/**
 * `stack[base, base + n)` for n ≤ 4, as a new array made by an array literal rather than
 * `slice`: V8 tracks literal allocation sites and, seeing that these arrays all survive (a
 * History keeps them), allocates them straight in the old generation instead of copying each
 * one out of the young one.
 */
export function small(stack: EdnValue[], base: number, n: number): EdnValue[] {
  switch (n) {
    case 0:
      return [];
    case 1:
      return [stack[base]];
    case 2:
      return [stack[base], stack[base + 1]];
    case 3:
      return [stack[base], stack[base + 1], stack[base + 2]];
    default:
      return [stack[base], stack[base + 1], stack[base + 2], stack[base + 3]];
  }
}

/**
 * The vector of items `stack[from, from + n)`, whose hash (non-zero) is `h`: the cached one
 * when the cache holds an equal vector under that hash, else a new one, which then replaces
 * the slot's. A vector is frozen when it is handed out a second time, so a checker that tried
 * to modify a shared one fails loudly rather than changing another op's value; one never shared
 * is left alone (freezing costs as much as building it). A hit compares the cached vector's
 * current items, so even one modified while unshared is only reused if it still equals what was
 * read. Items are compared by identity, which for nested vectors works because they are shared
 * too.
 */
export function sharedVector(stack: EdnValue[], from: number, n: number, h: number): EdnValue[] {
  const slot = (h ^ (h >>> 15)) & (VEC_SLOTS - 1);
  const tag = h ^ n;
  if (vecTags[slot] === tag) {
    // only now touch the cached array (a likely cache miss)
    const hit = vecCache[slot];
    if (hit !== undefined && hit.length === n) {
      let i = 0;
      while (i < n && hit[i] === stack[from + i]) i++;
      if (i === n) {
        if (vecFrozen[slot] === 0) {
          Object.freeze(hit);
          vecFrozen[slot] = 1;
        }
        return hit;
      }
    }
  }
  const out = n <= 4 ? small(stack, from, n) : stack.slice(from, from + n);
  vecCache[slot] = out;
  vecTags[slot] = tag;
  vecFrozen[slot] = 0;
  return out;
}
