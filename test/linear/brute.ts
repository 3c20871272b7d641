/**
 * A brute-force linearizability oracle for tiny histories: try every order of the ops that
 * respects real time (an op must come after every determinate op that completed before its
 * invocation), letting indeterminate ops appear or not. No cache, no cleverness.
 */
import { isInconsistent, type Model } from '../../analyzer/linear/models/model.js';
import type { LinearProblem } from '../../analyzer/linear/search.js';

export function bruteLinearizable<S>(p: LinearProblem, model: Model<S>, init: S): boolean {
  const placed = new Uint8Array(p.n);
  const go = (s: S, left: number): boolean => {
    if (left === 0) return true;
    for (let o = 0; o < p.n; o++) {
      if (placed[o]) continue;
      let blocked = false;
      for (let q = 0; q < p.determinate && !blocked; q++) if (!placed[q] && q !== o && p.ret[q] < p.call[o]) blocked = true;
      if (blocked) continue;
      const s2 = model.step(s, p.ops[o]);
      if (isInconsistent(s2)) continue;
      placed[o] = 1;
      const ok = go(s2, left - (o < p.determinate ? 1 : 0));
      placed[o] = 0;
      if (ok) return true;
    }
    return false;
  };
  return go(init, p.determinate);
}

/** Replays a witness order: every step accepted, real time respected, every ok op present. */
export function witnessHolds<S>(p: LinearProblem, model: Model<S>, init: S, order: number[]): boolean {
  let s = init;
  const seen = new Set<number>();
  for (const o of order) {
    for (let q = 0; q < p.determinate; q++) if (!seen.has(q) && q !== o && p.ret[q] < p.call[o]) return false;
    const s2 = model.step(s, p.ops[o]);
    if (isInconsistent(s2)) return false;
    s = s2;
    seen.add(o);
  }
  for (let q = 0; q < p.determinate; q++) if (!seen.has(q)) return false;
  return true;
}
