/**
 * The verifiers share no code with the checkers' inference (issue #20): analyzer/verify/ may
 * import only the history reader, EDN, the linearizable models' step functions (the
 * specification itself), node's own modules and each other. A file importing a checker,
 * Elle's inference or a utility of theirs fails this test, naming the import.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const DIR = 'analyzer/verify';
const ALLOWED = [/^\.\/[a-z-]+\.js$/, /^\.\.\/edn\//, /^\.\.\/history\//, /^\.\.\/linear\/models\//, /^\.\.\/linear\/nil-reads\.js$/, /^node:/];

test('analyzer/verify imports only the history reader, EDN, the models and node', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length >= 15, files.join(' '));
  const bad: string[] = [];
  for (const f of files) {
    for (const m of readFileSync(join(DIR, f), 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)) {
      if (!ALLOWED.some((r) => r.test(m[1]))) bad.push(`${f}: ${m[1]}`);
    }
  }
  assert.deepEqual(bad, []);
});
