import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSequential } from '../../analyzer/checkers/sequential/index.js';
import { UNKNOWN } from '../../analyzer/check/checker.js';
import { type EdnRecord, type EdnValue, kw } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import { readHistory } from '../../analyzer/history/read.js';
import { randomFunction } from '../../analyzer/util/random.js';

type Step = [process: number, f: 'read' | 'write' | 'cas', value: EdnValue, outcome?: 'ok' | 'fail' | 'info'];

/** Ops one process at a time (real time does not matter to sequential consistency). */
function hist(steps: Step[]): ReturnType<typeof historyOf> {
  const ops: OpInput[] = [];
  for (const [process, f, value, outcome = 'ok'] of steps) {
    ops.push({ type: 'invoke', process, f: kw(f), value: f === 'read' ? null : value });
    ops.push({ type: outcome, process, f: kw(f), value });
  }
  return historyOf(ops);
}

const indexOf = (x: EdnValue | undefined) => (x as EdnRecord).index;

test('couchbase fixtures: linearizable and sequential histories pass, the non-sequential one fails', async () => {
  const verdicts: unknown[] = [];
  for (const f of ['linearizable', 'sequential', 'non-sequential']) {
    const r = checkSequential(await readHistory(`fixtures/couchbase/sample-history-${f}.edn`));
    verdicts.push(r['valid?']);
    if (f === 'non-sequential') {
      assert.equal(r.anomaly, kw('cycle'));
      // Process 27 wrote 244, then read 482, then read 244 again.
      const steps = r.steps as EdnRecord[];
      assert.deepEqual(
        steps.map((s) => [s.process, indexOf(s.before), indexOf(s.after)]),
        [
          [27, 947, 2341],
          [27, 2341, 8033],
        ],
      );
    }
  }
  assert.deepEqual(verdicts, [true, true, false]);
});

test('a stale read of the initial value is sequential (not linearizable)', () => {
  const r = checkSequential(hist([
    [0, 'write', 1],
    [0, 'read', 1],
    [1, 'read', null],
    [1, 'read', 1],
  ]));
  assert.equal(r['valid?'], true);
  assert.equal(r['op-count'], 4);
});

test(':nil and nil are both the initial value', () => {
  const r = checkSequential(hist([[0, 'read', kw('nil')], [1, 'read', null], [1, 'write', 3]]));
  assert.equal(r['valid?'], true);
});

test('two processes seeing two writes in opposite orders: a cycle', () => {
  const r = checkSequential(hist([
    [0, 'write', 1],
    [1, 'write', 2],
    [2, 'read', 1],
    [2, 'read', 2],
    [3, 'read', 2],
    [3, 'read', 1],
  ]));
  assert.equal(r['valid?'], false);
  assert.equal(r.anomaly, kw('cycle'));
  const steps = r.steps as EdnRecord[];
  assert.equal(steps.length, 2);
  assert.deepEqual(steps.map((s) => s.process).sort(), [2, 3]);
  assert.match(String(r.explanation), /^no single order of the writes fits every process: process [23] read/);
});

test('reading the initial value after one of its own writes', () => {
  const r = checkSequential(hist([[0, 'write', 1], [0, 'read', null]]));
  assert.equal(r['valid?'], false);
  assert.equal(r.anomaly, kw('initial-read-after-write'));
  const s = (r.steps as EdnRecord[])[0];
  assert.deepEqual([s.process, indexOf(s.before), indexOf(s.after)], [0, 1, 3]);
});

test('a read of a value nobody wrote (a failed write does not count)', () => {
  const r = checkSequential(hist([[0, 'write', 7, 'fail'], [1, 'read', 7]]));
  assert.equal(r['valid?'], false);
  assert.equal(r.anomaly, kw('unwritten-read'));
  assert.equal(indexOf((r.ops as EdnValue[])[0]), 3);
  assert.match(String(r.explanation), /process 1 read 7 \(op 3\), but no op wrote 7/);
});

test('indeterminate writes: observed ones happened, unobserved ones are dropped', () => {
  // Process 0's write of 1 timed out but process 1 read it; process 2's write of 2 timed out, unread.
  const r = checkSequential(hist([
    [0, 'write', 1, 'info'],
    [2, 'write', 2, 'info'],
    [1, 'read', 1],
    [1, 'read', 1],
  ]));
  assert.equal(r['valid?'], true);
  assert.equal(r['op-count'], 3);
  // Info reads constrain nothing.
  assert.equal(checkSequential(hist([[0, 'write', 1], [0, 'read', 5, 'info']]))['valid?'], true);
});

test('cas chains order their values: reading them backwards breaks process order', () => {
  const ok = checkSequential(hist([
    [0, 'write', 1],
    [1, 'cas', [1, 2]],
    [2, 'read', 1],
    [2, 'read', 2],
  ]));
  assert.equal(ok['valid?'], true);
  const bad = checkSequential(hist([
    [0, 'write', 1],
    [1, 'cas', [1, 2]],
    [2, 'read', 2],
    [2, 'read', 1],
  ]));
  assert.equal(bad['valid?'], false);
  assert.equal(bad.anomaly, kw('process-order'));
  assert.deepEqual((bad.ops as EdnValue[]).map(indexOf), [5, 7]);
});

test('two successful cas ops from the same value', () => {
  const r = checkSequential(hist([[0, 'write', 1], [1, 'cas', [1, 2]], [2, 'cas', [1, 3]]]));
  assert.equal(r['valid?'], false);
  assert.equal(r.anomaly, kw('competing-cas'));
  assert.deepEqual((r.ops as EdnValue[]).map(indexOf), [3, 5]);
});

test('a loop of cas ops with no write to start it', () => {
  const r = checkSequential(hist([[0, 'cas', [1, 2]], [1, 'cas', [2, 1]]]));
  assert.equal(r['valid?'], false);
  assert.equal(r.anomaly, kw('cas-cycle'));
});

test('duplicate writes make the verdict unknown', () => {
  const r = checkSequential(hist([[0, 'write', 1], [1, 'write', 1]]));
  assert.equal(r['valid?'], UNKNOWN);
  assert.match(String(r.error), /written more than once/);
});

// ---------------------------------------------------------------------------------------
// Against brute force: every interleaving of small random histories.

interface Small {
  kind: 'read' | 'write' | 'cas';
  /** info: may or may not have happened; fail: did not happen. */
  outcome: 'ok' | 'info' | 'fail';
  a: number; // read/cas: expected (0 = nil); write: value
  b: number; // cas new value
}

function bruteForce(procs: Small[][]): boolean {
  const pos = procs.map(() => 0);
  const total = procs.reduce((s, p) => s + p.length, 0);
  const seen = new Set<string>();
  const go = (reg: number, done: number): boolean => {
    if (done === total) return true;
    const key = `${reg}:${pos.join(',')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    for (let p = 0; p < procs.length; p++) {
      if (pos[p] >= procs[p].length) continue;
      const o = procs[p][pos[p]];
      if (o.outcome !== 'ok') {
        // A failed op did not happen; an indeterminate one may not have (an info read returned nothing).
        pos[p]++;
        const ok = go(reg, done + 1);
        pos[p]--;
        if (ok) return true;
        if (o.outcome === 'fail' || o.kind === 'read') continue;
      }
      let next = -1;
      if (o.kind === 'read' && o.a === reg) next = reg;
      else if (o.kind === 'write') next = o.a;
      else if (o.kind === 'cas' && o.a === reg) next = o.b;
      if (next < 0) continue;
      pos[p]++;
      const ok = go(next, done + 1);
      pos[p]--;
      if (ok) return true;
    }
    return false;
  };
  return go(0, 0);
}

test('agrees with brute force on 1500 small random histories with unique writes, some ops failed or indeterminate', () => {
  const rand = randomFunction(42);
  let invalid = 0;
  for (let t = 0; t < 1500; t++) {
    const nProc = 2 + Math.floor(rand() * 3);
    let nextValue = 1;
    const procs: Small[][] = [];
    for (let p = 0; p < nProc; p++) {
      const ops: Small[] = [];
      const len = 1 + Math.floor(rand() * 4);
      for (let j = 0; j < len; j++) {
        const x = rand();
        const someValue = () => Math.floor(rand() * 5); // 0 = nil; may be unwritten
        const y = rand();
        const outcome = y < 0.1 ? 'info' : y < 0.15 ? 'fail' : 'ok';
        if (x < 0.35) ops.push({ kind: 'write', a: nextValue++, b: 0, outcome });
        else if (x < 0.5) ops.push({ kind: 'cas', a: someValue(), b: nextValue++, outcome });
        else ops.push({ kind: 'read', a: someValue(), b: 0, outcome });
      }
      procs.push(ops);
    }
    const steps: Step[] = [];
    procs.forEach((ops, p) => {
      for (const o of ops) {
        const v = (n: number) => (n === 0 ? null : n);
        if (o.kind === 'cas') steps.push([p, 'cas', [v(o.a), o.b], o.outcome]);
        else steps.push([p, o.kind, v(o.a), o.outcome]);
      }
    });
    const expected = bruteForce(procs);
    if (!expected) invalid++;
    const r = checkSequential(hist(steps));
    // Without an :ok op nothing was observed, and nothing judged: :unknown, whatever brute force says.
    if (!procs.some((ops) => ops.some((o) => o.outcome === 'ok'))) {
      assert.equal(r['valid?'], UNKNOWN, `case ${t}`);
      continue;
    }
    assert.equal(r['valid?'], expected, `case ${t}: ${JSON.stringify(procs)} → ${String(r.explanation)}`);
  }
  assert.ok(invalid > 100 && invalid < 1400, `a useful mix of verdicts (${invalid} invalid)`);
});
