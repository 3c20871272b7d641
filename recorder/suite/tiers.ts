/**
 * Tiers, as Couchbase runs its Jepsen tests: named subsets from smallest to largest, each run
 * with every smaller one (`--tier daily` runs the sanity tests too).
 */

/** The tiers, smallest first. */
export const TIERS = ['sanity', 'daily', 'weekly', 'full'] as const;
/** One of `TIERS`. */
export type Tier = (typeof TIERS)[number];

/** True when a test of tier `test` runs under `--tier selected` (its tier is `selected` or smaller). */
export function inTier(test: Tier, selected: Tier): boolean {
  return TIERS.indexOf(test) <= TIERS.indexOf(selected);
}

/** `raw` as a tier, or undefined when it names none. */
export function tierNamed(raw: string): Tier | undefined {
  return (TIERS as readonly string[]).includes(raw) ? (raw as Tier) : undefined;
}
