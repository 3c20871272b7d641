/** Exit statuses are a contract: 0 valid, 1 invalid, 2 unknown, 3 bad input or usage. */
import type { Validity } from '../check/checker.js';

/** The history is valid. */
export const EXIT_VALID = 0;
/** The history is invalid. */
export const EXIT_INVALID = 1;
/** No verdict: a budget ran out, nothing was judged, a checker crashed. */
export const EXIT_UNKNOWN = 2;
/** Bad input or a usage error: there is no verdict to give. */
export const EXIT_BAD_INPUT = 3;

/** The exit status of a verdict. */
export function exitFor(v: Validity): number {
  return v === true ? EXIT_VALID : v === false ? EXIT_INVALID : EXIT_UNKNOWN;
}

/** The worst of several exit statuses: 3 over 1 over 2 over 0. */
export function worstExit(codes: number[]): number {
  const rank = (c: number) => (c === EXIT_BAD_INPUT ? 3 : c === EXIT_INVALID ? 2 : c === EXIT_UNKNOWN ? 1 : 0);
  return codes.reduce((w, c) => (rank(c) > rank(w) ? c : w), EXIT_VALID);
}
