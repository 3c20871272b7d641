/**
 * The cycle anomalies and how a cycle's edges classify it (Adya; Elle 0.2.7's naming):
 *   G0                  only ww edges (write cycle)
 *   G1c                 ww and wr edges, at least one wr (circular information flow)
 *   G-single-item       exactly one rw edge (read skew and friends)
 *   G-nonadjacent-item  several rw edges, no two adjacent (also around the end of the cycle)
 *   G2-item             rw edges, some two adjacent (write skew)
 * Every anti-dependency these workloads infer is on an item (there are no predicate reads), so
 * the rw cycles are the `-item` forms, as Elle names them; `G-single` and `G-nonadjacent`, which
 * they imply, are what `--anomalies` may still ask for.
 * and each with `-process` (the cycle needs at least one process edge) or `-realtime` (at
 * least one realtime edge; process edges allowed too).
 *
 * An edge may have several kinds (T2 both overwrote and read past T1's version); a cycle is
 * classified by its mildest reading: each edge taken as ww, else wr, else rw, else process,
 * else realtime.
 */
import { DATA, PROCESS, REALTIME, RW, WR, WW } from './graph.js';

/** How many rw edges a class's cycles have: none, exactly one, several but none adjacent, or some adjacent. */
export type RwRule = 'none' | 'one' | 'nonadjacent' | 'adjacent';

/** A cycle anomaly: which edge kinds its cycles may use and which they must have. */
export interface CycleClass {
  name: string;
  /** Edge kinds the cycle may use. */
  allowed: number;
  /** Every cycle of the class has an edge of this kind: searches start from one. */
  seed: number;
  rw: RwRule;
  /** A kind the rest of the cycle must include (PROCESS / REALTIME), or 0. */
  need: number;
}

const BASE: { name: string; allowed: number; seed: number; rw: RwRule }[] = [
  { name: 'G0', allowed: WW, seed: WW, rw: 'none' },
  { name: 'G1c', allowed: WW | WR, seed: WR, rw: 'none' },
  { name: 'G-single-item', allowed: DATA, seed: RW, rw: 'one' },
  { name: 'G-nonadjacent-item', allowed: DATA, seed: RW, rw: 'nonadjacent' },
  { name: 'G2-item', allowed: DATA, seed: RW, rw: 'adjacent' },
];

/** Every cycle class: the five base ones, each also in its -process and -realtime forms. */
export const CYCLE_CLASSES: CycleClass[] = BASE.flatMap((b) => [
  { ...b, need: 0 },
  { ...b, name: `${b.name}-process`, allowed: b.allowed | PROCESS, need: PROCESS },
  { ...b, name: `${b.name}-realtime`, allowed: b.allowed | PROCESS | REALTIME, need: REALTIME },
]);

/** The names of CYCLE_CLASSES. */
export const CYCLE_CLASS_NAMES = CYCLE_CLASSES.map((c) => c.name);

/** The cycle class called `name`, or undefined. */
export function cycleClass(name: string): CycleClass | undefined {
  return CYCLE_CLASSES.find((c) => c.name === name);
}

/** The mildest single kind among `kinds` within `allowed`. */
export function mildestKind(kinds: number, allowed: number): number {
  const k = kinds & allowed;
  for (const x of [WW, WR, RW, PROCESS, REALTIME]) if (k & x) return x;
  return 0;
}

/** Classifies a cycle given each edge's single kind (edge i goes from node i to node i+1). */
export function classify(kinds: readonly number[]): string {
  let rw = 0;
  let wr = 0;
  let adjacent = false;
  let process = false;
  let realtime = false;
  for (let i = 0; i < kinds.length; i++) {
    const k = kinds[i];
    if (k === RW) {
      rw++;
      if (kinds[(i + kinds.length - 1) % kinds.length] === RW) adjacent = true;
    } else if (k === WR) wr++;
    else if (k === PROCESS) process = true;
    else if (k === REALTIME) realtime = true;
  }
  const base = rw === 0 ? (wr === 0 ? 'G0' : 'G1c') : rw === 1 ? 'G-single-item' : adjacent ? 'G2-item' : 'G-nonadjacent-item';
  return realtime ? `${base}-realtime` : process ? `${base}-process` : base;
}
