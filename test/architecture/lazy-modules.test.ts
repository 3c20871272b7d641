/**
 * Every module a checker loads lazily is preloaded for worker threads (util/lazy-modules.ts):
 * under tsx a piscina worker cannot import one dynamically, and a lazy part left out there fails
 * only in a worker ("list-append crashed: Cannot find module …/check.js"), so list them all.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('every lazy(…) module of the analyzer is preloaded by util/lazy-modules.ts', () => {
  const preloads = readFileSync('analyzer/util/lazy-modules.ts', 'utf8');
  const lazies = sources('analyzer').flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/export const (\w+) = lazy\(/g)].map((m) => `${m[1]} (${f})`));
  assert.ok(lazies.length >= 6, lazies.join(', '));
  for (const l of lazies) assert.match(preloads, new RegExp(`\\b${l.split(' ')[0]}\\.preload\\(`), `${l} is not preloaded`);
  // And no checker imports a module of the project dynamically but through lazy().
  for (const f of sources('analyzer')) {
    if (f.endsWith('util/lazy.ts')) continue;
    for (const m of readFileSync(f, 'utf8').matchAll(/(?<!lazy\(\(\) => )import\('(\.[^']+)'\)/g)) {
      if (f.includes('/cli/') || f.includes('/queue/') || f.includes('/bench/') || f.includes('/report/')) continue; // main-thread code
      assert.fail(`${f} imports ${m[1]} dynamically outside lazy(): a worker thread under tsx cannot`);
    }
  }
});
