/** Temporary directories for tests, removed with everything in them when the test process exits. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();

/** A fresh directory under the system's temporary one, named `prefix` and a random tail. */
export function tempDir(prefix = 'hindsight-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // One listener for them all: a file that makes many directories would otherwise pass the limit on listeners.
  if (made.size === 0) process.once('exit', () => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
  made.add(dir);
  return dir;
}
