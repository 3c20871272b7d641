/**
 * A small seeded PRNG (mulberry32): a generated history is a pure function of its options, so
 * the same seed gives the same bytes on every machine and Node version (no Math.random).
 */
export class Rng {
  private s: number;
  constructor(seed: number) {
    // Mix the seed once so that seeds 0, 1, 2… do not start in nearby states.
    this.s = Math.imul((seed ^ 0x9e3779b9) >>> 0, 0x85ebca6b) >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}
