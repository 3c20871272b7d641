/**
 * counter, queue, total-queue, unique-ids and bank certificates: on random histories of a simulated database
 * (correct or faulty; crashed :info and refused :fail ops), every certificate verifies; one step
 * altered (a bound, an op index pointing at the wrong op, a match or a reason changed) is refused
 * with the reason.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check } from '../../analyzer/index.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import type { EdnMap, EdnRecord, EdnValue } from '../../analyzer/edn/values.js';
import { type History, historyOf } from '../../analyzer/history/history.js';
import { op } from '../support/ops.js';
import type { Check } from '../../analyzer/verify/linear.js';
import { verifyCounter } from '../../analyzer/verify/counter.js';
import { verifyQueue } from '../../analyzer/verify/queue.js';
import { verifyUniqueIds } from '../../analyzer/verify/unique-ids.js';
import { verifyBank } from '../../analyzer/verify/bank.js';
import { verifyTotalQueue } from '../../analyzer/verify/total-queue.js';
import { type CollectionWorkload, collectionHistory } from './support/collection-histories.js';

const asRead = (e: EdnRecord): EdnMap => parseEdn(printEdn(e)) as EdnMap;
const refusal = (v: Check): string => (v.holds ? `holds: ${v.what}` : v.why);

/** For each of `runs` seeds (faulty on odd ones), the history and its checker's certificate; counts valid and invalid. */
async function* certified(workload: CollectionWorkload, runs: number, seen: { valid: number; invalid: number; ops: Set<string> }): AsyncGenerator<{ h: History; seed: number; evidence: EdnRecord; valid: boolean }> {
  for (let seed = 0; seed < runs; seed++) {
    const h = collectionHistory(workload, seed, seed % 2 === 1, 150 + (seed % 5) * 30, 2 + (seed % 4));
    for (const op of h.ops()) seen.ops.add(op.type);
    let evidence: EdnRecord | undefined;
    const r = await check(h, [workload], {}, { certify: (c, e) => c === workload && (evidence = e) });
    if (r['valid?'] !== true && r['valid?'] !== false) continue;
    assert.ok(evidence !== undefined, `seed ${seed}`);
    seen[r['valid?'] ? 'valid' : 'invalid']++;
    yield { h, seed, evidence, valid: r['valid?'] };
  }
}

const enough = (seen: { valid: number; invalid: number; ops: Set<string> }): void => {
  assert.ok(seen.valid >= 30 && seen.invalid >= 30, JSON.stringify({ ...seen, ops: [...seen.ops] }));
  assert.deepEqual([...seen.ops].sort(), ['fail', 'info', 'invoke', 'ok']);
};

test('counter: on 100 random histories every certificate verifies; a bound, a read named wrong, a read left out are refused', async (t) => {
  const seen = { valid: 0, invalid: 0, ops: new Set<string>() };
  let refused = 0;
  for await (const { h, seed, evidence, valid } of certified('counter', 100, seen)) {
    const v = verifyCounter(h, asRead(evidence));
    assert.ok(v.holds, `seed ${seed}: ${refusal(v)}`);
    const key = valid ? 'reads' : 'errors';
    const list = evidence[key] as [number, number, number][];
    const [r, lo, hi] = list[0];
    const c = h.index.indexOf(r);
    const inv = h.pair[c];
    assert.equal(refusal(verifyCounter(h, asRead({ ...evidence, [key]: [[r, lo + 1, hi], ...list.slice(1)] }))), `counter, read op ${r}: its bounds are [${lo} ${hi}] (acknowledged before op ${h.index[inv]}, attempted before op ${r}), not [${lo + 1} ${hi}]`);
    const add = h.index[[...Array(h.length).keys()].find((i) => h.fName(i) === 'add' && h.type[i] === 1)!];
    assert.equal(refusal(verifyCounter(h, asRead({ ...evidence, [key]: [[add, lo, hi], ...list.slice(1)] }))), `counter, read op ${add}: no :ok read of the counter`);
    refused += 2;
    if (valid) {
      assert.equal(refusal(verifyCounter(h, asRead({ ...evidence, reads: list.slice(1) }))), `counter: read op ${r} completed :ok but its bounds are not shown`);
      refused++;
    }
  }
  t.diagnostic(`${refused} altered certificates refused`);
  enough(seen);
});

test('queue: on 100 random histories every certificate verifies; a match with the wrong enqueue, an enqueue matched twice, a dequeue that had one left are refused', async (t) => {
  const seen = { valid: 0, invalid: 0, ops: new Set<string>() };
  let refused = 0;
  for await (const { h, seed, evidence, valid } of certified('queue', 100, seen)) {
    const v = verifyQueue(h, asRead(evidence));
    assert.ok(v.holds, `seed ${seed}: ${refusal(v)}`);
    if (valid) {
      const matches = evidence.matches as [number, number][];
      if (matches.length < 2) continue;
      const [[d0, e0], [d1, e1]] = matches;
      const value = (index: number): string => printEdn(h.value[h.index.indexOf(index)]);
      const swapped = [[d0, e1], [d1, e0], ...matches.slice(2)];
      // Enqueued values are unique: another match's enqueue offered another value.
      assert.equal(refusal(verifyQueue(h, asRead({ ...evidence, matches: swapped }))), `queue, match 0: dequeue op ${d0} took ${value(d0)}, enqueue op ${e1} offered ${value(e1)}`);
      const twice = matches.map(([d, e], k) => (k === 1 ? [d, e0] : [d, e]));
      assert.equal(refusal(verifyQueue(h, asRead({ ...evidence, matches: twice }))), `queue, match 1: dequeue op ${d1} took ${value(d1)}, enqueue op ${e0} offered ${value(e0)}`);
      const again = [[d0, e0], [d0, e0], ...matches.slice(1)];
      assert.equal(refusal(verifyQueue(h, asRead({ ...evidence, matches: again }))), `queue, match 1: dequeue op ${d0} is matched twice`);
      refused += 3;
    } else {
      const firstOk = h.index[[...Array(h.length).keys()].find((i) => h.fName(i) === 'dequeue' && h.type[i] === 1)!];
      if (firstOk === evidence.dequeue) continue;
      const why = refusal(verifyQueue(h, asRead({ ...evidence, dequeue: firstOk })));
      assert.match(why, new RegExp(`^queue, dequeue op ${firstOk}: 1 enqueues of \\d+ were invoked before it and 0 dequeues took one, so one was left$`));
      refused++;
    }
  }
  t.diagnostic(`${refused} altered certificates refused`);
  enough(seen);
});

test('unique-ids: on 100 random histories every certificate verifies; a duplicate naming the wrong op, a wrong count are refused', async (t) => {
  const seen = { valid: 0, invalid: 0, ops: new Set<string>() };
  let refused = 0;
  for await (const { h, seed, evidence, valid } of certified('unique-ids', 100, seen)) {
    const v = verifyUniqueIds(h, asRead(evidence));
    assert.ok(v.holds, `seed ${seed}: ${refusal(v)}`);
    const n = evidence.acknowledged as number;
    if (valid) {
      assert.equal(refusal(verifyUniqueIds(h, asRead({ ...evidence, acknowledged: n + 1 }))), `unique-ids: ${n} generates completed :ok, not ${n + 1}`);
      refused++;
    } else {
      const [[a, b], ...rest] = evidence.duplicated as [number, number][];
      const other = [...Array(h.length).keys()].find((i) => h.fName(i) === 'generate' && h.type[i] === 1 && printEdn(h.value[i]) !== printEdn(h.value[h.index.indexOf(a)]))!;
      const at = (x: number): EdnValue => h.value[h.index.indexOf(x)];
      assert.equal(refusal(verifyUniqueIds(h, asRead({ ...evidence, duplicated: [[a, h.index[other]], ...rest] }))), `unique-ids, duplicate 0: op ${a} returned ${printEdn(at(a))}, op ${h.index[other]} ${printEdn(h.value[other])}`);
      assert.equal(refusal(verifyUniqueIds(h, asRead({ ...evidence, duplicated: [[b, b], ...rest] }))), 'unique-ids: duplicate 0 does not name two :ok generates');
      refused += 2;
    }
  }
  t.diagnostic(`${refused} altered certificates refused`);
  enough(seen);
});

test('bank: on 100 random histories every certificate verifies; a good read called bad, a wrong total, a wrong inferred total are refused', async (t) => {
  const seen = { valid: 0, invalid: 0, ops: new Set<string>() };
  let refused = 0;
  for await (const { h, seed, evidence, valid } of certified('bank', 100, seen)) {
    const v = verifyBank(h, asRead(evidence));
    assert.ok(v.holds, `seed ${seed}: ${refusal(v)}`);
    assert.equal(evidence['total-amount'], 100);
    const reads = [...Array(h.length).keys()].filter((i) => h.fName(i) === 'read' && h.type[i] === 1);
    const sums = reads.map((i) => (h.value[i] as EdnMap).vals.reduce((s: number, b) => s + (b as number), 0));
    const times = (total: number): number => sums.filter((x) => x === total).length;
    assert.equal(refusal(verifyBank(h, asRead({ ...evidence, 'total-amount': 99 }))), `bank: the inferred total 99 is read ${times(99)} times, 100 ${times(100)} times`);
    refused++;
    if (valid) {
      assert.equal(refusal(verifyBank(h, asRead({ ...evidence, 'total-amount': 99, 'total-inferred?': false }))), `bank: read op ${h.index[reads[0]]} sums to 100, not 99, yet the verdict is valid`);
      refused++;
    } else {
      const good = reads.find((i) => !(evidence.errors as EdnRecord[]).some((e) => e.read === h.index[i]))!;
      const errors = [{ read: h.index[good], type: parseEdn(':wrong-total') }, ...(evidence.errors as EdnRecord[]).slice(1)];
      assert.equal(refusal(verifyBank(h, asRead({ ...evidence, errors }))), `bank, read op ${h.index[good]}: not wrong-total (${printEdn(h.value[good])})`);
      refused++;
    }
  }
  t.diagnostic(`${refused} altered certificates refused`);
  enough(seen);
});

test('total-queue: on 140 random histories every certificate verifies; a wrong count, a value claimed lost that was not, an unexpected value that was enqueued are refused', async (t) => {
  const seen = { valid: 0, invalid: 0, ops: new Set<string>() };
  let refused = 0;
  let lossesOnly = 0;
  for await (const { h, seed, evidence, valid } of certified('total-queue', 140, seen)) {
    const v = verifyTotalQueue(h, asRead(evidence));
    assert.ok(v.holds, `seed ${seed}: ${refusal(v)}`);
    const okEnqueue = [...Array(h.length).keys()].find((i) => h.fName(i) === 'enqueue' && h.type[i] === 1)!;
    const x = h.value[h.pair[okEnqueue]];
    if (valid) {
      const n = evidence.acknowledged as number;
      assert.equal(refusal(verifyTotalQueue(h, asRead({ ...evidence, acknowledged: n - 1 }))), `total-queue: ${n} enqueues were acknowledged, not ${n - 1}`);
      // A value enqueued once and dequeued once, claimed lost.
      assert.equal(refusal(verifyTotalQueue(h, asRead({ ...evidence, 'valid?': false, lost: [{ element: x, enqueued: 1, dequeued: 1 }] }))), `total-queue, lost ${printEdn(x)}: enqueued 1 times and dequeued 1: nothing lost`);
      refused += 2;
    } else {
      const lost = evidence.lost as EdnRecord[];
      if (lost.length > 0) {
        const [l, ...rest] = lost;
        assert.equal(refusal(verifyTotalQueue(h, asRead({ ...evidence, lost: [{ ...l, dequeued: (l.dequeued as number) + 1 }, ...rest] }))), `total-queue, lost ${printEdn(l.element as EdnValue)}: enqueued ${l.enqueued as number} times and dequeued ${l.dequeued as number}, not ${l.enqueued as number} and ${(l.dequeued as number) + 1}`);
        refused++;
      }
      const unexpected = evidence.unexpected as EdnRecord[];
      if (unexpected.length === 0) lossesOnly++;
      const someDequeue = [...Array(h.length).keys()].find((i) => h.fName(i) === 'dequeue' && h.type[i] === 1)!;
      const taken = h.value[someDequeue];
      assert.equal(refusal(verifyTotalQueue(h, asRead({ ...evidence, unexpected: [{ element: taken, dequeue: h.index[someDequeue] }] }))), `total-queue, unexpected ${printEdn(taken)}: it was enqueued`);
      refused++;
    }
  }
  t.diagnostic(`${refused} altered certificates refused; ${lossesOnly} invalid on losses alone`);
  assert.ok(lossesOnly > 0);
  enough(seen);
});

test('total-queue: losses alone do not hold against a crashed drain (it may have taken them)', () => {
  const h = historyOf([
    op(0, 'invoke', 'enqueue', 1), op(0, 'ok', 'enqueue', 1),
    op(1, 'invoke', 'drain'), op(1, 'info', 'drain'),
  ]);
  const lost = { 'valid?': false, acknowledged: 1, lost: [{ element: 1, enqueued: 1, dequeued: 0 }], unexpected: [] };
  assert.equal(refusal(verifyTotalQueue(h, asRead(lost))), 'total-queue: drain op 2 crashed and may have taken what looks lost, so losses alone do not make the verdict invalid');
});
