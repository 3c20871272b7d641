/** Errors from node control: each names the node and the command, and carries what the node said. */

/** A command on `node` failed (nonzero exit, or could not run); the message names both and quotes stderr. */
export class ControlError extends Error {
  constructor(
    readonly node: string,
    readonly command: string,
    readonly stderr: string,
    readonly exitCode: number | null,
    reason?: string,
  ) {
    const why = reason ?? `exited with status ${exitCode}`;
    const err = stderr.trim();
    super(`on ${node}: \`${command}\` ${why}${err ? `: ${err}` : ''}`);
    this.name = 'ControlError';
  }
}

/** The command did not finish within its timeout; the channel it ran on was closed. */
export class ControlTimeout extends ControlError {
  constructor(node: string, command: string, readonly timeoutMs: number, stderr = '') {
    super(node, command, stderr, null, `timed out after ${timeoutMs} ms`);
    this.name = 'ControlTimeout';
  }
}
