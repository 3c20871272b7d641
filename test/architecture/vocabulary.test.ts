/** docs/recorder.md's fault vocabulary is the one the code has (regenerate with `npx tsx scripts/vocabulary.ts --write`). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { vocabularyMarkdown, withVocabulary } from '../../recorder/nemesis/vocabulary.js';

test('docs/recorder.md lists every backend\'s workloads and faults and every fault kind, as the registry and the fault table have them', async () => {
  const page = readFileSync(new URL('../../docs/recorder.md', import.meta.url), 'utf8');
  const body = await vocabularyMarkdown();
  assert.equal(withVocabulary(page, body), page, 'docs/recorder.md is out of date: npx tsx scripts/vocabulary.ts --write');
  for (const f of ['disk-eio', 'corrupt-bitflip', 'partition-bridge', 'clock', 'watch-from-zero', 'lock-fenced-set']) assert.ok(body.includes(`\`${f}\``), f);
});
