/** What a path names, asked without throwing: a missing or unreadable path is neither. */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** True when `p` is a regular file (links followed). */
export function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** True when `p` is a directory (links followed). */
export function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A file or directory shipped with hindsight, found upward from the module at `moduleUrl`
 * (its `import.meta.url`), so the same call works from the sources (`recorder/suite/…`) and the
 * build (`dist/recorder/suite/…`): `packaged(import.meta.url, 'recorder/suites')`. Undefined when
 * no directory up to six levels holds it.
 */
export function packaged(moduleUrl: string, relative: string): string | undefined {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (let i = 0; i < 6; i++, dir = dirname(dir)) {
    const p = join(dir, relative);
    if (existsSync(p)) return p;
  }
  return undefined;
}
