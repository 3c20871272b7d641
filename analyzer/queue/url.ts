/**
 * The `--queue` address: `redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]` (or `rediss://` for TLS).
 * A password may also come from `REDISCLI_AUTH`, as for redis-cli, to keep it off the process
 * list. Whatever is printed shows the address without its password (`redacted`).
 */
import { UsageError } from '../check/checker.js';

/** A parsed `--queue` address. */
export interface QueueAddress {
  /** The address to connect to, password included. */
  readonly url: string;
  /** The address as it may be printed: the password replaced by `***`. */
  readonly redacted: string;
  /** The password, to scrub from any message that might echo it; undefined without one. */
  readonly password?: string;
}

/**
 * Parses a `--queue` value. `env` supplies `REDISCLI_AUTH` for an address without a password.
 * Throws `UsageError` (naming the address without its password) for anything else.
 */
export function parseQueueAddress(raw: string, env: NodeJS.ProcessEnv = process.env): QueueAddress {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`--queue takes redis://HOST:PORT[/DB], got ${redactUrl(raw)}`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new UsageError(`--queue takes a redis:// or rediss:// address, got ${redactUrl(raw)}`);
  if (u.hostname === '') throw new UsageError(`--queue ${redactUrl(raw)} names no host`);
  if (u.pathname !== '' && u.pathname !== '/' && !/^\/\d{1,2}$/.test(u.pathname)) {
    throw new UsageError(`--queue ${redactUrl(raw)}: the path must be a database number (/0 … /15), not ${u.pathname}`);
  }
  if (u.search !== '' || u.hash !== '') throw new UsageError(`--queue ${redactUrl(raw)}: no ?query or #fragment is taken`);
  if (u.password === '' && env.REDISCLI_AUTH !== undefined && env.REDISCLI_AUTH !== '') u.password = encodeURIComponent(env.REDISCLI_AUTH);
  const password = u.password === '' ? undefined : decodeURIComponent(u.password);
  return { url: u.href, redacted: redactUrl(u.href), password };
}

/** `s` with the password of any `scheme://user:password@` in it replaced by `***`. */
export function redactUrl(s: string): string {
  return s.replace(/([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*):[^@\s/]*@/gi, '$1:***@');
}

/** `message` with the address's password (if any) and any URL password in it replaced by `***`. */
export function scrub(message: string, address: QueueAddress): string {
  let m = redactUrl(message);
  if (address.password !== undefined && address.password !== '') m = m.split(address.password).join('***');
  return m;
}
