/**
 * Pairs each invocation with the next completion of the same process, over a history's columns.
 * Processes are ids as the builder interns them: client ids are non-negative, NEMESIS and other
 * named processes negative, NO_PROCESS for ops without one.
 */
import { INVOKE, NO_PROCESS } from './op.js';

/** What `pairInvocations` found. */
export interface Pairing {
  /** The partner's position per op, or -1. */
  readonly pair: Int32Array;
  /** Positions of client completions with no open invocation, ascending. */
  readonly unmatched: number[];
}

/**
 * Pairs the ops in `[0, n)` of the `process` and `type` columns: each invocation with the next
 * completion of its process (nemesis ones too). `onReopen(i, open)` is told of an invocation at `i` on a client process whose invocation at
 * `open` is still open (that one is then taken as never completed).
 */
export function pairInvocations(process: Int32Array, type: Uint8Array, n: number, onReopen?: (i: number, open: number) => void): Pairing {
  const pair = new Int32Array(n).fill(-1);
  const unmatched: number[] = [];
  // Open invocation per process: client ids (small non-negative ints) index a typed array,
  // anything else (nemesis, named processes, huge ids, no process) goes through a Map.
  let maxClient = -1;
  for (let i = 0; i < n; i++) {
    const p = process[i]!;
    if (p > maxClient && p < 1 << 20) maxClient = p;
  }
  const openClient = new Int32Array(maxClient + 1).fill(-1);
  const openOther = new Map<number, number>();
  const openOf = (p: number): number => (p >= 0 && p <= maxClient ? openClient[p]! : (openOther.get(p) ?? -1));
  const setOpen = (p: number, i: number): void => {
    if (p >= 0 && p <= maxClient) openClient[p] = i;
    else if (i < 0) openOther.delete(p);
    else openOther.set(p, i);
  };
  for (let i = 0; i < n; i++) {
    const p = process[i]!;
    const isNemesis = p < 0 && p !== NO_PROCESS;
    const o = openOf(p);
    if (type[i] === INVOKE) {
      if (o >= 0 && !isNemesis) onReopen?.(i, o);
      setOpen(p, i);
    } else if (o >= 0) {
      pair[o] = i;
      pair[i] = o;
      setOpen(p, -1);
    } else if (!isNemesis) {
      unmatched.push(i);
    }
  }
  return { pair, unmatched };
}
