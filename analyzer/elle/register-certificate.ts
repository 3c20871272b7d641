/**
 * The rw-register checker's certificate (`check --certificate`; docs/certificates.md): each
 * cycle found, as list-append's are (the history's `:index`es and typed steps), with what puts
 * one version before another for every ww and rw step whose earlier version is not the initial
 * nil: `:why {:wfr-keys op}` (a transaction that read it and then wrote the later one),
 * `{:sequential-keys [op op']}` (one process saw the two in that order) or `{:linearizable-keys
 * [op op']}` (op completed before op' began), each under the assumption of that name. A version
 * order known only from `--transaction-order` lies outside the history: such results certify
 * no cycle, and a cycle with a step no such ops justify (or that no micro-op explained) is left
 * out. The non-cycle anomalies go under `:anomalies` as list-append's do (certificate.ts), but
 * cyclic-versions, which rests on the assumed version pairs themselves. Built only when a certificate is asked for: the
 * justifications are searched for here, a pass over the transactions per step.
 */
import type { Validity } from '../check/checker.js';
import { type EdnRecord, type EdnValue, ednEquals, kw } from '../edn/values.js';
import { OK } from '../history/op.js';
import { caseEvidence } from './certificate.js';
import type { ExplainedCycle } from './explain.js';
import type { RegisterOrders } from './register-orders.js';
import { NIL, READ, type Txns, UNKNOWN_VALUE, WRITE, txnOpPosition } from './txns.js';

/** Per micro-op of transaction t: its key's external read (first access, a known value) and final write, as value ids. */
function sightings(txns: Txns, t: number, k: number): { read?: number; final?: number; first?: number; readAt: number; finalAt: number } {
  const { mopKind, mopKey, mopValue } = txns;
  const out: { read?: number; final?: number; first?: number; readAt: number; finalAt: number } = { readAt: -1, finalAt: -1 };
  let touched = false;
  for (let m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
    if (mopKey[m] !== k) continue;
    if (mopKind[m] === WRITE) {
      out.final = mopValue[m];
      out.finalAt = m;
      out.first ??= mopValue[m];
      touched = true;
    } else if (mopKind[m] === READ && mopValue[m] !== UNKNOWN_VALUE && !touched) {
      out.read = mopValue[m];
      out.readAt = m;
      out.first ??= mopValue[m];
      touched = true;
    }
  }
  return out;
}

/** The ops that put version v1 of key k before v2 under one of `assumptions`, as a `:why`; undefined when none do. */
function justify(txns: Txns, assumptions: readonly string[], k: number, v1: number, v2: number): EdnRecord | undefined {
  const ix = (t: number): number => txns.history.index[txnOpPosition(txns, t)];
  const ok = (t: number): boolean => txns.status[t] === OK;
  if (assumptions.includes('wfr-keys')) {
    for (let t = 0; t < txns.count; t++) {
      const s = sightings(txns, t, k);
      if (ok(t) && s.read === v1 && s.final === v2 && s.readAt < s.finalAt) return { 'wfr-keys': ix(t) };
    }
  }
  if (assumptions.includes('sequential-keys')) {
    const last = new Map<number, { v: number; t: number }>();
    for (let t = 0; t < txns.count; t++) {
      if (!ok(t)) continue;
      const s = sightings(txns, t, k);
      const p = txns.process[t];
      // In the transaction's own order: its read, then its final write.
      for (const v of [s.read, s.final]) {
        if (v === undefined) continue;
        const before = last.get(p);
        if (before !== undefined && before.v === v1 && v === v2) return { 'sequential-keys': [ix(before.t), ix(t)] };
        last.set(p, { v, t });
      }
    }
  }
  if (assumptions.includes('linearizable-keys')) {
    const earlier: number[] = [];
    const later: number[] = [];
    for (let t = 0; t < txns.count; t++) {
      if (!ok(t)) continue;
      const s = sightings(txns, t, k);
      if ((s.final ?? s.read) === v1 && txns.complete[t] >= 0) earlier.push(t);
      if (s.first === v2) later.push(t);
    }
    for (const t1 of earlier) for (const t2 of later) if (txns.complete[t1] < txns.invoke[t2]) return { 'linearizable-keys': [ix(t1), ix(t2)] };
  }
  return undefined;
}

/** Step `step` (a ww or rw from transaction a to b) with its `:why`, unchanged when its earlier version is nil; undefined when nothing justifies it. */
function justified(txns: Txns, o: RegisterOrders, a: number, b: number, step: EdnRecord): EdnRecord | undefined {
  const type = step.type;
  const isWw = ednEquals(type ?? null, kw('ww'));
  const data = isWw || ednEquals(type ?? null, kw('rw')) || ednEquals(type ?? null, kw('wr'));
  if (!data) return step;
  // A data edge no micro-op explained (its key's versions are in doubt) is not certified.
  if (step.key === undefined) return undefined;
  if (!isWw && !ednEquals(type ?? null, kw('rw'))) return step;
  if (step.value === null || step.value === undefined) return step;
  const k = txns.keys.findIndex((x) => ednEquals(x, step.key ?? null));
  if (k < 0) return undefined;
  const sa = sightings(txns, a, k);
  const v1 = isWw ? sa.final : sa.read;
  const v2 = sightings(txns, b, k).final;
  if (v1 === undefined || v1 === NIL || v2 === undefined || !ednEquals(txns.values[v1], step.value)) return undefined;
  const why = justify(txns, o.assumptions, k, v1, v2);
  return why === undefined ? undefined : { ...step, why };
}

/** Non-cycle anomalies verify cannot derive from the ops alone: cyclic-versions rests on the version pairs the assumptions give. */
const UNCERTIFIED = new Set(['cyclic-versions']);

/**
 * The certificate of rw-register's cycles `explained` (those whose every step the history's ops
 * justify) and its non-cycle cases `anomalies` (but cyclic-versions), or undefined when there is
 * neither.
 */
export function registerCertificate(txns: Txns, o: RegisterOrders, explained: readonly ExplainedCycle[], verdict: Validity, anomalies: ReadonlyMap<string, readonly EdnRecord[]> = new Map()): EdnRecord | undefined {
  const cases: EdnRecord = {};
  for (const [type, examples] of anomalies) if (!UNCERTIFIED.has(type)) cases[type] = examples.map(caseEvidence);
  const out = o.assumptions.includes('transaction-order') ? undefined : certifiedCycles(txns, o, explained);
  if ((out === undefined || out.length === 0) && Object.keys(cases).length === 0) return undefined;
  const evidence: EdnRecord = { 'valid?': verdict, assumptions: [...o.assumptions].sort().map((a) => kw(a)), cycles: out ?? [] };
  if (Object.keys(cases).length > 0) evidence.anomalies = cases;
  return evidence;
}

/** The cycles of `explained` whose every step the history's ops justify, as evidence. */
function certifiedCycles(txns: Txns, o: RegisterOrders, explained: readonly ExplainedCycle[]): EdnValue[] {
  const index = (t: number): number => txns.history.index[txnOpPosition(txns, t)];
  const cycles: EdnValue[] = [];
  for (const c of explained) {
    const steps = ((c.record.steps ?? []) as EdnRecord[]).map((s, i) => justified(txns, o, c.txns[i], c.txns[(i + 1) % c.txns.length], s));
    if (steps.some((s) => s === undefined)) continue;
    cycles.push({ type: c.record.type ?? null, cycle: [...c.txns, c.txns[0]].map(index), steps: steps as EdnRecord[] });
  }
  return cycles;
}
