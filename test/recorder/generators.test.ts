import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GenEvent } from '../../recorder/generator/core.js';
import {
  cycle,
  delay,
  eachThread,
  faultSchedule,
  flipFlop,
  fromFn,
  limit,
  mix,
  nemesis,
  once,
  phases,
  repeat,
  reserve,
  sleep,
  stagger,
  timeLimit,
  untilOk,
} from '../../recorder/generator/combinators.js';
import { simulate } from '../../recorder/generator/simulate.js';
import { standardWorkload } from '../../recorder/workloads/index.js';

const invokes = (es: GenEvent[]) => es.filter((e) => e.type === 'invoke');
const fs = (es: GenEvent[]) => invokes(es).map((e) => e.f);

test('an op template is one op; repeat and limit bound a source', () => {
  assert.deepEqual(fs(simulate({ f: 'read' }, { concurrency: 3 })), ['read']);
  assert.deepEqual(fs(simulate(repeat({ f: 'read' }, 4), { concurrency: 2 })), ['read', 'read', 'read', 'read']);
  assert.equal(invokes(simulate(limit(7, repeat({ f: 'w' })), { concurrency: 3 })).length, 7);
  assert.deepEqual(fs(simulate(once([{ f: 'a' }, { f: 'b' }]), { concurrency: 1 })), ['a']);
  assert.deepEqual(fs(simulate([{ f: 'a' }, { f: 'b' }, { f: 'c' }], { concurrency: 1 })), ['a', 'b', 'c']);
});

test('a seed fixes the ops: same seed, same history; another seed, another one', () => {
  const w = standardWorkload('list-append')!;
  const run = (seed: number) => simulate(limit(200, w.generator), { concurrency: 5, seed }).map((e) => JSON.stringify([e.type, e.process, e.f, e.time]) + String(e.value));
  assert.deepEqual(run(7), run(7));
  assert.notDeepEqual(run(7), run(8));
});

test('timeLimit stops emitting at the deadline; delay spaces ops exactly', () => {
  const es = invokes(simulate(timeLimit(1, delay(0.1, repeat({ f: 'r' }))), { concurrency: 2 }));
  assert.equal(es.length, 10);
  assert.deepEqual(es.map((e) => e.time), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => i * 1e8));
});

test('stagger averages its mean gap', () => {
  const es = invokes(simulate(limit(2000, stagger(0.01, repeat({ f: 'r' }))), { concurrency: 4, seed: 3, latency: 1 }));
  const mean = es[es.length - 1].time / (es.length - 1);
  assert.ok(mean > 0.009e9 && mean < 0.011e9, `mean gap ${mean}`);
});

test('mix draws from each generator and drops exhausted ones', () => {
  const es = fs(simulate(mix([limit(30, repeat({ f: 'a' })), limit(30, repeat({ f: 'b' }))]), { concurrency: 3, seed: 1 }));
  assert.equal(es.length, 60);
  assert.equal(es.filter((f) => f === 'a').length, 30);
  // Interleaved, not one after the other.
  assert.notDeepEqual(es.slice(0, 30), new Array(30).fill('a'));
});

test('phases wait for every thread to be idle before the next phase', () => {
  const es = simulate(phases(limit(3, repeat({ f: 'a' })), { f: 'b' }), { concurrency: 3, latency: 5 });
  const b = es.find((e) => e.type === 'invoke' && e.f === 'b')!;
  const lastA = Math.max(...es.filter((e) => e.f === 'a' && e.type !== 'invoke').map((e) => e.time));
  assert.ok(b.time >= lastA);
});

test('a process whose op ends info retires; its thread continues as process + concurrency', () => {
  let n = 0;
  const es = simulate(limit(4, repeat({ f: 'w' })), { concurrency: 2, complete: () => ({ type: n++ === 0 ? 'info' : 'ok' }) });
  const procs = invokes(es).map((e) => e.process);
  const infoP = es.find((e) => e.type === 'info')!.process as number;
  assert.ok(procs.includes(infoP + 2), `processes ${procs.join(',')}`);
  assert.equal(invokes(es).filter((e) => e.process === infoP).length, 1);
});

test('eachThread gives every thread its own copy', () => {
  const es = invokes(simulate(eachThread([{ f: 'w' }, { f: 'r' }]), { concurrency: 3 }));
  assert.equal(es.length, 6);
  for (const p of [0, 1, 2]) assert.deepEqual(es.filter((e) => e.process === p).map((e) => e.f), ['w', 'r']);
});

test('reserve: the first n threads run one generator, the rest another', () => {
  const es = invokes(simulate(limit(60, reserve(2, repeat({ f: 'read' }), repeat({ f: 'write' }))), { concurrency: 5, seed: 2 }));
  for (const e of es) assert.equal(e.f, (e.process as number) < 2 ? 'read' : 'write');
  assert.ok(es.some((e) => e.f === 'read') && es.some((e) => e.f === 'write'));
});

test('flipFlop alternates; cycle restarts', () => {
  assert.deepEqual(fs(simulate(limit(5, flipFlop(repeat({ f: 'a' }), repeat({ f: 'b' }))), { concurrency: 1 })), ['a', 'b', 'a', 'b', 'a']);
  assert.deepEqual(fs(simulate(cycle([{ f: 'x' }, { f: 'y' }], 3), { concurrency: 1 })), ['x', 'y', 'x', 'y', 'x', 'y']);
});

test('untilOk retries until one of its ops is ok', () => {
  let n = 0;
  const es = simulate(untilOk(repeat({ f: 'read' })), { concurrency: 1, complete: () => ({ type: ++n < 4 ? 'fail' : 'ok' }) });
  assert.deepEqual(es.filter((e) => e.type !== 'invoke').map((e) => e.type), ['fail', 'fail', 'fail', 'ok']);
});

test('fromFn sees the context; returning null ends it', () => {
  // Functions may be called and their op discarded (a completion came first), so they must not count calls themselves.
  const es = invokes(simulate(fromFn((ctx) => (ctx.time < 3e6 ? { f: 'n', value: ctx.time } : null)), { concurrency: 1 }));
  assert.deepEqual(es.map((e) => e.value), [0, 1e6, 2e6]);
});

test('the fault schedule alternates start and stop of one fault on the nemesis thread, with sleeps', () => {
  const g = timeLimit(20, nemesis(faultSchedule(['partition', 'kill'], 2), repeat({ f: 'r' })));
  const es = invokes(simulate(g, { concurrency: 2, nemesis: true, seed: 5, latency: 1e8 }));
  const nem = es.filter((e) => e.process === 'nemesis');
  assert.ok(nem.length >= 6, `nemesis ops ${nem.length}`);
  for (let i = 0; i + 1 < nem.length; i += 2) {
    const fault = nem[i].f.replace(/^start-/, '');
    assert.ok(nem[i].f.startsWith('start-'));
    assert.equal(nem[i + 1].f, `stop-${fault}`);
    assert.ok(nem[i + 1].time - nem[i].time >= 2e9);
  }
  assert.ok(new Set(nem.map((e) => e.f)).size >= 3, 'both faults drawn');
  // Client ops never go to the nemesis and vice versa.
  assert.ok(es.filter((e) => e.f === 'r').every((e) => e.process !== 'nemesis'));
});

test('sleep idles a thread without an op in the history', () => {
  const es = simulate([sleep(1), { f: 'after' }], { concurrency: 1 });
  assert.equal(es[0].f, 'after');
  assert.equal(es[0].time, 1e9);
});

