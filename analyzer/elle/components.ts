/**
 * The cycle search over the whole dependency graph, component by component: split it into
 * strongly connected components (a cycle lies within one), then search each component with
 * more than one transaction for the smallest cycle of each class asked for (cycle-search.ts).
 * Small components are searched here; large ones go to piscina workers (cycle-worker.ts), one
 * task per (component, class), so that two cores search two classes of one huge component at
 * once.
 */
import { FallbackPool } from '../util/fallback-pool.js';
import { workerModule } from '../util/workers.js';
import { type CycleClass, mildestKind } from './cycle-classes.js';
import type { ComponentTask } from './cycle-worker.js';
import { type ClassSearch, type FoundCycle, searchComponent } from './cycle-search.js';
import type { Csr } from './graph.js';
import { type Sccs, induced, tarjan } from './scc.js';

/** Components at least this large are searched on workers (when workers > 1). */
export const WORKER_THRESHOLD = 2000;
/** At most this many example cycles per class. */
const MAX_CYCLES = 8;

/** A cycle found, in the whole graph's transaction ids. */
export interface GlobalCycle {
  /** Transaction ids. */
  nodes: number[];
  kinds: number[];
}

/** What the search found: example cycles per class, classes left unknown, and the components' shape. */
export interface CycleSearchResult {
  cycles: Map<string, GlobalCycle[]>;
  /** Class -> sizes of components whose budget ran out with no cycle of that class found. */
  unknown: Map<string, number[]>;
  components: number;
  largest: number;
}

/** How to search: the deadline (ms since the epoch), the workers, progress. */
export interface SearchOptions {
  deadline: number;
  workers: number;
  /** Called as each strongly connected component (of more than one transaction) is done, with how many are and how many there are. */
  onComponentDone?: (done: number, total: number) => void;
  /** Components at least this large go to workers (default WORKER_THRESHOLD; tests lower it). */
  workerThreshold?: number;
  /** The worker module (default cycle-worker next to this file); tests point it at one that fails. */
  workerFilename?: string;
}

/**
 * Finds up to MAX_CYCLES short cycles of each class in `classes` in `g`: splits it into strongly
 * connected components, searches the large ones on workers and the small ones here, until
 * `opts.deadline`. Cycles come shortest first; a class whose search ran out of time in some
 * component, with nothing found, is listed under `unknown` with those components' sizes.
 */
export async function findCycles(g: Csr, classes: CycleClass[], opts: SearchOptions): Promise<CycleSearchResult> {
  const result: CycleSearchResult = { cycles: new Map(), unknown: new Map(), components: 0, largest: 0 };
  if (classes.length === 0) return result;
  const mask = classes.reduce((m, c) => m | c.allowed, 0);
  const sccs = tarjan(g, mask);
  const nontrivial: number[] = [];
  for (let c = 0; c < sccs.count; c++) if (sccs.size[c] > 1) nontrivial.push(c);
  if (nontrivial.length === 0) return result; // acyclic: the common case of a valid history
  const alive = liveClasses(g, classes, sccs.comp, sccs.count);
  const { start, members } = componentMembers(sccs, g.n);
  const scratch = new Int32Array(g.n).fill(-1);
  const record = (nodes: Int32Array, size: number, found: ClassSearch[]): void => recordSearches(result, nodes, size, found);
  // A task whose worker failed (or that was aborted after another one did) is searched here.
  let pool: FallbackPool<ComponentTask, ClassSearch[]> | undefined;
  const pending: Promise<void>[] = [];
  // Large components go to the workers first; then the small ones are searched here, smallest
  // first (their cycles are the shortest to read), each only for the classes that still lack
  // examples.
  const threshold = opts.workerThreshold ?? WORKER_THRESHOLD;
  const isLarge = (c: number) => opts.workers > 1 && sccs.size[c] >= threshold;
  const large = nontrivial.filter(isLarge);
  const small = nontrivial.filter((c) => !isLarge(c)).sort((a, b) => sccs.size[a] - sccs.size[b]);
  const enough = (name: string) => (result.cycles.get(name)?.length ?? 0) >= MAX_CYCLES;
  let componentsDone = 0;
  const componentDone = (): void => opts.onComponentDone?.(++componentsDone, nontrivial.length);
  for (const c of [...large, ...small]) {
    const size = sccs.size[c];
    result.components++;
    if (size > result.largest) result.largest = size;
    const wanted = classes.filter((cls, i) => alive[i][c] === 1 && !enough(cls.name));
    if (wanted.length === 0) {
      componentDone();
      continue;
    }
    const nodes = members.subarray(start[c], start[c + 1]);
    const local = induced(g, nodes, mask, scratch);
    if (isLarge(c) && pool?.broken !== true) {
      if (pool === undefined) {
        const module = workerModule(import.meta.url, 'cycle-worker');
        pool = new FallbackPool({ filename: opts.workerFilename ?? module.filename, execArgv: module.execArgv, maxThreads: opts.workers });
      }
      const p = pool;
      const tasks = wanted.map(async (cls) => {
        const task: ComponentTask = { n: local.n, off: local.off, dst: local.dst, kind: local.kind, classes: [cls.name], deadline: opts.deadline };
        record(nodes, size, (await p.run(task)) ?? searchComponent(local, [cls], opts.deadline));
      });
      pending.push(Promise.all(tasks).then(componentDone));
    } else {
      record(nodes, size, searchComponent(local, wanted, opts.deadline));
      componentDone();
    }
  }
  try {
    await Promise.all(pending);
  } finally {
    if (pool !== undefined) await pool.destroy();
  }
  for (const list of result.cycles.values()) list.sort((a, b) => a.nodes.length - b.nodes.length);
  return result;
}

/** Members of each non-trivial component, ascending: component c's are members[start[c] .. start[c+1]). */
function componentMembers(sccs: Sccs, n: number): { start: Int32Array; members: Int32Array } {
  const start = new Int32Array(sccs.count + 1);
  for (let c = 0; c < sccs.count; c++) start[c + 1] = start[c] + (sccs.size[c] > 1 ? sccs.size[c] : 0);
  const members = new Int32Array(start[sccs.count]);
  const fill = start.slice(0, sccs.count);
  for (let u = 0; u < n; u++) {
    const c = sccs.comp[u];
    if (sccs.size[c] > 1) members[fill[c]++] = u;
  }
  return { start, members };
}

/** Adds one component's searches (`nodes` its transactions) to `result`: its cycles, or its size where a class ran out of time. */
function recordSearches(result: CycleSearchResult, nodes: Int32Array, size: number, found: ClassSearch[]): void {
  for (const f of found) {
    if (f.cycle !== undefined) {
      let list = result.cycles.get(f.name);
      if (list === undefined) result.cycles.set(f.name, (list = []));
      if (list.length < MAX_CYCLES) list.push(globalCycle(nodes, f.cycle));
    } else if (f.exhausted) {
      let list = result.unknown.get(f.name);
      if (list === undefined) result.unknown.set(f.name, (list = []));
      list.push(size);
    }
  }
}

/**
 * For each class, the components (of the union mask) that may hold one of its cycles: those
 * with a seed edge (read in its mildest kind) whose ends are strongly connected through the
 * class's own allowed edges. One Tarjan per distinct mask over the whole graph; classes absent
 * everywhere (G0 in most histories) then cost nothing per component.
 */
function liveClasses(g: Csr, classes: CycleClass[], comp: Int32Array, count: number): Uint8Array[] {
  const byMask = new Map<number, Int32Array>();
  return classes.map((c) => {
    let own = byMask.get(c.allowed);
    if (own === undefined) byMask.set(c.allowed, (own = tarjan(g, c.allowed).comp));
    const mild = new Uint8Array(32);
    for (let k = 0; k < 32; k++) mild[k] = mildestKind(k, c.allowed);
    const out = new Uint8Array(count);
    for (let u = 0; u < g.n; u++) {
      if (out[comp[u]]) continue;
      for (let e = g.off[u]; e < g.off[u + 1]; e++) {
        if (mild[g.kind[e]] === c.seed && own[u] === own[g.dst[e]]) {
          out[comp[u]] = 1;
          break;
        }
      }
    }
    return out;
  });
}

function globalCycle(nodes: Int32Array, c: FoundCycle): GlobalCycle {
  return { nodes: c.nodes.map((j) => nodes[j]), kinds: c.kinds };
}
