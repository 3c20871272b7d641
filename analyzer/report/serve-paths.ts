/**
 * Which file a request may read: only files inside the store directory. A path with `..`
 * segments, an absolute path, or one that resolves (through symlinks) outside the store is
 * refused, and the server answers 404 for it as for any missing file.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Decodes a URL path into store-relative segments, or undefined if it tries to leave the store. */
export function safeSegments(urlPath: string): string[] | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segs = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segs.some((s) => s === '..')) return undefined;
  return segs;
}

/** The real path of `segments` under `root`, or undefined if it does not exist or lies outside. */
export async function resolveInside(root: string, segments: string[]): Promise<string | undefined> {
  const joined = resolve(root, ...segments);
  if (isAbsolute(segments.join('/'))) return undefined;
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(joined), realpath(root)]);
  } catch {
    return undefined;
  }
  const rel = relative(realRoot, real);
  if (rel === '' ) return real;
  if (rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel)) return undefined;
  return real;
}
