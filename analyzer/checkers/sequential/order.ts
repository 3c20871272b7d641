/**
 * Deciding sequential consistency of a register with unique writes, without search.
 *
 * In any total order of a register's ops, every write starts an *epoch*: the write, then the
 * reads of its value, until the next write. Unique writes make each read's epoch known (the
 * one of the write of its value), and a cas [a b] both ends a's epoch and writes b, so it ties
 * b's epoch right after a's. Following those ties from each plain write (and from the initial
 * value, whose epoch comes first) splits the epochs into *chains*: runs of epochs that must be
 * adjacent, in a known order. What is left to choose is the order of the chains.
 *
 * Each process's ops must appear in its own order. Within a chain that is a fixed check: an
 * op's rank (2·epoch for the write that opens it, 2·epoch+1 for its reads) may never go down
 * along a process. Between chains it is a constraint "chain D before chain C" whenever a
 * process does an op of D and later one of C. A chain can go next exactly when, in every
 * process, all its remaining ops come before any other chain's remaining ops; committing such
 * a chain is always safe (moving it to the front of any valid order keeps the order valid), so
 * a greedy schedule finds an order when one exists. When none can go next, every remaining
 * chain waits for another, and following those waits gives a cycle: the evidence.
 *
 * Each process's ops are grouped into *runs* of consecutive ops of one chain; a chain is ready
 * when each of its runs is the front run of its process. Committing a chain pops its runs, so
 * the whole schedule is linear in the number of ops.
 */
import { CAS, INITIAL, READ, type RegisterOps, WRITE } from './ops.js';

/** "process did `before` and later `after`", which puts `before`'s chain first. */
export interface OrderStep {
  process: number;
  before: number;
  after: number;
}

/** What `sequentialOrder` decides; `ops`, `before` and `after` are ids of `RegisterOps`' kept ops. */
export type SequentialVerdict =
  /** `order`, when asked for: every kept op in one total order that shows it (a certificate's). */
  | { valid: true; chains: number; order?: number[] }
  /** Writes are not unique (or write the initial value): this checker cannot decide. */
  | { valid: 'unknown'; reason: string; ops: number[] }
  | { valid: false; anomaly: 'unwritten-read'; ops: number[] }
  | { valid: false; anomaly: 'competing-cas'; ops: number[] }
  | { valid: false; anomaly: 'cas-cycle'; ops: number[] }
  /** Within one chain a process went back to an older epoch (or wrote after reading a newer value). */
  | { valid: false; anomaly: 'process-order'; ops: number[] }
  /** Chains that must each come before the next, round a cycle; steps[i].after and steps[i+1].before are in one chain. */
  | { valid: false; anomaly: 'cycle'; steps: OrderStep[] }
  /** The initial value's reads must come first, but a process read it after another chain's op. */
  | { valid: false; anomaly: 'initial-read-after-write'; steps: OrderStep[] };

/**
 * Decides sequential consistency of `ops` (see this file's header), in time linear in their
 * number: true with the chain count (and with `withOrder`, the order found), or an anomaly with
 * its evidence.
 */
export function sequentialOrder(ops: RegisterOps, withOrder = false): SequentialVerdict {
  const { n, kind, value, value2 } = ops;
  const nValues = ops.values.length;

  // Writers: one per value; the initial value has none.
  const writer = new Int32Array(nValues).fill(-1);
  for (let k = 0; k < n; k++) {
    if (kind[k] === READ) continue;
    const w = kind[k] === CAS ? value2[k] : value[k];
    if (w === INITIAL) return { valid: 'unknown', reason: 'an op writes the initial value nil; writes must be unique', ops: [k] };
    if (writer[w] >= 0) return { valid: 'unknown', reason: `value written more than once; writes must be unique`, ops: [writer[w], k] };
    writer[w] = k;
  }
  // Reads (and cas expectations) of values nobody wrote; cas successors.
  const successor = new Int32Array(nValues).fill(-1);
  for (let k = 0; k < n; k++) {
    if (kind[k] === WRITE) continue;
    const v = value[k];
    if (v !== INITIAL && writer[v] < 0) return { valid: false, anomaly: 'unwritten-read', ops: [k] };
    if (kind[k] === CAS) {
      if (successor[v] >= 0) return { valid: false, anomaly: 'competing-cas', ops: [successor[v], k] };
      successor[v] = k;
    }
  }

  // Chains: from the initial value and from each plain write, follow cas successors.
  const chainOf = new Int32Array(nValues).fill(-1);
  const epochOf = new Int32Array(nValues);
  let chains = 0;
  const walk = (head: number) => {
    const c = chains++;
    let v = head;
    for (let e = 0; ; e++) {
      chainOf[v] = c;
      epochOf[v] = e;
      const s = successor[v];
      if (s < 0) break;
      v = value2[s];
    }
  };
  walk(INITIAL);
  for (let k = 0; k < n; k++) if (kind[k] === WRITE) walk(value[k]);
  for (let v = 1; v < nValues; v++) {
    if (writer[v] >= 0 && chainOf[v] < 0) return { valid: false, anomaly: 'cas-cycle', ops: casLoop(ops, writer, v) };
  }

  const chain = new Int32Array(n);
  const rank = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const v = kind[k] === CAS ? value2[k] : value[k];
    chain[k] = chainOf[v];
    rank[k] = 2 * epochOf[v] + (kind[k] === READ ? 1 : 0);
  }

  // Runs per process, in process (= history) order.
  const byProcess = new Map<number, number[]>();
  for (let k = 0; k < n; k++) {
    let list = byProcess.get(ops.process[k]);
    if (list === undefined) byProcess.set(ops.process[k], (list = []));
    list.push(k);
  }
  const runChain: number[] = [];
  const runFirst: number[] = [];
  const procFront: number[] = [];
  const procEnd: number[] = [];
  const runsLeft = new Int32Array(chains);
  const runsOfChain: number[][] = Array.from({ length: chains }, () => []);
  for (const list of byProcess.values()) {
    procFront.push(runChain.length);
    for (let j = 0; j < list.length; j++) {
      const k = list[j];
      if (j > 0 && chain[list[j - 1]] === chain[k]) {
        const prev = list[j - 1];
        // Within a chain, ranks never go down along a process; equal ranks only for reads of one epoch.
        if (rank[prev] > rank[k] || (rank[prev] === rank[k] && kind[k] !== READ)) {
          return { valid: false, anomaly: 'process-order', ops: [prev, k] };
        }
        continue;
      }
      runsOfChain[chain[k]].push(runChain.length);
      runChain.push(chain[k]);
      runFirst.push(k);
      runsLeft[chain[k]]++;
    }
    procEnd.push(runChain.length);
  }
  const nProc = procFront.length;
  const procOfRun = new Int32Array(runChain.length);
  for (let p = 0; p < nProc; p++) for (let r = procFront[p]; r < procEnd[p]; r++) procOfRun[r] = p;

  const atFront = new Int32Array(chains);
  for (let p = 0; p < nProc; p++) if (procFront[p] < procEnd[p]) atFront[runChain[procFront[p]]]++;
  const committed = new Uint8Array(chains);
  const ready: number[] = [];
  const sequence: number[] = [];
  const commit = (c: number) => {
    committed[c] = 1;
    if (withOrder) sequence.push(c);
    for (const r of runsOfChain[c]) {
      const p = procOfRun[r];
      const next = ++procFront[p];
      if (next < procEnd[p]) {
        const d = runChain[next];
        if (++atFront[d] === runsLeft[d] && committed[d] === 0) ready.push(d);
      }
    }
  };

  // The initial value's chain comes first.
  if (atFront[0] !== runsLeft[0]) {
    return { valid: false, anomaly: 'initial-read-after-write', steps: [waitStep(0)] };
  }
  commit(0);
  let done = 1;
  for (let c = 1; c < chains; c++) if (atFront[c] === runsLeft[c]) ready.push(c);
  while (ready.length > 0) {
    const c = ready.pop()!;
    if (committed[c]) continue;
    commit(c);
    done++;
  }
  if (done === chains) return withOrder ? { valid: true, chains, order: totalOrder(sequence, chains, chain, rank) } : { valid: true, chains };

  // Every remaining chain waits for another: follow the waits to a cycle.
  let start = 0;
  while (committed[start]) start++;
  const seenAt = new Map<number, number>();
  const path: OrderStep[] = [];
  let c = start;
  while (!seenAt.has(c)) {
    seenAt.set(c, path.length);
    const step = waitStep(c);
    path.push(step);
    c = chain[step.before];
  }
  return { valid: false, anomaly: 'cycle', steps: path.slice(seenAt.get(c)!).reverse() };

  /** Why chain c cannot go next: a process whose front run (or a run before c's) is another chain's. */
  function waitStep(c: number): OrderStep {
    for (const r of runsOfChain[c]) {
      const p = procOfRun[r];
      for (let q = procFront[p]; q < r; q++) {
        if (runChain[q] !== c) return { process: ops.process[runFirst[r]], before: lastOfRun(q), after: runFirst[r] };
      }
    }
    throw new Error('sequential: a chain that is not ready has no run behind another chain');
  }

  function lastOfRun(q: number): number {
    const p = procOfRun[q];
    const list = byProcess.get(ops.process[runFirst[q]])!;
    const nextFirst = q + 1 < procEnd[p] ? runFirst[q + 1] : -1;
    // The run's last op is the one just before the next run's first op in this process.
    if (nextFirst < 0) return list[list.length - 1];
    return list[list.indexOf(nextFirst) - 1];
  }
}

/**
 * The kept ops in the order the chains were committed, each chain's by rank (its epochs in
 * order, each write before its reads) and then history order, which keeps each process's order.
 */
function totalOrder(sequence: readonly number[], chains: number, chain: Int32Array, rank: Int32Array): number[] {
  const byChain: number[][] = sequence.map(() => []);
  const at = new Int32Array(chains);
  sequence.forEach((c, j) => (at[c] = j));
  for (let k = 0; k < chain.length; k++) byChain[at[chain[k]]].push(k);
  return byChain.flatMap((ks) => ks.sort((a, b) => rank[a] - rank[b] || a - b));
}

/** The cas ops of a loop of cas writes that no plain write starts (a → b → … → a). */
function casLoop(ops: RegisterOps, writer: Int32Array, v: number): number[] {
  const seen = new Set<number>();
  const loop: number[] = [];
  while (!seen.has(v)) {
    seen.add(v);
    const w = writer[v];
    loop.push(w);
    v = ops.value[w];
  }
  return loop.reverse();
}
