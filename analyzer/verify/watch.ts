/**
 * Checking a watch certificate (analyzer/checkers/evidence.ts) against the history, with none of
 * the checker's code. A watcher's log is the concatenation, in history order, of the `:log`s of
 * its process's `:ok` `:watch` and `:final-watch` ops; its revision the highest `:revision` they
 * give (0 for none). Invalid: each divergence names two watchers whose logs both have position
 * `:index` and differ there, and each `:nonmonotonic` op carries a nonmonotonic-watch error.
 * Valid: no such error, every log a prefix of the longest (so any two agree where both have
 * entries), `:watchers` of them, all ended at `:revision`.
 */
import { EdnMap, type EdnValue, isRecord } from '../edn/values.js';
import { printEdn } from '../edn/print.js';
import type { History } from '../history/history.js';
import { INVOKE, OK } from '../history/op.js';
import type { Check } from './linear.js';
import { OpIndex, count, elementsOf, fault, mapsOf, textOf } from './ops.js';

const fieldOf = (v: EdnValue, k: string): EdnValue | undefined => (v instanceof EdnMap ? v.kw(k) : isRecord(v) ? v[k] : undefined);
const isWatch = (ops: OpIndex, i: number, type: number): boolean => ops.is(i, 'watch', type) || ops.is(i, 'final-watch', type);
/** A nonmonotonic-watch error, as the recorder writes it (`[:nonmonotonic-watch …]`) or in words. */
const nonmonotonic = (e: EdnValue | undefined): boolean => e !== undefined && /nonmonotonic/i.test(printEdn(e));

/** Each watcher's log and revision, by its process as printed. */
function watchers(ops: OpIndex): Map<string, { log: EdnValue[]; revision: number }> {
  const h = ops.h;
  const out = new Map<string, { log: EdnValue[]; revision: number }>();
  for (let i = 0; i < h.length; i++) {
    if (!isWatch(ops, i, OK)) continue;
    const p = textOf(h.processValue(i) ?? null);
    let w = out.get(p);
    if (w === undefined) out.set(p, (w = { log: [], revision: 0 }));
    w.log.push(...(elementsOf(fieldOf(h.value[i], 'log') ?? null) ?? []));
    const r = fieldOf(h.value[i], 'revision');
    if (typeof r === 'number' && r > w.revision) w.revision = r;
  }
  return out;
}

/** Checks the watch evidence `cert` against `h` (see this file's header). */
export function verifyWatch(h: History, cert: EdnMap): Check {
  const ops = new OpIndex(h);
  const logs = watchers(ops);
  const valid = cert.kw('valid?');
  if (valid === true) {
    for (let i = 0; i < h.length; i++) if (h.type[i] !== INVOKE && isWatch(ops, i, h.type[i]) && nonmonotonic(h.error.get(i))) return fault(`watch: op ${h.index[i]} reports a nonmonotonic watch, yet the verdict is valid`);
    const longest = [...logs.values()].reduce((a, b) => (b.log.length > a.length ? b.log : a), [] as EdnValue[]);
    for (const [p, w] of logs) {
      const at = w.log.findIndex((x, j) => textOf(x) !== textOf(longest[j]));
      if (at >= 0) return fault(`watch: process ${p}'s log has ${printEdn(w.log[at])} at position ${at}, the longest log ${printEdn(longest[at])}`);
      if (w.revision !== cert.kw('revision')) return fault(`watch: process ${p} ended at revision ${w.revision}, not ${printEdn(cert.kw('revision') ?? null)}`);
    }
    if (logs.size === 0 || logs.size !== cert.kw('watchers')) return fault(`watch: ${count(logs.size, 'watcher')}, not ${printEdn(cert.kw('watchers') ?? null)}`);
    return { holds: true, what: `watch: ${count(logs.size, 'watcher')} whose logs agree, all at revision ${logs.values().next().value!.revision}` };
  }
  if (valid !== false) return fault('watch: the evidence has no verdict');
  const divergences = mapsOf(cert.kw('divergences'));
  if (typeof divergences === 'number') return fault(`watch: divergence ${divergences} is not a map`);
  for (const [j, d] of divergences.entries()) {
    const ps = d.kw('processes');
    const at = d.kw('index');
    const [a, b] = Array.isArray(ps) && ps.length === 2 ? ps.map((p) => logs.get(textOf(p))) : [undefined, undefined];
    if (a === undefined || b === undefined || typeof at !== 'number') return fault(`watch: divergence ${j} does not name two watchers and a position`);
    const what = `watch, divergence ${j} (processes ${printEdn(ps ?? null)}, position ${at})`;
    if (at >= a.log.length || at >= b.log.length) return fault(`${what}: one log is shorter`);
    if (textOf(a.log[at]) === textOf(b.log[at])) return fault(`${what}: both logs have ${printEdn(a.log[at])} there`);
  }
  const named = cert.kw('nonmonotonic');
  const errs = Array.isArray(named) ? named : [];
  for (const x of errs) {
    const i = ops.position(x);
    if (!(i >= 0 && h.type[i] !== INVOKE && isWatch(ops, i, h.type[i]) && nonmonotonic(h.error.get(i)))) return fault(`watch: op ${printEdn(x)} is no watch with a nonmonotonic error`);
  }
  if (divergences.length + errs.length === 0) return fault('watch: the verdict is invalid, but no logs are shown to disagree');
  return { holds: true, what: `watch: ${count(divergences.length, 'disagreeing pair')} of logs, ${errs.length} nonmonotonic, derived again from the watches` };
}
