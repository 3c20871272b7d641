/**
 * Finding and reading a suite: `hindsight suite FILE|NAME` takes a file (EDN, or JSON when it
 * ends in `.json`) or the name of a bundled suite (recorder/suites/NAME.edn, shipped in the
 * package). Every problem is a `UsageError` of one line, `FILE:LINE: what; expected …`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../analyzer/util/usage-error.js';
import { isFile, packaged } from '../../analyzer/util/paths.js';
import { SuiteFileError } from './fields.js';
import { LocatedSyntaxError, readLocated } from './located.js';
import { type Suite, suiteOf } from './spec.js';

/** The directory of bundled suites, from the sources (recorder/suite/) and the build (dist/recorder/suite/) alike. */
export function bundledDir(): string | undefined {
  return packaged(import.meta.url, join('recorder', 'suites'));
}

/** The bundled suites' names (`sanity`, `bugs`, …). */
export function bundledNames(): string[] {
  const d = bundledDir();
  if (d === undefined) return [];
  return readdirSync(d).filter((f) => f.endsWith('.edn')).map((f) => f.slice(0, -4)).sort();
}

/** The file `arg` names: itself when it is a file, else the bundled suite of that name. */
export function suitePath(arg: string): string {
  if (isFile(arg)) return arg;
  const d = bundledDir();
  if (/^[A-Za-z0-9._-]+$/.test(arg) && d !== undefined && isFile(join(d, `${arg}.edn`))) return join(d, `${arg}.edn`);
  throw new UsageError(`${arg}: no such suite file, and no bundled suite of that name; bundled: ${bundledNames().join(', ') || 'none'}`);
}

/** Reads and judges the suite in `file`; throws UsageError naming the file and line of the first problem. */
export async function loadSuite(file: string): Promise<Suite> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot read the suite file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    return await suiteOf(readLocated(text, file.toLowerCase().endsWith('.json')));
  } catch (e) {
    if (e instanceof SuiteFileError || e instanceof LocatedSyntaxError) throw new UsageError(`${file}:${e.line}: ${e.detail}`);
    throw e;
  }
}
