/**
 * The dependency graph between transactions, as compressed sparse rows in typed arrays.
 *
 * Nodes are transaction ids. Each edge carries a bit set of why it exists: WW (the target
 * overwrote the source's version), WR (the target read the source's version), RW (the target
 * overwrote a version the source read), PROCESS (same process, later) and REALTIME (the source
 * completed before the target began). Parallel edges are merged by OR-ing their bits, so one
 * (source, target) pair is stored once: 4 bytes of target and 1 byte of kinds per edge.
 */
import { IntVec } from '../util/int-tables.js';

/** Edge kind: the target overwrote the source's version (write-write dependency). */
export const WW = 1;
/** Edge kind: the target read the source's version (write-read dependency). */
export const WR = 2;
/** Edge kind: the target overwrote a version the source read (read-write anti-dependency). */
export const RW = 4;
/** Edge kind: the target ran later on the same process. */
export const PROCESS = 8;
/** Edge kind: the source completed before the target was invoked. */
export const REALTIME = 16;
/** The data dependency kinds (Adya's ww, wr, rw). */
export const DATA = WW | WR | RW;
/** Every kind. */
export const ALL_KINDS = DATA | PROCESS | REALTIME;

/** Each single kind's name, as results spell it. */
export const KIND_NAMES: Record<number, string> = { [WW]: 'ww', [WR]: 'wr', [RW]: 'rw', [PROCESS]: 'process', [REALTIME]: 'realtime' };

/** Edges as they are found, in any order, repeats included. */
export class EdgeList {
  readonly src: IntVec;
  readonly dst: IntVec;
  readonly kind: IntVec;
  /** `capacity`: expected edge count (pre-sizing avoids growth of big arrays). */
  constructor(capacity = 1024) {
    this.src = new IntVec(capacity);
    this.dst = new IntVec(capacity);
    this.kind = new IntVec(capacity);
  }
  /** Adds edge a -> b of `kind` (a self-loop a -> a is dropped). */
  add(a: number, b: number, kind: number): void {
    if (a === b) return;
    this.src.push(a);
    this.dst.push(b);
    this.kind.push(kind);
  }
  /** Edges added. */
  get size(): number {
    return this.src.n;
  }
}

/** A directed graph in CSR form: node u's edges are off[u] .. off[u+1]-1. */
export interface Csr {
  n: number;
  off: Int32Array;
  dst: Int32Array;
  kind: Uint8Array;
}

/** Builds the CSR of `edges` over nodes 0..n-1, merging parallel edges. */
export function buildCsr(n: number, edges: EdgeList): Csr {
  const m = edges.size;
  const src = edges.src.a;
  const dstIn = edges.dst.a;
  const kindIn = edges.kind.a;
  const count = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) count[src[e] + 1]++;
  for (let u = 0; u < n; u++) count[u + 1] += count[u];
  // Pack (target, kinds) in one uint32 so that sorting a node's segment groups parallel edges.
  const packed = new Uint32Array(m);
  const fill = count.slice(0, n);
  for (let e = 0; e < m; e++) packed[fill[src[e]]++] = ((dstIn[e] << 5) | kindIn[e]) >>> 0;
  const off = new Int32Array(n + 1);
  const dst = new Int32Array(m);
  const kind = new Uint8Array(m);
  let w = 0;
  for (let u = 0; u < n; u++) {
    off[u] = w;
    const lo = count[u];
    const hi = count[u + 1];
    // Segments are short: insertion sort in place (a view and a sort call per node cost more).
    if (hi - lo > 32) packed.subarray(lo, hi).sort();
    else {
      for (let i = lo + 1; i < hi; i++) {
        const x = packed[i];
        let j = i - 1;
        while (j >= lo && packed[j] > x) {
          packed[j + 1] = packed[j];
          j--;
        }
        packed[j + 1] = x;
      }
    }
    let last = -1;
    for (let k = lo; k < hi; k++) {
      const t = packed[k] >>> 5;
      const kd = packed[k] & 31;
      if (t === last) kind[w - 1] |= kd;
      else {
        dst[w] = t;
        kind[w] = kd;
        w++;
        last = t;
      }
    }
  }
  off[n] = w;
  // Views rather than trimmed copies: each big allocation can make V8 mark the whole heap.
  return { n, off, dst: w === m ? dst : dst.subarray(0, w), kind: w === m ? kind : kind.subarray(0, w) };
}

/** The kinds of edge a -> b, or 0 (binary search in a's sorted segment). */
export function edgeKinds(g: Csr, a: number, b: number): number {
  let lo = g.off[a];
  let hi = g.off[a + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = g.dst[mid];
    if (t === b) return g.kind[mid];
    if (t < b) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}
