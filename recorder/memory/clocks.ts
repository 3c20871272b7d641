/**
 * The simulated nodes' clocks: each node's clock is true time plus a skew that clock faults set
 * (a bump held until reset, or a strobe flipping between +ms and −ms every period). The correct
 * database reads no clock; only the `clock-lease` bug judges leases and leaders by them.
 */
export class NodeClocks {
  /** Each node's skew in ms (ahead when positive). */
  private readonly offset: number[];
  private readonly strobes = new Map<number, { ms: number; periodMs: number; since: number }>();

  constructor(nodes: number) {
    this.offset = new Array<number>(nodes).fill(0);
  }

  /** Node i's skew now (ms ahead of true time; behind when negative). */
  skew(i: number): number {
    return this.offset[i];
  }

  /** Moves strobing clocks on to time `now` (called every tick). */
  tick(now: number): void {
    for (const [i, st] of this.strobes) this.offset[i] = Math.floor((now - st.since) / st.periodMs) % 2 === 0 ? st.ms : -st.ms;
  }

  /** Sets node i's clock `ms` ahead of true time (behind when negative), held until reset. */
  bump(i: number, ms: number): void {
    this.strobes.delete(i);
    this.offset[i] = ms;
  }

  /** Flips node i's clock between `ms` ahead and `ms` behind every `periodMs`, from `now`, until reset. */
  strobe(i: number, ms: number, periodMs: number, now: number): void {
    this.strobes.set(i, { ms, periodMs, since: now });
    this.offset[i] = ms;
  }

  /** Puts node i's clock right again. */
  reset(i: number): void {
    this.strobes.delete(i);
    this.offset[i] = 0;
  }
}
