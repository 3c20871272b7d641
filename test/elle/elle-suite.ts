/**
 * Runs one check transcribed from Elle's own test suite (fixtures/elle-tests/manifest.json)
 * through our checker and says how our answer differs from what Elle's test asserts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckResult } from '../../analyzer/check/checker.js';
import { type EdnValue, EdnSet, Keyword } from '../../analyzer/edn/values.js';
import { checkListAppend, checkRwRegister, type ElleOptions } from '../../analyzer/elle/check.js';
import { readHistory } from '../../analyzer/history/read.js';

export const SUITE = 'fixtures/elle-tests';

export interface ElleCheck {
  id: string;
  source: string;
  checker: 'list-append' | 'rw-register';
  history: string;
  options: Record<string, unknown>;
  expected: { 'valid?'?: boolean | 'unknown'; 'anomaly-types'?: string[]; not?: string[]; 'also-not'?: string[] };
}

export function elleChecks(): ElleCheck[] {
  return JSON.parse(readFileSync(join(SUITE, 'manifest.json'), 'utf8')) as ElleCheck[];
}

/** Elle's option map as ours: `:consistency-models nil` is none, absent is Elle's default. */
export function ourOptions(o: Record<string, unknown>): ElleOptions {
  const out: ElleOptions = { workers: 1 };
  if ('consistency-models' in o) {
    const m = o['consistency-models'] as string[] | null;
    out.consistencyModels = m === null || m.length === 0 ? 'none' : m;
  }
  if (o.anomalies !== undefined) out.anomalies = o.anomalies as string[];
  if (o['linearizable-keys?'] === true) out.linearizableKeys = true;
  if (o['sequential-keys?'] === true) out.sequentialKeys = true;
  if (o['wfr-keys?'] === true) out.wfrKeys = true;
  if (o['transaction-order'] !== undefined) out.transactionOrder = o['transaction-order'] as Record<string, number>;
  return out;
}

const nameOf = (v: EdnValue): string => (v instanceof Keyword ? v.name : String(v));
const names = (v: EdnValue | undefined): string[] => (Array.isArray(v) ? v.map(nameOf) : v instanceof EdnSet ? v.items.map(nameOf) : []);
const validity = (v: EdnValue | undefined): string => (v instanceof Keyword ? v.name : String(v));

/** Our result on the check's history. */
export async function runElleCheck(c: ElleCheck): Promise<CheckResult> {
  const h = await readHistory(join(SUITE, c.history));
  const check = c.checker === 'list-append' ? checkListAppend : checkRwRegister;
  return check(h, ourOptions(c.options));
}

/** Each asserted key where we differ, as `key: ours ≠ Elle's`; empty when we agree. */
export function differences(c: ElleCheck, r: CheckResult): string[] {
  const out: string[] = [];
  const e = c.expected;
  if (e['valid?'] !== undefined && validity(r['valid?']) !== String(e['valid?'])) out.push(`valid? ${validity(r['valid?'])} ≠ ${String(e['valid?'])}`);
  const same = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  if (e['anomaly-types'] !== undefined && !same(names(r['anomaly-types']), e['anomaly-types']))
    out.push(`anomaly-types [${names(r['anomaly-types']).join(' ')}] ≠ [${e['anomaly-types'].join(' ')}]`);
  if (e.not !== undefined && !same(names(r.not), e.not)) out.push(`not #{${names(r.not).join(' ')}} ≠ #{${e.not.join(' ')}}`);
  if (e['also-not'] !== undefined && !same(names(r['also-not']), e['also-not'])) out.push(`also-not #{${names(r['also-not']).join(' ')}} ≠ #{${e['also-not'].join(' ')}}`);
  return out;
}
