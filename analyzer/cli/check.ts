/** `hindsight check`: read each history, run the named checkers, print and write the verdicts. */
import { join } from 'node:path';
import { type CheckResult, type Checker, UNKNOWN, UsageError } from '../checkers/checker.js';
import { HistoryError } from '../history/diagnostics.js';
import { compose } from '../checkers/compose.js';
import { checkerNamed, checkers } from '../checkers/registry.js';
import { formatWarning } from '../history/diagnostics.js';
import { progressBar } from '../history/progress.js';
import { type HistoryFormat, readHistory } from '../history/read.js';
import { announced, phaseLine } from '../report/phases.js';
import { readTestEdn, resolveRunDir, storedCheckSpec } from '../store/store.js';
import { exitFor, worstExit } from './exit.js';
import { inputNames } from './input-names.js';
import { formatResult, writeResult } from './output.js';

export interface CheckCommandOptions extends Record<string, unknown> {
  /** Required unless `store` names a run whose test.edn lists them. */
  checker?: string;
  /** A recorder store run to re-check (see analyzer/store). */
  store?: string;
  format?: HistoryFormat;
  json?: boolean;
  out?: string;
  quiet?: boolean;
  strict?: boolean;
}

export function resolveCheckers(spec: string): Checker<Record<string, unknown>>[] {
  const names = spec.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new UsageError('--checker needs at least one name');
  return names.map((n) => {
    const c = checkerNamed(n);
    if (c === undefined) throw new UsageError(`unknown checker ${n}; known: ${[...checkers.keys()].sort().join(', ')}`);
    return c;
  });
}

function definedOnly(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function verdictWord(v: CheckResult['valid?']): string {
  return v === true ? 'valid' : v === false ? 'invalid' : v === UNKNOWN ? 'unknown' : 'unknown';
}

/** Runs `check` over files; returns the exit status. Bad input of one file does not stop the others. */
export async function runCheck(files: string[], opts: CheckCommandOptions, log: (s: string) => void, err: (s: string) => void): Promise<number> {
  if (opts.store !== undefined) {
    let run: string;
    let spec: { checkers: string[]; options: Record<string, unknown> };
    try {
      run = resolveRunDir(opts.store);
      spec = storedCheckSpec(readTestEdn(run));
    } catch (e) {
      err(e instanceof Error ? e.message : String(e));
      return 3;
    }
    // The run's own checker options apply unless given on the command line.
    opts = { ...spec.options, ...definedOnly(opts), checker: opts.checker ?? spec.checkers.join(',') };
    files = [...files, join(run, 'history.edn')];
  }
  if (opts.checker === undefined) throw new UsageError('--checker is required (or --store DIR)');
  if (files.length === 0) throw new UsageError('no history files given');
  const named = resolveCheckers(opts.checker);
  const codes: number[] = [];
  // Each input's name in labels and under --out, unique among the inputs (see input-names.ts).
  const names = inputNames(files);
  for (const [i, file] of files.entries()) {
    const label = files.length > 1 ? `${names[i]}: ` : '';
    let history;
    const progress = progressBar(file, { quiet: opts.quiet });
    try {
      history = await readHistory(file, {
        format: opts.format ?? 'auto',
        strict: opts.strict ?? false,
        onWarning: (w) => {
          progress.clear();
          err(formatWarning(w));
        },
        onProgress: progress.update,
      });
    } catch (e) {
      if (e instanceof Error && (e.name === 'HistoryError' || (e as NodeJS.ErrnoException).code !== undefined)) {
        err(e.name === 'HistoryError' ? e.message : `${file}: ${e.message}`);
        codes.push(3);
        continue;
      }
      throw e;
    } finally {
      progress.clear();
    }
    const outDir = opts.out === undefined ? undefined : files.length > 1 ? join(opts.out, names[i]) : opts.out;
    // A long check shows what it is doing on a terminal (per key, per component), erased when done.
    const phases = phaseLine({ quiet: opts.quiet });
    let result: CheckResult;
    try {
      result = await compose(announced(named, phases), history, opts, { outDir });
    } catch (e) {
      // A checker found bad input the reader could not (a :txn whose value is not micro-ops).
      if (!(e instanceof HistoryError)) throw e;
      err(e.message);
      codes.push(3);
      continue;
    } finally {
      phases.clear();
    }
    await writeResult(result, outDir, opts.json ?? false);
    const code = exitFor(result['valid?']);
    codes.push(code);
    if (opts.quiet) continue;
    if (opts.json) {
      log(formatResult(files.length > 1 ? { file, result } : result, true));
    } else {
      const details = named.length === 1 && named[0].describe ? ` — ${named[0].describe(result)}` : '';
      log(`${label}${verdictWord(result['valid?'])}${details}`);
    }
  }
  return worstExit(codes);
}
