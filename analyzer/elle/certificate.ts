/**
 * The list-append checker's certificate (`check --certificate`; docs/certificates.md): each
 * cycle it found, as the history's own op `:index`es (a transaction's completion, or its
 * invocation when it never completed) and the typed steps between them (`{:type :wr, :key 101,
 * :value 1}`, `{:type :ww … :value' …}`, `{:type :rw …}`, `{:type :process :process 3}`,
 * `{:type :realtime :a' 12 :b 14}`), for `verify` to derive again from the ops. Valid results
 * and the non-cycle anomalies (G1a, G1b, internal, …) carry no evidence yet.
 */
import type { Validity } from '../check/checker.js';
import type { EdnRecord, EdnValue } from '../edn/values.js';
import type { ExplainedCycle } from './explain.js';
import { type Txns, txnOpPosition } from './txns.js';

/** The certificate of the cycles `explained`, or undefined when there are none. */
export function elleCertificate(txns: Txns, explained: readonly ExplainedCycle[], verdict: Validity): EdnRecord | undefined {
  if (explained.length === 0) return undefined;
  const index = (t: number): number => txns.history.index[txnOpPosition(txns, t)];
  const cycles: EdnValue[] = explained.map((c) => ({ type: c.record.type ?? null, cycle: [...c.txns, c.txns[0]].map(index), steps: c.record.steps ?? [] }));
  return { 'valid?': verdict, cycles };
}
