/**
 * What an `:ok` read of nil means (`--nil`).
 *
 * - `any` (Knossos's rule, the default): nil is "a read whose result we do not know", so it fits
 *   every state. Jepsen histories put nil in a read's invocation, and some clients complete a
 *   read they could not decide with nil; a foreign history is read this way.
 * - `absent`: an `:ok` read of nil read *no value*: the register held nothing, which fits only a
 *   nil state (the initial one, unless `--init` says otherwise, or a write of nil). This is
 *   what our recorder's clients mean — etcd answers a read of a key never written with no value
 *   — so its histories say `:nil "absent"` in test.edn. Without it, a stale read of a key the
 *   serving node has not seen written (etcd's serializable reads on an isolated member) passes
 *   unseen: "nothing" fits whatever the key holds.
 *
 * Soundness: only determinate (`:ok`) reads change. An `:info` or pending read still carries its
 * invocation's nil and still fits anything, so a read that may not have happened constrains
 * nothing. The mark is a value of its own (`ABSENT`), so the search's state keys, the memo and
 * every pruning step see an op that reads one definite value, exactly as for a read of 3; it
 * prints as `nil` wherever a reason shows it, and travels to worker threads and queue workers
 * as EDN like any other value.
 */
import { type EdnValue, Keyword } from '../edn/values.js';

/** `--nil`: what an `:ok` read of nil means (see this file's header). */
export type NilReads = 'any' | 'absent';

/** Every `--nil` value, the default first. */
export const NIL_READS: readonly NilReads[] = ['any', 'absent'];

/** The value an `:ok` read of nil checks under `--nil absent`: a read of no value. */
export const ABSENT: EdnValue = Keyword.of('hindsight.nil/absent');

/** Whether `v` is the mark of a read of no value. */
export const isAbsent = (v: EdnValue): boolean => v === ABSENT;

const READS = new Set([':read', ':r']);

/**
 * The value an `:ok` op `f` checks under `--nil absent`: a read's nil becomes `ABSENT`, and so
 * does the nil of each `[:read k nil]` (or `[:r k nil]`) of a `:txn` (multi-register).
 */
export function absentReads(f: string, value: EdnValue): EdnValue {
  if (f === 'read') return value === null ? ABSENT : value;
  if (f !== 'txn' || !Array.isArray(value)) return value;
  let out: EdnValue[] | undefined;
  value.forEach((mop, i) => {
    if (Array.isArray(mop) && mop.length === 3 && mop[2] === null && mop[0] instanceof Keyword && READS.has(`:${mop[0].name}`)) {
      out ??= [...value];
      out[i] = [mop[0], mop[1], ABSENT];
    }
  });
  return out ?? value;
}
