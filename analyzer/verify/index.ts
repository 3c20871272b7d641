/**
 * `verify`: a certificate (analyzer/certificate/) checked against its history. The certificate
 * must be about these very bytes (its SHA-256) and its verdict must be backed by every
 * checker's evidence; each checker's evidence is checked by a verifier of its own, sharing no
 * code with that checker's inference (this directory imports the history reader, EDN and the
 * models' step functions only).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { EdnMap, Keyword } from '../edn/values.js';
import { parseEdn } from '../edn/scanner.js';
import { readHistory } from '../history/read.js';
import type { History } from '../history/history.js';
import { type Check, verifyLinear } from './linear.js';
import { verifyListAppend } from './elle-append.js';
import { verifyRwRegister } from './elle-register.js';
import { verifySetFull } from './set-full.js';
import { keyed } from './keyed.js';
import { verifyLockSet, verifySet } from './set.js';
import { verifyTotalQueue } from './total-queue.js';
import { verifyWatch } from './watch.js';
import { verifySequential } from './sequential.js';
import { verifyCounter } from './counter.js';
import { verifyQueue } from './queue.js';
import { verifyUniqueIds } from './unique-ids.js';
import { verifyBank } from './bank.js';

/** What `verify` found: the certificate holds (with what each verifier checked), or the first step that does not. */
export type Verified = { holds: true; checked: string[] } | { holds: false; why: string };

/** Verifiers by checker name. */
const VERIFIERS: Record<string, (h: History, evidence: EdnMap) => Check> = {
  linearizable: verifyLinear,
  'list-append': verifyListAppend,
  'rw-register': verifyRwRegister,
  'set-full': keyed('set-full', verifySetFull),
  set: keyed('set', verifySet),
  counter: verifyCounter,
  queue: verifyQueue,
  'unique-ids': verifyUniqueIds,
  bank: verifyBank,
  'lock-set': verifyLockSet,
  'total-queue': verifyTotalQueue,
  watch: verifyWatch,
  sequential: verifySequential,
};

/** Checks `certificateFile` against `historyFile` (see this file's header). Rejects only when a file cannot be read or parsed. */
export async function verifyCertificate(historyFile: string, certificateFile: string): Promise<Verified> {
  const cert = parseEdn(await readFile(certificateFile, 'utf8'));
  if (!(cert instanceof EdnMap) || cert.kw('hindsight-certificate') !== 1) return { holds: false, why: `${certificateFile} is not a hindsight certificate (format 1)` };
  const bytes = await readFile(historyFile);
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (cert.kw('history-sha256') !== sha) return { holds: false, why: `the certificate is about other bytes than ${historyFile} (SHA-256 ${String(cert.kw('history-sha256')).slice(0, 12)}…, the file's ${sha.slice(0, 12)}…)` };
  const history = await readHistory(historyFile);
  const evidence = cert.kw('evidence');
  if (!(evidence instanceof EdnMap) || evidence.keys.length === 0) return { holds: false, why: 'the certificate carries no evidence' };
  const checked: string[] = [];
  for (const [i, k] of evidence.keys.entries()) {
    const name = k instanceof Keyword ? k.name : String(k);
    const verify = VERIFIERS[name];
    const part = evidence.vals[i];
    if (verify === undefined) return { holds: false, why: `no verifier for ${name}'s evidence` };
    if (!(part instanceof EdnMap)) return { holds: false, why: `${name}: its evidence is not a map` };
    const c = verify(history, part);
    if (!c.holds) return { holds: false, why: c.why };
    checked.push(c.what);
  }
  return { holds: true, checked };
}
