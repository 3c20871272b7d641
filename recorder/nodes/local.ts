/** Running a command on THIS machine (the host side of namespace nodes): argv only, no shell. */
import { execFile } from 'node:child_process';

/** A local command failed: its argv, stderr and exit code (or error code, e.g. `ENOENT`). */
export class LocalCommandError extends Error {
  constructor(readonly argv: readonly string[], readonly stderr: string, readonly code: number | string | null) {
    super(`on this host: \`${argv.join(' ')}\` failed (${code})${stderr.trim() ? `: ${stderr.trim()}` : ''}`);
    this.name = 'LocalCommandError';
  }
}

/**
 * Runs `argv` here with no shell; resolves to stdout, rejects with `LocalCommandError` on failure or after `timeoutMs`.
 */
export function runLocal(argv: readonly string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(argv[0]!, argv.slice(1), { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new LocalCommandError(argv, stderr || err.message, (err as NodeJS.ErrnoException).code ?? null));
      else resolve(stdout);
    });
  });
}

/** Like runLocal but a failure is ignored (tear-down of things that may already be gone). */
export async function tryLocal(argv: readonly string[]): Promise<string | undefined> {
  try {
    return await runLocal(argv);
  } catch {
    return undefined;
  }
}
