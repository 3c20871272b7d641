/**
 * `watch`: the etcd analysis's watch check. Some clients `:write` unique values to one key;
 * others `:watch` it, each resuming from the revision where its previous watch stopped, and a
 * `:final-watch` catches each watcher up to the key's last revision. An ok watch's value is
 * `{:revision r, :log [v1 v2 …]}`: the values of the writes it saw, in order, ending at
 * revision r. A watcher's whole view is the concatenation of its ok watches' logs (ops grouped
 * by `:process`; watches only ever complete ok or fail, so a process keeps one log).
 *
 * Every watcher must see the same sequence: any two logs must agree where both have entries
 * (one is a prefix of the other). A disagreement at position i is a gap, a reordering or a
 * phantom; we report, per pair of disagreeing watchers, the first position and both values.
 * Valid: false on a disagreement or a nonmonotonic watch error; unknown if watchers ended at
 * different revisions (someone never caught up); else true.
 *
 * Result keys follow Jepsen's etcd checker: `:revisions` (process → last revision) always; when
 * not valid, `:canonical` (the most common log, else the longest), `:deltas` (per process that
 * differs from it: first divergence), `:divergences` (per pair), `:nonmonotonic-errors`; and
 * `:missed-at-start`, per watcher whose log is the canonical one with its first values missing
 * (it started late — a watch from etcd's revision 0 starts at the current revision + 1): how
 * many it missed, the first of them, and the value it saw first.
 */
import { EdnMap, type EdnRecord, type EdnValue, Keyword, ednEquals, ednHash, isRecord } from '../edn/values.js';
import { printEdn } from '../edn/print.js';
import type { History } from '../history/history.js';
import { OK } from '../history/op.js';
import { type CheckResult, type Checker, UNKNOWN, type Validity } from '../check/checker.js';
import { itemsOf } from '../check/results.js';
import { watchEvidence } from './evidence.js';

const MAX_REPORTED = 32;

function field(v: EdnValue, name: string): EdnValue | undefined {
  if (v instanceof EdnMap) return v.kw(name);
  if (isRecord(v)) return v[name];
  return undefined;
}

/**
 * How many of `canonical`'s first values `log` lacks when it is the canonical log with a prefix
 * missing (it starts later and then agrees wherever both have entries), else undefined: a
 * watcher that started late, as a watch from etcd's revision 0 does (the current revision + 1).
 */
function missedAtStart(canonical: EdnValue[], log: EdnValue[]): number | undefined {
  if (log.length === 0) return undefined;
  const k = canonical.findIndex((v) => ednEquals(v, log[0]));
  if (k <= 0) return undefined;
  for (let i = 0; i < log.length && k + i < canonical.length; i++) if (!ednEquals(canonical[k + i], log[i])) return undefined;
  return k;
}

/** First index where a and b differ within their common length, or -1 if one is a prefix of the other. */
function firstDivergence(a: EdnValue[], b: EdnValue[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (!ednEquals(a[i], b[i])) return i;
  return -1;
}

function isNonmonotonic(e: EdnValue): boolean {
  if (Array.isArray(e) && e[0] instanceof Keyword && e[0].name === 'nonmonotonic-watch') return true;
  return /nonmonotonic/i.test(typeof e === 'string' ? e : printEdn(e));
}

/** Checks a watch history (see this file's header); unknown too when no `:watch` or `:final-watch` completed ok. */
export function checkWatch(history: History, certify?: (evidence: EdnRecord) => void): CheckResult {
  const watchF = history.fId('watch');
  const finalF = history.fId('final-watch');
  const logs = new Map<number, EdnValue[]>();
  const revisions = new Map<number, number>();
  const nonmonotonic: EdnValue[] = [];
  // For a certificate: the ops with a nonmonotonic error, and each watcher's process as read.
  const nonmonotonicAt: number[] = [];
  const processOf = new Map<number, EdnValue>();
  for (let i = 0; i < history.length; i++) {
    const f = history.f[i];
    if (f < 0 || (f !== watchF && f !== finalF) || !history.isClient(i)) continue;
    const e = history.error.get(i);
    if (e !== undefined && history.type[i] !== 0 && isNonmonotonic(e)) {
      nonmonotonic.push(e);
      nonmonotonicAt.push(i);
    }
    if (history.type[i] !== OK) continue;
    const p = history.process[i];
    const v = history.value[i];
    if (certify !== undefined) processOf.set(p, history.processValue(i) ?? null);
    let log = logs.get(p);
    if (!log) logs.set(p, (log = []));
    for (const x of itemsOf(field(v, 'log') ?? null) ?? []) log.push(x);
    const r = field(v, 'revision');
    if (typeof r === 'number') revisions.set(p, Math.max(revisions.get(p) ?? 0, r));
    else if (!revisions.has(p)) revisions.set(p, 0);
  }
  const procs = [...logs.keys()].sort((a, b) => a - b);
  // Group identical logs so pairs are compared once per distinct log.
  const classes: { log: EdnValue[]; procs: number[] }[] = [];
  const byHash = new Map<number, number[]>();
  for (const p of procs) {
    const log = logs.get(p)!;
    const h = ednHash(log);
    const bucket = byHash.get(h) ?? [];
    byHash.set(h, bucket);
    const c = bucket.find((k) => ednEquals(classes[k].log, log));
    if (c !== undefined) classes[c].procs.push(p);
    else {
      bucket.push(classes.length);
      classes.push({ log, procs: [p] });
    }
  }
  // Canonical: the most common log if shared by two or more watchers, else the longest.
  let canonical = classes[0];
  for (const c of classes) {
    if (c.procs.length > canonical.procs.length || (c.procs.length === canonical.procs.length && c.log.length > canonical.log.length)) canonical = c;
  }
  if (canonical && canonical.procs.length < 2) for (const c of classes) if (c.log.length > canonical.log.length) canonical = c;

  const divergences: EdnRecord[] = [];
  let divergentPairs = 0;
  for (let x = 0; x < classes.length; x++) {
    for (let y = x + 1; y < classes.length; y++) {
      const i = firstDivergence(classes[x].log, classes[y].log);
      if (i < 0) continue;
      for (const p of classes[x].procs) {
        for (const q of classes[y].procs) {
          divergentPairs++;
          const [a, b, pa, pb] = p < q ? [classes[x], classes[y], p, q] : [classes[y], classes[x], q, p];
          if (divergences.length < MAX_REPORTED) divergences.push({ processes: [pa, pb], index: i, values: [a.log[i], b.log[i]] });
        }
      }
    }
  }
  const deltas: EdnRecord[] = [];
  const missed: EdnRecord[] = [];
  if (canonical) {
    for (const c of classes) {
      if (c === canonical) continue;
      const i = firstDivergence(canonical.log, c.log);
      const late = i < 0 ? undefined : missedAtStart(canonical.log, c.log);
      for (const p of c.procs) {
        deltas.push({
          process: p,
          'first-divergence': i < 0 ? null : i,
          expected: i < 0 ? null : canonical.log[i],
          actual: i < 0 ? null : c.log[i],
          length: c.log.length,
          'canonical-length': canonical.log.length,
          ...(late === undefined ? {} : { 'missed-at-start': late }),
        });
        if (late !== undefined) missed.push({ process: p, missed: late, values: canonical.log.slice(0, Math.min(late, MAX_REPORTED)), 'first-seen': c.log[0] });
      }
    }
  }
  const revs = new Set(revisions.values());
  let valid: Validity;
  if (nonmonotonic.length > 0 || divergentPairs > 0) valid = false;
  else if (procs.length === 0 || revs.size > 1) valid = UNKNOWN;
  else valid = true;
  const out: CheckResult = { 'valid?': valid, revisions: new EdnMap(procs, procs.map((p) => revisions.get(p) ?? 0)) };
  if (procs.length === 0) out.error = 'no ok :watch or :final-watch ops';
  if (certify !== undefined && valid !== UNKNOWN) {
    const named = divergences.map((d) => ({ processes: (d.processes as number[]).map((p) => processOf.get(p) ?? null), index: d.index ?? null }));
    certify(watchEvidence(history, { valid: valid === true, revision: [...revs][0] ?? 0, watchers: procs.length, divergences: named, nonmonotonic: nonmonotonicAt }));
  }
  if (valid !== true && procs.length > 0) {
    out.canonical = canonical.log;
    out.deltas = deltas;
    out['divergent-pair-count'] = divergentPairs;
    out.divergences = divergences;
    out['nonmonotonic-errors'] = nonmonotonic;
    if (missed.length > 0) out['missed-at-start'] = missed;
  }
  return out;
}

/**
 * The `watch` checker (`--checker watch`): `checkWatch`; no options.
 *
 * @example
 * const result = await check(history, [watch]);
 */
export const watch: Checker = {
  name: 'watch',
  summary: 'etcd watches: every watcher observes the same sequence of values, no gaps or reordering',
  accepts: ['watch', 'final-watch'],
  check: (history, _o, ctx) => checkWatch(history, ctx?.certify === undefined ? undefined : (e) => ctx.certify!('watch', e)),
  describe: (r) => {
    const n = r.revisions instanceof EdnMap ? r.revisions.size : 0;
    const late = Array.isArray(r['missed-at-start']) ? r['missed-at-start'].length : 0;
    return r['valid?'] === true ? `${n} watchers agree` : `${n} watchers, ${String(r['divergent-pair-count'] ?? 0)} disagreeing pairs${late > 0 ? `; ${late} started late and missed the first events` : ''}`;
  },
};


