/**
 * Shell quoting for commands sent to a node. Every argument that reaches a remote shell goes
 * through `shellQuote`, so a node name, a path or a value can never inject shell syntax: the
 * argument is wrapped in single quotes, inside which the shell interprets nothing, and each
 * embedded single quote is closed, escaped and reopened (`'` → `'\''`).
 */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One argument as a shell word that the shell reads back as exactly `arg`. */
export function shellQuote(arg: string | number): string {
  const s = String(arg);
  if (s.length > 0 && SAFE.test(s)) return s;
  return "'" + s.replaceAll("'", "'\\''") + "'";
}

/** An argv as one shell command line, every word quoted. */
export function shellCommand(argv: ReadonlyArray<string | number>): string {
  if (argv.length === 0) throw new Error('shellCommand: empty argv');
  return argv.map(shellQuote).join(' ');
}

/**
 * A command line from a template whose interpolated values are quoted, e.g.
 * sh`kill -9 ${pid} && rm -f ${pidFile}`. The literal parts are trusted shell; only values are quoted.
 */
export function sh(parts: TemplateStringsArray, ...values: ReadonlyArray<string | number>): string {
  let out = parts[0]!;
  for (let i = 0; i < values.length; i++) out += shellQuote(values[i]!) + parts[i + 1]!;
  return out;
}
