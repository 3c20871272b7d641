/**
 * Which `Host` headers `hindsight serve` answers. A page on another site can make a browser
 * resolve its own name to 127.0.0.1 (DNS rebinding) and then read the store as same-origin; the
 * request then carries that site's name in `Host`, so only names of this server are answered:
 *
 * - always `localhost`, `127.0.0.1` and `[::1]`;
 * - the `--host` the server was bound to (`--host 192.168.1.5` accepts `192.168.1.5`);
 * - when that is a wildcard (`0.0.0.0`, `::`), also this machine's name (`os.hostname()`) and
 *   the addresses of its network interfaces, since other machines reach it by those;
 * - every `--allow-host` name (a DNS name, a reverse proxy's name).
 *
 * Any port goes (a tunnel or proxy may forward another one). Names are compared as a browser
 * writes them (the URL parser's host: lower case, IPv6 in brackets, IPv4 in dotted decimal),
 * with one trailing dot dropped.
 */
import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD = new Set(['0.0.0.0', '[::]']);

/** A host name or address as a browser writes it in `Host`, or undefined if it is not one. */
export function canonicalHost(name: string): string | undefined {
  const unbracketed = name.replace(/^\[(.*)\]$/, '$1');
  // An interface's link-local address has a zone (`fe80::1%eth0`); a Host never does.
  const noZone = unbracketed.replace(/%.*$/, '');
  const v6 = isIP(noZone) === 6;
  const bare = v6 ? noZone : unbracketed;
  // Only a name: the URL parser would quietly take `a:80`, `a/b` or `x@a` as the host `a`.
  if (!v6 && /[:/?#@%\\\s[\]]/.test(bare)) return undefined;
  try {
    const url = new URL(`http://${v6 ? `[${bare}]` : bare}/`);
    return url.hostname === '' ? undefined : url.hostname.replace(/\.$/, '');
  } catch {
    return undefined;
  }
}

/** The host part of a `Host` header (`name`, `name:port`, `[v6]:port`), canonical; undefined if malformed. */
export function hostOfHeader(header: string): string | undefined {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]/@\s]+)(?::\d{1,5})?$/.exec(header.trim());
  return m === null ? undefined : canonicalHost(m[1]);
}

/** Every host name the server answers, given the address it was bound to and the extra names allowed. */
export function allowedHosts(bind: string, extra: ReadonlyArray<string> = []): Set<string> {
  const out = new Set<string>(LOOPBACK);
  const add = (name: string): void => {
    const c = canonicalHost(name);
    if (c !== undefined) out.add(c);
  };
  add(bind === '' ? '0.0.0.0' : bind);
  if (bind === '' || WILDCARD.has(canonicalHost(bind) ?? '')) {
    add(hostname());
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) add(a.address);
  }
  for (const name of extra) add(name);
  return out;
}

/** Whether a request whose `Host` header is `header` is for this server. A missing header is not. */
export function hostAllowed(header: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (header === undefined) return false;
  const host = hostOfHeader(header);
  return host !== undefined && allowed.has(host);
}
