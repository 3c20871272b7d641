/**
 * rw-register certificates: the non-cycle anomalies of generated G1a, G1b, lost-update and
 * internal histories and of simulated databases, and the cycles of generated G1c, G-single and G2-item histories, and of
 * histories of weakly isolated simulated databases (read committed, snapshot isolation) checked
 * with and without the version-order assumptions, verify — every ww and rw step whose earlier
 * version is not nil by the ops its `:why` names; a step, a justification or an assumption
 * altered is refused with the reason.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check } from '../../analyzer/index.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import type { EdnMap, EdnRecord, EdnValue } from '../../analyzer/edn/values.js';
import { generate } from '../../analyzer/gen/index.js';
import type { History } from '../../analyzer/history/history.js';
import type { Check } from '../../analyzer/verify/linear.js';
import { verifyRwRegister } from '../../analyzer/verify/elle-register.js';
import { DEFAULT_SIM, simulate } from '../elle/simulator/run.js';

const asRead = (e: EdnRecord): EdnMap => parseEdn(printEdn(e)) as EdnMap;
const refusal = (v: Check): string => (v.holds ? `holds: ${v.what}` : v.why);

async function certify(h: History, options: Record<string, unknown>): Promise<EdnRecord | undefined> {
  let evidence: EdnRecord | undefined;
  await check(h, ['rw-register'], options, { certify: (_c, e) => (evidence = e) });
  return evidence;
}

/** The evidence with step `i` of cycle `n` replaced by `f` of it. */
function alterStep(e: EdnRecord, n: number, i: number, f: (s: EdnRecord) => EdnRecord): EdnRecord {
  const cycles = (e.cycles as EdnRecord[]).map((c, j) => (j !== n ? c : { ...c, steps: (c.steps as EdnRecord[]).map((s, k) => (k === i ? f(s) : s)) }));
  return { ...e, cycles };
}

test('generated rw-register G1c, G-single and G2-item histories (10 000 entries): every cycle verifies', async () => {
  for (const anomaly of ['G1c', 'G-single', 'G2-item']) {
    const g = generate({ workload: 'rw-register', ops: 10_000, concurrency: 10, keys: 8, seed: 3, anomaly, rates: { crash: 0.01, nemesis: 0 } });
    const evidence = await certify(g.history, g.expected.options);
    assert.ok(evidence !== undefined, anomaly);
    const v = verifyRwRegister(g.history, asRead(evidence));
    assert.ok(v.holds, `${anomaly}: ${refusal(v)}`);
  }
});

const ASSUMING = [{}, { wfrKeys: true }, { sequentialKeys: true }, { linearizableKeys: true }, { wfrKeys: true, sequentialKeys: true, linearizableKeys: true }];

test('weakly isolated databases, with and without the version-order assumptions: every certificate verifies; altered steps and justifications are refused', async (t) => {
  let certified = 0;
  let justified = 0;
  let refused = 0;
  for (const [a, assuming] of ASSUMING.entries()) {
    for (const isolation of ['read-committed', 'snapshot-isolation'] as const) {
      for (let seed = 0; seed < 30; seed++) {
        const h = simulate({ ...DEFAULT_SIM, workload: 'rw-register', isolation, seed: seed + 100 * a, txns: 60, concurrency: 4, keys: 3, crash: 0.02, clientAbort: 0.02 });
        const evidence = await certify(h, { consistencyModels: 'strict-serializable', ...assuming });
        if (evidence === undefined) continue;
        const v = verifyRwRegister(h, asRead(evidence));
        assert.ok(v.holds, `${isolation} ${seed} ${JSON.stringify(assuming)}: ${refusal(v)}`);
        certified++;
        const refuse = (altered: EdnRecord, why: string | RegExp): void => {
          const got = refusal(verifyRwRegister(h, asRead(altered)));
          if (typeof why === 'string') assert.equal(got, why, `${isolation} ${seed}`);
          else assert.match(got, why, `${isolation} ${seed}`);
          refused++;
        };
        const cycles = evidence.cycles as EdnRecord[];
        const c0 = cycles[0];
        if (c0 === undefined) continue;
        const type = printEdn(c0.type as EdnValue).slice(1);
        const ids = c0.cycle as number[];
        // An op of the cycle that is no transaction; a data step's value that was never written.
        refuse({ ...evidence, cycles: [{ ...c0, cycle: [ids[0], 99_999, ...ids.slice(2)] }, ...cycles.slice(1)] }, `rw-register, cycle 0 (${type}): op 99999 is no transaction of the history`);
        const d = (c0.steps as EdnRecord[]).findIndex((s) => ['wr', 'ww'].includes(printEdn(s.type as EdnValue).slice(1)));
        if (d >= 0) {
          const s = (c0.steps as EdnRecord[])[d];
          const kind = printEdn(s.type as EdnValue).slice(1);
          refuse(alterStep(evidence, 0, d, (x) => ({ ...x, value: 99_999 })), `rw-register, cycle 0 (${type}), step ${d}: ${kind} op ${ids[d]} → op ${ids[d + 1]}: op ${ids[d]} did not finally write 99999 to key ${printEdn(s.key as EdnValue)}`);
        }
        for (const [n, c] of cycles.entries()) {
          justified += (c.steps as EdnRecord[]).filter((s) => s.why !== undefined).length;
          // The first justified step of each cycle, altered three ways.
          for (const [i, s] of (c.steps as EdnRecord[]).entries()) {
            if (s.why === undefined) continue;
            const by = Object.keys(s.why as EdnRecord)[0];
            const [ta, tb] = [(c.cycle as number[])[i], (c.cycle as number[])[i + 1]];
            const kind = printEdn(s.type as EdnValue).slice(1);
            const head = `rw-register, cycle ${n} (${printEdn(c.type as EdnValue).slice(1)}), step ${i}: ${kind} op ${ta} → op ${tb}: ${printEdn(s.value as EdnValue)} < ${printEdn(s["value'"] as EdnValue)} on key ${printEdn(s.key as EdnValue)}`;
            // No justification; one by an assumption not made; one naming ops that do not show it.
            refuse(alterStep(evidence, n, i, ({ why: _, ...rest }) => rest), `${head}: no :why names the ops that order them`);
            refuse({ ...evidence, assumptions: (evidence.assumptions as EdnValue[]).filter((x) => printEdn(x) !== `:${by}`) }, new RegExp(`: by [a-z-]+, which the certificate does not assume$`));
            const wrong = by === 'wfr-keys' ? ta : [tb, ta];
            const ops = printEdn(wrong);
            const why = refusal(verifyRwRegister(h, asRead(alterStep(evidence, n, i, (x) => ({ ...x, why: { [by]: wrong } })))));
            const reasons = [`by ${by}, ops ${ops} do not show it`, `by ${by}, ops ${ops} are not of one process`, `by ${by}, op ${ta} was invoked before op ${tb} completed`, `${by} names ${ops}, not :ok transactions`];
            assert.ok(reasons.some((r) => why === `${head}: ${r}`), why);
            refused++;
            break;
          }
        }
      }
    }
  }
  t.diagnostic(`${certified} certificates verified, ${justified} steps justified by named ops, ${refused} altered certificates refused`);
  assert.ok(certified > 100 && justified > 50 && refused > 200, `${certified} certified, ${justified} justified, ${refused} refused`);
});

test('a G1c cycle called G0 is refused: its edges do not make it', async () => {
  const g = generate({ workload: 'rw-register', ops: 2000, concurrency: 5, keys: 4, seed: 1, anomaly: 'G1c' });
  const evidence = await certify(g.history, g.expected.options);
  const cycles = evidence!.cycles as EdnRecord[];
  const altered = { ...evidence, cycles: [{ ...cycles[0], type: parseEdn(':G0') }, ...cycles.slice(1)] };
  assert.equal(refusal(verifyRwRegister(g.history, asRead(altered))), "rw-register, cycle 0 (G0): the cycle's edges (wr, wr) do not make G0");
});

test('rw-register non-cycle anomalies: generated G1a, G1b, lost-update and internal histories and 60 simulated ones verify; altered cases are refused', async (t) => {
  const seen: Record<string, number> = {};
  let refused = 0;
  const histories: History[] = [];
  for (const anomaly of ['G1a', 'G1b', 'lost-update', 'internal']) histories.push(generate({ workload: 'rw-register', ops: 10_000, concurrency: 10, keys: 8, seed: 4, anomaly }).history);
  for (let seed = 0; seed < 60; seed++) histories.push(simulate({ ...DEFAULT_SIM, workload: 'rw-register', isolation: seed % 2 === 0 ? 'read-committed' : 'snapshot-isolation', seed: 500 + seed, txns: 60, concurrency: 4, keys: 3, crash: 0.02, clientAbort: 0.05 }));
  for (const [n, h] of histories.entries()) {
    const evidence = await certify(h, { consistencyModels: 'strict-serializable' });
    if (evidence?.anomalies === undefined) continue;
    const v = verifyRwRegister(h, asRead(evidence));
    assert.ok(v.holds, `history ${n}: ${refusal(v)}`);
    const anomalies = evidence.anomalies as Record<string, EdnRecord[]>;
    for (const type of Object.keys(anomalies)) seen[type] = (seen[type] ?? 0) + 1;
    const only = (type: string, c: EdnRecord): EdnRecord => ({ ...evidence, cycles: [], anomalies: { [type]: [c] } });
    const refuse = (altered: EdnRecord, why: string): void => {
      assert.equal(refusal(verifyRwRegister(h, asRead(altered))), why, `history ${n}`);
      refused++;
    };
    for (const type of ['G1a', 'G1b'] as const) {
      const c = anomalies[type]?.[0];
      if (c === undefined) continue;
      const [, k, x] = c.mop as EdnValue[];
      refuse(only(type, { ...c, writer: c.op }), `rw-register, ${type} 0: op ${c.op as number} writes no ${printEdn(x)} to key ${printEdn(k)}`);
      refuse(only(type, { ...c, mop: [parseEdn(':r'), k, 99_999] }), `rw-register, ${type} 0: op ${c.op as number} has no read [:r ${printEdn(k)} 99999]`);
      if (type === 'G1b') refuse(only('G1a', c), `rw-register, G1a 0: the writer op ${c.writer as number} did not fail`);
      else refuse(only('G1b', c), `rw-register, G1b 0: the writer op ${c.writer as number} is the reader or failed`);
    }
    const lost = anomalies['lost-update']?.[0];
    if (lost !== undefined) {
      const ts = lost.txns as number[];
      refuse(only('lost-update', { ...lost, txns: [ts[0]] }), 'rw-register, lost-update 0: :txns do not name two or more transactions');
      refuse(only('lost-update', { ...lost, value: 99_999 }), `rw-register, lost-update 0: op ${ts[0]} does not first read key ${printEdn(lost.key as EdnValue)} = 99999 and then write it`);
    }
    const internal = anomalies.internal?.[0];
    if (internal !== undefined) refuse(only('internal', { ...internal, op: 99_999 }), 'rw-register, internal 0: op 99999 is no :ok transaction');
  }
  t.diagnostic(`${refused} altered cases refused; certificates with each type: ${JSON.stringify(seen)}`);
  for (const type of ['G1a', 'G1b', 'lost-update', 'internal']) assert.ok((seen[type] ?? 0) >= 1, `${type}: ${JSON.stringify(seen)}`);
  assert.ok(refused > 20, `${refused} refused`);
});
