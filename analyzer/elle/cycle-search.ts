/**
 * Finding a short cycle of a given class inside one strongly connected component.
 *
 * Every cycle of a class contains an edge of the class's seed kind (ww for G0, wr for G1c, rw
 * for the rest), so we try seed edges u -> v in turn and look for the shortest way back from v
 * to u by breadth-first search over (node, state), where the state remembers what the class
 * needs to know about the path so far: whether the last edge was rw, whether an rw was seen or
 * two were adjacent, whether the required process / realtime edge was used. That is at most
 * 8 states per node, so one search is linear in the component. A seed is skipped at once when
 * u and v are not strongly connected through the class's allowed edges; for G-single, whose
 * way back has no rw edge, nodes that the topological order of the rw-free graph puts out of
 * reach are never expanded.
 *
 * The whole search is a pure function of typed arrays so that it runs unchanged on a worker.
 */
import { type CycleClass, classify, mildestKind } from './cycle-classes.js';
import { type Csr, PROCESS, REALTIME, RW, WR, WW } from './graph.js';
import { type Automaton, viableSeeds } from './product.js';
import { type Sccs, tarjan } from './scc.js';

/** A cycle found in one component, in its local node ids. */
export interface FoundCycle {
  /** Local node ids n0, n1, …, n(k-1); edge i goes n_i -> n_(i+1 mod k). */
  nodes: number[];
  /** The single kind each edge is read as. */
  kinds: number[];
}

/** The outcome of searching one component for one class. */
export interface ClassSearch {
  name: string;
  cycle?: FoundCycle;
  /** True when the budget ran out before every seed was tried (and nothing was found). */
  exhausted: boolean;
}

/** After the first cycle, try this many more seeds for a shorter one. */
const EXTRA_SEEDS = 16;

/** Components at least this large get the product-automaton seed filter. */
const PRODUCT_FILTER_MIN = 256;
/** At most this many automaton states per transaction (three bits). */
const MAX_STATES = 8;
const LAST_RW = 1;
const SECOND = 2; // nonadjacent: an rw seen on the way back; adjacent: two rw were adjacent
const NEED = 4;

/**
 * Searches component `g` (one strongly connected component, renumbered) for the shortest cycle
 * of each of `classes` it can find before `deadline` (ms since the epoch); one result per class,
 * in order. `productFilterMin`: components at least this large get the product filter (tests
 * lower it).
 */
export function searchComponent(g: Csr, classes: CycleClass[], deadline: number, productFilterMin = PRODUCT_FILTER_MIN): ClassSearch[] {
  const sccCache = new Map<number, Sccs>();
  const sccs = (mask: number): Sccs => {
    let s = sccCache.get(mask);
    if (s === undefined) sccCache.set(mask, (s = tarjan(g, mask)));
    return s;
  };
  return classes.map((c) => {
    const t = performance.now();
    const r = searchClass(g, c, deadline, sccs, scratchFor(g.n * MAX_STATES), productFilterMin);
    if (process.env.HINDSIGHT_PROFILE !== undefined && g.n > 1000) {
      process.stderr.write(`elle:   ${c.name} in ${g.n} txns: ${r.cycle ? `cycle of ${r.cycle.nodes.length}` : r.exhausted ? 'budget spent' : 'none'}, ${(performance.now() - t).toFixed(0)} ms\n`);
    }
    return r;
  });
}

/** BFS arrays, reused across components and classes; `gen` stamps make clearing unnecessary. */
let shared: Scratch | undefined;

function scratchFor(states: number): Scratch {
  if (shared === undefined || shared.stamp.length < states) {
    const cap = Math.max(states, (shared?.stamp.length ?? 0) * 2, 8192);
    shared = { stamp: new Uint32Array(cap), parent: new Int32Array(cap), parentKind: new Uint8Array(cap), queue: new Int32Array(cap), gen: 0 };
  }
  return shared;
}

interface Scratch {
  stamp: Uint32Array;
  parent: Int32Array;
  parentKind: Uint8Array;
  queue: Int32Array;
  gen: number;
}

/** A class's automaton over the way back (product.ts's Automaton) with its transition table. */
interface ClassAutomaton extends Automaton {
  /** trans[s * 32 + kinds]: the next state for an edge with those kinds, or -1. */
  trans: Int8Array;
}

/**
 * The states a way back from a seed can be in for class c, as bits (LAST_RW, SECOND, NEED),
 * keeping only the codes reachable from the initial one, numbered densely: most classes need
 * 2 or 4 states per transaction, not 8.
 */
function classAutomaton(c: CycleClass): ClassAutomaton {
  const acceptCode = (s: number): boolean => {
    if (c.need !== 0 && (s & NEED) === 0) return false;
    if (c.rw === 'nonadjacent') return (s & SECOND) !== 0 && (s & LAST_RW) === 0;
    if (c.rw === 'adjacent') return (s & SECOND) !== 0 || (s & LAST_RW) !== 0;
    return true;
  };
  /** Next state after an edge read as kind x, or -1 if the class forbids it. */
  const stepCode = (s: number, x: number): number => {
    if (x === RW) {
      if (c.rw === 'none' || c.rw === 'one') return -1;
      if (c.rw === 'nonadjacent') return (s & LAST_RW) !== 0 ? -1 : s | LAST_RW | SECOND;
      return (s & LAST_RW) !== 0 ? s | SECOND : s | LAST_RW;
    }
    let t = s & ~LAST_RW;
    if (x === c.need) t |= NEED;
    return t;
  };
  // Each edge is read as its mildest kind only: a cycle's class is decided by that reading, so
  // exploring other readings could only find cycles that classify as something else.
  const mild = new Uint8Array(32);
  for (let k = 0; k < 32; k++) mild[k] = mildestKind(k, c.allowed);
  const initCode = c.rw === 'nonadjacent' || c.rw === 'adjacent' ? LAST_RW : 0;
  const codes = [initCode];
  for (let i = 0; i < codes.length; i++) {
    for (const x of [WW, WR, RW, PROCESS, REALTIME]) {
      if ((x & c.allowed) === 0) continue;
      const t = stepCode(codes[i], x);
      if (t >= 0 && !codes.includes(t)) codes.push(t);
    }
  }
  const S = codes.length;
  const step = (si: number, x: number): number => {
    const t = stepCode(codes[si], x);
    return t < 0 ? -1 : codes.indexOf(t);
  };
  const accepting = (si: number): boolean => acceptCode(codes[si]);
  const trans = new Int8Array(S * 32).fill(-1);
  for (let si = 0; si < S; si++) for (let k = 0; k < 32; k++) if (mild[k] !== 0) trans[si * 32 + k] = step(si, mild[k]);
  return { S, init: 0, step, accepting, mild, seed: c.seed, trans };
}

/**
 * Which transactions a way back can end at (enterable: by an allowed edge within the component)
 * and start from (leavable). For G-nonadjacent neither end may be an rw edge, or it would sit
 * next to the rw seed.
 */
function cycleEnds(g: Csr, comp: Int32Array, mild: Uint8Array, noRwAtEnds: boolean): { enterable: Uint8Array; leavable: Uint8Array } {
  const { n, off, dst, kind } = g;
  const enterable = new Uint8Array(n);
  const leavable = new Uint8Array(n);
  for (let x = 0; x < n; x++) {
    for (let f = off[x]; f < off[x + 1]; f++) {
      const k = mild[kind[f]];
      if (k === 0 || (noRwAtEnds && k === RW) || comp[x] !== comp[dst[f]]) continue;
      enterable[dst[f]] = 1;
      leavable[x] = 1;
    }
  }
  return { enterable, leavable };
}

/** What the breadth-first searches of one class share: the graph, the pruning, the scratch arrays and the work done so far. */
interface ClassWalk {
  g: Csr;
  c: CycleClass;
  a: ClassAutomaton;
  comp: Int32Array;
  /** The rw-free graph's components (topological order), for classes whose way back has no rw edge. */
  order: Int32Array | undefined;
  scratch: Scratch;
  deadline: number;
  /** Search states expanded (the clock is read every 4096). */
  work: number;
}

function searchClass(g: Csr, c: CycleClass, deadline: number, sccs: (mask: number) => Sccs, scratch: Scratch, productFilterMin: number): ClassSearch {
  const { n, off, dst, kind } = g;
  const comp = sccs(c.allowed).comp;
  // For 'one' the way back avoids rw: order pruning by the rw-free graph's components.
  const order = c.rw === 'one' || c.rw === 'none' ? sccs(c.allowed & ~RW).comp : undefined;
  const a = classAutomaton(c);
  const walk: ClassWalk = { g, c, a, comp, order, scratch, deadline, work: 0 };
  const { enterable, leavable } = cycleEnds(g, comp, a.mild, c.rw === 'nonadjacent');
  // Seeds that cannot close a cycle at all, by one Tarjan over the product with the class's
  // automaton (product.ts): an absent class costs one linear pass, not a search per seed.
  // (Small components skip it: trying their few seeds directly is cheaper than the product.)
  const viable = n >= productFilterMin ? viableSeeds(g, comp, a) : undefined;
  let best: FoundCycle | undefined;
  let extra = 0;
  let exhausted = false;
  // In big components, visit seeds in a scattered order: neighbouring transactions tend to
  // share their fate, so trying them in history order can fail many times in a row.
  const stride = n < 1024 ? 1 : coprimeStride(n);
  seeds: for (let i = 0, u = 0; i < n; i++, u = (u + stride) % n) {
    if (!enterable[u]) continue;
    for (let e = off[u]; e < off[u + 1]; e++) {
      if (viable !== undefined ? !viable[e] : a.mild[kind[e]] !== c.seed) continue;
      const v = dst[e];
      if (comp[u] !== comp[v] || !leavable[v]) continue;
      if (order !== undefined && order[v] < order[u]) continue;
      if (Date.now() > deadline) {
        exhausted = best === undefined;
        break seeds;
      }
      // Once a cycle is known, only a shorter one is worth finding: bound the depth.
      const cycle = wayBack(walk, u, e, best === undefined ? n * a.S : best.nodes.length - 2);
      // After the first cycle, every seed tried counts towards the few extra ones.
      if (best !== undefined) extra++;
      if (cycle !== undefined && (best === undefined || cycle.nodes.length < best.nodes.length)) best = cycle;
      if (best !== undefined && (best.nodes.length <= 2 || extra > EXTRA_SEEDS || (best.nodes.length <= 3 && extra > 2))) break seeds;
    }
  }
  return { name: c.name, cycle: best, exhausted: best === undefined && exhausted };
}

/**
 * The shortest way back from seed edge e = u -> v to u, by breadth-first search over
 * (transaction, state) up to `maxDepth` levels: the first arrival at u in an accepting state
 * whose walk is a simple cycle of the class, or undefined.
 */
function wayBack(walk: ClassWalk, u: number, e: number, maxDepth: number): FoundCycle | undefined {
  const { g, c, a, comp, order, scratch, deadline } = walk;
  const { off, dst, kind } = g;
  const { S, trans, mild } = a;
  const { stamp, parent, parentKind, queue } = scratch;
  const v = dst[e];
  const gen = ++scratch.gen;
  const start = v * S + a.init;
  stamp[start] = gen;
  parent[start] = -1;
  let qh = 0;
  let qt = 0;
  queue[qt++] = start;
  let cycle: FoundCycle | undefined;
  let depth = 0;
  let levelEnd = qt;
  while (qh < qt && cycle === undefined) {
    if (qh === levelEnd) {
      if (++depth >= maxDepth) break;
      levelEnd = qt;
    }
    const cur = queue[qh++];
    if ((++walk.work & 4095) === 0 && Date.now() > deadline) break;
    const x = (cur / S) | 0;
    const s = cur - x * S;
    for (let f = off[x]; f < off[x + 1] && cycle === undefined; f++) {
      const y = dst[f];
      // A simple cycle passes v once (it starts there) and u once (it ends there).
      if (y === v || comp[y] !== comp[u]) continue;
      if (order !== undefined && order[y] < order[u]) continue;
      const t = trans[s * 32 + kind[f]];
      if (t < 0) continue;
      if (y === u) {
        // Arrivals at u are not marked, so that a walk that repeats a transaction (not a
        // simple cycle) does not hide a later, simple one.
        if (a.accepting(t)) cycle = reconstruct(g, c, u, e, cur, parent, S);
        continue;
      }
      const ns = y * S + t;
      if (stamp[ns] === gen) continue;
      stamp[ns] = gen;
      parent[ns] = cur;
      parentKind[ns] = mild[kind[f]];
      queue[qt++] = ns;
    }
  }
  return cycle;
}

/** A step in [n/2, n) coprime with n, to visit 0..n-1 in a scattered order. */
function coprimeStride(n: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let s = Math.floor(n * 0.618) | 1;
  while (gcd(s, n) !== 1) s += 2;
  return s;
}

/**
 * The cycle u -> v ⇝ x -> u, where `last` is x's search state (its parents lead back to v),
 * re-read edge by edge in its mildest kinds; undefined if it is not simple or not of class c.
 */
function reconstruct(g: Csr, c: CycleClass, u: number, seedEdge: number, last: number, parent: Int32Array, S: number): FoundCycle | undefined {
  const back: number[] = [];
  for (let s = last; s >= 0; s = parent[s]) back.push((s / S) | 0);
  const nodes = [u, ...back.reverse()]; // u, v, …, x
  if (new Set(nodes).size !== nodes.length) return undefined;
  const kinds: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const a = nodes[i];
    const b = nodes[(i + 1) % nodes.length];
    kinds.push(mildestKind(i === 0 ? g.kind[seedEdge] : kindsOf(g, a, b), c.allowed));
  }
  if (classify(kinds) !== c.name) return undefined;
  return { nodes, kinds };
}

function kindsOf(g: Csr, a: number, b: number): number {
  let k = 0;
  for (let e = g.off[a]; e < g.off[a + 1]; e++) if (g.dst[e] === b) k |= g.kind[e];
  return k;
}
