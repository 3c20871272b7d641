/**
 * A checked job's outcome as a worker reports it: recheck's `CheckSummary` plus the worker's
 * name. The coordinator reads it from Redis, so it checks the shape before trusting it.
 */
import type { CheckSummary } from '../recheck/worker.js';
import { isJsonObject } from './job.js';

/** A summary and who made it. */
export type CheckOutcome = CheckSummary & { worker?: string };

const VERDICTS = new Set(['valid', 'invalid', 'unknown', 'error']);
const optional = (v: unknown, type: string): boolean => v === undefined || typeof v === type;

/** `v` as a CheckOutcome when it has that shape; undefined otherwise. */
export function parseOutcome(v: unknown): CheckOutcome | undefined {
  if (!isJsonObject(v)) return undefined;
  if (!(v.ops === null || (typeof v.ops === 'number' && Number.isSafeInteger(v.ops)))) return undefined;
  if (typeof v.verdict !== 'string' || !VERDICTS.has(v.verdict)) return undefined;
  if (typeof v.detail !== 'string' || typeof v.seconds !== 'number' || typeof v.warnings !== 'number' || typeof v.cacheable !== 'boolean') return undefined;
  if (!optional(v.perKey, 'boolean') || !optional(v.chosen, 'string') || !optional(v.worker, 'string')) return undefined;
  return v as unknown as CheckOutcome;
}
