/**
 * The longest partial linearizations the search reached, kept for the explanation of a failure
 * (Knossos's `:final-paths`, Porcupine's partial linearizations). "How far" a configuration got
 * is the number of determinate ops, from id 0 on (ids are in completion order), that are all
 * linearized: Knossos's highest contiguous entry. The op after them is the one reported failing.
 */

/** Up to this many paths reaching the furthest point are kept. */
export const MAX_PATHS = 4;

/** How many determinate ops from id 0 on are all linearized (the lowest clear bit). */
export function reached(bits: Uint32Array, determinate: number): number {
  let w = 0;
  const words = (determinate + 31) >>> 5;
  while (w < words && bits[w] === 0xffffffff) w++;
  if (w === words) return determinate;
  const free = ~bits[w] & -~bits[w];
  return Math.min(determinate, w * 32 + 31 - Math.clz32(free));
}

/** The furthest point reached and up to MAX_PATHS stacks that reached it, copied into typed arrays (no allocation per lift). */
export class KeptPaths {
  best = -1;
  private count = 0;
  private readonly ops: Int32Array;
  private readonly length = new Int32Array(MAX_PATHS);

  constructor(private readonly n: number) {
    this.ops = new Int32Array(MAX_PATHS * n);
  }

  /** After a lift: keeps the stack if it got further than any before (or as far, while there is room). */
  offer(bits: Uint32Array, determinate: number, stack: Int32Array, depth: number): void {
    const r = reached(bits, determinate);
    if (r > this.best) {
      this.best = r;
      this.keep(0, stack, depth);
      this.count = 1;
    } else if (r === this.best && this.count < MAX_PATHS) this.keep(this.count++, stack, depth);
  }

  /** The kept paths that linearized every determinate op before the failing one (the ones worth showing). */
  paths(determinate: number): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.count; i++) {
      const p = Array.from(this.ops.subarray(i * this.n, i * this.n + this.length[i]));
      const have = new Set(p);
      let all = true;
      for (let k = 0; k < Math.min(this.best, determinate) && all; k++) all = have.has(k);
      if (all) out.push(p);
    }
    return out;
  }

  private keep(slot: number, stack: Int32Array, depth: number): void {
    this.ops.set(stack.subarray(0, depth), slot * this.n);
    this.length[slot] = depth;
  }
}
