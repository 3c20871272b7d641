/**
 * Zeller and Hildebrandt's ddmin ("Simplifying and Isolating Failure-Inducing Input", 2002):
 * the smallest subset of `items` it can find that still fails, 1-minimal when it runs to the
 * end (removing any one item makes it pass). Split the current set into n chunks; if a chunk
 * alone fails, keep it; else if a complement fails, keep that; else split finer, until the
 * chunks are single items. Order is kept: subsets are of the original order.
 *
 * `fails` is the expensive test (a whole check); `until` a deadline after which the smallest
 * failing set so far is returned, marked unfinished.
 */

/** What ddmin found, and how far it got. */
export interface Minimized<T> {
  /** The smallest failing subset found (the input itself if no smaller one failed). */
  items: T[];
  /** Tests run. */
  tests: number;
  /** True when it ran to the end: the result is 1-minimal. */
  finished: boolean;
}

/** ddmin over `items` (which must fail) with the test `fails`, stopping at `until` (ms since epoch). */
export async function ddmin<T>(items: readonly T[], fails: (subset: T[]) => Promise<boolean>, until = Infinity): Promise<Minimized<T>> {
  let current = [...items];
  let n = 2;
  let tests = 0;
  const test = async (subset: T[]): Promise<boolean> => {
    tests++;
    return fails(subset);
  };
  while (current.length >= 2) {
    const chunks = split(current, n);
    let reduced = false;
    for (const chunk of chunks) {
      if (Date.now() > until) return { items: current, tests, finished: false };
      if (await test(chunk)) {
        current = chunk;
        n = 2;
        reduced = true;
        break;
      }
    }
    if (!reduced && n > 2) {
      for (let k = 0; k < chunks.length; k++) {
        if (Date.now() > until) return { items: current, tests, finished: false };
        const complement = chunks.filter((_, j) => j !== k).flat();
        if (await test(complement)) {
          current = complement;
          n = Math.max(n - 1, 2);
          reduced = true;
          break;
        }
      }
    }
    if (!reduced) {
      if (n >= current.length) break;
      n = Math.min(n * 2, current.length);
    }
  }
  return { items: current, tests, finished: true };
}

/** `xs` in `n` chunks as even as can be, in order. */
function split<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (let k = 0; k < n; k++) {
    const end = Math.round(((k + 1) * xs.length) / n);
    if (end > start) out.push(xs.slice(start, end));
    start = end;
  }
  return out;
}
