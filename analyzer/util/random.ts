/**
 * The project's one seeded PRNG (mulberry32): generated histories, simulations and randomized
 * tests are pure functions of their seed, so the same seed gives the same bytes on every
 * machine and Node version (no Math.random). Analyzer, recorder, bench and tests all draw here;
 * there is no other generator in the project.
 */

/**
 * How a seed becomes the generator's state. 'mixed' (the default, as `hindsight gen` always
 * did) hashes it once so that seeds 0, 1, 2… do not start in nearby states. 'raw' uses the
 * seed itself: the recorder and the Elle simulator always seeded that way, and their tests
 * pick seeds for what those seeds happen to produce.
 */
export type Seeding = 'mixed' | 'raw';

/** A stream of uniform numbers, a pure function of its seed. */
export class SeededRandom {
  private s: number;
  /** The stream for `seed` (any number; used as a 32-bit word), seeded as `seeding` says. */
  constructor(seed: number, seeding: Seeding = 'mixed') {
    this.s = seeding === 'raw' ? seed >>> 0 : Math.imul((seed ^ 0x9e3779b9) >>> 0, 0x85ebca6b) >>> 0;
  }
  /** Uniform 32-bit word in [0, 2^32). */
  uint32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** A stream's `next` as a bare function, for APIs that take `() => number` (the recorder's `Random`). */
export function randomFunction(seed: number, seeding: Seeding = 'mixed'): () => number {
  const r = new SeededRandom(seed, seeding);
  return () => r.next();
}
