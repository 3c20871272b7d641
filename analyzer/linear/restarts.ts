/**
 * Restarts: which candidate order finds a valid history's linearization sooner (completion or
 * invocation) depends on the history, so the search alternates them. After a run of `budget`
 * new configurations it unwinds to the root and goes on in the other order, each run in
 * completion order twice as long as the last. A valid history then costs about what the better
 * order costs; an invalid one what either costs, since both must exhaust the same configurations.
 *
 * Sound because of what the unwinding forgets: the configurations on the stack (not explored to
 * the end yet) leave the cache; every other one in it was explored to the end and failed, so
 * skipping it in the next run loses nothing.
 */

/** New configurations in the first run, before the first restart. */
export const FIRST_RUN = 2048;

/** When the next restart is due (see this file's header). */
export class Restarts {
  private budget: number;
  private end: number;

  /** `first`: the first run's length (tests pass 1, to restart after every configuration). */
  constructor(first: number = FIRST_RUN) {
    this.budget = Math.max(1, first);
    this.end = this.budget;
  }

  /** Whether the run is over, with `seen` configurations in the cache and the budget not spent (`max`). */
  due(seen: number, max: number): boolean {
    return seen >= this.end && seen < max;
  }

  /** A new run begins, in completion order if `retOrder`, with `seen` configurations cached. */
  begin(seen: number, retOrder: boolean): void {
    if (retOrder) this.budget *= 2;
    this.end = seen + this.budget;
  }
}
