/**
 * Which seed edges can close a cycle of a class at all, in linear time.
 *
 * The cycle search walks the product of the component with a small automaton (the state a
 * class tracks: last edge rw, a second rw or an adjacent pair seen, the required process /
 * realtime edge used). A seed u -> v closes a cycle exactly when some accepting state of u is
 * reachable from v's initial state in that product, i.e. when the "closing" edge (u, accepting)
 * -> (v, initial) lies on a cycle of the product: when both ends are in one strongly connected
 * component of it. One iterative Tarjan over the product (scc.ts; never built: successors are
 * computed on the fly) answers that for every seed at once, so a class absent from a huge component is
 * ruled out in O(states × edges) instead of one search per seed.
 */
import type { Csr } from './graph.js';
import { productSccs } from './scc.js';

/** A cycle class's automaton over edge kinds, as the cycle search builds it (cycle-search.ts). */
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

/** viable[e] = 1 for seed edges e (of g) that can close a cycle of the automaton's class within one component of `comp`. */
export function viableSeeds(g: Csr, comp: Int32Array, a: Automaton): Uint8Array {
  const { n, off, dst, kind } = g;
  const { S, mild, seed } = a;
  // Transition table: next[s * 32 + kinds] (or -1), so the hot loop does no calls.
  const next = new Int8Array(S * 32).fill(-1);
  const acc = new Uint8Array(S);
  for (let s = 0; s < S; s++) {
    acc[s] = a.accepting(s) ? 1 : 0;
    for (let k = 0; k < 32; k++) if (mild[k] !== 0) next[s * 32 + k] = a.step(s, mild[k]);
  }
  const pcomp = productSccs(g, { S, next, within: comp, closing: { accepting: acc, mild, seed, init: a.init } }).comp;
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
