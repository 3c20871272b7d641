/**
 * `--independent` evidence (`{:independent true, :keys [{:key k, …} …]}`): the history split by
 * key here again — a client op's value `[k v]` is op v of key k; an op with no tuple of its own
 * takes its partner's key (an invocation's `[k nil]` names a completion's) — and each key's
 * evidence checked against that key's ops (their own `:index`es kept) by the checker's verifier.
 * A valid verdict needs a valid entry for every key of the history; an invalid one an invalid
 * entry.
 */
import { printEdn } from '../edn/print.js';
import { EdnMap, type EdnValue } from '../edn/values.js';
import { type History, historyOf } from '../history/history.js';
import type { OpInput } from '../history/op.js';
import type { Check } from './linear.js';
import { fault } from './ops.js';

const tupleKey = (v: EdnValue): EdnValue | undefined => (Array.isArray(v) && v.length === 2 ? v[0] : undefined);

/** Each key's ops as a history of their own, by the key's EDN text. */
function byKey(h: History): Map<string, History> {
  const ops = new Map<string, OpInput[]>();
  for (let i = 0; i < h.length; i++) {
    if (!h.isClient(i)) continue;
    const own = tupleKey(h.value[i]);
    const key = own ?? (h.pair[i] >= 0 ? tupleKey(h.value[h.pair[i]]) : undefined);
    if (key === undefined) continue;
    const op: OpInput = { ...h.op(i), value: own !== undefined ? (h.value[i] as EdnValue[])[1] : null };
    const text = printEdn(key);
    const list = ops.get(text);
    if (list === undefined) ops.set(text, [op]);
    else list.push(op);
  }
  return new Map([...ops].map(([k, list]) => [k, historyOf(list, `${h.file} key ${k}`)]));
}

/** Checker `name`'s verifier `verify`, taking `--independent` evidence too: each key's checked by `verify` against that key's ops. */
export function keyed(name: string, verify: (h: History, cert: EdnMap) => Check): (h: History, cert: EdnMap) => Check {
  return (h, cert) => {
    if (cert.kw('independent') !== true) return verify(h, cert);
    const entries = cert.kw('keys');
    if (!Array.isArray(entries)) return fault(`${name}: independent evidence without :keys`);
    const histories = byKey(h);
    const valid = new Set<string>();
    let invalid = 0;
    for (const e of entries) {
      if (!(e instanceof EdnMap)) return fault(`${name}: an entry of :keys is not a map`);
      const k = printEdn(e.kw('key') ?? null);
      const kh = histories.get(k);
      if (kh === undefined) return fault(`${name}, key ${k}: no op of the history has it`);
      const c = verify(kh, e);
      if (!c.holds) return fault(`key ${k}: ${c.why}`);
      if (e.kw('valid?') === true) valid.add(k);
      else invalid++;
    }
    const verdict = cert.kw('valid?');
    if (verdict === true) {
      const missing = [...histories.keys()].find((k) => !valid.has(k));
      if (missing !== undefined) return fault(`${name}: the verdict is valid, but key ${missing} has no valid evidence`);
    } else if (verdict !== false || invalid === 0) return fault(`${name}: the verdict is invalid, but no key has invalid evidence`);
    return { holds: true, what: `${name}: ${entries.length} keys (${valid.size} valid, ${invalid} not), each's evidence derived again from its own ops` };
  };
}
