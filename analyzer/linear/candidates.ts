/**
 * Which op the search lifts next from the current configuration (walk.ts), in the order that
 * keeps it sound and quick. The *window* is the ops invoked before the first return entry still
 * in the history list: only they may be linearized now, since that op must come before any op
 * invoked after its completion.
 *
 * 1. **A read that fits goes first, alone** (`forcedRead`): a read-only op the model accepts
 *    here without changing the state is lifted at once with no alternatives (Model.readOnly
 *    argues why no linearization is lost: moving a read earlier, to where it already fits,
 *    cannot make another op's step fail). Undoing it undoes its parent too.
 * 2. **Determinate ops** (`nextDeterminate`), by completion rank (most urgent first) or by
 *    invocation, whichever order the walk is in (restarts.ts alternates them).
 * 3. **Indeterminate ops** (`nextIndeterminate`): each may have happened or not; a blind write
 *    only where an op of the window needs it (blind-writes.ts argues why that loses nothing).
 *
 * Each returns the op to lift, or -1, and leaves the state it leads to in `walk.liftTo` — a
 * field, not a returned pair, so that the search's inner loop allocates nothing.
 */
import { enablesSome, gatherNeeders } from './blind-writes.js';
import type { Walk } from './walk.js';

/** What a scan of the window found (see `scanWindow`); one per search, reused. */
export interface WindowScan {
  /** The first read of the window that fits the current state unchanged, or -1 (only looked for in a fresh configuration). */
  read: number;
  /** The model says a determinate op of the window can no longer be linearized (CompiledModel.viable). */
  doomed: boolean;
  /** When the window ends: the first pending completion. */
  end: number;
  /** The state the chosen op leads to. */
  liftTo: number;
  /** Scratch for `nextIndeterminate`: the window's ops a blind write could be needed by. */
  readonly needers: Int32Array;
}

/** A WindowScan for a search of `n` ops. */
export const windowScan = (n: number): WindowScan => ({ read: -1, doomed: false, end: 0, liftTo: -1, needers: new Int32Array(n) });

/** Scans the window: where it ends and, in a fresh configuration, its first fitting read and whether the model's pruning (`prunes`) dooms it. */
export function scanWindow(w: Walk, scan: WindowScan, prunes: boolean): void {
  const { next, readOnly, table, determinate, state, fresh } = w;
  let read = -1;
  let doomed = false;
  let e = next[w.HEAD];
  for (; (e & 1) === 0; e = next[e]) {
    const k = e >> 1;
    if (fresh && read < 0 && readOnly[k] === 1 && table.step(state, k) === state) read = k;
    if (fresh && prunes && k < determinate && !doomed && !table.viable!(state, k)) doomed = true;
  }
  scan.read = read;
  scan.doomed = doomed;
  scan.end = w.ret[e >> 1];
}

/** `forcedRead`'s answer when the read's configuration was seen before: this one fails too. */
export const DEAD = -2;

/** The fitting read of a fresh configuration (step 1 of this file's header), -1 when there is none, or DEAD. */
export function forcedRead(w: Walk, scan: WindowScan): number {
  const k = scan.read;
  if (k < 0) return -1;
  if (w.seenAfter(k, w.state)) return DEAD;
  scan.liftTo = w.state;
  return k;
}

/** The next determinate op of the window after `w.cursor` that the model accepts and that leads somewhere new, or -1. */
export function nextDeterminate(w: Walk, scan: WindowScan): number {
  const { next, rank, table, determinate, state } = w;
  if (w.retOrder) {
    // By completion rank, after the rank last tried: picked from the window each time, as a walk
    // of the candidate list would pass every op nested inside a long-running one.
    for (;;) {
      let k = -1;
      let kr = 0x7fffffff;
      for (let e = next[w.HEAD]; (e & 1) === 0; e = next[e]) {
        const j = e >> 1;
        if (j < determinate && rank[j] > w.cursor && rank[j] < kr) {
          kr = rank[j];
          k = j;
        }
      }
      if (k < 0) return -1;
      w.cursor = kr;
      const s = table.step(state, k);
      if (s >= 0 && !w.seenAfter(k, s)) {
        scan.liftTo = s;
        return k;
      }
    }
  }
  // By invocation: the window's determinate ops are a prefix of the candidate list.
  for (let k = w.cursor; k >= 0 && w.call[k] < scan.end; k = w.rnext[k]) {
    const s = table.step(state, k);
    if (s >= 0 && !w.seenAfter(k, s)) {
      scan.liftTo = s;
      return k;
    }
  }
  return -1;
}

/** The next indeterminate op of the window from entry `w.cursor` worth lifting (a blind write only where needed), or -1. */
export function nextIndeterminate(w: Walk, scan: WindowScan): number {
  const { next, blindState, table, determinate, state } = w;
  let neederCount = -1; // gathered at the first blind write met, if any: the window holds every pending op
  for (let e = w.cursor; (e & 1) === 0; e = next[e]) {
    const k = e >> 1;
    if (k < determinate) continue;
    // Most pending ops are blind writes, whose state needs no step.
    const blindTo = blindState[k];
    const s = blindTo >= 0 ? blindTo : table.step(state, k);
    if (s < 0 || w.seenAfter(k, s)) continue;
    if (blindTo >= 0) {
      if (neederCount < 0) neederCount = gatherNeeders(table, next, w.HEAD, state, blindState, w.readOnly, scan.needers);
      if (!enablesSome(table, scan.needers, neederCount, k, state, s)) continue;
    }
    scan.liftTo = s;
    return k;
  }
  return -1;
}
