/**
 * Every fixture history checked as `hindsight check FILE` would check it (the checker its ops
 * call for), plus `stats` and `unhandled-exceptions`, each result reduced to its verdict, its
 * top-level keys and a digest of its whole EDN text. A refactor that changes any verdict, key
 * or value on any fixture changes this table; `test/architecture/fixture-results.test.ts`
 * compares it with the one committed (`npx tsx scripts/fixture-results.ts --write` rewrites it).
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { check, printEdn, readHistory } from '../../analyzer/index.js';
import { chooseChecker } from '../../analyzer/check/choose.js';

export interface FixtureResult {
  checker: string;
  valid: string;
  keys: string[];
  digest: string;
}

/** Checkers whose results depend on nothing but the history, run on every fixture. */
const ALWAYS = ['stats', 'unhandled-exceptions'];

function historyFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...historyFiles(p));
    else if (/\.(edn|json)$/.test(name) && !/^(results|test)\.edn$|^manifest\.json$/.test(name)) out.push(p);
  }
  return out;
}

function summary(checker: string, r: Record<string, unknown>): FixtureResult {
  const text = printEdn(r as never);
  return {
    checker,
    valid: printEdn((r['valid?'] ?? null) as never),
    keys: Object.keys(r).sort(),
    digest: createHash('sha256').update(text).digest('hex').slice(0, 16),
  };
}

/** `{ "knossos/…/x.edn": [FixtureResult…] }` for every history under `root` (the fixtures folder). */
export async function fixtureResults(root: string): Promise<Record<string, FixtureResult[]>> {
  const out: Record<string, FixtureResult[]> = {};
  for (const file of historyFiles(root)) {
    const name = relative(root, file).split('\\').join('/');
    let history;
    try {
      history = await readHistory(file, { onWarning: () => {} });
    } catch (e) {
      out[name] = [{ checker: 'read', valid: 'error', keys: [], digest: String((e as Error).message).slice(0, 80) }];
      continue;
    }
    const rows: FixtureResult[] = [];
    const choice = chooseChecker(history);
    if ('checkers' in choice) {
      const r = await check(history, choice.checkers, { ...choice.options, workers: 1 });
      rows.push(summary(choice.checkers.join(','), r));
    }
    for (const c of ALWAYS) rows.push(summary(c, await check(history, [c], {})));
    out[name] = rows;
  }
  return out;
}
