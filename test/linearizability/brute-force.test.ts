/**
 * The WGL search against a brute-force checker on small random histories: try every order of
 * the ops that respects real time (an ok op that completed before another was invoked comes
 * first), with :fail ops left out and :info ops optional, and step the model along it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { EdnMap, type EdnValue, kw } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import { checkLinearizable } from '../../analyzer/linearizability/index.js';
import { ModelError, models } from '../../analyzer/linearizability/models.js';

type Outcome = 'ok' | 'fail' | 'info';
interface GenOp {
  process: number;
  f: string;
  invValue: EdnValue;
  okValue: EdnValue;
  outcome: Outcome;
  key?: string;
}
interface Spec {
  f: string;
  inv: EdnValue;
  ok: EdnValue;
  key?: string;
}

/** Lays ops out in time: each op's invocation and completion at given positions among the events. */
function layout(ops: GenOp[], gaps: number[]): { events: OpInput[]; inv: number[]; ret: number[] } {
  // Each process runs its ops in order; a process stops after an :info op. Interleave by gaps.
  const events: OpInput[] = [];
  const inv: number[] = new Array(ops.length).fill(-1);
  const ret: number[] = new Array(ops.length).fill(-1);
  const pending = new Map<number, number>(); // process -> op
  const queue = ops.map((_, k) => k);
  let g = 0;
  const extra = (o: GenOp) => (o.key === undefined ? undefined : new EdnMap([kw('key')], [o.key]));
  while (queue.length > 0 || pending.size > 0) {
    const choice = gaps[g++ % gaps.length];
    const canStart = queue.length > 0 && !pending.has(ops[queue[0]].process);
    if (canStart && (choice % 2 === 0 || pending.size === 0)) {
      const k = queue.shift()!;
      const o = ops[k];
      inv[k] = events.length;
      events.push({ process: o.process, type: 'invoke', f: kw(o.f), value: o.invValue, extra: extra(o) });
      pending.set(o.process, k);
    } else if (pending.size > 0) {
      const procs = [...pending.keys()];
      const p = procs[choice % procs.length];
      const k = pending.get(p)!;
      pending.delete(p);
      const o = ops[k];
      ret[k] = events.length;
      events.push({ process: p, type: o.outcome, f: kw(o.f), value: o.outcome === 'ok' ? o.okValue : o.invValue, extra: extra(o) });
    } else {
      // The next op's process is busy with nothing pending: cannot happen (pending would hold it).
      queue.shift();
    }
  }
  return { events, inv, ret };
}

function bruteForce(model: string, init: EdnValue | undefined, ops: GenOp[], inv: number[], ret: number[]): boolean {
  const m = models.get(model)!;
  const live = ops.map((o, k) => k).filter((k) => ops[k].outcome !== 'fail');
  const okOps = live.filter((k) => ops[k].outcome === 'ok');
  const keyed = model === 'kv';
  const initial = keyed ? new Map<string, EdnValue>() : m.init(init);
  const done = new Set<number>();
  const search = (state: EdnValue | Map<string, EdnValue>): boolean => {
    if (okOps.every((k) => done.has(k))) return true;
    for (const k of live) {
      if (done.has(k)) continue;
      // Real time: every ok op that completed before k was invoked must already be linearized.
      if (okOps.some((j) => !done.has(j) && j !== k && ret[j] < inv[k])) continue;
      const o = ops[k];
      const value = o.outcome === 'ok' ? o.okValue : o.invValue;
      let next: EdnValue | Map<string, EdnValue>;
      if (keyed) {
        const s = state as Map<string, EdnValue>;
        const r = m.step(s.get(o.key!) ?? '', o.f, value);
        if (r instanceof ModelError) continue;
        next = new Map(s).set(o.key!, r);
      } else {
        const r = m.step(state as EdnValue, o.f, value);
        if (r instanceof ModelError) continue;
        next = r;
      }
      done.add(k);
      if (search(next)) return true;
      done.delete(k);
    }
    return false;
  };
  return search(initial);
}

const small = fc.constantFrom(0, 1, 2);
const specs: Record<string, { init?: EdnValue; op: fc.Arbitrary<Spec> }> = {
  register: {
    init: 0,
    op: fc.oneof(small.map((v) => ({ f: 'write', inv: v, ok: v })), small.map((v) => ({ f: 'read', inv: null, ok: v }))),
  },
  'cas-register': {
    init: 0,
    op: fc.oneof(
      small.map((v) => ({ f: 'write', inv: v, ok: v })),
      small.map((v) => ({ f: 'read', inv: null, ok: v })),
      fc.tuple(small, small).map(([a, b]) => ({ f: 'cas', inv: [a, b], ok: [a, b] })),
    ),
  },
  mutex: { op: fc.constantFrom('acquire', 'release').map((f) => ({ f, inv: null, ok: null })) },
  set: {
    op: fc.oneof(
      small.map((v) => ({ f: 'add', inv: v, ok: v })),
      fc.subarray([0, 1, 2]).map((s) => ({ f: 'read', inv: null, ok: s })),
    ),
  },
  'fifo-queue': {
    op: fc.oneof(small.map((v) => ({ f: 'enqueue', inv: v, ok: v })), fc.constantFrom(null, 0, 1, 2).map((v) => ({ f: 'dequeue', inv: null, ok: v }))),
  },
  'unordered-queue': {
    op: fc.oneof(small.map((v) => ({ f: 'enqueue', inv: v, ok: v })), fc.constantFrom(null, 0, 1, 2).map((v) => ({ f: 'dequeue', inv: null, ok: v }))),
  },
  kv: {
    op: fc.tuple(fc.constantFrom('a', 'b'), fc.constantFrom('get', 'put', 'append'), fc.constantFrom('', 'x', 'y', 'xy', 'yx')).map(([key, f, v]) => ({
      f,
      key,
      inv: f === 'get' ? null : v === '' ? 'x' : v.slice(0, 1),
      ok: f === 'get' ? v : v === '' ? 'x' : v.slice(0, 1),
    })),
  },
};

const outcome = fc.constantFrom<Outcome>('ok', 'ok', 'ok', 'ok', 'ok', 'fail', 'info');

for (const [model, spec] of Object.entries(specs)) {
  test(`${model}: WGL agrees with brute force on small random histories`, () => {
    let invalid = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(spec.op, fc.integer({ min: 0, max: 2 }), outcome), { minLength: 1, maxLength: 7 }),
        fc.array(fc.nat(5), { minLength: 1, maxLength: 20 }),
        (raw, gaps) => {
          // Each process stops after its first :info op (Jepsen gives it a new process).
          const dead = new Set<number>();
          const ops: GenOp[] = [];
          for (const [s, p, out] of raw) {
            if (dead.has(p)) continue;
            if (out === 'info') dead.add(p);
            ops.push({ process: p, f: s.f, invValue: s.inv, okValue: s.ok, outcome: out, key: s.key });
          }
          const { events, inv, ret } = layout(ops, gaps);
          const want = bruteForce(model, spec.init, ops, inv, ret);
          const got = checkLinearizable(historyOf(events), { model, init: spec.init });
          if (!want) invalid++;
          assert.equal(got['valid?'], want);
        },
      ),
      { numRuns: 1000, seed: 42 },
    );
    assert.ok(invalid > 50, `too few invalid cases (${invalid}) to test anything`);
  });
}
