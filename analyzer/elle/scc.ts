/**
 * Strongly connected components by an iterative Tarjan over a CSR graph, following only edges
 * whose kinds intersect `mask`. Recursion would overflow the stack on long paths (a history
 * is one long path of realtime edges), so the DFS keeps its own stack of (node, next edge).
 *
 * Component ids come out in reverse topological order of the condensation: an edge between
 * different components goes from a higher id to a lower one.
 */
import type { Csr } from './graph.js';

export interface Sccs {
  /** Component id per node. */
  comp: Int32Array;
  count: number;
  size: Int32Array;
}

/** Scratch arrays reused across calls (many small components would otherwise cost many allocations). */
let work = { cap: 0, index: new Int32Array(0), low: new Int32Array(0), onStack: new Uint8Array(0), stack: new Int32Array(0), callNode: new Int32Array(0), callEdge: new Int32Array(0) };

function workspace(n: number): typeof work {
  if (work.cap < n) {
    const cap = Math.max(n, work.cap * 2, 1024);
    work = { cap, index: new Int32Array(cap), low: new Int32Array(cap), onStack: new Uint8Array(cap), stack: new Int32Array(cap), callNode: new Int32Array(cap), callEdge: new Int32Array(cap) };
  }
  return work;
}

export function tarjan(g: Csr, mask: number): Sccs {
  const n = g.n;
  const { off, dst, kind } = g;
  const { index, low, onStack, stack, callNode, callEdge } = workspace(n);
  index.fill(-1, 0, n);
  onStack.fill(0, 0, n);
  const comp = new Int32Array(n).fill(-1);
  let sp = 0;
  let depth = 0;
  let counter = 0;
  let count = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    callNode[0] = root;
    callEdge[0] = off[root];
    depth = 1;
    while (depth > 0) {
      const u = callNode[depth - 1];
      let e = callEdge[depth - 1];
      const end = off[u + 1];
      let descended = false;
      while (e < end) {
        if ((kind[e] & mask) === 0) {
          e++;
          continue;
        }
        const v = dst[e];
        e++;
        if (index[v] < 0) {
          callEdge[depth - 1] = e;
          index[v] = low[v] = counter++;
          stack[sp++] = v;
          onStack[v] = 1;
          callNode[depth] = v;
          callEdge[depth] = off[v];
          depth++;
          descended = true;
          break;
        } else if (onStack[v] && index[v] < low[u]) {
          low[u] = index[v];
        }
      }
      if (descended) continue;
      // u is finished.
      if (low[u] === index[u]) {
        let w: number;
        do {
          w = stack[--sp];
          onStack[w] = 0;
          comp[w] = count;
        } while (w !== u);
        count++;
      }
      depth--;
      if (depth > 0) {
        const p = callNode[depth - 1];
        if (low[u] < low[p]) low[p] = low[u];
      }
    }
  }
  const size = new Int32Array(count);
  for (let u = 0; u < n; u++) size[comp[u]]++;
  return { comp, count, size };
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
