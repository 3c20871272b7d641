/**
 * watch certificates: on random watch histories (correct, or with gaps, swaps and nonmonotonic
 * errors; refused and crashed writes, failed watches) every certificate verifies; a divergence
 * moved to where the logs agree, a watcher count or revision altered, a nonmonotonic op named
 * wrong, are refused with the reason.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check } from '../../analyzer/index.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import type { EdnMap, EdnRecord, EdnValue } from '../../analyzer/edn/values.js';
import type { Check } from '../../analyzer/verify/linear.js';
import { verifyWatch } from '../../analyzer/verify/watch.js';
import { watchHistory } from './support/collection-histories.js';

const asRead = (e: EdnRecord): EdnMap => parseEdn(printEdn(e)) as EdnMap;
const refusal = (v: Check): string => (v.holds ? `holds: ${v.what}` : v.why);

test('watch: on 120 random histories every certificate verifies; altered ones are refused', async (t) => {
  const seen = { valid: 0, invalid: 0, nonmonotonic: 0 };
  let refused = 0;
  for (let seed = 0; seed < 120; seed++) {
    const h = watchHistory(seed, seed % 2 === 1, 60 + (seed % 6) * 30);
    let evidence: EdnRecord | undefined;
    const r = await check(h, ['watch'], {}, { certify: (_c, e) => (evidence = e) });
    if (r['valid?'] !== true && r['valid?'] !== false) continue;
    assert.ok(evidence !== undefined, `seed ${seed}`);
    const v = verifyWatch(h, asRead(evidence));
    assert.ok(v.holds, `seed ${seed}: ${refusal(v)}`);
    if (r['valid?'] === true) {
      seen.valid++;
      const n = evidence.watchers as number;
      assert.equal(refusal(verifyWatch(h, asRead({ ...evidence, watchers: n + 1 }))), `watch: ${n} watchers, not ${n + 1}`);
      const rev = evidence.revision as number;
      assert.match(refusal(verifyWatch(h, asRead({ ...evidence, revision: rev + 1 }))), new RegExp(`^watch: process \\d+ ended at revision ${rev}, not ${rev + 1}$`));
      refused += 2;
      continue;
    }
    seen.invalid++;
    const ds = evidence.divergences as EdnRecord[];
    if (ds.length > 0) {
      // Position 0 … before the first divergence, the two logs agree.
      const d = ds[0];
      const at = d.index as number;
      if (at > 0) {
        const moved = [{ ...d, index: at - 1 }, ...ds.slice(1)];
        assert.match(refusal(verifyWatch(h, asRead({ ...evidence, divergences: moved }))), new RegExp(`^watch, divergence 0 \\(processes \\[\\d+ \\d+\\], position ${at - 1}\\): both logs have \\d+ there$`));
        refused++;
      }
    }
    const nm = evidence.nonmonotonic as number[];
    if (nm.length > 0) {
      seen.nonmonotonic++;
      const write = h.index[[...Array(h.length).keys()].find((i) => h.fName(i) === 'write')!];
      assert.equal(refusal(verifyWatch(h, asRead({ ...evidence, nonmonotonic: [write, ...nm.slice(1)] }))), `watch: op ${write} is no watch with a nonmonotonic error`);
      refused++;
    }
    assert.equal(refusal(verifyWatch(h, asRead({ ...evidence, divergences: [], nonmonotonic: [] }))), 'watch: the verdict is invalid, but no logs are shown to disagree');
    refused++;
  }
  t.diagnostic(`${refused} altered certificates refused; ${JSON.stringify(seen)}`);
  assert.ok(seen.valid >= 30 && seen.invalid >= 30 && seen.nonmonotonic > 0, JSON.stringify(seen));
});
