/**
 * `--db etcd`: etcd 3.4 on a cluster of nodes. With no `--ssh-key`, the nodes are network
 * namespaces on this machine (brought up for the run and removed after it, unless a namespace
 * cluster of that name is already up from `hindsight nodes up`, which is then used and kept);
 * with `--ssh-key`, `--nodes` names real machines reached over SSH.
 *
 * Backend options (from `test.opts.extra`, camelCased command-line flags):
 * `sshUser`, `sshKey`, `strictHostKeys` (default true for remote nodes), `knownHosts`,
 * `cluster` (namespace cluster name, default `hs`), `subnet` (default `10.77.0`),
 * `serializableReads` (etcd's possibly-stale reads instead of linearizable ones),
 * `leaseTtl` (seconds, lock workloads), `snapshotCount`, `etcdBinary`, `watchFrom` (0 or 1).
 */
import { ControlError } from '../control/errors.js';
import { sh } from '../control/quote.js';
import type { BackendParts, Client, Completion, DbBackend, Invocation, OpenClient, TestContext, Workload } from '../core/types.js';
import { RunError } from '../core/types.js';
import { claimCluster } from '../nodes/claim.js';
import { closeSessions, openSessions, type Cluster } from '../nodes/cluster.js';
import { namespaceCluster, namespacesDown, namespacesUp, readState } from '../nodes/namespaces.js';
import { remoteCluster } from '../nodes/remote.js';
import { STANDARD_WORKLOADS } from '../workloads/index.js';
import { EtcdClient } from './client.js';
import { EtcdCluster } from './cluster.js';
import { EtcdDb } from './db.js';
import { registerOp, setOp, txnOp, type KvOptions } from './kv-ops.js';
import { ETCD_FAULTS, EtcdNemesis } from './nemesis.js';
import { lockFencedSetOp } from './lock-fenced.js';
import { parseGroups } from '../nemesis/targets.js';
import { isScenario, runScenario, scenarioWorkload, SCENARIOS } from './scenarios.js';
import { customWorkload, CUSTOM_WORKLOADS, LockClientState, lockOp, lockSetOp, watchOp, WatchState, type LockOptions } from './lock-watch.js';

/** The etcd backend's options, from `TestOptions.extra` (see the module doc for each). */
export interface EtcdExtra {
  readonly sshUser?: string;
  readonly sshKey?: string;
  readonly strictHostKeys?: boolean;
  readonly knownHosts?: string;
  readonly cluster?: string;
  readonly subnet?: string;
  readonly serializableReads?: boolean;
  readonly leaseTtl?: number;
  readonly snapshotCount?: number;
  readonly etcdBinary?: string;
  readonly watchFrom?: 0 | 1;
}

function extraOf(test: TestContext): EtcdExtra {
  const x = test.opts.extra as Record<string, unknown>;
  const num = (v: unknown): number | undefined => (v === undefined || v === null || v === '' ? undefined : Number(v));
  const bool = (v: unknown): boolean | undefined => (v === undefined ? undefined : v === true || v === 'true');
  return {
    sshUser: x.sshUser as string | undefined,
    sshKey: x.sshKey as string | undefined,
    strictHostKeys: bool(x.strictHostKeys),
    knownHosts: x.knownHosts as string | undefined,
    cluster: x.cluster as string | undefined,
    subnet: x.subnet as string | undefined,
    serializableReads: bool(x.serializableReads),
    leaseTtl: num(x.leaseTtl),
    snapshotCount: num(x.snapshotCount),
    etcdBinary: x.etcdBinary as string | undefined,
    watchFrom: x.watchFrom === undefined ? undefined : Number(x.watchFrom) === 0 ? 0 : 1,
  };
}

/**
 * The nodes for a test: remote machines, an existing namespace cluster, or a fresh one we own.
 * A namespace cluster is claimed for this recording (`release` ends the claim).
 */
async function clusterFor(test: TestContext, x: EtcdExtra): Promise<{ cluster: Cluster; owned?: string; release?: () => void }> {
  const names = test.opts.nodes;
  if (x.sshKey) return { cluster: remoteCluster({ hosts: names, user: x.sshUser, keyFile: x.sshKey, strictHostKeys: x.strictHostKeys ?? true, knownHostsFile: x.knownHosts }) };
  const expected = names.map((_, i) => `n${i + 1}`);
  if (names.some((n, i) => n !== expected[i]))
    throw new RunError(`etcd: nodes ${names.join(',')} are not namespace nodes n1..nN; to test remote machines give --ssh-key (and --ssh-user)`);
  if (typeof process.getuid === 'function' && process.getuid() !== 0) throw new RunError('etcd: namespace nodes need root (ip netns, iptables); run as root or give remote nodes with --ssh-key');
  const name = x.cluster ?? 'hs';
  let release: () => void;
  try {
    release = claimCluster(name);
  } catch (e) {
    throw new RunError(`etcd: ${(e as Error).message}`);
  }
  try {
    const state = readState(name);
    if (state) {
      const have = state.nodes.map((n) => n.name);
      if (have.join(',') !== expected.join(','))
        throw new RunError(`etcd: namespace cluster ${name} is up with nodes ${have.join(',')}, not ${expected.join(',')}; run \`hindsight nodes down --name ${name}\` or pick another --cluster`);
      test.log.info(`etcd: using namespace cluster ${name} (${have.join(',')})`);
      return { cluster: namespaceCluster(state), release };
    }
    test.log.info(`etcd: bringing up ${names.length} namespace nodes (cluster ${name})`);
    try {
      return { cluster: await namespacesUp({ name, count: names.length, subnet: x.subnet }), owned: name, release };
    } catch (e) {
      throw new RunError(`etcd: could not bring up namespace nodes: ${(e as Error).message}`);
    }
  } catch (e) {
    release();
    throw e;
  }
}

class EtcdOpenClient implements OpenClient {
  private readonly lockState = new LockClientState();
  private readonly watchState: WatchState;
  constructor(
    private readonly client: EtcdClient,
    private readonly workload: string,
    private readonly kv: KvOptions,
    private readonly lock: LockOptions,
    watchFrom: 0 | 1 = 1,
  ) {
    this.watchState = new WatchState(watchFrom);
  }
  invoke(test: TestContext, op: Invocation): Promise<Completion> {
    switch (this.workload) {
      case 'register':
        return registerOp(this.client, op, this.kv);
      case 'set':
        return setOp(this.client, op, this.kv);
      case 'list-append':
      case 'append':
      case 'rw-register':
        return txnOp(this.client, op, this.kv);
      case 'lock':
        return lockOp(this.client, this.lockState, op, this.lock);
      case 'lock-set':
        return lockSetOp(this.client, this.lockState, op, this.lock, test);
      case 'lock-fenced-set':
        return lockFencedSetOp(this.client, this.lockState, op, this.lock);
      case 'watch':
        return watchOp(this.client, this.watchState, op, this.kv, test.signal, Math.min(3000, this.lock.timeoutMs), this.lock.timeoutMs);
      default:
        throw new Error(`etcd: no client for workload ${this.workload}`);
    }
  }
  async close(): Promise<void> {
    await this.lockState.release(this.client);
    this.client.close();
  }
}

/**
 * The `--db etcd` backend. `prepare` finds or brings up the nodes, checks the etcd binary and the
 * faults, and builds the `EtcdDb`, clients and nemesis; it throws `RunError` when the run cannot be
 * made (not root, nodes busy or unreachable, no etcd, an unknown fault), after releasing what it took.
 */
export const etcdBackend: DbBackend = {
  name: 'etcd',
  summary: 'etcd 3.4 on network-namespace nodes (default) or remote machines over SSH (--ssh-key)',
  workloads: [...STANDARD_WORKLOADS, ...CUSTOM_WORKLOADS, ...SCENARIOS],
  faults: [...ETCD_FAULTS],
  faultRefusals: {
    clock:
      "a namespace node shares this machine's kernel clock (time namespaces do not cover CLOCK_REALTIME) and etcd, a Go program, reads time without libc, so LD_PRELOAD fakers cannot reach it; clock faults need hosts with clocks of their own, which this backend does not skew yet (the embedded database has them: --db memory --nemesis clock)",
  },
  defaultNodes: ['n1', 'n2', 'n3', 'n4', 'n5'],
  options: [
    { flags: '--ssh-key <file>', description: 'private key for remote nodes (without it, --nodes n1..nN are network namespaces here)' },
    { flags: '--ssh-user <user>', description: 'login on remote nodes', default: 'root' },
    { flags: '--no-strict-host-keys', description: 'accept any host key from remote nodes (default: verify against known_hosts)' },
    { flags: '--known-hosts <file>', description: 'known_hosts for remote nodes (default ~/.ssh/known_hosts)' },
    { flags: '--cluster <name>', description: 'namespace cluster name (uses it if `hindsight nodes up` made it)', default: 'hs' },
    { flags: '--subnet <a.b.c>', description: 'private /24 for namespace nodes', default: '10.77.0' },
    { flags: '--serializable-reads', description: 'serializable (possibly stale) reads instead of linearizable ones' },
    { flags: '--lease-ttl <seconds>', description: 'lease TTL of the lock workloads', default: '2' },
    { flags: '--snapshot-count <n>', description: 'etcd --snapshot-count (small values exercise snapshots)' },
    { flags: '--etcd-binary <path>', description: 'etcd executable on the nodes', default: 'etcd' },
    { flags: '--watch-from <revision>', description: 'watch workload: the revision a fresh watcher asks for, 1 (every event) or 0 (etcd: the current revision + 1, missing what came before)', default: '1' },
  ],
  async prepare(test: TestContext): Promise<BackendParts> {
    const x = extraOf(test);
    const { cluster, owned, release } = await clusterFor(test, x);
    const sessions = openSessions(cluster);
    let nemesis: EtcdNemesis | undefined;
    const close = async (): Promise<void> => {
      // After an abort the run loop may not have reached its heal phase: heal here.
      if (nemesis?.faulty) await nemesis.healAll(test).catch((e: unknown) => test.log.warn(`etcd: healing on close: ${(e as Error).message}`));
      try {
        await closeSessions(sessions);
        if (owned && !test.opts.leaveDbRunning) await namespacesDown(owned);
      } finally {
        release?.();
      }
    };
    try {
      const etcd = new EtcdCluster(cluster, sessions, { binary: x.etcdBinary, snapshotCount: x.snapshotCount, faultFs: test.opts.nemesis.some((f) => f.startsWith('disk-')) });
      const probe = await sessions.get(cluster.nodes[0]!.name)!.run(sh`command -v ${etcd.binary}`, { allowFailure: true, timeoutMs: 15_000 });
      if (probe.code !== 0) throw new RunError(`etcd: no \`${etcd.binary}\` on ${cluster.nodes[0]!.name} (install etcd-server, or give --etcd-binary)`);
      const unknown = test.opts.nemesis.filter((f) => !(ETCD_FAULTS as readonly string[]).includes(f));
      if (unknown.length) throw new RunError(`etcd: unknown fault(s) ${unknown.join(', ')}; known: ${ETCD_FAULTS.join(', ')}`);
      const kv: KvOptions = { serializable: x.serializableReads ?? false };
      const opTimeout = Math.max(500, Math.min(5000, test.opts.opTimeoutMs - 250));
      const lock: LockOptions = { ttlSeconds: x.leaseTtl ?? 2, timeoutMs: opTimeout };
      const client: Client = {
        async open(_test: TestContext, node: string): Promise<OpenClient> {
          return new EtcdOpenClient(new EtcdClient(etcd.clientEndpoint(node), { timeoutMs: opTimeout }), test.opts.workload, kv, lock, x.watchFrom ?? 1);
        },
      };
      const scenario = test.opts.workload;
      if (isScenario(scenario)) {
        if (test.opts.nemesis.length > 0) throw new RunError(`etcd: the scenario ${scenario} makes its own faults; give it no --nemesis`);
        return { db: new EtcdDb(etcd), client, workload: scenarioWorkload(scenario, test), scenario: (t, script) => runScenario(scenario, etcd, t, script), close };
      }
      const workload: Workload | undefined = customWorkload(test);
      return {
        db: new EtcdDb(etcd),
        client,
        nemesis: (nemesis = test.opts.nemesis.length ? new EtcdNemesis(etcd, test.opts.nemesis, { targets: test.opts.nemesisTargets, groups: parseGroups(test.opts.groups, test.opts.nodes) }) : undefined),
        workload,
        close,
      };
    } catch (e) {
      await close();
      // A node we cannot reach or trust means the run cannot be made (exit 3), not a crash.
      if (e instanceof ControlError) throw new RunError(`etcd: ${e.message}`);
      throw e;
    }
  },
};
