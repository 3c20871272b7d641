/**
 * Making a run's store directory, `store/<test>/<start time>[-N]`, and pointing the `latest`
 * links at it. The directory is created exclusively: two runs started in the same millisecond
 * (by one user, or by a script starting several) would otherwise share it and interleave their
 * journals into one history. The second gets `-1`, the third `-2`, and so on.
 */
import { mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { runDirName, suffixedRunDirName } from '../../analyzer/store/store.js';
import { tempPathFor } from '../../analyzer/util/atomic-write.js';
import { RunError } from './types.js';

/** More runs than this in one millisecond means something else is wrong. */
const MAX_SUFFIX = 1000;

/** Creates and returns a run directory no other run has; throws RunError if it cannot. */
export function createRunDir(store: string, test: string, start: Date): string {
  const testDir = join(store, test);
  mkdirSync(testDir, { recursive: true });
  const base = runDirName(start);
  for (let n = 0; n <= MAX_SUFFIX; n++) {
    const dir = join(testDir, suffixedRunDirName(base, n));
    try {
      // Not recursive: only then does an existing directory fail (EEXIST) rather than pass.
      mkdirSync(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new RunError(`${testDir}: ${MAX_SUFFIX + 1} runs named ${base} already; not making another`);
}

/**
 * `store/latest` and `store/<test>/latest` link to the new run, as in Jepsen's store. Each link
 * is made under a temporary name and renamed over the old one, so a reader never finds
 * `latest` missing and two runs replacing it at once cannot fail each other.
 */
export function pointLatest(store: string, dir: string): void {
  for (const from of [store, dirname(dir)]) {
    const latest = join(from, 'latest');
    const tmp = tempPathFor(latest);
    try {
      symlinkSync(relative(from, dir), tmp);
      renameSync(tmp, latest);
    } catch {
      // Symlinks may be unavailable (some filesystems), or `latest` is not ours to replace (a
      // directory); the store is still usable by path.
      rmSync(tmp, { force: true });
    }
  }
}
