/**
 * Checking a set certificate (analyzer/checkers/evidence.ts) against the history, with none of
 * the checker's code. `:final` must be the last `:ok` `:read` of a collection (its completion).
 * A lost element's `:add` is an `:ok` add of it, and the final read lacks it; an unexpected
 * element is in the final read and no `:add` of it was ever invoked. A valid verdict: the final
 * read shows every element an add of which completed `:ok`, and holds nothing never added.
 */
import type { EdnMap } from '../edn/values.js';
import { printEdn } from '../edn/print.js';
import type { History } from '../history/history.js';
import { OK } from '../history/op.js';
import type { Check } from './linear.js';
import { OpIndex, count, elementsOf, fault, mapsOf, textOf } from './ops.js';

/** Checks the set evidence `cert` against `h` (see this file's header). */
export function verifySet(h: History, cert: EdnMap, checker = 'set'): Check {
  const c = verifyFinalRead(h, cert);
  return c.holds ? { holds: true, what: `${checker}: ${c.what}` } : fault(`${checker}${c.why}`);
}

/** lock-set's evidence is set's (the same verdict of the final read). */
export const verifyLockSet = (h: History, cert: EdnMap): Check => verifySet(h, cert, 'lock-set');

/** verifySet's work; each message starts where the checker's name ends (`: …` or `, lost element …`). */
function verifyFinalRead(h: History, cert: EdnMap): Check {
  const ops = new OpIndex(h);
  const f = ops.position(cert.kw('final'));
  const finalItems = ops.is(f, 'read', OK) ? elementsOf(h.value[f]) : undefined;
  if (finalItems === undefined) return fault(`: op ${printEdn(cert.kw('final') ?? null)} is no :ok read of the set`);
  for (let i = f + 1; i < h.length; i++) if (ops.is(i, 'read', OK) && elementsOf(h.value[i]) !== undefined) return fault(`: read op ${h.index[f]} is not the final read (op ${h.index[i]} completed after it)`);
  const inFinal = new Set(finalItems.map(textOf));
  const attempted = new Set(ops.invocationsOf('add').map((i) => textOf(h.value[i])));
  const verdict = cert.kw('valid?');
  if (verdict === true) {
    let acked = 0;
    for (let i = 0; i < h.length; i++) {
      if (!ops.is(i, 'add', OK)) continue;
      acked++;
      const t = textOf(ops.askedValue(i));
      if (!inFinal.has(t)) return fault(`: op ${h.index[i]} added ${t}, and the final read op ${h.index[f]} lacks it: lost, yet the verdict is valid`);
    }
    const stray = finalItems.find((x) => !attempted.has(textOf(x)));
    if (stray !== undefined) return fault(`: the final read op ${h.index[f]} holds ${printEdn(stray)}, which no add offered, yet the verdict is valid`);
    return { holds: true, what: `the final read shows all ${count(acked, 'acknowledged add')}` };
  }
  if (verdict !== false) return fault(': the evidence has no verdict');
  const lost = mapsOf(cert.kw('lost'));
  if (typeof lost === 'number') return fault(`: :lost entry ${lost} is not a map`);
  for (const e of lost) {
    const t = textOf(e.kw('element') ?? null);
    const a = ops.position(e.kw('add'));
    if (!ops.is(a, 'add', OK) || textOf(ops.askedValue(a)) !== t) return fault(`, lost element ${t}: op ${printEdn(e.kw('add') ?? null)} is no :ok add of it`);
    if (inFinal.has(t)) return fault(`, lost element ${t}: the final read op ${h.index[f]} shows it`);
  }
  const unexpected = cert.kw('unexpected');
  const strays = Array.isArray(unexpected) ? unexpected : [];
  for (const x of strays) {
    const t = textOf(x);
    if (!inFinal.has(t)) return fault(`, unexpected element ${t}: the final read op ${h.index[f]} lacks it`);
    if (attempted.has(t)) return fault(`, unexpected element ${t}: an add of it was invoked (op ${h.index[ops.invocationsOf('add').find((i) => textOf(h.value[i]) === t)!]})`);
  }
  if (lost.length + strays.length === 0) return fault(': the verdict is invalid, but the evidence shows nothing lost or unexpected');
  return { holds: true, what: `${lost.length} lost, ${strays.length} unexpected, against the final read` };
}
