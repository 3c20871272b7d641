/**
 * Strongly connected components by one iterative Tarjan, over a CSR graph or over its product
 * with a small automaton (product.ts), following only the edges asked for. Recursion would
 * overflow the stack on long paths (a history is one long path of realtime edges), so the DFS
 * keeps its own stack of (node, next edge).
 *
 * The product's nodes are (node x, state s), numbered x * S + s; an edge x -> y of kinds k
 * leads from state s to state next[s * 32 + k], or nowhere when that is -1. A plain graph is
 * the product with a one-state automaton whose table says which kinds are followed. Products
 * are never built: successors are computed on the fly.
 *
 * Component ids come out in reverse topological order of the condensation: an edge between
 * different components goes from a higher id to a lower one.
 */
import type { Csr } from './graph.js';

/** Strongly connected components of a graph. */
export interface Sccs {
  /** Component id per node. */
  comp: Int32Array;
  count: number;
  size: Int32Array;
}

/** Which product of a CSR graph with an automaton to walk (see the file header). */
export interface ProductWalk {
  /** States per node. */
  S: number;
  /** next[s * 32 + kinds]: the state an edge with those kinds leads to, or -1 (not followed). */
  next: Int8Array;
  /** Only edges between nodes of one component of this labelling are followed (undefined: all). */
  within?: Int32Array;
  /**
   * Closing edges besides: from (x, s) with `accepting[s]`, along every edge x -> y whose kinds
   * read as `seed` (`mild[kinds]`) within one component, to (y, init). They come after x's
   * other edges.
   */
  closing?: { accepting: Uint8Array; mild: Uint8Array; seed: number; init: number };
}

/** Scratch arrays reused across calls (many small components would otherwise cost many allocations). */
let work = { cap: 0, index: new Int32Array(0), low: new Int32Array(0), onStack: new Uint8Array(0), stack: new Int32Array(0), callNode: new Int32Array(0), callCursor: new Int32Array(0) };

function workspace(n: number): typeof work {
  if (work.cap < n) {
    const cap = Math.max(n, work.cap * 2, 1024);
    work = { cap, index: new Int32Array(cap), low: new Int32Array(cap), onStack: new Uint8Array(cap), stack: new Int32Array(cap), callNode: new Int32Array(cap), callCursor: new Int32Array(cap) };
  }
  return work;
}

/** Per kinds bitmask: 0 (the one state) when the kinds intersect `mask`, else -1. */
function maskTable(mask: number): Int8Array {
  const next = new Int8Array(32);
  for (let k = 0; k < 32; k++) next[k] = (k & mask) !== 0 ? 0 : -1;
  return next;
}

/** Strongly connected components of `g`, following only edges whose kinds intersect `mask`. */
export function tarjan(g: Csr, mask: number): Sccs {
  const { comp, count } = productSccs(g, { S: 1, next: maskTable(mask) });
  const size = new Int32Array(count);
  for (let u = 0; u < g.n; u++) size[comp[u]]++;
  return { comp, count, size };
}

/**
 * Strongly connected components of the product of `g` with `walk`'s automaton: component id
 * per product node (x * S + s), and how many there are.
 */
export function productSccs(g: Csr, walk: ProductWalk): { comp: Int32Array; count: number } {
  const { off, dst, kind } = g;
  const { S, next, within, closing } = walk;
  const N = g.n * S;
  const { index, low, onStack, stack, callNode, callCursor } = workspace(N);
  index.fill(-1, 0, N);
  onStack.fill(0, 0, N);
  const comp = new Int32Array(N).fill(-1);
  let sp = 0;
  let counter = 0;
  let count = 0;
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
      const x = S === 1 ? p : (p / S) | 0;
      const row = (p - x * S) * 32;
      const base = off[x];
      const degree = off[x + 1] - base;
      const limit = closing !== undefined && closing.accepting[p - x * S] ? 2 * degree : degree;
      const cx = within === undefined ? 0 : within[x];
      let k = callCursor[depth - 1];
      let q = -1;
      while (k < limit) {
        const f = base + (k < degree ? k : k - degree);
        const y = dst[f];
        if (within !== undefined && within[y] !== cx) {
          k++;
          continue;
        }
        let t: number;
        if (k++ < degree) t = next[row + kind[f]];
        else t = closing!.mild[kind[f]] === closing!.seed ? closing!.init : -1;
        if (t < 0) continue;
        const r = y * S + t;
        if (index[r] < 0) {
          q = r;
          break;
        }
        if (onStack[r] && index[r] < low[p]) low[p] = index[r];
      }
      if (q >= 0) {
        // Descend into q; resume p at k afterwards.
        callCursor[depth - 1] = k;
        index[q] = low[q] = counter++;
        stack[sp++] = q;
        onStack[q] = 1;
        callNode[depth] = q;
        callCursor[depth] = 0;
        depth++;
        continue;
      }
      // p is finished.
      if (low[p] === index[p]) {
        let w: number;
        do {
          w = stack[--sp];
          onStack[w] = 0;
          comp[w] = count;
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
  return { comp, count };
}

/**
 * The subgraph induced by `nodes` (global ids), renumbered 0..k-1 in the given order, keeping
 * only edges whose kinds intersect `mask`. `scratch` is a global-size Int32Array of -1s, used
 * to map ids and restored before returning.
 */
export function induced(g: Csr, nodes: Int32Array, mask: number, scratch: Int32Array): Csr {
  const k = nodes.length;
  for (let j = 0; j < k; j++) scratch[nodes[j]] = j;
  let m = 0;
  for (let j = 0; j < k; j++) {
    const u = nodes[j];
    for (let e = g.off[u]; e < g.off[u + 1]; e++) if (scratch[g.dst[e]] >= 0 && (g.kind[e] & mask) !== 0) m++;
  }
  const off = new Int32Array(k + 1);
  const dst = new Int32Array(m);
  const kind = new Uint8Array(m);
  let w = 0;
  for (let j = 0; j < k; j++) {
    off[j] = w;
    const u = nodes[j];
    for (let e = g.off[u]; e < g.off[u + 1]; e++) {
      const v = scratch[g.dst[e]];
      if (v >= 0 && (g.kind[e] & mask) !== 0) {
        dst[w] = v;
        kind[w] = g.kind[e] & mask;
        w++;
      }
    }
  }
  off[k] = w;
  for (let j = 0; j < k; j++) scratch[nodes[j]] = -1;
  return { n: k, off, dst, kind };
}
