/**
 * The list of checkers the house ships, each registered once. A new checker adds one import and
 * one entry to `all`; what it declares (options, ops, files, words) reaches the CLI, reports,
 * recheck and bench through the registry (`CheckerRegistry`, analyzer/check/registry.ts). The
 * names other tools give our checkers are in foreign-names.ts; the library's export of each
 * checker object is in analyzer/index.ts.
 */
import { CheckerRegistry, type AnyChecker } from '../check/registry.js';
import type { Checker } from '../check/checker.js';
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
import { timeline } from './timeline.js';
import { uniqueIds } from './unique-ids.js';
import { unhandledExceptions } from './unhandled-exceptions.js';
import { watch } from './watch.js';

// Sorted by name: `recognize` asks in this order.
const all: Checker<never>[] = [
  bank, counter, linearizable, listAppend, lockSet, perf, queue, rwRegister, sanity, sequential, set, setFull,
  stats, timeline, totalQueue, unhandledExceptions, uniqueIds, watch,
];

/** The house's checkers. */
export const registry = new CheckerRegistry(all);

/** Every checker by `--checker` name. */
export const checkers: ReadonlyMap<string, AnyChecker> = registry.byName;

/** The checker of that name, or undefined. */
export function checkerNamed(name: string): AnyChecker | undefined {
  return registry.named(name);
}

/** The checkers a `--checker` value names (comma-separated); an unknown or missing name is a UsageError. */
export function resolveCheckers(spec: string): AnyChecker[] {
  return registry.resolve(spec);
}
