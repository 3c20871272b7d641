/**
 * Which seed edges can close a cycle of a class at all, in linear time.
 *
 * The cycle search walks the product of the component with a small automaton (the state a
 * class tracks: last edge rw, a second rw or an adjacent pair seen, the required process /
 * realtime edge used). A seed u -> v closes a cycle exactly when some accepting state of u is
 * reachable from v's initial state in that product, i.e. when the "closing" edge (u, accepting)
 * -> (v, initial) lies on a cycle of the product: when both ends are in one strongly connected
 * component of it. One iterative Tarjan over the product (never built: successors are computed
 * on the fly) answers that for every seed at once, so a class absent from a huge component is
 * ruled out in O(states × edges) instead of one search per seed.
 */
import type { Csr } from './graph.js';

export interface Automaton {
  /** States per node (codes 0..S-1). */
  S: number;
  init: number;
  /** Next state after an edge of (single) kind k, or -1. */
  step: (s: number, k: number) => number;
  accepting: (s: number) => boolean;
  /** The single kind each kinds bitmask is read as (0: not allowed). */
  mild: Uint8Array;
  seed: number;
}

/** viable[e] = 1 for seed edges e that can close a cycle of the class within `comp`. */
export function viableSeeds(g: Csr, comp: Int32Array, a: Automaton): Uint8Array {
  const { n, off, dst, kind } = g;
  const { S, mild, seed } = a;
  const N = n * S;
  // Transition table: next[s * 32 + kinds] (or -1), so the hot loop does no calls.
  const next = new Int8Array(S * 32).fill(-1);
  const acc = new Uint8Array(S);
  for (let s = 0; s < S; s++) {
    acc[s] = a.accepting(s) ? 1 : 0;
    for (let k = 0; k < 32; k++) if (mild[k] !== 0) next[s * 32 + k] = a.step(s, mild[k]);
  }
  const index = new Int32Array(N).fill(-1);
  const low = new Int32Array(N);
  const pcomp = new Int32Array(N).fill(-1);
  const onStack = new Uint8Array(N);
  const stack = new Int32Array(N);
  const callNode = new Int32Array(N);
  const callCursor = new Int32Array(N);
  let sp = 0;
  let counter = 0;
  let count = 0;
  /** The successor of product node p at cursor k (normal edges, then closing edges), or -1. */
  const successor = (p: number, k: number): number => {
    const x = (p / S) | 0;
    const s = p - x * S;
    const deg = off[x + 1] - off[x];
    if (k < deg) {
      const f = off[x] + k;
      const y = dst[f];
      if (comp[y] !== comp[x]) return -1;
      const t = next[s * 32 + kind[f]];
      return t < 0 ? -1 : y * S + t;
    }
    if (!acc[s]) return -1;
    const f = off[x] + (k - deg);
    if (mild[kind[f]] !== seed || comp[dst[f]] !== comp[x]) return -1;
    return dst[f] * S + a.init;
  };
  for (let root = 0; root < N; root++) {
    if (index[root] >= 0) continue;
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    callNode[0] = root;
    callCursor[0] = 0;
    let depth = 1;
    while (depth > 0) {
      const p = callNode[depth - 1];
      const x = (p / S) | 0;
      const limit = 2 * (off[x + 1] - off[x]);
      let k = callCursor[depth - 1];
      let descended = false;
      while (k < limit) {
        const q = successor(p, k++);
        if (q < 0) continue;
        if (index[q] < 0) {
          callCursor[depth - 1] = k;
          index[q] = low[q] = counter++;
          stack[sp++] = q;
          onStack[q] = 1;
          callNode[depth] = q;
          callCursor[depth] = 0;
          depth++;
          descended = true;
          break;
        } else if (onStack[q] && index[q] < low[p]) {
          low[p] = index[q];
        }
      }
      if (descended) continue;
      if (low[p] === index[p]) {
        let w: number;
        do {
          w = stack[--sp];
          onStack[w] = 0;
          pcomp[w] = count;
        } while (w !== p);
        count++;
      }
      depth--;
      if (depth > 0) {
        const parent = callNode[depth - 1];
        if (low[p] < low[parent]) low[parent] = low[p];
      }
    }
  }
  const viable = new Uint8Array(dst.length);
  for (let u = 0; u < n; u++) {
    for (let f = off[u]; f < off[u + 1]; f++) {
      if (mild[kind[f]] !== seed || comp[dst[f]] !== comp[u]) continue;
      const target = pcomp[dst[f] * S + a.init];
      for (let s = 0; s < S; s++) {
        if (acc[s] && pcomp[u * S + s] === target) {
          viable[f] = 1;
          break;
        }
      }
    }
  }
  return viable;
}
