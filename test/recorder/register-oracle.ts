/**
 * A tiny brute-force linearizability check for the register workload (cas-register per
 * independent key), used only to test the embedded database until the real `linearizable`
 * checker is registered. Depth-first over which pending op takes effect next, memoised on
 * (ops done, register value); indeterminate (`info`) ops may take effect or not.
 */
import { printEdn } from '../../analyzer/edn/print.js';
import type { EdnValue } from '../../analyzer/edn/values.js';
import type { History } from '../../analyzer/history/history.js';

interface KeyOp {
  start: number;
  end: number;
  f: string;
  value: EdnValue;
  info: boolean;
}

export function nonLinearizableKeys(h: History): string[] {
  const byKey = new Map<string, KeyOp[]>();
  for (const i of h.invocations()) {
    if (!h.isClient(i)) continue;
    const outcome = h.outcome(i);
    if (outcome === 2) continue; // fail: never happened
    const done = h.pair[i];
    const tuple = (done >= 0 && outcome === 1 ? h.value[done] : h.value[i]) as EdnValue[];
    const key = printEdn(tuple[0]);
    const op: KeyOp = { start: h.time[i], end: outcome === 1 ? h.time[done] : Infinity, f: h.fName(i)!, value: tuple[1], info: outcome !== 1 };
    if (!byKey.has(key)) byKey.set(key, []);
    byKey.get(key)!.push(op);
  }
  const bad: string[] = [];
  for (const [key, ops] of byKey) if (!linearizable(ops)) bad.push(key);
  return bad;
}

function linearizable(ops: KeyOp[]): boolean {
  ops.sort((a, b) => a.start - b.start);
  const seen = new Set<string>();
  const required = ops.map((o) => !o.info);
  const search = (done: bigint, state: string): boolean => {
    const memo = `${done}|${state}`;
    if (seen.has(memo)) return false;
    seen.add(memo);
    let minEnd = Infinity;
    let allRequiredDone = true;
    ops.forEach((o, i) => {
      if ((done >> BigInt(i)) & 1n) return;
      if (required[i]) allRequiredDone = false;
      minEnd = Math.min(minEnd, o.end);
    });
    if (allRequiredDone) return true;
    for (let i = 0; i < ops.length; i++) {
      if ((done >> BigInt(i)) & 1n) continue;
      const o = ops[i];
      if (o.start > minEnd) break;
      let next = state;
      if (o.f === 'read') {
        if (!o.info && printEdn(o.value) !== state) continue;
      } else if (o.f === 'write') next = printEdn(o.value);
      else {
        const [from, to] = o.value as EdnValue[];
        if (printEdn(from) !== state) continue;
        next = printEdn(to);
      }
      if (search(done | (1n << BigInt(i)), next)) return true;
    }
    return false;
  };
  return search(0n, 'nil');
}
