/**
 * `set-full`: Jepsen's `checker/set-full`, a set read many times while it is written.
 *
 * Ops: `:add x` (x unique) and `:read` whose ok completion holds the whole set (vector or set).
 * For each element, from its add invocation on (a second add of the same element starts over):
 *
 *   known        the earlier of the add's `:ok` and the completion of the first read showing it
 *   last-present the latest-invoked ok read (completing after the add began) that contains it
 *   last-absent  the latest-invoked ok read (completing after the add began) that lacks it
 *
 * An element is *stable* if it was seen and its last-absent read (if any) began before its
 * last-present one; *lost* if it was known and the latest read to
 * lack it began after both the last read showing it and the moment it became known; otherwise
 * *never-read*. A stable element is *stale* when its last-absent read began after it was known:
 * that read should have seen it. Its `:stable-latency` is last-absent's invocation time + 1 ns −
 * known time, in whole ms (Jepsen's arithmetic, so results compare key by key).
 *
 * Valid: false if anything is lost (or duplicated within a read, or read but never added);
 * unknown if nothing is stable; with `--linearizable`, false if anything is stale.
 *
 * Cost: one pass over the adds, then one pass over each ok read's contents (the sum of read sizes,
 * inherent) with O(1) work per element per read: an element's reads are met in invocation order,
 * so the reads lacking it are the gaps between the reads showing it, and only the latest gap
 * matters. Finding the latest eligible read in a gap steps only over reads that were in flight
 * when the add began. No element × read scans, and memory is a few ints per element and per read.
 */
import { EdnMap, type EdnRecord, type EdnValue, kw, markList } from '../edn/values.js';
import type { History } from '../history/history.js';
import { INVOKE, OK } from '../history/op.js';
import { type CheckResult, type Checker, UNKNOWN, type Validity, type Words } from '../check/checker.js';
import { firstFew } from '../check/words.js';
import { Interner } from '../util/interner.js';
import { IntVec } from '../util/int-tables.js';
import { itemsOf, opRecord, sortedValues } from '../check/results.js';
import { INDEPENDENT_OPTION, checkByKey } from './independent.js';
import { keyedEvidence, setFullEvidence } from './evidence.js';

/** Options for `checkSetFull`. */
export interface SetFullOptions {
  /** Values are [key value] tuples: check each key's set separately (CLI only; see independent.ts). */
  independent?: boolean;
  /** Stale reads make the history invalid. */
  linearizable?: boolean;
}

const QUANTILE_POINTS = [0, 0.5, 0.95, 0.99, 1];

/** Jepsen's frequency-distribution: value at floor(n·q), clamped, keyed by the point. */
export function frequencyDistribution(values: number[]): EdnMap | undefined {
  if (values.length === 0) return undefined;
  const s = Float64Array.from(values).sort();
  const n = s.length;
  return new EdnMap(QUANTILE_POINTS, QUANTILE_POINTS.map((q) => s[Math.min(n - 1, Math.floor(n * q))]));
}

function nanosToMs(ns: number): number {
  return Math.trunc(Math.max(0, ns) / 1e6);
}

/**
 * Checks a set-full history (see this file's header): counts and elements lost, stale and never
 * read, the worst stale ones, duplicates, and the stable and lost latencies' distributions.
 */
export function checkSetFull(history: History, options: SetFullOptions = {}, certify?: (evidence: EdnRecord) => void): CheckResult {
  const addF = history.fId('add');
  const readF = history.fId('read');
  const ids = new Interner();
  // Per element, grown as elements are interned.
  let addInv = new Int32Array(1024).fill(-1); // its latest add invocation
  let addOk = new Int32Array(1024).fill(-1); // first ok add completion after that
  let stamp = new Int32Array(1024).fill(-1); // last read (id) that contained it
  let known = new Int32Array(1024).fill(-1);
  let lastPresent = new Int32Array(1024).fill(-1);
  let lastAbsent = new Int32Array(1024).fill(-1);
  const grow = (): void => {
    let cap = addInv.length * 2;
    while (cap < ids.size) cap *= 2;
    const g = (a: Int32Array) => {
      const b = new Int32Array(cap).fill(-1);
      b.set(a);
      return b;
    };
    addInv = g(addInv);
    addOk = g(addOk);
    stamp = g(stamp);
    known = g(known);
    lastPresent = g(lastPresent);
    lastAbsent = g(lastAbsent);
  };
  const intern = (v: EdnValue): number => {
    const e = ids.id(v);
    if (e >= addInv.length) grow();
    return e;
  };

  // Pass 1: adds (final add invocation per element) and the ok reads, numbered in invocation order.
  const readInv = new IntVec(1024);
  const readComp = new IntVec(1024);
  for (let i = 0; i < history.length; i++) {
    const f = history.f[i];
    if (f < 0 || !history.isClient(i)) continue;
    const t = history.type[i];
    if (f === addF) {
      if (t === INVOKE) {
        const e = intern(history.value[i]);
        addInv[e] = i;
        addOk[e] = -1;
      } else if (t === OK) {
        const inv = history.pair[i];
        const e = intern(history.value[inv >= 0 ? inv : i]);
        if (addOk[e] < 0 && addInv[e] >= 0 && addInv[e] < i) addOk[e] = i;
      }
    } else if (f === readF && t === INVOKE) {
      const c = history.pair[i];
      if (c < 0 || history.type[c] !== OK || itemsOf(history.value[c]) === undefined) continue;
      readInv.push(i);
      readComp.push(c);
    }
  }
  const m = readInv.n;
  const rInv = readInv.a;
  const rComp = readComp.a;
  const prefixMaxComp = new Int32Array(m);
  for (let r = 0, mx = -1; r < m; r++) prefixMaxComp[r] = mx = Math.max(mx, rComp[r]);
  for (let e = 0; e < ids.size; e++) known[e] = addOk[e];

  /**
   * The latest read in (lo, hi] that completed after position a (reads lo+1..hi all lack the
   * element), or -1. Reads invoked after a always qualify, so this steps only over reads that
   * were in flight when the add began.
   */
  const latestEligible = (lo: number, hi: number, a: number): number => {
    for (let g = hi; g > lo; g--) {
      if (rComp[g] > a) return g;
      if (prefixMaxComp[g] <= a) return -1;
    }
    return -1;
  };

  // Pass 2: each read's contents once. A gap between two reads containing an element is a run
  // of reads lacking it; the latest eligible one in the latest gap is its last-absent.
  const dups = new Map<number, number>();
  // The read (rank) that holds each element most often, for a certificate.
  const dupRead = new Map<number, number>();
  let dupCounts: Map<number, number> | undefined;
  for (let r = 0; r < m; r++) {
    const items = itemsOf(history.value[rComp[r]])!;
    const comp = rComp[r];
    dupCounts = undefined;
    const eids = ids.idsOf(items);
    if (ids.size > addInv.length) grow();
    for (let k = 0; k < items.length; k++) {
      const e = eids[k];
      const prev = stamp[e];
      if (prev === r) {
        dupCounts ??= new Map();
        const n = (dupCounts.get(e) ?? 1) + 1;
        dupCounts.set(e, n);
        if (n > (dups.get(e) ?? 0)) {
          dups.set(e, n);
          dupRead.set(e, r);
        }
        continue;
      }
      stamp[e] = r;
      const a = addInv[e];
      if (a < 0) continue;
      if (comp > a) {
        if (known[e] < 0 || comp < known[e]) known[e] = comp;
        lastPresent[e] = r;
      }
      if (prev < r - 1) {
        const g = latestEligible(prev, r - 1, a);
        if (g >= 0) lastAbsent[e] = g;
      }
    }
  }

  const time = history.time;
  interface ElementResult {
    element: EdnValue;
    outcome: 'stable' | 'lost' | 'never-read';
    stableLatency: number | null;
    lostLatency: number | null;
    known: number;
    lastAbsent: number;
    stale: boolean;
    /** Positions of its add and of the invocation of its latest read showing it (-1: none), for a certificate. */
    add: number;
    lastPresent: number;
  }
  const results: ElementResult[] = [];
  const unexpected: EdnValue[] = [];

  for (let e = 0; e < ids.size; e++) {
    const a = addInv[e];
    if (a < 0) {
      if (stamp[e] >= 0) unexpected.push(ids.values[e]);
      continue;
    }
    if (stamp[e] < m - 1) {
      const g = latestEligible(stamp[e], m - 1, a);
      if (g >= 0) lastAbsent[e] = g;
    }
    const lastAbsentE = lastAbsent[e];
    const lastPresentE = lastPresent[e];
    const knownE = known[e];
    const stable = lastPresentE >= 0 && lastAbsentE < lastPresentE;
    const lost = !stable && knownE >= 0 && lastAbsentE >= 0 && lastPresentE < lastAbsentE && knownE < rInv[lastAbsentE];
    const knownTime = knownE >= 0 ? time[knownE] : NaN;
    let stableLatency: number | null = null;
    let lostLatency: number | null = null;
    if (stable) {
      const st = lastAbsentE >= 0 ? time[rInv[lastAbsentE]] + 1 : 0;
      const ns = st - knownTime;
      stableLatency = Number.isNaN(ns) ? null : nanosToMs(ns);
    } else if (lost) {
      const lt = lastPresentE >= 0 ? time[rInv[lastPresentE]] + 1 : 0;
      const ns = lt - knownTime;
      lostLatency = Number.isNaN(ns) ? null : nanosToMs(ns);
    }
    results.push({
      element: ids.values[e],
      outcome: stable ? 'stable' : lost ? 'lost' : 'never-read',
      stableLatency,
      lostLatency,
      known: knownE,
      lastAbsent: lastAbsentE >= 0 ? rInv[lastAbsentE] : -1,
      stale: stable && lastAbsentE >= 0 && rInv[lastAbsentE] > knownE,
      add: a,
      lastPresent: lastPresentE >= 0 ? rInv[lastPresentE] : -1,
    });
  }

  const byOutcome = (o: ElementResult['outcome']) => results.filter((r) => r.outcome === o);
  const stableEls = byOutcome('stable');
  const lostEls = byOutcome('lost');
  const neverRead = byOutcome('never-read');
  const stale = stableEls.filter((r) => r.stale);
  const worstStale = [...stale]
    .sort((x, y) => (y.stableLatency ?? -1) - (x.stableLatency ?? -1) || (x.known - y.known))
    .slice(0, 8)
    .map(
      (r): EdnRecord => ({
        element: r.element,
        outcome: kw(r.outcome),
        'stable-latency': r.stableLatency,
        'lost-latency': r.lostLatency,
        known: opRecord(history, r.known),
        'last-absent': opRecord(history, r.lastAbsent),
      }),
    );
  const dupMap = new EdnMap([], []);
  for (const e of sortedValues([...dups.keys()].map((k) => ids.values[k]))) {
    dupMap.keys.push(e);
    dupMap.vals.push(dups.get(ids.find(e))!);
  }
  let valid: Validity;
  if (lostEls.length > 0) valid = false;
  else if (stableEls.length === 0) valid = UNKNOWN;
  else if (options.linearizable && stale.length > 0) valid = false;
  else valid = true;
  if (dups.size > 0 || unexpected.length > 0) valid = false;
  const elems = (rs: ElementResult[]) => markList(sortedValues(rs.map((r) => r.element)));
  const out: CheckResult = {
    'valid?': valid,
    'attempt-count': results.length,
    'stable-count': stableEls.length,
    'lost-count': lostEls.length,
    lost: elems(lostEls),
    'never-read-count': neverRead.length,
    'never-read': elems(neverRead),
    'stale-count': stale.length,
    stale: elems(stale),
    'worst-stale': worstStale,
  };
  if (valid === UNKNOWN) out.error = 'no element became stable: no read after an add saw it, so nothing was checked';
  if (certify !== undefined && valid !== UNKNOWN) {
    const dupList = [...dups].map(([e, n]) => ({ element: ids.values[e], read: rInv[dupRead.get(e)!], count: n }));
    certify(setFullEvidence(history, { valid: valid === true, linearizable: options.linearizable === true, elements: results, duplicated: dupList, unexpected: unexpected.map((v) => ({ element: v, read: rInv[stamp[ids.find(v)]] })) }));
  }
  const stableLatencies: number[] = [];
  const lostLatencies: number[] = [];
  for (const r of results) {
    if (r.stableLatency !== null) stableLatencies.push(r.stableLatency);
    if (r.lostLatency !== null) lostLatencies.push(r.lostLatency);
  }
  const stableLat = frequencyDistribution(stableLatencies);
  if (stableLat) out['stable-latencies'] = stableLat;
  const lostLat = frequencyDistribution(lostLatencies);
  if (lostLat) out['lost-latencies'] = lostLat;
  out['duplicated-count'] = dups.size;
  out.duplicated = dupMap;
  if (unexpected.length > 0) {
    out['unexpected-count'] = unexpected.length;
    out.unexpected = markList(sortedValues(unexpected));
  }
  return out;
}

/** The report's words: how many acknowledged elements were lost or stale, and the first few. */
export function setFullWords(r: EdnRecord): Words | undefined {
  if (typeof r['attempt-count'] !== 'number' || typeof r['lost-count'] !== 'number') return undefined;
  const parts = [`${r['lost-count']} of ${r['attempt-count']} added elements lost${firstFew(r.lost)}`];
  if (typeof r['stale-count'] === 'number' && r['stale-count'] > 0) parts.push(`${r['stale-count']} stale${firstFew(r.stale)}`);
  if (typeof r['never-read-count'] === 'number' && r['never-read-count'] > 0) parts.push(`${r['never-read-count']} never read`);
  if (typeof r['duplicated-count'] === 'number' && r['duplicated-count'] > 0) parts.push(`${r['duplicated-count']} duplicated`);
  return { sentence: parts.join(', ') };
}


/**
 * The `set-full` checker (`--checker set-full`): `checkSetFull`, with `--linearizable`, and per
 * key with `--independent`.
 *
 * @example
 * const result = await check(history, [setFull], { linearizable: true });
 */
export const setFull: Checker<SetFullOptions> = {
  name: 'set-full',
  summary: 'a set read during the run: lost, stale and never-read elements, visibility latencies (Jepsen set-full)',
  options: [{ flags: '--linearizable', description: 'set-full: stale reads make the history invalid (the set should be linearizable)' }, INDEPENDENT_OPTION],
  accepts: ['add', 'read'],
  recognizes: (r) => 'attempt-count' in r && 'stale-count' in r,
  words: setFullWords,
  check: (history, options, ctx) => {
    const o = { linearizable: options.linearizable === true };
    const certify = ctx?.certify === undefined ? undefined : (e: EdnRecord) => ctx.certify!('set-full', e);
    if (!options.independent) return checkSetFull(history, o, certify);
    const keyed = keyedEvidence(certify);
    return keyed.done(checkByKey(history, (h, key) => checkSetFull(h, o, keyed.of(key))));
  },
  describe: (r) =>
    r.results instanceof EdnMap
      ? `${r.results.size} keys, ${(r.failures as unknown[]).length} not valid`
      : `${String(r['attempt-count'])} elements: ${String(r['stable-count'])} stable, ${String(r['lost-count'])} lost, ${String(r['stale-count'])} stale, ${String(r['never-read-count'])} never read`,
};
