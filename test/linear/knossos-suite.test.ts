/**
 * Knossos's own tests, as data (fixtures/knossos-tests/: every check of jepsen-io/knossos's
 * linear_test.clj and wgl_test.clj on an inline history, with its model, initial value and what
 * the test asserts). Each runs through our `linearizable` checker.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { UNKNOWN } from '../../analyzer/check/checker.js';
import { checkerNamed } from '../../analyzer/checkers/registry.js';
import { readHistory } from '../../analyzer/history/read.js';

const SUITE = 'fixtures/knossos-tests';

interface KnossosCheck {
  id: string;
  source: string;
  history: string;
  model: string;
  init: string;
  expected: { 'valid?'?: boolean | 'unknown'; 'op-index'?: number; 'previous-ok-index'?: number | null; 'last-op-index'?: number | null };
}

const checks = JSON.parse(readFileSync(join(SUITE, 'manifest.json'), 'utf8')) as KnossosCheck[];

const indexOf = (v: unknown): number | null => (v && typeof v === 'object' && 'index' in v ? ((v as { index: number }).index ?? null) : null);

test('the transcription: 9 checks of linear_test.clj and wgl_test.clj', () => {
  assert.equal(checks.length, 9);
});

for (const c of checks) {
  test(`Knossos ${c.id} (${c.source.replace(/^jepsen-io\/knossos@\w+ test\/knossos\//, '')})`, async () => {
    const h = await readHistory(join(SUITE, c.history));
    const r = await checkerNamed('linearizable')!.check(h, { model: c.model, init: c.init }, {});
    const e = c.expected;
    if (e['valid?'] === true) {
      // Knossos asserts (is (:valid? a)), which :unknown also passes: a history with no :ok op
      // (crash-test: one write that crashed) is :unknown here, since nothing was judged.
      const judged = [...h.ops()].some((o) => o.type === 'ok');
      assert.equal(r['valid?'], judged ? true : UNKNOWN);
    } else if (e['valid?'] !== undefined) assert.equal(r['valid?'], e['valid?']);
    if (e['op-index'] !== undefined) assert.equal(indexOf(r.op), e['op-index']);
    if (e['previous-ok-index'] !== undefined) assert.equal(indexOf(r['previous-ok']), e['previous-ok-index']);
    if (e['last-op-index'] !== undefined) assert.equal(indexOf(r['last-op']), e['last-op-index']);
  });
}
