/**
 * set-full, set and lock-set certificates: on random generated set histories (correct, lost writes, stale
 * reads; crashed :info and refused :fail adds) every certificate verifies; one step altered (an
 * op index pointing at the wrong op, a witness read swapped for one that holds the element, or
 * for one a later read contradicts) is refused with the reason.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check } from '../../analyzer/index.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import type { EdnMap, EdnRecord, EdnValue } from '../../analyzer/edn/values.js';
import { generate } from '../../analyzer/gen/index.js';
import { type History, historyOf } from '../../analyzer/history/history.js';
import { op } from '../support/ops.js';
import type { Check } from '../../analyzer/verify/linear.js';
import { verifySetFull } from '../../analyzer/verify/set-full.js';
import { verifyLockSet, verifySet } from '../../analyzer/verify/set.js';
import { keyed } from '../../analyzer/verify/keyed.js';

/** The evidence as a certificate file carries it: printed and read back. */
const asRead = (e: EdnRecord): EdnMap => parseEdn(printEdn(e)) as EdnMap;

async function certify(h: History, checker: string, options: Record<string, unknown> = {}): Promise<{ valid: unknown; evidence?: EdnRecord }> {
  let evidence: EdnRecord | undefined;
  const r = await check(h, [checker], options, { certify: (c, e) => c === checker && (evidence = e) });
  return { valid: r['valid?'], evidence };
}

const holds = (v: Check, what: string): void => assert.ok(v.holds, `${what}: ${v.holds ? '' : v.why}`);
const refusal = (v: Check): string => (v.holds ? `holds: ${v.what}` : v.why);

/** Random set histories: correct, lost-write or stale-read, with crashes (:info) and refused adds (:fail). */
function setHistory(seed: number): History {
  const anomaly = [undefined, 'lost-write', 'stale-read'][seed % 3];
  return generate({ workload: 'set', ops: 300 + (seed % 7) * 40, concurrency: 3 + (seed % 4), keys: 1, seed, anomaly, rates: { crash: 0.02, nemesis: 0.01 }, shape: { failRate: 0.05 } }).history;
}

test('set-full: on 150 random set histories every certificate verifies (valid and invalid, with and without --linearizable)', async () => {
  const seen = { valid: 0, invalid: 0 };
  for (let seed = 0; seed < 150; seed++) {
    const h = setHistory(seed);
    const linearizable = seed % 2 === 0;
    const { valid, evidence } = await certify(h, 'set-full', { linearizable });
    if (valid !== true && valid !== false) continue;
    assert.ok(evidence !== undefined, `seed ${seed}`);
    holds(verifySetFull(h, asRead(evidence)), `seed ${seed}`);
    seen[valid ? 'valid' : 'invalid']++;
  }
  assert.ok(seen.valid > 40 && seen.invalid > 40, JSON.stringify(seen));
});

/** The test's own reading of a set history: ok reads (invocation, completion positions, elements as text). */
function readsOf(h: History): { inv: number; comp: number; has: Set<string> }[] {
  const out: { inv: number; comp: number; has: Set<string> }[] = [];
  for (let i = 0; i < h.length; i++) {
    const c = h.pair[i];
    if (h.type[i] !== 0 || h.fName(i) !== 'read' || c < 0 || h.type[c] !== 1) continue;
    const v = h.value[c] as EdnValue;
    const items = Array.isArray(v) ? v : v !== null && typeof v === 'object' && 'items' in v ? (v.items as EdnValue[]) : undefined;
    if (items !== undefined) out.push({ inv: i, comp: c, has: new Set(items.map((x) => printEdn(x))) });
  }
  return out;
}
const posOf = (h: History, index: number): number => h.index.indexOf(index);

test('set-full: an altered certificate is refused: a wrong add, an absent read invoked too early or holding the element, a stable read some later read contradicts', async (t) => {
  let refused = 0;
  let contradictions = 0;
  let swaps = 0;
  for (let seed = 0; seed < 60; seed++) {
    const h = setHistory(seed);
    const linearizable = seed % 2 === 0;
    const { valid, evidence } = await certify(h, 'set-full', { linearizable });
    if (evidence === undefined) continue;
    const reads = readsOf(h);
    const refuse = (altered: EdnRecord, why: string): void => {
      assert.equal(refusal(verifySetFull(h, asRead(altered))), why, `seed ${seed}`);
      refused++;
    };
    if (valid === false) {
      for (const key of ['lost', 'stale'] as const) {
        for (const [j, e] of (evidence[key] as EdnRecord[]).entries()) {
          const others = [...(evidence[key] as EdnRecord[])];
          const x = printEdn(e.element as EdnValue);
          const what = `set-full, ${key} element ${x}`;
          const otherAdd = h.index[[...Array(h.length).keys()].find((i) => h.type[i] === 0 && h.fName(i) === 'add' && printEdn(h.value[i]) !== x)!];
          refuse({ ...evidence, [key]: others.map((o, k) => (k === j ? { ...o, add: otherAdd } : o)) }, `${what}: op ${otherAdd} is no add of it`);
          const early = reads[0];
          refuse({ ...evidence, [key]: others.map((o, k) => (k === j ? { ...o, absent: h.index[early.inv] } : o)) }, `${what}: read op ${h.index[early.inv]} was invoked before op ${e.known as number} made it known`);
          if (key === 'stale') refuse({ ...evidence, stale: others.map((o, k) => (k === j ? { ...o, absent: e.present } : o)) }, `${what}: read op ${e.present as number} shows it`);
        }
      }
      continue;
    }
    // Every read showing a stable element, in place of its witness: refused exactly when some
    // later-invoked read (completed after the add began) lacks the element, as brute force finds.
    const stable = evidence.stable as [EdnValue, number][];
    for (const [j, [x, p]] of stable.entries()) {
      if (j % 10 !== 0) continue;
      const t = printEdn(x);
      const add = [...Array(h.length).keys()].filter((i) => h.type[i] === 0 && h.fName(i) === 'add' && printEdn(h.value[i]) === t).pop()!;
      for (const q of reads) {
        if (!q.has.has(t) || h.index[q.inv] === p || q.comp < add) continue;
        const contradicted = reads.some((r) => r.inv > q.inv && r.comp > add && !r.has.has(t));
        const altered = { ...evidence, stable: stable.map((s, k) => (k === j ? [x, h.index[q.inv]] : s)) };
        const got = verifySetFull(h, asRead(altered));
        swaps++;
        if (!contradicted) holds(got, `seed ${seed}, ${t} at ${h.index[q.inv]}`);
        else {
          contradictions++;
          refuse(altered, `set-full, stable element ${t}: a read invoked after read op ${h.index[q.inv]} lacks it`);
        }
      }
      const lacking = reads.find((r) => !r.has.has(t));
      if (lacking !== undefined) refuse({ ...evidence, stable: stable.map((s, k) => (k === j ? [x, h.index[lacking.inv]] : s)) }, `set-full, stable element ${t}: op ${h.index[lacking.inv]} is no read showing it`);
    }
  }
  t.diagnostic(`${refused} altered certificates refused; ${swaps} witness swaps, ${contradictions} contradicted by a later read`);
  assert.ok(refused > 100 && swaps > 100 && contradictions > 0, `${refused} refused, ${swaps} swaps, ${contradictions} contradicted`);
});

test('set: on 150 random set histories every certificate verifies; a wrong add, a final read that is not the last, are refused', async (t) => {
  const seen = { valid: 0, invalid: 0 };
  let refused = 0;
  for (let seed = 0; seed < 150; seed++) {
    const h = setHistory(seed);
    const { valid, evidence } = await certify(h, 'set');
    assert.ok(evidence !== undefined && (valid === true || valid === false), `seed ${seed}`);
    holds(verifySet(h, asRead(evidence)), `seed ${seed}`);
    seen[valid ? 'valid' : 'invalid']++;
    const reads = readsOf(h);
    const byCompletion = [...reads].sort((a, b) => a.comp - b.comp);
    const [earlier, last] = byCompletion.slice(-2);
    assert.equal(refusal(verifySet(h, asRead({ ...evidence, final: h.index[earlier.comp] }))), `set: read op ${h.index[earlier.comp]} is not the final read (op ${h.index[last.comp]} completed after it)`);
    refused++;
    for (const [j, l] of (evidence.lost as EdnRecord[]).entries()) {
      const x = printEdn(l.element as EdnValue);
      const other = [...Array(h.length).keys()].find((i) => h.type[i] === 1 && h.fName(i) === 'add' && printEdn(h.value[i]) !== x)!;
      const lost: EdnRecord[] = (evidence.lost as EdnRecord[]).map((o, k) => (k === j ? { ...o, add: h.index[other] } : o));
      assert.equal(refusal(verifySet(h, asRead({ ...evidence, lost }))), `set, lost element ${x}: op ${h.index[other]} is no :ok add of it`);
      // An element the final read does show, claimed lost.
      const shown = [...last.has][0];
      const wrong: EdnValue[] = (evidence.lost as EdnRecord[]).map((o, k) => (k === j ? { element: parseEdn(shown), add: h.index[[...Array(h.length).keys()].find((i) => h.type[i] === 1 && h.fName(i) === 'add' && printEdn(h.value[i]) === shown)!] } : o));
      assert.equal(refusal(verifySet(h, asRead({ ...evidence, lost: wrong }))), `set, lost element ${shown}: the final read op ${h.index[last.comp]} shows it`);
      refused += 2;
    }
    if (valid === true) {
      assert.equal(refusal(verifySet(h, asRead({ ...evidence, 'valid?': false }))), 'set: the verdict is invalid, but the evidence shows nothing lost or unexpected');
      refused++;
    }
  }
  t.diagnostic(`${refused} altered certificates refused`);
  assert.ok(seen.valid > 40 && seen.invalid > 20, JSON.stringify(seen));
});

test('lock-set: on 90 random set histories every certificate verifies (set\'s evidence); a wrong add is refused', async (t) => {
  const seen = { valid: 0, invalid: 0 };
  let refused = 0;
  for (let seed = 0; seed < 90; seed++) {
    const h = setHistory(seed);
    const { valid, evidence } = await certify(h, 'lock-set');
    assert.ok(evidence !== undefined && (valid === true || valid === false), `seed ${seed}`);
    holds(verifyLockSet(h, asRead(evidence)), `seed ${seed}`);
    seen[valid ? 'valid' : 'invalid']++;
    const [l, ...rest] = evidence.lost as EdnRecord[];
    if (l === undefined) continue;
    const x = printEdn(l.element as EdnValue);
    const other = [...Array(h.length).keys()].find((i) => h.type[i] === 0 && h.fName(i) === 'add')!;
    assert.equal(refusal(verifyLockSet(h, asRead({ ...evidence, lost: [{ ...l, add: h.index[other] }, ...rest] }))), `lock-set, lost element ${x}: op ${h.index[other]} is no :ok add of it`);
    refused++;
  }
  t.diagnostic(`${refused} altered certificates refused`);
  assert.ok(seen.valid > 30 && seen.invalid > 20, JSON.stringify(seen));
});

test('--independent: on 60 random keyed set histories every per-key certificate of set-full and set verifies; a key left out or altered is refused', async (t) => {
  const seen = { valid: 0, invalid: 0 };
  let refused = 0;
  for (let seed = 0; seed < 60; seed++) {
    const anomaly = [undefined, 'lost-write', 'stale-read'][seed % 3];
    const h = generate({ workload: 'set', ops: 500, concurrency: 4, keys: 3, seed, anomaly, rates: { crash: 0.02, nemesis: 0.01 }, shape: { failRate: 0.05 } }).history;
    for (const [checker, verify] of [['set-full', keyed('set-full', verifySetFull)], ['set', keyed('set', verifySet)]] as const) {
      const { valid, evidence } = await certify(h, checker, { independent: true, linearizable: true });
      if (valid !== true && valid !== false) continue;
      assert.ok(evidence !== undefined && evidence.independent === true, `seed ${seed}`);
      holds(verify(h, asRead(evidence)), `${checker} seed ${seed}`);
      seen[valid ? 'valid' : 'invalid']++;
      const keys = evidence.keys as EdnRecord[];
      if (valid) {
        const [first, ...rest] = keys;
        assert.equal(refusal(verify(h, asRead({ ...evidence, keys: rest }))), `${checker}: the verdict is valid, but key ${printEdn(first.key as EdnValue)} has no valid evidence`);
      } else {
        const bad = keys.findIndex((k) => k['valid?'] === false);
        const k = keys[bad];
        // The failing key's evidence put under another key: that key's ops do not bear it out.
        const other = keys.find((x) => x !== k)!;
        const moved = keys.map((x, j) => (j === bad ? { ...x, key: other.key } : x));
        assert.match(refusal(verify(h, asRead({ ...evidence, keys: moved }))), new RegExp(`^key ${printEdn(other.key as EdnValue)}: ${checker}`));
      }
      refused++;
    }
  }
  t.diagnostic(`${refused} altered certificates refused; ${JSON.stringify(seen)}`);
  assert.ok(seen.valid > 20 && seen.invalid > 20, JSON.stringify(seen));
});

test('set-full: a hand-made history with a duplicate and an unexpected element verifies; a wrong count or an added element is refused', async () => {
  const h = historyOf([
    op(0, 'invoke', 'add', 1), op(0, 'ok', 'add', 1),
    op(1, 'invoke', 'read'), op(1, 'ok', 'read', [1, 1]),
    op(1, 'invoke', 'read'), op(1, 'ok', 'read', [1, 7]),
  ]);
  const { valid, evidence } = await certify(h, 'set-full');
  assert.equal(valid, false);
  assert.equal(printEdn(evidence!), '{:valid? false, :linearizable false, :lost [], :stale [], :duplicated [{:element 1, :read 2, :count 2}], :unexpected [{:element 7, :read 4}]}');
  holds(verifySetFull(h, asRead(evidence!)), 'hand-made');
  assert.equal(refusal(verifySetFull(h, asRead({ ...evidence!, duplicated: [{ element: 1, read: 2, count: 3 }] }))), 'set-full, duplicated element 1: read op 2 holds it 2 times, not 3');
  assert.equal(refusal(verifySetFull(h, asRead({ ...evidence!, unexpected: [{ element: 1, read: 4 }] }))), 'set-full, unexpected element 1: op 0 adds it');
});
