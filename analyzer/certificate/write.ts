/**
 * A certificate file (`check --certificate`; docs/certificates.md): the history it is about (its
 * name and SHA-256, so it cannot be checked against another), the verdict, and each checker's
 * evidence, as one EDN map.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { CheckResult } from '../check/checker.js';
import { printEdn } from '../edn/print.js';
import type { EdnRecord } from '../edn/values.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/** The certificate format this code writes and `verify` reads. */
export const CERTIFICATE_FORMAT = 1;

/** Writes the certificate of checking `historyFile` (its verdict `result`, the checkers' `evidence`) to `file`. */
export async function writeCertificate(file: string, historyFile: string, result: CheckResult, evidence: EdnRecord): Promise<void> {
  const sha = createHash('sha256').update(await readFile(historyFile)).digest('hex');
  const cert: EdnRecord = { 'hindsight-certificate': CERTIFICATE_FORMAT, history: historyFile, 'history-sha256': sha, 'valid?': result['valid?'], evidence };
  await writeFileAtomic(file, printEdn(cert) + '\n');
}
