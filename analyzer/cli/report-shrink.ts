/**
 * `report --shrink`: before rendering a failing run's report, shrink its history toward the
 * first failing checker's failure (analyzer/shrink/) and keep it as the run's history.min.edn,
 * which the report then links from its verdict (any later report of the run does too).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Checker, UsageError } from '../check/checker.js';
import { chooseChecker } from '../check/choose.js';
import { parseEdn } from '../edn/scanner.js';
import type { History } from '../history/history.js';
import { checkerVerdicts } from '../report/verdict.js';
import { shrinkHistory } from '../shrink/shrink.js';
import { RUN_SHRUNK_FILE, shrunkFile } from '../shrink/write.js';
import { readTestEdn, runHistoryFile, storedCheckSpec } from '../store/store.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { checkFlags } from '../recheck/output.js';
import { resolveCheckers } from './check.js';

/** Shrinks run `dir`'s `history` within `seconds` and writes history.min.edn; returns the line to print. */
export async function shrinkRun(dir: string, history: History, seconds: number): Promise<string> {
  const started = performance.now();
  const spec = existsSync(join(dir, 'test.edn')) ? storedCheckSpec(readTestEdn(dir)) : chooseChecker(history);
  if (!('checkers' in spec)) throw new UsageError(`${dir}: no checker fits the ops (${spec.shapes}); nothing to shrink toward`);
  const results = parseEdn(readFileSync(join(dir, 'results.edn'), 'utf8'));
  // The first failing checker of the run, among those it was checked with.
  const failing = spec.checkers.length === 1 ? spec.checkers : checkerVerdicts(results).filter((v) => v.verdict === 'invalid' && spec.checkers.includes(v.checker)).map((v) => v.checker).slice(0, 1);
  if (failing.length === 0) return `${dir}: no checker found the run invalid: nothing to shrink`;
  const named = resolveCheckers(failing[0]) as Checker<Record<string, unknown>>[];
  const s = await shrinkHistory(history, { checkers: named, options: spec.options, until: Date.now() + seconds * 1000 });
  if (typeof s === 'string') return `${dir}: ${s}`;
  const out = join(dir, RUN_SHRUNK_FILE);
  const check = checkFlags(failing, spec.options);
  const took = (performance.now() - started) / 1000;
  await writeFileAtomic(out, shrunkFile(s, { original: runHistoryFile(dir) ?? join(dir, 'history.edn'), check, seconds: took }));
  return `shrunk ${failing[0]}'s failure: ${s.opsBefore} → ${s.opsAfter} ops, still ${s.kind.describe} (${s.tests} checks, ${took.toFixed(1)} s${s.finished ? '' : `; stopped by --shrink-time-limit ${seconds} s`}): ${out}`;
}
