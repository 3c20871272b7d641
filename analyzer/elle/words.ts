/**
 * Elle's words in a report (list-append and rw-register): the anomaly names, the consistency
 * models ruled out, and the first cycle's explanation ("T1 < T2 because …") as detail; and
 * which workload a saved result came from.
 */
import { EdnMap, EdnSet, type EdnRecord, type EdnValue, Keyword, isRecord } from '../edn/values.js';
import type { Words } from '../check/checker.js';
import { nameOf } from '../check/words.js';
import type { WorkloadIdentity } from './workload.js';

/** Words for a result read back from EDN; undefined for a valid one or one with no anomaly keys. */
export function elleWords(r: EdnRecord): Words | undefined {
  if (r['valid?'] === true) return undefined;
  const types = Array.isArray(r['anomaly-types']) ? r['anomaly-types'].map(nameOf) : [];
  const not = r.not instanceof EdnSet ? r.not.items.map(nameOf).sort() : [];
  if (types.length === 0 && not.length === 0) return undefined;
  const found = types.length === 0 ? 'no anomaly found' : `${types.join(', ')} ${types.length === 1 ? 'anomaly' : 'anomalies'}`;
  const ruled = not.length > 0 ? `: not ${not.join(' or ')} (nor any stronger model)` : '';
  const sentence = `${found}${ruled}`;
  let detail: string | undefined;
  if (isRecord(r.anomalies)) {
    for (const t of Object.keys(r.anomalies)) {
      const list = r.anomalies[t];
      const first = Array.isArray(list) ? list.find(isRecord) : undefined;
      if (first !== undefined && typeof first.explanation === 'string') {
        detail = `The first ${t}:\n${first.explanation}`;
        break;
      }
    }
  }
  return { sentence, detail };
}

/**
 * Which of `workloads` a saved result came from, by the micro-ops in its evidence: the first
 * whose write micro-op (`:append`, `:w`) appears anywhere; undefined when the result cites no
 * write (a valid result, say). Results name no workload, so this is all a lone results.edn has.
 */
export function workloadCitedBy<W extends WorkloadIdentity>(r: EdnRecord, workloads: readonly W[]): W | undefined {
  let found: W | undefined;
  let budget = 100_000; // values visited: a huge result answers from its first evidence
  const visit = (v: EdnValue, depth: number): void => {
    if (found !== undefined || budget-- <= 0 || depth > 12) return;
    if (Array.isArray(v)) {
      if (v.length === 3 && v[0] instanceof Keyword) {
        const name = v[0].name;
        found = workloads.find((w) => w.writeName === name);
        if (found !== undefined) return;
      }
      for (const x of v) visit(x, depth + 1);
    } else if (isRecord(v)) {
      for (const x of Object.values(v)) if (x !== undefined) visit(x, depth + 1);
    } else if (v instanceof EdnMap) {
      for (const x of v.vals) visit(x, depth + 1);
    }
  };
  visit(r.anomalies ?? null, 0);
  return found;
}
