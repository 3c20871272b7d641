/**
 * Elle's own test histories (fixtures/elle-tests, 76 checks transcribed from its test suite):
 * every list-append and rw-register certificate they give verifies, and every invalid verdict
 * has one (cycles or other anomalies; but cyclic-versions, and where the version order is a given
 * commit order);
 * list-append's valid ones checked for serializability replay their order.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { check } from '../../analyzer/index.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import type { EdnMap, EdnRecord } from '../../analyzer/edn/values.js';
import { readHistory } from '../../analyzer/history/read.js';
import { verifyListAppend } from '../../analyzer/verify/elle-append.js';
import { verifyRwRegister } from '../../analyzer/verify/elle-register.js';
import { SUITE, elleChecks, ourOptions } from '../elle/elle-suite.js';

test("Elle's test histories: every certificate verifies, and every invalid verdict has one", async (t) => {
  const counts = { 'list-append': 0, 'rw-register': 0 };
  for (const c of elleChecks()) {
    const h = await readHistory(join(SUITE, c.history));
    let evidence: EdnRecord | undefined;
    const r = await check(h, [c.checker], { ...ourOptions(c.options) }, { certify: (_n, e) => (evidence = e) });
    // A commit order given from outside (transaction-order) is no evidence in the history, nor is
    // cyclic-versions (it rests on the assumed version orders themselves).
    const types = Array.isArray(r['anomaly-types']) ? r['anomaly-types'].map((x) => printEdn(x).slice(1)) : [];
    const certifiable = types.some((x) => x !== 'cyclic-versions' && x !== 'empty-transaction-graph') && !('transaction-order' in c.options);
    if (r['valid?'] === false && certifiable) assert.ok(evidence !== undefined, c.id);
    if (evidence === undefined) continue;
    const verify = c.checker === 'list-append' ? verifyListAppend : verifyRwRegister;
    const v = verify(h, parseEdn(printEdn(evidence)) as EdnMap);
    assert.ok(v.holds, `${c.id}: ${v.holds ? '' : v.why}`);
    counts[c.checker]++;
  }
  t.diagnostic(`certificates verified: ${JSON.stringify(counts)}`);
  assert.ok(counts['list-append'] >= 29 && counts['rw-register'] >= 16, JSON.stringify(counts));
});
