/** Every checker by `--checker` name. A new checker adds one import and one entry to `all`. */
import { type Checker, UsageError } from './checker.js';
import { listAppend, rwRegister } from '../elle/checker.js';
import { bank } from './bank.js';
import { counter } from './counter.js';
import { linearizable } from '../linear/checker.js';
import { lockSet } from './lock-set.js';
import { perf } from './perf/index.js';
import { queue, totalQueue } from './queue.js';
import { sanity } from './sanity.js';
import { sequential } from './sequential/index.js';
import { set } from './set.js';
import { setFull } from './set-full.js';
import { stats } from './stats.js';
import { timeline } from './timeline/index.js';
import { uniqueIds } from './unique-ids.js';
import { unhandledExceptions } from './unhandled-exceptions.js';
import { watch } from './watch.js';

// Each module exports one Checker (or several); keep this list sorted by name.
const all: Checker<never>[] = [
  bank, counter, linearizable, listAppend, lockSet, perf, queue, rwRegister, sanity, sequential, set, setFull,
  stats, timeline, totalQueue, unhandledExceptions, uniqueIds, watch,
];

export const checkers: ReadonlyMap<string, Checker<Record<string, unknown>>> = new Map(
  all.map((c) => [c.name, c as unknown as Checker<Record<string, unknown>>]),
);

export function checkerNamed(name: string): Checker<Record<string, unknown>> | undefined {
  return checkers.get(name);
}

/** The checkers a `--checker` value names (comma-separated); an unknown or missing name is a UsageError. */
export function resolveCheckers(spec: string): Checker<Record<string, unknown>>[] {
  const names = spec.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new UsageError('--checker needs at least one name');
  return names.map((n) => {
    const c = checkerNamed(n);
    if (c === undefined) throw new UsageError(`unknown checker ${n}; known: ${[...checkers.keys()].sort().join(', ')}`);
    return c;
  });
}
