/**
 * Checking a set-full certificate (analyzer/checkers/evidence.ts) against the history, with
 * none of the checker's code. An element's add is its latest `:add` invocation A; reads are the
 * `:ok` `:read`s whose value is a collection, in invocation order. An element became *known* at
 * an `:ok` add of it completing after A, or at the completion (after A) of a read showing it.
 *
 * - lost x: A is x's latest add; `:known` is an op that made x known; `:absent` is a read lacking
 *   x, invoked after that; and no read invoked after it shows x (so the latest read lacking x
 *   began after x was known and after the last read showing it: the checker's definition).
 * - stale x: the same without the last condition, and `:present` a read showing x, invoked after
 *   the absent one (a read that should have seen x, then x again).
 * - duplicated x: the read holds x `:count` (≥ 2) times. unexpected x: the read holds x and no
 *   `:add` of x was ever invoked.
 * - valid: each stable [x P]: P shows x, completed after A, and every read invoked after P (and
 *   completed after A) shows x. Every other added element is not lost: the last read was invoked
 *   before x was known (or x never was). No read holds an element twice or one never added; at
 *   least one element is stable; with `:linearizable`, every read invoked after x was known shows x.
 */
import { type EdnMap, type EdnValue } from '../edn/values.js';
import { printEdn } from '../edn/print.js';
import type { History } from '../history/history.js';
import { INVOKE, OK } from '../history/op.js';
import type { Check } from './linear.js';
import { OpIndex, count, elementsOf, fault, mapsOf, textOf } from './ops.js';

/** The reads, in invocation order, and which reads show each element. */
class SetView {
  readonly inv: number[] = [];
  readonly comp: number[] = [];
  readonly items: EdnValue[][] = [];
  readonly rank = new Map<number, number>();
  /** Per element (text): the ranks of the reads showing it, ascending. */
  readonly showing = new Map<string, number[]>();
  /** Per element (text): its latest add invocation, and the first :ok add of it completing after that. */
  readonly lastAdd = new Map<string, number>();
  private readonly addOk = new Map<string, number>();
  /** The first read holding an element twice, and the first element no add was invoked for. */
  twice: { rank: number; element: EdnValue } | undefined;
  never: { rank: number; element: EdnValue } | undefined;

  constructor(readonly ops: OpIndex) {
    const h = ops.h;
    for (const a of ops.invocationsOf('add')) this.lastAdd.set(textOf(h.value[a]), a);
    for (let i = 0; i < h.length; i++) {
      if (!ops.is(i, 'add', OK)) continue;
      const t = textOf(ops.askedValue(i));
      if (i > (this.lastAdd.get(t) ?? Infinity) && !this.addOk.has(t)) this.addOk.set(t, i);
    }
    for (const i of ops.invocationsOf('read')) {
      const c = ops.okOf(i);
      const items = c < 0 ? undefined : elementsOf(h.value[c]);
      if (items === undefined) continue;
      const r = this.inv.length;
      this.rank.set(i, r);
      this.inv.push(i);
      this.comp.push(c);
      this.items.push(items);
      for (const x of items) {
        const t = textOf(x);
        let s = this.showing.get(t);
        if (s === undefined) this.showing.set(t, (s = []));
        if (s[s.length - 1] === r) this.twice ??= { rank: r, element: x };
        else s.push(r);
        if (!this.lastAdd.has(t)) this.never ??= { rank: r, element: x };
      }
    }
  }

  shows(r: number, t: string): boolean {
    const s = this.showing.get(t);
    return s !== undefined && binarySearch(s, r) >= 0;
  }

  /** The position where x became known (see the file's header), or -1. */
  known(t: string): number {
    const a = this.lastAdd.get(t);
    if (a === undefined) return -1;
    let k = this.addOk.get(t) ?? -1;
    for (const r of this.showing.get(t) ?? []) if (this.comp[r] > a && (k < 0 || this.comp[r] < k)) k = this.comp[r];
    return k;
  }

  /** Every read invoked after read p's invocation and completing after position a shows t. */
  allShowAfter(t: string, p: number, a: number): boolean {
    let reads = this.inv.length - 1 - p;
    // Reads completing before a began before a: only those among the first after p.
    for (let r = p + 1; r < this.inv.length && this.inv[r] < a; r++) if (this.comp[r] <= a) reads--;
    const s = this.showing.get(t) ?? [];
    let shown = 0;
    for (let j = s.length - 1; j >= 0 && s[j] > p; j--) if (this.comp[s[j]] > a) shown++;
    return shown === reads;
  }

  /** Every read invoked after position k shows t. */
  allShowFrom(t: string, k: number): boolean {
    let lo = 0;
    let hi = this.inv.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.inv[mid] > k) hi = mid;
      else lo = mid + 1;
    }
    const s = this.showing.get(t) ?? [];
    return s.length - lowerBound(s, lo) === this.inv.length - lo;
  }
}

function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function binarySearch(a: readonly number[], x: number): number {
  const i = lowerBound(a, x);
  return i < a.length && a[i] === x ? i : -1;
}

/** Why a lost or stale claim does not hold, or undefined when it does. */
function claimFault(v: SetView, e: EdnMap, stale: boolean): string | undefined {
  const h = v.ops.h;
  const x = e.kw('element') ?? null;
  const t = textOf(x);
  const what = `set-full, ${stale ? 'stale' : 'lost'} element ${t}`;
  const a = v.ops.position(e.kw('add'));
  if (!v.ops.is(a, 'add', INVOKE) || textOf(h.value[a]) !== t) return `${what}: op ${printEdn(e.kw('add') ?? null)} is no add of it`;
  if (v.lastAdd.get(t) !== a) return `${what}: op ${h.index[a]} is not its latest add (op ${h.index[v.lastAdd.get(t)!]} is)`;
  const k = v.ops.position(e.kw('known'));
  const knownByAdd = v.ops.is(k, 'add', OK) && textOf(v.ops.askedValue(k)) === t;
  const knownByRead = v.ops.is(k, 'read', OK) && k > a && v.shows(v.rank.get(h.pair[k]) ?? -1, t);
  if (k <= a || (!knownByAdd && !knownByRead)) return `${what}: op ${printEdn(e.kw('known') ?? null)} is neither an :ok add of it nor a read showing it after op ${h.index[a]}`;
  const ra = v.ops.position(e.kw('absent'));
  const r = v.rank.get(ra);
  if (r === undefined) return `${what}: op ${printEdn(e.kw('absent') ?? null)} is no :ok read of the set`;
  if (v.shows(r, t)) return `${what}: read op ${h.index[ra]} shows it`;
  if (ra < k) return `${what}: read op ${h.index[ra]} was invoked before op ${h.index[k]} made it known`;
  if (stale) {
    const pa = v.ops.position(e.kw('present'));
    const p = v.rank.get(pa);
    if (p === undefined || !v.shows(p, t)) return `${what}: op ${printEdn(e.kw('present') ?? null)} is no read showing it`;
    if (p < r) return `${what}: read op ${h.index[pa]} was invoked before read op ${h.index[ra]}`;
    return undefined;
  }
  const s = v.showing.get(t) ?? [];
  const last = s[s.length - 1];
  if (last !== undefined && last > r) return `${what}: read op ${h.index[v.inv[last]]}, invoked after read op ${h.index[ra]}, shows it`;
  return undefined;
}

/** Checks a valid verdict's evidence (see the file's header). */
function validFault(v: SetView, cert: EdnMap): string | undefined {
  const h = v.ops.h;
  const stable = cert.kw('stable');
  if (!Array.isArray(stable) || stable.length === 0) return 'set-full: the verdict is valid, but no element is shown stable';
  if (v.twice !== undefined) return `set-full: read op ${h.index[v.inv[v.twice.rank]]} holds ${printEdn(v.twice.element)} twice, yet the verdict is valid`;
  if (v.never !== undefined) return `set-full: read op ${h.index[v.inv[v.never.rank]]} holds ${printEdn(v.never.element)}, which no add offered, yet the verdict is valid`;
  const shown = new Set<string>();
  for (const [j, raw] of stable.entries()) {
    const [x, pIndex] = Array.isArray(raw) && raw.length === 2 ? raw : [undefined, undefined];
    const t = textOf(x ?? null);
    const what = `set-full, stable element ${t}`;
    const a = v.lastAdd.get(t);
    if (x === undefined || a === undefined) return `set-full: stable entry ${j} is no [element read] of an added element`;
    const pa = v.ops.position(pIndex);
    const p = v.rank.get(pa);
    if (p === undefined || !v.shows(p, t)) return `${what}: op ${printEdn(pIndex ?? null)} is no read showing it`;
    if (v.comp[p] < a) return `${what}: read op ${h.index[pa]} completed before its add op ${h.index[a]} was invoked`;
    if (!v.allShowAfter(t, p, a)) return `${what}: a read invoked after read op ${h.index[pa]} lacks it`;
    shown.add(t);
  }
  const lastInv = v.inv.length === 0 ? -1 : v.inv[v.inv.length - 1];
  const linearizable = cert.kw('linearizable') === true;
  for (const [t, a] of v.lastAdd) {
    const k = v.known(t);
    if (k < 0) continue;
    if (!shown.has(t) && lastInv > k && !v.shows(v.inv.length - 1, t)) return `set-full, element ${t}: known at op ${h.index[k]} (added by op ${h.index[a]}), the last read op ${h.index[lastInv]} lacks it, and it is not shown stable: lost`;
    if (linearizable && !v.allShowFrom(t, k)) return `set-full, element ${t}: a read invoked after op ${h.index[k]} made it known lacks it: stale, and the check was linearizable`;
  }
  return undefined;
}

/** Checks the set-full evidence `cert` against `h` (see this file's header). */
export function verifySetFull(h: History, cert: EdnMap): Check {
  const v = new SetView(new OpIndex(h));
  const verdict = cert.kw('valid?');
  if (verdict === true) {
    const why = validFault(v, cert);
    return why === undefined ? { holds: true, what: `set-full: ${count((cert.kw('stable') as EdnValue[]).length, 'element')} shown stable, none lost` } : fault(why);
  }
  if (verdict !== false) return fault('set-full: the evidence has no verdict');
  const lists: Record<string, EdnMap[]> = {};
  for (const name of ['lost', 'stale', 'duplicated', 'unexpected']) {
    const l = mapsOf(cert.kw(name));
    if (typeof l === 'number') return fault(`set-full: :${name} entry ${l} is not a map`);
    lists[name] = l;
  }
  for (const [name, stale] of [['lost', false], ['stale', true]] as const) {
    for (const e of lists[name]) {
      const why = claimFault(v, e, stale);
      if (why !== undefined) return fault(why);
    }
  }
  for (const e of lists.duplicated) {
    const t = textOf(e.kw('element') ?? null);
    const r = v.rank.get(v.ops.position(e.kw('read')));
    const n = r === undefined ? 0 : v.items[r].filter((y) => textOf(y) === t).length;
    if (n < 2 || n !== e.kw('count')) return fault(`set-full, duplicated element ${t}: read op ${printEdn(e.kw('read') ?? null)} holds it ${n} times, not ${printEdn(e.kw('count') ?? null)}`);
  }
  for (const e of lists.unexpected) {
    const t = textOf(e.kw('element') ?? null);
    const r = v.rank.get(v.ops.position(e.kw('read')));
    if (r === undefined || !v.shows(r, t)) return fault(`set-full, unexpected element ${t}: op ${printEdn(e.kw('read') ?? null)} is no read showing it`);
    if (v.lastAdd.has(t)) return fault(`set-full, unexpected element ${t}: op ${h.index[v.lastAdd.get(t)!]} adds it`);
  }
  const linearizable = cert.kw('linearizable') === true;
  const bad = lists.lost.length + lists.duplicated.length + lists.unexpected.length + (linearizable ? lists.stale.length : 0);
  if (bad === 0) return fault('set-full: the verdict is invalid, but the evidence shows nothing lost, duplicated or unexpected' + (linearizable ? ' or stale' : ''));
  const parts = (['lost', 'stale', 'duplicated', 'unexpected'] as const).filter((n) => lists[n].length > 0).map((n) => `${lists[n].length} ${n}`);
  return { holds: true, what: `set-full: ${parts.join(', ')} derived again from the reads` };
}
