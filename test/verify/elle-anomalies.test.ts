/**
 * list-append's non-cycle anomalies in certificates: generated G1a, G1b, lost-update, internal
 * and incompatible-order histories and a randomly faulty database's histories give cases that
 * the verifier derives again from the micro-ops; a hand-made history shows the rest (dirty
 * update, garbage, duplicate and future reads); a case altered — its writer, element, read,
 * transactions or type — is refused with what does not hold.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check } from '../../analyzer/index.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import { type EdnMap, type EdnRecord, type EdnValue, kw } from '../../analyzer/edn/values.js';
import { generate } from '../../analyzer/gen/index.js';
import { type History, historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import type { Check } from '../../analyzer/verify/linear.js';
import { verifyListAppend } from '../../analyzer/verify/elle-append.js';

const asRead = (e: EdnRecord): EdnMap => parseEdn(printEdn(e)) as EdnMap;
const refusal = (v: Check): string => (v.holds ? `holds: ${v.what}` : v.why);

async function certify(h: History, options: Record<string, unknown> = {}): Promise<EdnRecord | undefined> {
  let evidence: EdnRecord | undefined;
  await check(h, ['list-append'], options, { certify: (_c, e) => (evidence = e) });
  return evidence;
}

/** The evidence with case `j` of `type` replaced by `f` of it. */
function alter(e: EdnRecord, type: string, j: number, f: (c: EdnRecord) => EdnRecord, as = type): EdnRecord {
  const anomalies = { ...(e.anomalies as EdnRecord) };
  const cases = [...(anomalies[type] as EdnRecord[])];
  const changed = f(cases[j]);
  if (as === type) cases[j] = changed;
  else {
    cases.splice(j, 1);
    anomalies[as] = [changed];
  }
  anomalies[type] = cases;
  return { ...e, cycles: [], anomalies };
}

test('generated G1a, G1b, lost-update, internal and incompatible-order histories (10 000 entries): every case verifies', async () => {
  for (const anomaly of ['G1a', 'G1b', 'lost-update', 'internal', 'incompatible-order']) {
    const g = generate({ workload: 'list-append', ops: 10_000, concurrency: 10, keys: 8, seed: 5, anomaly });
    const evidence = await certify(g.history, g.expected.options);
    assert.ok(evidence !== undefined && evidence.anomalies !== undefined, anomaly);
    const v = verifyListAppend(g.history, asRead(evidence));
    assert.ok(v.holds, `${anomaly}: ${refusal(v)}`);
    assert.match(v.what, new RegExp(`\\b${anomaly}\\b`));
  }
});

test('histories of a randomly faulty database: every certificate (cycles and other anomalies) verifies; altered cases are refused', async (t) => {
  const seen: Record<string, number> = {};
  let refused = 0;
  for (let seed = 0; seed < 80; seed++) {
    const g = generate({ workload: 'list-append', ops: 600, concurrency: 4, keys: 3, seed, faults: { staleRate: 0.05, staleBy: 5, brokenReadRate: 0.03 }, rates: { crash: 0.01, nemesis: 0 } });
    const h = g.history;
    const evidence = await certify(h);
    if (evidence?.anomalies === undefined) continue;
    const v = verifyListAppend(h, asRead(evidence));
    assert.ok(v.holds, `seed ${seed}: ${refusal(v)}`);
    const anomalies = evidence.anomalies as Record<string, EdnRecord[]>;
    for (const type of Object.keys(anomalies)) seen[type] = (seen[type] ?? 0) + 1;
    const refuse = (altered: EdnRecord, why: string | RegExp): void => {
      const got = refusal(verifyListAppend(h, asRead(altered)));
      if (typeof why === 'string') assert.equal(got, why, `seed ${seed}`);
      else assert.match(got, why, `seed ${seed}`);
      refused++;
    };
    for (const type of ['G1a', 'G1b'] as const) {
      const c = anomalies[type]?.[0];
      if (c === undefined) continue;
      const [, k] = c.mop as EdnValue[];
      // The writer pointed at the reader (which appends no such element), the element at one the read lacks.
      refuse(alter(evidence, type, 0, (x) => ({ ...x, writer: x.op })), `list-append, ${type} 0: op ${c.op as number} appends no ${printEdn(c.element as EdnValue)} to key ${printEdn(k)}`);
      refuse(alter(evidence, type, 0, (x) => ({ ...x, element: 99_999 })), `list-append, ${type} 0: op ${c.op as number}'s read of key ${printEdn(k)} does not show 99999`);
      // A G1b case called G1a: its writer did not fail.
      if (type === 'G1b') refuse(alter(evidence, 'G1b', 0, (x) => x, 'G1a'), `list-append, G1a 0: the writer op ${c.writer as number} did not fail`);
    }
    const internal = anomalies.internal?.[0];
    if (internal !== undefined) {
      const [f, k] = internal.mop as EdnValue[];
      refuse(alter(evidence, 'internal', 0, (x) => ({ ...x, mop: [f, k, [99_999]] })), `list-append, internal 0: op ${internal.op as number} has no read [:r ${printEdn(k)} [99999]]`);
      refuse(alter(evidence, 'internal', 0, (x) => ({ ...x, op: 99_999 })), 'list-append, internal 0: op 99999 is no :ok transaction');
    }
    const lost = anomalies['lost-update']?.[0];
    if (lost !== undefined) {
      const ts = lost.txns as number[];
      refuse(alter(evidence, 'lost-update', 0, (x) => ({ ...x, txns: [ts[0]] })), 'list-append, lost-update 0: :txns do not name two or more transactions');
      refuse(alter(evidence, 'lost-update', 0, (x) => ({ ...x, value: [99_999] })), `list-append, lost-update 0: op ${ts[0]} does not read the version [99999] of key ${printEdn(lost.key as EdnValue)} and then append to it`);
    }
    const io = anomalies['incompatible-order']?.[0];
    if (io !== undefined) {
      const [a] = io.values as EdnValue[];
      refuse(alter(evidence, 'incompatible-order', 0, (x) => ({ ...x, values: [a, a] })), `list-append, incompatible-order 0: the reads ${printEdn(a)} and ${printEdn(a)} of key ${printEdn(io.key as EdnValue)} are compatible: one is a prefix of the other`);
    }
  }
  t.diagnostic(`${refused} altered cases refused; histories with each type: ${JSON.stringify(seen)}`);
  for (const type of ['G1a', 'G1b', 'internal', 'lost-update', 'incompatible-order']) assert.ok((seen[type] ?? 0) >= 3, `${type}: ${JSON.stringify(seen)}`);
});

const txn = (process: number, type: OpInput['type'], ...mops: EdnValue[][]): OpInput => ({ process, type, f: kw('txn'), value: mops.map(([f, k, v]) => [kw(f as string), k, v]) });

test('a hand-made history: dirty-update, G1a, garbage, duplicate and future reads verify; altered, they are refused', async () => {
  const h = historyOf([
    txn(0, 'invoke', ['append', 1, 1]), txn(0, 'fail', ['append', 1, 1]),
    txn(1, 'invoke', ['append', 1, 2]), txn(1, 'ok', ['append', 1, 2]),
    txn(2, 'invoke', ['r', 1, null]), txn(2, 'ok', ['r', 1, [1, 2]]),
    txn(3, 'invoke', ['r', 2, null]), txn(3, 'ok', ['r', 2, [9]]),
    txn(4, 'invoke', ['append', 3, 5]), txn(4, 'ok', ['append', 3, 5]),
    txn(5, 'invoke', ['r', 3, null]), txn(5, 'ok', ['r', 3, [5, 5]]),
    txn(6, 'invoke', ['r', 4, null], ['append', 4, 7]), txn(6, 'ok', ['r', 4, [7]], ['append', 4, 7]),
  ]);
  const evidence = await certify(h);
  assert.ok(evidence !== undefined);
  const v = verifyListAppend(h, asRead(evidence));
  assert.ok(v.holds, refusal(v));
  for (const type of ['dirty-update', 'G1a', 'garbage-read', 'duplicate-elements', 'future-read']) assert.match(v.what, new RegExp(`\\b${type}\\b`), v.what);
  const refuse = (altered: EdnRecord, why: string): void => assert.equal(refusal(verifyListAppend(h, asRead(altered))), why);
  refuse(alter(evidence, 'dirty-update', 0, (x) => ({ ...x, txns: [...(x.txns as number[])].reverse() })), 'list-append, dirty-update 0: :txns do not append 1 and 2 to key 1');
  refuse(alter(evidence, 'dirty-update', 0, (x) => ({ ...x, values: [2, 1], txns: [...(x.txns as number[])].reverse() })), 'list-append, dirty-update 0: op 3 must have failed and op 1 not');
  refuse(alter(evidence, 'garbage-read', 0, (x) => ({ ...x, op: 5, mop: [kw('r'), 1, [1, 2]], element: 2 })), 'list-append, garbage-read 0: op 3 appended 2 to key 1');
  refuse(alter(evidence, 'duplicate-elements', 0, (x) => ({ ...x, op: 5, mop: [kw('r'), 1, [1, 2]], element: 2 })), 'list-append, duplicate-elements 0: op 5\'s read of key 1 shows 2 once');
  refuse(alter(evidence, 'future-read', 0, (x) => ({ ...x, op: 5, mop: [kw('r'), 1, [1, 2]], element: 2 })), 'list-append, future-read 0: op 5 appends no 2 to key 1 after its read');
});
