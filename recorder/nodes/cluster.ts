/**
 * A cluster of test hosts as the recorder sees it: each node has a name, an address reachable from
 * here and an SSH login; `openSessions` gives one persistent control session per node. The same
 * shape describes namespace nodes made by `namespaces.ts` and real remote machines (`remote.ts`).
 */
import { NodeSession } from '../control/session.js';

/** One test host. */
export interface ClusterNode {
  /** Stable node name (etcd member name), e.g. `n1`. */
  readonly name: string;
  /** Address clients and peers use (IP or DNS name). */
  readonly host: string;
  readonly sshPort: number;
}

/** The test hosts and how to log in to them. */
export interface Cluster {
  readonly nodes: readonly ClusterNode[];
  readonly sshUser: string;
  readonly privateKey: Buffer;
  /** Checks a node's host key (raw blob); namespace clusters know each key exactly. */
  readonly verifyHostKey: (node: ClusterNode, key: Buffer) => boolean;
  /** Directory ON EACH NODE under which databases keep per-node files (`<workDir>/<node>/…`). */
  readonly workDir: string;
  /** True for namespace nodes on this machine (all nodes share one filesystem). */
  readonly local: boolean;
}

/** One `NodeSession` per node, by name; none connects until its first command. */
export function openSessions(cluster: Cluster): Map<string, NodeSession> {
  const out = new Map<string, NodeSession>();
  for (const n of cluster.nodes)
    out.set(
      n.name,
      new NodeSession({
        name: n.name,
        host: n.host,
        port: n.sshPort,
        user: cluster.sshUser,
        privateKey: cluster.privateKey,
        verifyHostKey: (key) => cluster.verifyHostKey(n, key),
      }),
    );
  return out;
}

/** Closes every session (never rejects: a session's close does not). */
export async function closeSessions(sessions: Map<string, NodeSession>): Promise<void> {
  await Promise.all([...sessions.values()].map((s) => s.close()));
}
