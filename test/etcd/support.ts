/** Shared helpers of the etcd tests: prerequisites (root, etcd, sshd, iptables, ip), a namespace cluster per file, and clean-up checks. */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { after, before } from 'node:test';
import type { NodeSession } from '../../recorder/control/session.js';
import { EtcdCluster } from '../../recorder/etcd/cluster.js';
import { closeSessions, openSessions, type Cluster } from '../../recorder/nodes/cluster.js';
import { namespacesDown, namespacesUp, readState } from '../../recorder/nodes/namespaces.js';

function has(cmd: string): boolean {
  return spawnSync('bash', ['--noprofile', '--norc', '-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Why the cluster tests cannot run here, or false when they can (CI installs everything). */
export function clusterSkipReason(): string | false {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'needs root (network namespaces, iptables)';
  const missing = ['etcd', '/usr/sbin/sshd', 'iptables', 'ip', 'ssh-keygen'].filter((c) => !has(c));
  if (missing.length) return `not installed: ${missing.join(', ')} (apt-get install etcd-server openssh-server iptables iproute2)`;
  return false;
}

/** Our namespaces and links still present on the machine (names starting with `prefix-`). */
export function leftovers(prefix: string): string[] {
  const ns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n.startsWith(`${prefix}-`));
  const links = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(':')[1]?.trim().split('@')[0] ?? '')
    .filter((n) => n.startsWith(`${prefix}-`));
  return [...ns.map((n) => `netns ${n}`), ...links.map((l) => `link ${l}`)];
}

/** The namespace cluster a test file shares: filled in by its `before` hook. */
export interface EtcdNodes {
  cluster: Cluster;
  sessions: Map<string, NodeSession>;
  etcd: EtcdCluster;
}

/**
 * Registers the file's hooks: 3 namespace nodes named `name-n1…` on `subnet` before its tests
 * (after taking down a crashed run's), etcd torn down and every namespace and link gone after,
 * also when a test failed. Does nothing when `skip` says why the cluster tests cannot run.
 */
export function etcdNodes(name: string, subnet: string, skip: string | false): EtcdNodes {
  const nodes = {} as EtcdNodes;
  before(async () => {
    if (skip) return;
    await namespacesDown(name);
    nodes.cluster = await namespacesUp({ name, count: 3, subnet });
    nodes.sessions = openSessions(nodes.cluster);
    nodes.etcd = new EtcdCluster(nodes.cluster, nodes.sessions);
  });
  after(async () => {
    if (skip) return;
    try {
      if (nodes.etcd) await nodes.etcd.teardown().catch(() => undefined);
      if (nodes.sessions) await closeSessions(nodes.sessions);
    } finally {
      await namespacesDown(name);
    }
    assert.deepEqual(leftovers(name), []);
    assert.equal(readState(name), undefined);
  });
  return nodes;
}

/** `f()` retried every 200 ms until it resolves, or its last rejection after `ms` (a cluster settling after a fault). */
export async function eventually<T>(f: () => Promise<T>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await f();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
