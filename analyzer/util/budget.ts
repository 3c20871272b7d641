/**
 * Budgets of a whole check: its time (`--time-limit`) and its memory (`--memory-limit`, and the
 * heap the process has at all). A budget that runs out is not bad input and not a verdict on
 * the history: the check's answer is `:unknown`, saying which budget ran out during which phase.
 */
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { humanBytes } from './one-line.js';

/** Which budget ran out. */
export type Resource = 'time' | 'memory';

/** Thrown when a check cannot go on within its budget; the CLI turns it into `:unknown`. */
export class BudgetExceeded extends Error {
  constructor(
    readonly resource: Resource,
    /** What the check was doing: `reading`, or a checker's phase. */
    readonly phase: string,
    message: string,
  ) {
    super(message);
    this.name = 'BudgetExceeded';
  }
}

/**
 * Past this share of the heap limit, reading stops rather than letting V8 die with a native
 * stack: the next chunks would need more than is left, and V8's own out-of-memory is a crash
 * no caller can catch.
 */
export const HEAP_READ_SHARE = 0.9;

/**
 * V8's heap limit counts the young generation's reserve (three semi-spaces of 16 MiB by
 * default) besides the old generation, which is what `--max-old-space-size` sets and what runs
 * out: a 64 MB old space reports a 112 MiB limit.
 */
const YOUNG_GENERATION = 48 * 1024 * 1024;

/** The old generation's use and limit (the heap minus the young generation). */
function oldGeneration(): { used: number; limit: number } {
  const h = getHeapStatistics();
  let used = 0;
  for (const s of getHeapSpaceStatistics()) if (s.space_name !== 'new_space' && s.space_name !== 'new_large_object_space') used += s.space_used_size;
  return { used, limit: Math.max(h.heap_size_limit / 2, h.heap_size_limit - YOUNG_GENERATION) };
}

/**
 * Called as a file is read: throws BudgetExceeded once the heap in use passes HEAP_READ_SHARE
 * of the limit, estimating from the share of the file read so far what the whole would need.
 */
export function guardHeapWhileReading(file: string, bytesRead: number, totalBytes: number): void {
  const h = getHeapStatistics();
  // Cheap first test: far from the limit (every read of a normal file) nothing more is asked.
  if (h.used_heap_size < HEAP_READ_SHARE * (h.heap_size_limit - YOUNG_GENERATION)) return;
  const old = oldGeneration();
  if (old.used < HEAP_READ_SHARE * old.limit) return;
  const need = bytesRead > 0 && totalBytes > bytesRead ? (old.used / bytesRead) * totalBytes : old.used;
  throw new BudgetExceeded(
    'memory',
    'reading',
    // An unknown total (standard input) gives no estimate beyond what is held already.
    `${file}: needs ${totalBytes > 0 ? 'about' : 'more than'} ${humanBytes(Math.round(need))} of memory to read (${humanBytes(bytesRead)}${totalBytes > 0 ? ` of ${humanBytes(totalBytes)}` : ''} read, ` +
      `and the ${humanBytes(old.limit)} heap is ${Math.round((100 * old.used) / old.limit)}% used); ` +
      'raise node --max-old-space-size (NODE_OPTIONS) or the machine\'s memory',
  );
}
