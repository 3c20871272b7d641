/**
 * Host-key verification against an OpenSSH known_hosts file, so a remote node is the machine we
 * think it is. Supports plain host patterns (with `*`/`?` globs and `[host]:port`), hashed entries
 * (`|1|salt|hmac-sha1`), and negations; `@revoked` lines reject a key, `@cert-authority` lines are
 * ignored (ssh2 does not verify host certificates).
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** One key line of a known_hosts file. */
export interface KnownHostEntry {
  readonly patterns: string;
  readonly keyType: string;
  readonly key: Buffer;
  readonly revoked: boolean;
}

/** The key lines of known_hosts `text`; comments, blank, short and `@cert-authority` lines are skipped. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let revoked = false;
    if (fields[0]!.startsWith('@')) {
      const marker = fields.shift()!;
      if (marker === '@cert-authority') continue;
      revoked = marker === '@revoked';
    }
    if (fields.length < 3) continue;
    out.push({ patterns: fields[0]!, keyType: fields[1]!, key: Buffer.from(fields[2]!, 'base64'), revoked });
  }
  return out;
}

function hostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.') + '$', 'i');
  return re.test(name);
}

function patternsMatch(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) {
    const [, , salt, hash] = patterns.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let matched = false;
  for (const p of patterns.split(',')) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), name)) return false;
    } else if (globMatch(p, name)) matched = true;
  }
  return matched;
}

/** Why a host key is (not) acceptable: 'ok', 'unknown' (no entry for the host), 'mismatch', 'revoked'. */
export function verifyHostKey(entries: readonly KnownHostEntry[], host: string, port: number, key: Buffer): 'ok' | 'unknown' | 'mismatch' | 'revoked' {
  const name = hostName(host, port);
  let known = false;
  for (const e of entries) {
    if (e.revoked) {
      if (e.key.equals(key)) return 'revoked';
      continue;
    }
    if (!patternsMatch(e.patterns, name)) continue;
    known = true;
    if (e.key.equals(key)) return 'ok';
  }
  return known ? 'mismatch' : 'unknown';
}

/** `parseKnownHosts` of `file`; throws the fs error when it cannot be read. */
export function readKnownHosts(file: string): KnownHostEntry[] {
  return parseKnownHosts(readFileSync(file, 'utf8'));
}

/** The key blob of an OpenSSH public-key line (`ssh-ed25519 AAAA… comment`). */
export function publicKeyBlob(line: string): Buffer {
  const b64 = line.trim().split(/\s+/)[1];
  if (!b64) throw new Error(`not an OpenSSH public key line: ${line.slice(0, 60)}`);
  return Buffer.from(b64, 'base64');
}
