/**
 * Just-in-time placement of indeterminate blind writes for the search (search.ts): a write that
 * timed out is worth linearizing only just before an op that needs it. These run in the
 * search's inner loop, so they are plain functions over its typed arrays.
 */
import type { CompiledModel, Model, ModelOp } from './models/model.js';

/**
 * Per op, the state a blind write leads to (the same from every state, so stepped once from
 * the initial one), or -1 for an op that is not a blind write.
 */
export function blindWriteStates<S>(model: Model<S>, ops: readonly ModelOp[], table: CompiledModel): Int32Array {
  const out = new Int32Array(ops.length).fill(-1);
  if (model.blindWrite !== undefined) for (let k = 0; k < ops.length; k++) if (model.blindWrite(ops[k])) out[k] = table.step(table.initial, k);
  return out;
}

/**
 * Whether lifting indeterminate blind write `w` (state `before` → `after`) can be followed by
 * an op of the window that needs it there: one accepted after it, and either rejected before
 * it or ending elsewhere from each side, and changing `after`. If no op does, some valid
 * linearization has no need of w here (docs/linearizability.md): let o be the op that follows
 * w. o accepted before w, and leaving `after` unchanged: swap them (w may always move later,
 * it never returned). o accepted before w, and reaching the same state from both: drop w (it
 * may never have happened). Repeating this, every indeterminate blind write ends up either
 * dropped or just before an op this function finds, so pruning the rest loses no verdict.
 * Only `needers` (see `gatherNeeders`) can be such an op.
 */
export function enablesSome(table: CompiledModel, needers: Int32Array, count: number, w: number, before: number, after: number): boolean {
  for (let i = 0; i < count; i++) {
    const j = needers[i];
    if (j === w) continue;
    const t = table.step(after, j);
    if (t < 0) continue;
    const u = table.step(before, j);
    if (u >= 0 && (t === after || u === t)) continue;
    return true;
  }
  return false;
}

/**
 * The window's ops that may need a blind write just before them, into `out`; returns how many.
 * Left out: blind writes (from any state they reach the same one, so they never need another
 * write first) and read-only ops accepted in `state` (accepted after a write too, they leave
 * its state unchanged).
 */
export function gatherNeeders(table: CompiledModel, next: Int32Array, head: number, state: number, blindState: Int32Array, readOnly: Uint8Array, out: Int32Array): number {
  let count = 0;
  for (let e = next[head]; (e & 1) === 0; e = next[e]) {
    const j = e >> 1;
    if (blindState[j] >= 0 || (readOnly[j] === 1 && table.step(state, j) >= 0)) continue;
    out[count++] = j;
  }
  return count;
}
