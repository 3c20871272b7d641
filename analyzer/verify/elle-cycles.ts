/**
 * What the Elle verifiers (elle-append.ts, elle-register.ts) check of every cycle alike: it
 * closes, names transactions of the history, each step holds — a data step (ww, wr, rw) as the
 * workload's verifier derives it, a process or realtime step here — and its edges make the
 * anomaly it is called (G0 ww only; G1c ww and wr with a wr; G-single(-item) one rw;
 * G-nonadjacent(-item) rw edges, none adjacent; G2(-item) two rw in a row; `-process` /
 * `-realtime` with such an edge).
 */
import { printEdn } from '../edn/print.js';
import { EdnMap, type EdnValue, ednEquals } from '../edn/values.js';
import { type Txn, name } from './elle-txns.js';

/** Why data step `s` from `a` to `b` does not hold, or undefined when it does. */
export type DataStepFault = (a: Txn, b: Txn, s: EdnMap) => string | undefined;

/** Why a process or realtime step does not hold; the data steps go to `data`. */
function stepFault(a: Txn, b: Txn, s: EdnMap, data: DataStepFault): string | undefined {
  const ab = `op ${a.index} → op ${b.index}`;
  switch (name(s.kw('type') ?? null)) {
    case 'process': {
      const p = s.kw('process') ?? null;
      if (!ednEquals(a.process ?? null, p) || !ednEquals(b.process ?? null, p)) return `process ${ab}: not both on process ${printEdn(p)}`;
      if (a.comp < 0 || a.comp > b.inv) return `process ${ab}: op ${b.index} was invoked before op ${a.index} completed`;
      return undefined;
    }
    case 'realtime':
      if (a.comp < 0 || a.comp > b.inv) return `realtime ${ab}: op ${b.index} was invoked before op ${a.index} completed`;
      return undefined;
    default:
      return data(a, b, s);
  }
}

/** Whether the cycle's edge types make the anomaly `type` (see the file's header). */
function typeFault(type: string, kinds: string[]): string | undefined {
  const base = type.replace(/-(process|realtime)$/, '');
  const core = base.replace(/-item$/, '');
  const order = kinds.filter((x) => x === 'process' || x === 'realtime').length;
  if (type !== base && order === 0) return `${type} needs a ${type.endsWith('-realtime') ? 'realtime' : 'process'} edge, and the cycle has none`;
  if (type === base && order > 0) return `${type} is a cycle of data edges alone, and this one has an order edge`;
  const data = kinds.filter((x) => x === 'ww' || x === 'wr' || x === 'rw');
  const rw = data.filter((x) => x === 'rw').length;
  const adjacentRw = kinds.some((x, i) => x === 'rw' && kinds[(i + 1) % kinds.length] === 'rw');
  const ok: Record<string, boolean> = {
    G0: data.every((x) => x === 'ww'),
    G1c: rw === 0 && data.includes('wr'),
    'G-single': rw === 1,
    'G-nonadjacent': rw >= 2 && !adjacentRw,
    G2: rw >= 2 && adjacentRw,
  };
  return ok[core] === false ? `the cycle's edges (${kinds.join(', ')}) do not make ${type}` : undefined;
}

/** Checks `cycles` (the evidence's `:cycles`): the types they make, or the first step that does not hold. */
export function cyclesFault(txns: Map<number, Txn>, cycles: readonly EdnValue[], label: string, data: DataStepFault): { types: string[] } | string {
  const types: string[] = [];
  for (const [n, raw] of cycles.entries()) {
    if (!(raw instanceof EdnMap)) return `${label}: cycle ${n} is not a map`;
    const type = name(raw.kw('type') ?? null);
    const ids = raw.kw('cycle');
    const steps = raw.kw('steps');
    const what = `${label}, cycle ${n} (${type})`;
    if (!Array.isArray(ids) || !Array.isArray(steps) || ids.length < 3 || ids.length !== steps.length + 1) return `${what}: :cycle and :steps do not match`;
    if (!ednEquals(ids[0], ids[ids.length - 1])) return `${what}: the cycle does not close`;
    const ts = ids.map((i) => (typeof i === 'number' ? txns.get(i) : undefined));
    const missing = ts.findIndex((t) => t === undefined);
    if (missing >= 0) return `${what}: op ${printEdn(ids[missing])} is no transaction of the history`;
    const kinds: string[] = [];
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i];
      if (!(s instanceof EdnMap)) return `${what}: step ${i} is not a map`;
      const fault = stepFault(ts[i]!, ts[i + 1]!, s, data);
      if (fault !== undefined) return `${what}, step ${i}: ${fault}`;
      kinds.push(name(s.kw('type') ?? null));
    }
    const tf = typeFault(type, kinds);
    if (tf !== undefined) return `${what}: ${tf}`;
    types.push(type);
  }
  return { types };
}
