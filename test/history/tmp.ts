/** Temporary history files for reader tests. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/tmp.js';

const dir = tempDir('hindsight-read-');
let n = 0;

/** Writes `content` to a fresh file called `name` (each in its own directory) and returns its path. */
export function tmpFile(name: string, content: string | Buffer): string {
  const sub = join(dir, String(n++));
  mkdirSync(sub);
  const path = join(sub, name);
  writeFileSync(path, content);
  return path;
}
