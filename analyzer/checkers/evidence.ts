/**
 * The collection checkers' certificates (`check --certificate`; docs/certificates.md): what each
 * verdict rests on, as the history's own `:index`es, for analyzer/verify/ to derive again from
 * the ops. Built only when a certificate is asked for.
 */
import { type EdnRecord, type EdnValue } from '../edn/values.js';
import type { History } from '../history/history.js';

/** One element as set-full judged it: positions in the history (-1: none). */
export interface SetFullElement {
  element: EdnValue;
  outcome: 'stable' | 'lost' | 'never-read';
  /** Its add's invocation; the op that made it known; its last read lacking it and last showing it (invocations). */
  add: number;
  known: number;
  lastAbsent: number;
  lastPresent: number;
  stale: boolean;
}

/** What set-full found, for its certificate. */
export interface SetFullFindings {
  valid: boolean;
  linearizable: boolean;
  elements: readonly SetFullElement[];
  /** Reads (invocation positions) holding an element more than once, and reads holding one never added. */
  duplicated: readonly { element: EdnValue; read: number; count: number }[];
  unexpected: readonly { element: EdnValue; read: number }[];
}

/**
 * set-full's evidence: for an invalid verdict each lost element (its add, the op that made it
 * known, a read invoked after that lacking it), each stale one (and the later read showing it),
 * each duplicate and each unexpected element with its read; for a valid one, each stable
 * element with the read after which every read shows it.
 */
export function setFullEvidence(h: History, f: SetFullFindings): EdnRecord {
  const ix = (i: number): number => h.index[i];
  const out: EdnRecord = { 'valid?': f.valid, linearizable: f.linearizable };
  if (!f.valid) {
    out.lost = f.elements.filter((e) => e.outcome === 'lost').map((e) => ({ element: e.element, add: ix(e.add), known: ix(e.known), absent: ix(e.lastAbsent) }));
    out.stale = f.elements.filter((e) => e.stale).map((e) => ({ element: e.element, add: ix(e.add), known: ix(e.known), absent: ix(e.lastAbsent), present: ix(e.lastPresent) }));
    out.duplicated = f.duplicated.map((d) => ({ element: d.element, read: ix(d.read), count: d.count }));
    out.unexpected = f.unexpected.map((u) => ({ element: u.element, read: ix(u.read) }));
  } else {
    out.stable = f.elements.filter((e) => e.outcome === 'stable').map((e) => [e.element, ix(e.lastPresent)]);
  }
  return out;
}
