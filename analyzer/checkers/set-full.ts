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
 * Cost: one pass interning read contents (the sum of read sizes, inherent), a CSR index element →
 * reads containing it, then per element a walk down the reads in invocation order that only
 * steps over reads containing the element (charged to the read sizes) or over reads in flight
 * when its add began. No element × read scans.
 */
import { EdnMap, type EdnRecord, type EdnValue, kw, markList } from '../edn/values.js';
import type { History } from '../history/history.js';
import { INVOKE, OK } from '../history/op.js';
import { type CheckResult, type Checker, UNKNOWN, type Validity } from './checker.js';
import { Interner, itemsOf, opRecord, sortedValues } from './support.js';

export interface SetFullOptions {
  /** Stale reads make the history invalid. */
  linearizable?: boolean;
}

class IntList {
  a = new Int32Array(1024);
  n = 0;
  push(x: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = x;
  }
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

export function setFullOf(history: History, options: SetFullOptions = {}): CheckResult {
  const addF = history.fId('add');
  const readF = history.fId('read');
  const ids = new Interner();
  // Per element (grown as interned): latest add invocation, earliest ok add after it.
  let addInv = new Int32Array(1024).fill(-1);
  let addOk = new Int32Array(1024).fill(-1);
  let stamp = new Int32Array(1024).fill(-1);
  const grow = (): void => {
    const cap = addInv.length * 2;
    const g = (a: Int32Array) => {
      const b = new Int32Array(cap).fill(-1);
      b.set(a);
      return b;
    };
    addInv = g(addInv);
    addOk = g(addOk);
    stamp = g(stamp);
  };
  const intern = (v: EdnValue): number => {
    const e = ids.id(v);
    if (e >= addInv.length) grow();
    return e;
  };

  const readInv = new IntList();
  const readComp = new IntList();
  const pairElem = new IntList();
  const pairRead = new IntList();
  const dups = new Map<number, number>();
  let dupCounts: Map<number, number> | undefined;

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
        if (addOk[e] < 0 && addInv[e] >= 0) addOk[e] = i;
      }
    } else if (f === readF && t === INVOKE) {
      const c = history.pair[i];
      if (c < 0 || history.type[c] !== OK) continue;
      const items = itemsOf(history.value[c]);
      if (items === undefined) continue;
      const r = readInv.n;
      readInv.push(i);
      readComp.push(c);
      dupCounts = undefined;
      for (let k = 0; k < items.length; k++) {
        const e = intern(items[k]);
        if (stamp[e] === r) {
          dupCounts ??= new Map();
          const m = (dupCounts.get(e) ?? 1) + 1;
          dupCounts.set(e, m);
          if (m > (dups.get(e) ?? 0)) dups.set(e, m);
          continue;
        }
        stamp[e] = r;
        pairElem.push(e);
        pairRead.push(r);
      }
    }
  }

  // CSR: element -> read ids containing it, ascending (reads were numbered in invocation order).
  const nElems = ids.size;
  const start = new Int32Array(nElems + 1);
  for (let k = 0; k < pairElem.n; k++) start[pairElem.a[k] + 1]++;
  for (let e = 0; e < nElems; e++) start[e + 1] += start[e];
  const fill = start.slice(0, nElems);
  const lists = new Int32Array(pairElem.n);
  for (let k = 0; k < pairElem.n; k++) lists[fill[pairElem.a[k]]++] = pairRead.a[k];

  const m = readInv.n;
  const rInv = readInv.a;
  const rComp = readComp.a;
  const prefixMaxComp = new Int32Array(m);
  for (let r = 0, mx = -1; r < m; r++) prefixMaxComp[r] = mx = Math.max(mx, rComp[r]);
  const firstReadAfter = (pos: number): number => {
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rInv[mid] > pos) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const time = history.time;

  interface ElementResult {
    element: EdnValue;
    outcome: 'stable' | 'lost' | 'never-read';
    stableLatency: number | null;
    lostLatency: number | null;
    known: number;
    lastAbsent: number;
    stale: boolean;
  }
  const results: ElementResult[] = [];
  const unexpected: EdnValue[] = [];

  for (let e = 0; e < nElems; e++) {
    const a = addInv[e];
    const s0 = start[e];
    const s1 = start[e + 1];
    if (a < 0) {
      if (s1 > s0) unexpected.push(ids.values[e]);
      continue;
    }
    let known = addOk[e];
    let lastPresent = -1;
    for (let k = s0; k < s1; k++) {
      const r = lists[k];
      if (rComp[r] <= a) continue;
      if (known < 0 || rComp[r] < known) known = rComp[r];
      if (r > lastPresent) lastPresent = r;
    }
    // Latest read completing after a that lacks e: walk reads downward, skipping e's own reads.
    let lastAbsent = -1;
    const after = firstReadAfter(a);
    let j = s1 - 1;
    for (let r = m - 1; r >= 0; r--) {
      if (r < after && prefixMaxComp[r] <= a) break;
      while (j >= s0 && lists[j] > r) j--;
      if (j >= s0 && lists[j] === r) continue;
      if (rComp[r] > a) {
        lastAbsent = r;
        break;
      }
    }
    const stable = lastPresent >= 0 && lastAbsent < lastPresent;
    const lost = !stable && known >= 0 && lastAbsent >= 0 && lastPresent < lastAbsent && known < rInv[lastAbsent];
    const knownTime = known >= 0 ? time[known] : NaN;
    let stableLatency: number | null = null;
    let lostLatency: number | null = null;
    if (stable) {
      const st = lastAbsent >= 0 ? time[rInv[lastAbsent]] + 1 : 0;
      const ns = st - knownTime;
      stableLatency = Number.isNaN(ns) ? null : nanosToMs(ns);
    } else if (lost) {
      const lt = lastPresent >= 0 ? time[rInv[lastPresent]] + 1 : 0;
      const ns = lt - knownTime;
      lostLatency = Number.isNaN(ns) ? null : nanosToMs(ns);
    }
    results.push({
      element: ids.values[e],
      outcome: stable ? 'stable' : lost ? 'lost' : 'never-read',
      stableLatency,
      lostLatency,
      known,
      lastAbsent: lastAbsent >= 0 ? rInv[lastAbsent] : -1,
      stale: stable && lastAbsent >= 0 && rInv[lastAbsent] > known,
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
  const stableLat = frequencyDistribution(results.flatMap((r) => (r.stableLatency === null ? [] : [r.stableLatency])));
  if (stableLat) out['stable-latencies'] = stableLat;
  const lostLat = frequencyDistribution(results.flatMap((r) => (r.lostLatency === null ? [] : [r.lostLatency])));
  if (lostLat) out['lost-latencies'] = lostLat;
  out['duplicated-count'] = dups.size;
  out.duplicated = dupMap;
  if (unexpected.length > 0) {
    out['unexpected-count'] = unexpected.length;
    out.unexpected = markList(sortedValues(unexpected));
  }
  return out;
}

export const setFull: Checker<SetFullOptions> = {
  name: 'set-full',
  summary: 'a set read during the run: lost, stale and never-read elements, visibility latencies (Jepsen set-full)',
  options: [{ flags: '--linearizable', description: 'set-full: stale reads make the history invalid (the set should be linearizable)' }],
  check: (history, options) => setFullOf(history, { linearizable: options.linearizable === true }),
  describe: (r) =>
    `${String(r['attempt-count'])} elements: ${String(r['stable-count'])} stable, ${String(r['lost-count'])} lost, ${String(r['stale-count'])} stale, ${String(r['never-read-count'])} never read`,
};
