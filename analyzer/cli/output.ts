/** Writing check results: EDN (Jepsen's keys) or JSON, to stdout and/or `--out`. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { printEdn, toJson } from '../edn/print.js';
import type { EdnValue } from '../edn/values.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/**
 * Writes `result` as `results.edn` (sorted EDN) or `results.json` into `outDir`, made if need
 * be, and returns the file's path; writes nothing and returns undefined without an `outDir`.
 * Rejects with the file system's error.
 */
export async function writeResult(result: EdnValue, outDir: string | undefined, json: boolean): Promise<string | undefined> {
  if (outDir === undefined) return undefined;
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, json ? 'results.json' : 'results.edn');
  await writeFileAtomic(file, json ? JSON.stringify(toJson(result), null, 2) + '\n' : printEdn(result, { sorted: true }) + '\n');
  return file;
}

/** `result` as the CLI prints it: sorted EDN on one line, or indented JSON. */
export function formatResult(result: EdnValue, json: boolean): string {
  return json ? JSON.stringify(toJson(result), null, 2) : printEdn(result, { sorted: true });
}
