/** Exit statuses are a contract: 0 valid, 1 invalid, 2 unknown, 3 bad input or usage. */
import { UNKNOWN, type Validity } from '../check/checker.js';

export const EXIT_VALID = 0;
export const EXIT_INVALID = 1;
export const EXIT_UNKNOWN = 2;
export const EXIT_BAD_INPUT = 3;

export function exitFor(v: Validity): number {
  return v === true ? EXIT_VALID : v === false ? EXIT_INVALID : v === UNKNOWN ? EXIT_UNKNOWN : EXIT_UNKNOWN;
}

/** The worst of several exit statuses: 3 over 1 over 2 over 0. */
export function worstExit(codes: number[]): number {
  const rank = (c: number) => (c === EXIT_BAD_INPUT ? 3 : c === EXIT_INVALID ? 2 : c === EXIT_UNKNOWN ? 1 : 0);
  return codes.reduce((w, c) => (rank(c) > rank(w) ? c : w), EXIT_VALID);
}
