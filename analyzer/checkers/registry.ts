/** Every checker by `--checker` name. A new checker adds one import and one entry to `all`. */
import type { Checker } from './checker.js';
import { listAppend, rwRegister } from '../elle/checker.js';
import { perf } from './perf/index.js';
import { sequential } from './sequential/index.js';
import { stats } from './stats.js';
import { timeline } from './timeline/index.js';

// Each module exports one Checker (or several); keep this list sorted by name.
const all: Checker<never>[] = [listAppend, perf, rwRegister, sequential, stats, timeline];

export const checkers: ReadonlyMap<string, Checker<Record<string, unknown>>> = new Map(
  all.map((c) => [c.name, c as unknown as Checker<Record<string, unknown>>]),
);

export function checkerNamed(name: string): Checker<Record<string, unknown>> | undefined {
  return checkers.get(name);
}
