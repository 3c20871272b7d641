/**
 * Real remote machines as a Cluster: nodes named by host (`--nodes n1,n2,n3`), reached over SSH as
 * `--ssh-user` with `--ssh-key`, their host keys checked against a known_hosts file
 * (`--strict-host-keys`, on by default for remote nodes: a machine that is not who it claims to
 * be would receive our faults).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readKnownHosts, verifyHostKey } from '../control/known-hosts.js';
import type { Cluster } from './cluster.js';

/** Remote machines to test, and how to log in. */
export interface RemoteOptions {
  /** Host names or addresses; each is also the node's name. `host:port` sets the SSH port. */
  readonly hosts: readonly string[];
  readonly user?: string;
  readonly keyFile: string;
  readonly strictHostKeys?: boolean;
  readonly knownHostsFile?: string;
  /** Directory on each node for database files (default /var/tmp/hindsight). */
  readonly workDir?: string;
}

/**
 * The `Cluster` of `opts.hosts`; throws the fs error when the key file (or, when strict, known_hosts) cannot be read.
 */
export function remoteCluster(opts: RemoteOptions): Cluster {
  const strict = opts.strictHostKeys ?? true;
  const knownFile = opts.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts');
  const known = strict ? readKnownHosts(knownFile) : [];
  const nodes = opts.hosts.map((h) => {
    const m = /^(.*):(\d+)$/.exec(h);
    return { name: m ? m[1]! : h, host: m ? m[1]! : h, sshPort: m ? Number(m[2]) : 22 };
  });
  return {
    nodes,
    sshUser: opts.user ?? 'root',
    privateKey: readFileSync(opts.keyFile),
    verifyHostKey: (node, key) => !strict || verifyHostKey(known, node.host, node.sshPort, key) === 'ok',
    workDir: opts.workDir ?? '/var/tmp/hindsight',
    local: false,
  };
}
