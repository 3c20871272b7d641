import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EdnMap, kw, type EdnValue } from '../../analyzer/edn/values.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import { checkSetFull } from '../../analyzer/checkers/set-full.js';
import { checkerNamed } from '../../analyzer/checkers/registry.js';
import { SeededRandom } from '../../analyzer/util/random.js';

const ms = 1e6;
const op = (process: number, type: OpInput['type'], f: string, value: EdnValue, t: number): OpInput => ({ process, type, f: kw(f), value, time: t * ms });

// Element 1: added (ok at 1 ms), missed by a read begun at 5 ms, seen by one begun at 10 ms: stale, 4 ms.
// Element 2: added, seen at 10 ms, missing from a read begun at 20 ms: lost.
// Element 3: add crashed, never read.
const history = historyOf([
  op(0, 'invoke', 'add', 1, 0),
  op(0, 'ok', 'add', 1, 1),
  op(0, 'invoke', 'add', 2, 2),
  op(0, 'ok', 'add', 2, 3),
  op(1, 'invoke', 'read', null, 5),
  op(1, 'ok', 'read', [], 6),
  op(1, 'invoke', 'read', null, 10),
  op(1, 'ok', 'read', [1, 2], 11),
  op(2, 'invoke', 'add', 3, 12),
  op(2, 'info', 'add', 3, 13),
  op(1, 'invoke', 'read', null, 20),
  op(1, 'ok', 'read', [1], 21),
]);

test('set-full: lost, stale with its latency, never-read; latency quantiles', () => {
  const r = checkSetFull(history);
  assert.equal(r['valid?'], false);
  assert.equal(r['attempt-count'], 3);
  assert.equal(r['stable-count'], 1);
  assert.equal(r['lost-count'], 1);
  assert.equal(printEdn(r.lost!), '(2)');
  assert.equal(r['never-read-count'], 1);
  assert.equal(printEdn(r['never-read']!), '(3)');
  assert.equal(r['stale-count'], 1);
  assert.equal(printEdn(r.stale!), '(1)');
  const worst = r['worst-stale'] as EdnValue[];
  assert.equal(worst.length, 1);
  assert.equal(
    printEdn(worst[0]),
    '{:element 1, :outcome :stable, :stable-latency 4, :lost-latency nil, ' +
      ':known {:index 1, :time 1000000, :type :ok, :process 0, :f :add, :value 1}, ' +
      ':last-absent {:index 4, :time 5000000, :type :invoke, :process 1, :f :read, :value nil}}',
  );
  // Lost latency of 2: last seen by the read invoked at 10 ms (+1 ns), known at 3 ms → 7 ms.
  assert.equal(printEdn(r['stable-latencies']!), '{0 4, 0.5 4, 0.95 4, 0.99 4, 1 4}');
  assert.equal(printEdn(r['lost-latencies']!), '{0 7, 0.5 7, 0.95 7, 0.99 7, 1 7}');
  assert.equal(r['duplicated-count'], 0);
});

test('set-full: stale reads are allowed unless --linearizable', () => {
  const h = historyOf([
    op(0, 'invoke', 'add', 1, 0),
    op(0, 'ok', 'add', 1, 1),
    op(1, 'invoke', 'read', null, 5),
    op(1, 'ok', 'read', [], 6),
    op(1, 'invoke', 'read', null, 10),
    op(1, 'ok', 'read', [1], 11),
  ]);
  assert.equal(checkSetFull(h)['valid?'], true);
  assert.equal(checkSetFull(h)['stale-count'], 1);
  assert.equal(checkSetFull(h, { linearizable: true })['valid?'], false);
});

test('set-full: a read concurrent with the add that misses it is not stale; an element never stable is unknown', () => {
  const h = historyOf([
    op(0, 'invoke', 'add', 1, 0),
    op(1, 'invoke', 'read', null, 1),
    op(1, 'ok', 'read', [], 2),
    op(0, 'ok', 'add', 1, 3),
    op(1, 'invoke', 'read', null, 4),
    op(1, 'ok', 'read', [1], 5),
  ]);
  const r = checkSetFull(h, { linearizable: true });
  assert.equal(r['valid?'], true);
  assert.equal(r['stale-count'], 0);
  assert.equal(printEdn(r['stable-latencies']!), '{0 0, 0.5 0, 0.95 0, 0.99 0, 1 0}');
  const never = historyOf([op(0, 'invoke', 'add', 1, 0), op(0, 'ok', 'add', 1, 1)]);
  assert.equal(checkSetFull(never)['valid?'], kw('unknown'));
});

test('set-full: duplicates within a read and elements never added are invalid', () => {
  const h = historyOf([
    op(0, 'invoke', 'add', 1, 0),
    op(0, 'ok', 'add', 1, 1),
    op(1, 'invoke', 'read', null, 2),
    op(1, 'ok', 'read', [1, 1, 1, 9], 3),
  ]);
  const r = checkSetFull(h);
  assert.equal(r['valid?'], false);
  assert.equal(r['duplicated-count'], 1);
  assert.ok(r.duplicated instanceof EdnMap);
  assert.equal(printEdn(r.duplicated), '{1 3}');
  assert.equal(printEdn(r.unexpected!), '(9)');
});

test('set-full: the last-absent read is found among many reads (each read scanned once per element it lacks)', () => {
  // 200 elements added in turn; each is seen by every later read except the read right after
  // element 100's add, which misses element 50 (stale, began after it was known).
  const ops: OpInput[] = [];
  let t = 0;
  for (let e = 0; e < 200; e++) {
    ops.push(op(0, 'invoke', 'add', e, t++), op(0, 'ok', 'add', e, t++));
    const seen = Array.from({ length: e + 1 }, (_, k) => k).filter((k) => !(e === 100 && k === 50));
    ops.push(op(1, 'invoke', 'read', null, t++), op(1, 'ok', 'read', seen, t++));
  }
  const r = checkSetFull(historyOf(ops));
  assert.equal(r['valid?'], true);
  assert.equal(r['stable-count'], 200);
  assert.equal(printEdn(r.stale!), '(50)');
  // Element 50 known at its ok (t = 201 ms); last absent read invoked at t = 402 ms → 201 ms.
  assert.equal((r['worst-stale'] as { 'stable-latency': number }[])[0]['stable-latency'], 201);
});

test('set-full is registered with its --linearizable and --independent flags', () => {
  const c = checkerNamed('set-full');
  assert.ok(c);
  assert.deepEqual(c.options?.map((o) => o.flags), ['--linearizable', '--independent']);
});

/** Jepsen's algorithm, literally: every read updates every element added so far. */
function naive(ops: OpInput[]): Map<EdnValue, { known: number; lastPresent: number; lastAbsent: number }> {
  const h = historyOf(ops);
  const st = new Map<EdnValue, { known: number; lastPresent: number; lastAbsent: number }>();
  for (let i = 0; i < h.length; i++) {
    const f = h.fName(i);
    const v = h.value[i];
    if (f === 'add' && h.type[i] === 0) st.set(v, { known: -1, lastPresent: -1, lastAbsent: -1 });
    else if (f === 'add' && h.type[i] === 1) {
      const s = st.get(v)!;
      if (s.known < 0) s.known = i;
    } else if (f === 'read' && h.type[i] === 1) {
      const inv = h.pair[i];
      const present = new Set(v as EdnValue[]);
      for (const [e, s] of st) {
        if (present.has(e)) {
          if (s.known < 0) s.known = i;
          s.lastPresent = Math.max(s.lastPresent, inv);
        } else s.lastAbsent = Math.max(s.lastAbsent, inv);
      }
    }
  }
  return st;
}

test('set-full agrees with the element-by-read algorithm on random concurrent histories', () => {
  const random = new SeededRandom(42);
  const rand = (n: number) => random.int(n);
  for (let trial = 0; trial < 300; trial++) {
    const procs = 1 + rand(4);
    const open = new Map<number, OpInput>();
    const present = new Set<number>();
    const ops: OpInput[] = [];
    let next = 0;
    for (let step = 0; step < 40; step++) {
      const p = rand(procs);
      const o = open.get(p);
      if (o) {
        open.delete(p);
        if (o.f === kw('add')) {
          const fate = rand(5);
          if (fate < 3) present.add(o.value as number);
          ops.push({ ...o, type: fate === 4 ? 'info' : 'ok', time: step });
        } else {
          // Reads see the set, sometimes missing or regaining elements.
          const seen = [...present].filter(() => rand(6) > 0);
          if (rand(8) === 0 && present.size > 0) present.delete([...present][0]);
          ops.push({ ...o, type: 'ok', value: seen, time: step });
        }
      } else {
        const inv: OpInput = rand(2) === 0 ? { process: p, type: 'invoke', f: kw('add'), value: next++, time: step } : { process: p, type: 'invoke', f: kw('read'), value: null, time: step };
        open.set(p, inv);
        ops.push(inv);
      }
    }
    const expected = naive(ops);
    const r = checkSetFull(historyOf(ops));
    const h = historyOf(ops);
    const lost: EdnValue[] = [];
    const stale: EdnValue[] = [];
    let stable = 0;
    for (const [e, s] of expected) {
      const isStable = s.lastPresent >= 0 && s.lastAbsent < s.lastPresent;
      const isLost = !isStable && s.known >= 0 && s.lastAbsent >= 0 && s.lastPresent < s.lastAbsent && s.known < s.lastAbsent;
      if (isStable) stable++;
      if (isLost) lost.push(e);
      if (isStable && s.lastAbsent > s.known) stale.push(e);
    }
    const sort = (xs: EdnValue[]) => [...xs].sort((a, b) => (a as number) - (b as number));
    assert.deepEqual(r.lost, sort(lost), `trial ${trial}: lost`);
    assert.deepEqual(r.stale, sort(stale), `trial ${trial}: stale`);
    assert.equal(r['stable-count'], stable, `trial ${trial}: stable`);
    assert.ok(h.length === ops.length);
  }
});

test('set-full --independent: [key value] tuples, one set per key, merged as Jepsen independent', async () => {
  const k = (key: string, v: EdnValue): EdnValue => [key, v];
  const h = historyOf([
    op(0, 'invoke', 'add', k('a', 1), 0),
    op(0, 'ok', 'add', k('a', 1), 1),
    op(1, 'invoke', 'add', k('b', 1), 2),
    op(1, 'ok', 'add', k('b', 1), 3),
    op(2, 'invoke', 'read', k('a', null), 4),
    op(2, 'ok', 'read', k('a', [1]), 5),
    op(2, 'invoke', 'read', k('b', null), 6),
    op(2, 'ok', 'read', k('b', [1]), 7),
    op(2, 'invoke', 'read', k('b', null), 8),
    op(2, 'ok', 'read', k('b', []), 9),
    { process: kw('nemesis'), type: 'info', f: kw('kill'), value: null },
  ]);
  const r = await checkerNamed('set-full')!.check(h, { independent: true }, {});
  assert.equal(r['valid?'], false);
  assert.equal(printEdn(r.failures!), '["b"]');
  const results = r.results as EdnMap;
  assert.equal((results.get('a') as { 'valid?': unknown })['valid?'], true);
  assert.equal(printEdn((results.get('b') as { lost: EdnValue }).lost), '(1)');
});
