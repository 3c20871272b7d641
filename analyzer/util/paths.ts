/** What a path names, asked without throwing: a missing or unreadable path is neither. */
import { statSync } from 'node:fs';

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
