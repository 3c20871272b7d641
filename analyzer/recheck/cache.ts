/**
 * The recheck cache: a verdict is reused when the same bytes were checked by the same checkers
 * with the same options by the same code.
 *
 * The key is the SHA-256 of: the history file's SHA-256, the checker names in order, the
 * options (keys sorted; `workers` left out, as it changes the speed and not the verdict), and
 * the **code version**: hindsight's package.json version plus a SHA-256 over every module of
 * the analyzer (the `.ts` sources when run from them, the `.js` files of `dist/` when
 * installed). Hashing the code rather than trusting per-checker version numbers means a fix to
 * any checker, reader or model invalidates the cache without anyone remembering to bump a
 * constant; the price is that any analyzer change re-checks everything, which is the safe side.
 * The HTML report and CLI modules, which cannot change a verdict, are left out.
 *
 * Entries are small JSON files `<dir>/<key[0..2]>/<key>.json`, written atomically
 * (`writeFileAtomic`: temp file, then rename) so concurrent runs never read half an entry.
 * The default directory is `$XDG_CACHE_HOME/hindsight/recheck`, else `~/.cache/hindsight/recheck`.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, readdirSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../util/atomic-write.js';

/** The default cache directory (see this file's header), from `env`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'hindsight', 'recheck');
}

/** Analyzer directories whose code cannot change a verdict. */
const NOT_VERDICT_CODE = new Set(['report', 'cli']);

let codeVersionMemo: string | undefined;

function packageVersion(root: string): string {
  for (let d = root; ; d = dirname(d)) {
    try {
      const pkg = JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'hindsight') return pkg.version ?? '0';
    } catch {
      // not here: look further up
    }
    if (dirname(d) === d) return '0';
  }
}

/** `<package version>+<first 16 hex digits of the analyzer code hash>`, computed once per process. */
export function codeVersion(): string {
  if (codeVersionMemo !== undefined) return codeVersionMemo;
  const analyzer = dirname(dirname(fileURLToPath(import.meta.url)));
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (!(dir === analyzer && NOT_VERDICT_CODE.has(e.name))) walk(full);
      } else if (/\.(ts|js|mjs|json)$/.test(e.name) && !e.name.endsWith('.d.ts') && !e.name.endsWith('.map')) {
        files.push(full);
      }
    }
  };
  walk(analyzer);
  files.sort();
  const h = createHash('sha256');
  for (const f of files) {
    h.update(relative(analyzer, f) + '\0');
    h.update(readFileSync(f));
    h.update('\0');
  }
  codeVersionMemo = `${packageVersion(analyzer)}+${h.digest('hex').slice(0, 16)}`;
  return codeVersionMemo;
}

/** SHA-256 of a file's bytes, streamed. */
export function fileSha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => [k, canonical(x)]),
    );
  }
  return typeof v === 'bigint' ? `${v}n` : v;
}

/**
 * The cache key (see this file's header) of checking the history of SHA-256 `historySha` with
 * `checkers` and `options` (`workers` left out); `code` defaults to this process's `codeVersion()`.
 */
export function cacheKey(historySha: string, checkers: readonly string[], options: Record<string, unknown>, code = codeVersion()): string {
  const { workers: _workers, ...rest } = options;
  const text = JSON.stringify({ history: historySha, checkers, options: canonical(rest), code });
  return createHash('sha256').update(text).digest('hex');
}

/** Values by cache key: recheck's cache, wherever it is kept. */
export interface VerdictCache<T> {
  /** Where it is kept, for messages (a directory; a Redis URL without its password). */
  readonly where: string;
  /** The value stored under `key`; undefined when there is none or it is damaged. */
  get(key: string): Promise<T | undefined>;
  /** Stores `value` under `key`; rejects when it cannot be written. */
  put(key: string, value: T): Promise<void>;
}

/** Values by cache key, as small JSON files under `dir` (see this file's header). */
export class RecheckCache<T> implements VerdictCache<T> {
  constructor(readonly dir: string) {}

  get where(): string {
    return this.dir;
  }

  private file(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The value stored under `key`; undefined when there is none or its file is damaged. */
  async get(key: string): Promise<T | undefined> {
    try {
      const entry = JSON.parse(await readFile(this.file(key), 'utf8')) as { key?: string; value?: T };
      return entry.key === key ? entry.value : undefined;
    } catch {
      return undefined; // missing or damaged: check again
    }
  }

  /** Stores `value` under `key`, atomically; rejects when the directory cannot be written. */
  async put(key: string, value: T): Promise<void> {
    const file = this.file(key);
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, JSON.stringify({ key, value }) + '\n');
  }
}
