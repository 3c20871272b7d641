/** Random register and cas-register histories for property tests: reads that may return nil, every outcome (:ok, :info, :fail, never completed), three processes. */
import fc from 'fast-check';
import { type EdnValue, kw } from '../../../analyzer/edn/values.js';
import type { OpInput } from '../../../analyzer/history/op.js';

const op = (process: number, type: OpInput['type'], f: string, value: EdnValue): OpInput => ({ process, type, f: kw(f), value });

/** Random register histories whose reads may return nil, on three processes, with every outcome. */
export const registerHistoryArb = (cas: boolean): fc.Arbitrary<OpInput[]> =>
  fc
    .array(
      fc.record({
        p: fc.integer({ min: 0, max: 2 }),
        f: fc.constantFrom(...(cas ? ['read', 'read', 'write', 'cas'] : ['read', 'read', 'write'])),
        v: fc.constantFrom<EdnValue>(null, 0, 1),
        w: fc.constantFrom<EdnValue>(null, 0, 1),
        outcome: fc.constantFrom('ok', 'ok', 'ok', 'info', 'fail', 'pending'),
        completeNow: fc.boolean(),
      }),
      { minLength: 1, maxLength: 7 },
    )
    .map((steps) => {
      const out: OpInput[] = [];
      const busy = new Map<number, { f: string; inv: EdnValue; ok: EdnValue; outcome: string }>();
      const finish = (p: number): void => {
        const b = busy.get(p)!;
        busy.delete(p);
        if (b.outcome !== 'pending') out.push(op(p, b.outcome as 'ok', b.f, b.outcome === 'ok' ? b.ok : b.inv));
      };
      for (const s of steps) {
        if (busy.has(s.p)) finish(s.p);
        const value: EdnValue = s.f === 'cas' ? [s.v, s.w] : s.v;
        const inv = s.f === 'read' ? null : value;
        out.push(op(s.p, 'invoke', s.f, inv));
        busy.set(s.p, { f: s.f, inv, ok: value, outcome: s.outcome });
        if (s.completeNow) finish(s.p);
      }
      for (const p of [...busy.keys()]) finish(p);
      return out;
    });

