/**
 * Number-valued option parsers shared by the CLIs, the checkers and the recorder (one copy, so a
 * flag is judged and reported the same way everywhere). Each takes the value as given, a
 * string from commander or a number from a library caller, and throws UsageError naming the
 * flag and that value; undefined (the flag not given) passes through, so callers choose defaults.
 */
import { UsageError } from './usage-error.js';

type Raw = string | number;

/** The one check all parsers share: `ok` judges Number(raw); `what` completes "must be …". */
function parsed(flag: string, raw: Raw | undefined, ok: (n: number) => boolean, what: string): number | undefined {
  if (raw === undefined) return undefined;
  // Number('') and Number('  ') are 0: an empty value is not a number, whatever `ok` says of 0.
  const n = typeof raw === 'string' && raw.trim() === '' ? NaN : Number(raw);
  if (!ok(n)) throw new UsageError(`${flag} must be ${what}, got ${String(raw)}`);
  return n;
}

/** A finite number > 0; `unit` ("seconds", "ms") names what it counts in the message. Throws UsageError otherwise. */
export function positiveNumber(flag: string, raw: Raw, unit?: string): number;
/** As above; undefined (the flag not given) gives undefined. */
export function positiveNumber(flag: string, raw: Raw | undefined, unit?: string): number | undefined;
export function positiveNumber(flag: string, raw: Raw | undefined, unit?: string): number | undefined {
  return parsed(flag, raw, (n) => Number.isFinite(n) && n > 0, `a positive number${unit === undefined ? '' : ` of ${unit}`}`);
}

/** A finite number ≥ `min` (0 for a rate or an interval where 0 means "none"). Throws UsageError otherwise. */
export function numberAtLeast(flag: string, raw: Raw, min: number): number;
/** As above; undefined (the flag not given) gives undefined. */
export function numberAtLeast(flag: string, raw: Raw | undefined, min: number): number | undefined;
export function numberAtLeast(flag: string, raw: Raw | undefined, min: number): number | undefined {
  return parsed(flag, raw, (n) => Number.isFinite(n) && n >= min, `a number ≥ ${min}`);
}

/** An integer ≥ `min` (1 for a count, 0 for a seed or a port). Throws UsageError otherwise. */
export function integerAtLeast(flag: string, raw: Raw, min: number): number;
/** As above; undefined (the flag not given) gives undefined. */
export function integerAtLeast(flag: string, raw: Raw | undefined, min: number): number | undefined;
export function integerAtLeast(flag: string, raw: Raw | undefined, min: number): number | undefined {
  return parsed(flag, raw, (n) => Number.isInteger(n) && n >= min, `an integer ≥ ${min}`);
}

/** Any finite number (range checks left to the caller). Throws UsageError otherwise. */
export function finiteNumber(flag: string, raw: Raw): number;
/** As above; undefined (the flag not given) gives undefined. */
export function finiteNumber(flag: string, raw: Raw | undefined): number | undefined;
export function finiteNumber(flag: string, raw: Raw | undefined): number | undefined {
  return parsed(flag, raw, (n) => Number.isFinite(n), 'a number');
}

/**
 * A comma-separated list of numbers (`1000,10000`, `_` allowed as a digit separator), each
 * judged by `judge` (e.g. `(f, x) => integerAtLeast(f, x, 1)`). Throws UsageError for an empty
 * list or a bad item.
 */
export function numberList(flag: string, raw: string, judge: (flag: string, raw: string) => number): number[] {
  const xs = raw.split(',').map((x) => x.trim()).filter((x) => x !== '');
  if (xs.length === 0) throw new UsageError(`${flag} needs at least one number`);
  return xs.map((x) => judge(flag, x.replace(/_/g, '')));
}
