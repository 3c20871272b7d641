/**
 * The collection checkers' certificates (`check --certificate`; docs/certificates.md): what each
 * verdict rests on, as the history's own `:index`es, for analyzer/verify/ to derive again from
 * the ops. Built only when a certificate is asked for.
 */
import { type EdnRecord, type EdnValue, kw } from '../edn/values.js';
import type { History } from '../history/history.js';
import type { CheckResult } from '../check/checker.js';

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

/**
 * set's evidence: the final read (its `:ok` completion), each lost element with an `:ok` add of
 * it (completion) and the elements read that no add offered; valid when both are empty.
 */
export function setEvidence(h: History, finalRead: number, lost: readonly { element: EdnValue; add: number }[], unexpected: readonly EdnValue[]): EdnRecord {
  return {
    'valid?': lost.length === 0 && unexpected.length === 0,
    final: h.index[finalRead],
    lost: lost.map((l) => ({ element: l.element, add: h.index[l.add] })),
    unexpected: [...unexpected],
  };
}

/**
 * counter's evidence: each read (its `:ok` completion's index) with the bounds it had to fall
 * in, `[read lower upper]` — every read for a valid verdict, the ones out of bounds otherwise.
 */
export function counterEvidence(valid: boolean, reads: readonly [index: number, lower: number, upper: number, bad: boolean][]): EdnRecord {
  const pick = reads.filter((r) => valid || r[3]).map(([i, lo, hi]) => [i, lo, hi]);
  return valid ? { 'valid?': true, reads: pick } : { 'valid?': false, errors: pick };
}

/** queue's evidence: each `:ok` dequeue matched with an earlier enqueue of its value (`[dequeue enqueue]`), or the dequeue that had none. */
export function queueEvidence(h: History, found: { matches: readonly [number, number][] } | { dequeue: number }): EdnRecord {
  if ('dequeue' in found) return { 'valid?': false, dequeue: h.index[found.dequeue] };
  return { 'valid?': true, matches: found.matches.map(([d, e]) => [h.index[d], h.index[e]]) };
}

/** unique-ids' evidence: how many ids were returned, and each `:ok` that returned one an earlier `:ok` had (`[first again]`). */
export function uniqueIdsEvidence(h: History, acknowledged: number, again: readonly [number, number][]): EdnRecord {
  return { 'valid?': again.length === 0, acknowledged, duplicated: again.map(([a, b]) => [h.index[a], h.index[b]]) };
}

/** bank's evidence: how reads were judged (the total, inferred or given; the accounts; negatives), how many, and each bad read with why. */
export function bankEvidence(
  h: History,
  f: { total: number | null; inferred: boolean; options: { accounts?: EdnValue[]; negativeBalancesOk?: boolean }; reads: number; errors: readonly { type: string; pos: number }[] },
): EdnRecord {
  const out: EdnRecord = {
    'valid?': f.errors.length === 0,
    'total-amount': f.total,
    'total-inferred?': f.inferred,
    'negative-balances-ok': f.options.negativeBalancesOk === true,
    reads: f.reads,
    errors: f.errors.map((e) => ({ read: h.index[e.pos], type: kw(e.type) })),
  };
  if (f.options.accounts !== undefined) out.accounts = [...f.options.accounts];
  return out;
}

/**
 * total-queue's evidence: how many enqueues were acknowledged; each value lost (acknowledged
 * more often than dequeued, both counts) and each unexpected (an op that dequeued it, never
 * offered). Valid when both are empty.
 */
export function totalQueueEvidence(
  h: History,
  f: { acknowledged: number; lost: readonly { element: EdnValue; enqueued: number; dequeued: number }[]; unexpected: readonly { element: EdnValue; dequeue: number }[] },
): EdnRecord {
  return {
    'valid?': f.lost.length === 0 && f.unexpected.length === 0,
    acknowledged: f.acknowledged,
    lost: f.lost.map((l) => ({ ...l })),
    unexpected: f.unexpected.map((u) => ({ element: u.element, dequeue: h.index[u.dequeue] })),
  };
}

/**
 * watch's evidence: for a valid verdict the revision every watcher ended at and how many there
 * were; for an invalid one the disagreeing pairs (processes as read, the first position where
 * their logs differ) and the ops with a nonmonotonic error.
 */
export function watchEvidence(
  h: History,
  f: { valid: boolean; revision: number; watchers: number; divergences: readonly { processes: EdnValue[]; index: EdnValue }[]; nonmonotonic: readonly number[] },
): EdnRecord {
  if (f.valid) return { 'valid?': true, revision: f.revision, watchers: f.watchers };
  return { 'valid?': false, divergences: f.divergences.map((d) => ({ processes: d.processes, index: d.index })), nonmonotonic: f.nonmonotonic.map((i) => h.index[i]) };
}

/**
 * Per-key evidence of an `--independent` check: `of(key)` is the certify function for one key's
 * check (undefined when no certificate is asked for), `done(result)` gives the merged result's
 * evidence, `{:valid? v, :independent true, :keys [{:key k, …that key's evidence} …]}`, once
 * the verdict is valid or invalid.
 */
export function keyedEvidence(certify: ((e: EdnRecord) => void) | undefined): {
  of: (key: EdnValue) => ((e: EdnRecord) => void) | undefined;
  done: (result: CheckResult) => CheckResult;
} {
  const keys: EdnValue[] = [];
  return {
    of: (key) => (certify === undefined ? undefined : (e) => void keys.push({ key, ...e })),
    done: (result) => {
      const v = result['valid?'];
      if (certify !== undefined && (v === true || v === false)) certify({ 'valid?': v, independent: true, keys });
      return result;
    },
  };
}
