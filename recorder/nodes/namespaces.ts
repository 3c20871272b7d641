/**
 * Test hosts on this machine: one Linux network namespace per node, each with its own address on
 * a private bridge (a veth pair per node: one end on the bridge, the other as `eth0` inside), its
 * loopback up, and its own `sshd` listening on the node's address with a host key and a client
 * key generated for this cluster (root, key only). From the recorder's point of view they are
 * separate machines: iptables rules inside one namespace cut it off from its peers, which is what
 * partitions need (etcd in a SHARED namespace dials peers from 127.0.0.1, so per-address rules
 * there do nothing).
 *
 * Everything made is written to a state file BEFORE it is made, so `down` (also from another
 * process after a crash: `hindsight nodes down`) removes exactly what `up` made: processes by pid
 * file and by membership of our namespaces (never by name), then namespaces, then the bridge.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publicKeyBlob } from '../control/known-hosts.js';
import { NodeSession } from '../control/session.js';
import type { Cluster, ClusterNode } from './cluster.js';
import { runLocal, tryLocal } from './local.js';

/** Where namespace clusters keep their state, keys and claims. */
export const DEFAULT_STATE_ROOT = '/tmp/hindsight-nodes';

/** What `namespacesUp` makes. */
export interface NamespaceOptions {
  /** Cluster name: prefix of every namespace and link (letters/digits, ≤ 6 chars). */
  readonly name?: string;
  readonly count: number;
  /** First three octets of the private /24, e.g. '10.77.0'. The host is .1, node i is .(10+i). */
  readonly subnet?: string;
  readonly stateRoot?: string;
}

interface NodeState {
  readonly name: string;
  readonly ns: string;
  readonly host: string;
  readonly veth: string;
  readonly dir: string;
}

/** Everything a namespace cluster made, as `state.json` records it (written before it is made). */
export interface NamespaceClusterState {
  readonly name: string;
  readonly subnet: string;
  readonly bridge: string;
  readonly dir: string;
  readonly nodes: NodeState[];
}

/** Cluster `name`'s state directory. */
export function stateDir(name: string, stateRoot = DEFAULT_STATE_ROOT): string {
  return join(stateRoot, name);
}

function stateFile(dir: string): string {
  return join(dir, 'state.json');
}

function saveState(s: NamespaceClusterState): void {
  writeFileSync(stateFile(s.dir), JSON.stringify(s, null, 2) + '\n');
}

/** Cluster `name`'s state, or undefined when it is not up; throws if the state file is not JSON. */
export function readState(name: string, stateRoot = DEFAULT_STATE_ROOT): NamespaceClusterState | undefined {
  const f = stateFile(stateDir(name, stateRoot));
  if (!existsSync(f)) return undefined;
  return JSON.parse(readFileSync(f, 'utf8')) as NamespaceClusterState;
}

function sshdConfig(node: NodeState, clusterDir: string): string {
  return [
    `ListenAddress ${node.host}`,
    'Port 22',
    `HostKey ${join(node.dir, 'ssh_host_ed25519_key')}`,
    `PidFile ${join(node.dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(clusterDir, 'authorized_keys')}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'MaxStartups 100',
    'MaxSessions 100',
    '',
  ].join('\n');
}

/** Makes the cluster; on any failure tears down what was made and rethrows. */
export async function namespacesUp(opts: NamespaceOptions): Promise<Cluster> {
  const name = opts.name ?? 'hs';
  if (!/^[a-z][a-z0-9]{0,5}$/.test(name)) throw new Error(`cluster name must be 1–6 lowercase letters/digits, got ${JSON.stringify(name)}`);
  if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > 200) throw new Error(`node count must be 1..200, got ${opts.count}`);
  const subnet = opts.subnet ?? '10.77.0';
  if (!/^\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(subnet)) throw new Error(`subnet must be three octets like 10.77.0, got ${subnet}`);
  const root = opts.stateRoot ?? DEFAULT_STATE_ROOT;
  if (readState(name, root)) throw new Error(`cluster ${name} is already up (state in ${stateDir(name, root)}); run \`hindsight nodes down --name ${name}\``);
  const dir = stateDir(name, root);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const state: NamespaceClusterState = { name, subnet, bridge: `${name}-br`, dir, nodes: [] };
  saveState(state);
  try {
    await runLocal(['ip', 'link', 'add', state.bridge, 'type', 'bridge']);
    await runLocal(['ip', 'addr', 'add', `${subnet}.1/24`, 'dev', state.bridge]);
    await runLocal(['ip', 'link', 'set', state.bridge, 'up']);
    await runLocal(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `hindsight-${name}`, '-f', join(dir, 'id_ed25519')]);
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'id_ed25519.pub')), { mode: 0o600 });
    mkdirSync('/run/sshd', { recursive: true });
    for (let i = 1; i <= opts.count; i++) {
      const node: NodeState = { name: `n${i}`, ns: `${name}-n${i}`, host: `${subnet}.${10 + i}`, veth: `${name}-n${i}`, dir: join(dir, `n${i}`) };
      state.nodes.push(node);
      saveState(state);
      mkdirSync(node.dir, { recursive: true });
      await runLocal(['ip', 'netns', 'add', node.ns]);
      await runLocal(['ip', 'link', 'add', node.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', node.ns]);
      await runLocal(['ip', 'link', 'set', node.veth, 'master', state.bridge, 'up']);
      await runLocal(['ip', '-n', node.ns, 'addr', 'add', `${node.host}/24`, 'dev', 'eth0']);
      await runLocal(['ip', '-n', node.ns, 'link', 'set', 'eth0', 'up']);
      await runLocal(['ip', '-n', node.ns, 'link', 'set', 'lo', 'up']);
      await runLocal(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `hindsight-${node.ns}`, '-f', join(node.dir, 'ssh_host_ed25519_key')]);
      writeFileSync(join(node.dir, 'sshd_config'), sshdConfig(node, dir));
      await runLocal(['ip', 'netns', 'exec', node.ns, '/usr/sbin/sshd', '-f', join(node.dir, 'sshd_config')]);
    }
    // For people: `ssh -i <dir>/id_ed25519 -o UserKnownHostsFile=<dir>/known_hosts root@<node>`.
    writeFileSync(
      join(dir, 'known_hosts'),
      state.nodes.map((n) => `${n.host} ${readFileSync(join(n.dir, 'ssh_host_ed25519_key.pub'), 'utf8').trim()}\n`).join(''),
    );
    const cluster = namespaceCluster(state);
    await waitForSsh(cluster);
    return cluster;
  } catch (e) {
    await namespacesDown(name, root).catch(() => undefined);
    throw e;
  }
}

/** The Cluster for a state that is up (e.g. read back with `readState`). */
export function namespaceCluster(state: NamespaceClusterState): Cluster {
  const hostKeys = new Map<string, Buffer>();
  for (const n of state.nodes) hostKeys.set(n.name, publicKeyBlob(readFileSync(join(n.dir, 'ssh_host_ed25519_key.pub'), 'utf8')));
  const nodes: ClusterNode[] = state.nodes.map((n) => ({ name: n.name, host: n.host, sshPort: 22 }));
  return {
    nodes,
    sshUser: 'root',
    privateKey: readFileSync(join(state.dir, 'id_ed25519')),
    verifyHostKey: (node, key) => hostKeys.get(node.name)?.equals(key) ?? false,
    workDir: join(state.dir, 'work'),
    local: true,
  };
}

async function waitForSsh(cluster: Cluster): Promise<void> {
  await Promise.all(
    cluster.nodes.map(async (n) => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const s = new NodeSession({ name: n.name, host: n.host, port: n.sshPort, user: cluster.sshUser, privateKey: cluster.privateKey, verifyHostKey: (k) => cluster.verifyHostKey(n, k), connectTimeoutMs: 3000 });
        try {
          await s.run('true', { timeoutMs: 5000 });
          return;
        } catch (e) {
          if (Date.now() > deadline) throw e;
          await new Promise((r) => setTimeout(r, 100));
        } finally {
          await s.close();
        }
      }
    }),
  );
}

/** The pid a pid file holds (a positive integer), or undefined when the file is missing or holds anything else. */
export function readPidFile(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Removes everything the cluster's state file records: sshd by pid file, every other process still
 * inside one of OUR namespaces (etcd, …; `ip netns pids` names them by namespace, not by name),
 * the namespaces (their veths go with them), the bridge, and the state directory.
 * Returns false if there was no such cluster.
 */
export async function namespacesDown(name: string, stateRoot = DEFAULT_STATE_ROOT): Promise<boolean> {
  const state = readState(name, stateRoot);
  if (!state) return false;
  for (const n of state.nodes) {
    const pid = readPidFile(join(n.dir, 'sshd.pid'));
    // Never pid 1: a corrupt pid file must not make us kill init.
    if (pid !== undefined && pid > 1) kill(pid, 'SIGKILL');
    const pids = await tryLocal(['ip', 'netns', 'pids', n.ns]);
    for (const p of (pids ?? '').split(/\s+/).filter(Boolean)) {
      kill(Number(p), 'SIGCONT');
      kill(Number(p), 'SIGKILL');
    }
  }
  for (const n of state.nodes) {
    await tryLocal(['ip', 'link', 'del', n.veth]);
    await tryLocal(['ip', 'netns', 'del', n.ns]);
  }
  await tryLocal(['ip', 'link', 'del', state.bridge]);
  rmSync(state.dir, { recursive: true, force: true });
  return true;
}
