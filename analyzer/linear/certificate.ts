/**
 * The linearizable checker's certificate (`check --certificate`; docs/certificates.md): per key,
 * the evidence for its verdict in terms of the history's own `:index`es, so that `hindsight
 * verify` can check it with none of the search's code.
 *
 * - valid: the linearization the search found — every op it placed, in order (`:order`, the
 *   invocations' indexes; an `:info` op it left out took no effect);
 * - invalid: the op no order could place (`:op`, its invocation's index), the model's reason,
 *   and the longest orders the search reached before it (`:paths`), each of which `verify`
 *   replays and then shows cannot take the op;
 * - unknown: that the search gave up, and why.
 *
 * A key the unique-values procedure found invalid whose explaining search ran out has no paths,
 * only `:contradiction`, the procedure's reason; `verify` cannot check that yet, and says so.
 */
import { type EdnRecord, type EdnValue, kw } from '../edn/values.js';
import type { History } from '../history/history.js';
import type { KeyRun } from './linearize.js';
import type { Validity } from '../check/checker.js';
import type { NilReads } from './nil-reads.js';

/** What the certificate says about how the ops were read (so `verify` reads them the same way). */
export interface CertificateSettings {
  model: string;
  /** `--init` as given (EDN text), if it was. */
  init?: string;
  independent: boolean;
  nil: NilReads;
}

/** The certificate of a linearizable check from its runs (see this file's header). */
export function linearCertificate(history: History, runs: readonly KeyRun[], s: CertificateSettings, verdict: Validity): EdnRecord {
  const keys: EdnValue[] = runs.map((run) => {
    const { problem: p, outcome: o } = run;
    const index = (id: number): number => history.index[p.invoke[id]];
    const base: EdnRecord = { key: p.key ?? null };
    if (o.valid === true) return { ...base, 'valid?': true, order: o.order.map(index) };
    if (o.valid === false) {
      const failed: EdnRecord = { ...base, 'valid?': false, op: index(o.failing), paths: o.paths.map((path) => path.map(index)) };
      // Decided without search and too hard to explain by one: the contradiction is the evidence.
      if (run.unexplained === true && run.contradiction !== undefined) failed.contradiction = run.contradiction;
      return failed;
    }
    return { ...base, 'valid?': kw('unknown'), cause: o.reason };
  });
  return { 'valid?': verdict, model: s.model, ...(s.init === undefined ? {} : { init: s.init }), independent: s.independent, nil: kw(s.nil), keys };
}
