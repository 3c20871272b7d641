/**
 * Finding the histories under the directories `hindsight recheck` is given.
 *
 * Two kinds: a **store run** is a run directory, ours or Jepsen's (a history file beside
 * test.edn, results.edn or test.jepsen, or in a directory named like `20220728T075255.000Z`;
 * see store.ts); its history is `history.edn`, else `history.txt`, else `jepsen.log` (the same
 * history again), each perhaps gzipped, and the rest of the directory (per-node logs) is not searched further. Anything else is a **loose file**: a
 * `.edn`, `.json`, `.jsonl`, `.log` or `.txt` (history.txt, Porcupine's logs), each perhaps gzipped (`.edn.gz`), whose first bytes look like a history
 * (op maps with a type, or Jepsen op lines), so configuration files, results and ordinary logs
 * are passed over. Symbolic links are not followed (a store's `latest` names a run already
 * found), nor are hidden directories and `node_modules`.
 */
import { closeSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { isGzip } from '../history/readers/byte-source.js';
import { detectFormat } from '../history/readers/detect.js';
import { RUN_HISTORY_FILES, isRunDir } from '../store/store.js';

/** One history found, and the run it belongs to. */
export interface Found {
  /** The history as shown: the argument it was found under, joined with its path there. */
  path: string;
  /** The history file. */
  file: string;
  /** The run directory, for a store run. */
  runDir?: string;
}

const LOOSE_EXT = /\.(edn|json|jsonl|log|txt)(\.gz)?$/i;
/** Files of a run or of our own output that are never histories. */
const NOT_HISTORIES = new Set(['test.edn', 'results.edn', 'results.json', 'recheck.json', 'package.json', 'package-lock.json', 'tsconfig.json']);
const SNIFF_BYTES = 64 * 1024;
/** Of a gzip file, this much is decompressed to sniff: tens of KB of text, a few MB at worst. */
const SNIFF_GZIP_BYTES = 4 * 1024;

/** Whether a directory is one run (ours or Jepsen's; see store.ts `isRunDir`). */
export function isStoreRun(dir: string, names: ReadonlySet<string>): boolean {
  return isRunDir(dir, names);
}

/** Whether a loose file's first bytes look like a history our reader takes. */
export function looksLikeHistory(file: string): boolean {
  const buf = Buffer.alloc(SNIFF_BYTES);
  let n: number;
  const fd = openSync(file, 'r');
  try {
    n = readSync(fd, buf, 0, SNIFF_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  if (isGzip(buf, 0, n)) {
    // The start of a gzip file, decompressed as far as it goes (a sync flush takes a cut stream).
    let head: Buffer;
    try {
      head = gunzipSync(buf.subarray(0, Math.min(n, SNIFF_GZIP_BYTES)), { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      return false;
    }
    return headLooksLikeHistory(head.subarray(0, SNIFF_BYTES));
  }
  return headLooksLikeHistory(buf.subarray(0, n));
}

/** Whether a history's first bytes (decompressed, if it was gzipped) look like one. */
function headLooksLikeHistory(buf: Buffer): boolean {
  const n = buf.length;
  const format = detectFormat(buf, 0, n, true);
  const head = buf.toString('utf8', 0, n);
  if (format === 'jepsen-log') return /(^|\s):(invoke|ok|fail|info)\s/m.test(head);
  return /:type[\s,]|"type"\s*:/.test(head);
}

function kindOf(path: string): 'dir' | 'file' | 'other' {
  try {
    const s = statSync(path);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other';
  } catch {
    return 'other';
  }
}

/**
 * Every history under `roots`, each root's in path order. A root that is itself a file is
 * taken as a history without sniffing (a run's `history.edn` as its run). Throws when a root does not exist.
 */
export function findHistories(roots: readonly string[]): Found[] {
  const out: Found[] = [];
  const seen = new Set<string>();
  const add = (f: Found): void => {
    if (seen.has(f.file)) return;
    seen.add(f.file);
    out.push(f);
  };
  const walk = (dir: string, shown: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const names = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
    if (isStoreRun(dir, names)) {
      // One run is one history, whichever of its files holds it best (history.edn, history.txt, jepsen.log).
      add({ path: shown, file: join(dir, RUN_HISTORY_FILES.find((n) => names.has(n))!), runDir: dir });
      return;
    }
    for (const e of entries) {
      const full = join(dir, e.name);
      const show = join(shown, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && e.name !== 'node_modules') walk(full, show);
      } else if (e.isFile() && !NOT_HISTORIES.has(e.name) && LOOSE_EXT.test(e.name)) {
        if (looksLikeHistory(full)) add({ path: show, file: full });
      }
    }
  };
  for (const named of roots) {
    const root = named.length > 1 ? named.replace(/\/+$/, '') : named; // `store/` shows as `store/…`, not `store//…`
    const kind = kindOf(root);
    if (kind === 'dir') walk(root, root);
    else if (kind === 'file') {
      // A run's history.edn named directly is still that run (its test.edn and results.edn count).
      const dir = dirname(root);
      const names = new Set(kindOf(join(dir, 'test.edn')) === 'file' ? ['history.edn', 'test.edn'] : kindOf(join(dir, 'results.edn')) === 'file' ? ['history.edn', 'results.edn'] : []);
      if (basename(root) === 'history.edn' && isStoreRun(dir, names)) add({ path: dir, file: root, runDir: dir });
      else add({ path: root, file: root });
    }
    else throw new Error(`${root}: no such file or directory`);
  }
  return out;
}

/** A short name for a history in messages: the run directory's or the file's name. */
export function shortName(f: Found): string {
  return basename(f.runDir ?? f.file);
}
