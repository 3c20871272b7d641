/**
 * Writing a file whole: the data goes to a temporary file in the same directory, which is then
 * renamed over the target. A rename within one directory is atomic, so a reader (or another
 * process writing the same path) sees the old file or one whole new one, never a mix of two.
 * The temporary name carries the pid and a random suffix, so concurrent writers never share
 * one, and it starts with a dot so directory listings pass over it. A failed write removes it.
 *
 * No fsync: this guards against concurrent writers and readers, not against power loss.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** What the synchronous write takes: text (UTF-8) or bytes. */
export type FileData = string | NodeJS.ArrayBufferView;

/** The async write also takes chunks, so a large output can be produced piece by piece. */
export type FileChunks = FileData | Iterable<string | NodeJS.ArrayBufferView> | AsyncIterable<string | NodeJS.ArrayBufferView>;

/** A temporary name beside `path`, unique to this process and call. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** True for names `tempPathFor` makes (for tests and for clean-up tools). */
export function isTempName(name: string): boolean {
  return /^\..+\.\d+\.[0-9a-f]{12}\.tmp$/.test(name);
}

/**
 * Writes `data` to `path` whole, as this file's header says. Rejects with the file system's
 * error (the target then is as it was).
 */
export async function writeFileAtomic(path: string, data: FileChunks): Promise<void> {
  const tmp = tempPathFor(path);
  try {
    // 'wx': the name is fresh; failing beats writing into someone else's file.
    await writeFile(tmp, data, { flag: 'wx' });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** `writeFileAtomic`, synchronously, for text or bytes already in memory. Throws as it rejects. */
export function writeFileAtomicSync(path: string, data: FileData): void {
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, data, { flag: 'wx' });
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The original error is the one worth reporting.
    }
    throw e;
  }
}
