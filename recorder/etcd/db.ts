/**
 * etcd's lifecycle on a cluster of nodes, all through the nodes' control sessions: each node gets
 * `<workDir>/<node>/` holding `data/` (etcd's data dir), `etcd.log` and `etcd.pid`; etcd runs as a
 * daemon (`setsid`, output to the log, pid to the pid file) so it outlives the control channel.
 * Kill/start and pause/resume act on the pid in the pid file — never on a process name, which
 * could hit another cluster's etcd on the same machine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sh } from '../control/quote.js';
import type { NodeSession } from '../control/session.js';
import type { Cluster, ClusterNode } from '../nodes/cluster.js';
import { EtcdClient } from './client.js';

export const CLIENT_PORT = 2379;
export const PEER_PORT = 2380;

export interface EtcdDbOptions {
  /** etcd binary on the nodes (default `etcd` on PATH). */
  readonly binary?: string;
  /** Passed as --snapshot-count (small values exercise snapshots; default etcd's). */
  readonly snapshotCount?: number;
  /** How long setup waits for every member to answer (ms). */
  readonly healthTimeoutMs?: number;
}

export class EtcdDb {
  readonly binary: string;

  constructor(
    readonly cluster: Cluster,
    readonly sessions: ReadonlyMap<string, NodeSession>,
    readonly opts: EtcdDbOptions = {},
  ) {
    this.binary = opts.binary ?? 'etcd';
  }

  session(node: string): NodeSession {
    const s = this.sessions.get(node);
    if (!s) throw new Error(`no such node: ${node}`);
    return s;
  }

  node(name: string): ClusterNode {
    const n = this.cluster.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no such node: ${name}`);
    return n;
  }

  dir(node: string): string {
    return join(this.cluster.workDir, node);
  }

  peerUrl(node: string): string {
    return `http://${this.node(node).host}:${PEER_PORT}`;
  }

  clientEndpoint(node: string): string {
    return `${this.node(node).host}:${CLIENT_PORT}`;
  }

  initialCluster(names: readonly string[] = this.cluster.nodes.map((n) => n.name)): string {
    return names.map((n) => `${n}=${this.peerUrl(n)}`).join(',');
  }

  /** Starts etcd on `node` as a daemon. `state: 'existing'` joins a running cluster (member nemesis). */
  async start(node: string, state: 'new' | 'existing' = 'new', initialCluster = this.initialCluster()): Promise<void> {
    const d = this.dir(node);
    const host = this.node(node).host;
    const args = [
      '--name', node,
      '--data-dir', join(d, 'data'),
      '--listen-peer-urls', `http://${host}:${PEER_PORT}`,
      '--initial-advertise-peer-urls', this.peerUrl(node),
      '--listen-client-urls', `http://${host}:${CLIENT_PORT}`,
      '--advertise-client-urls', `http://${host}:${CLIENT_PORT}`,
      '--initial-cluster', initialCluster,
      '--initial-cluster-state', state,
      '--initial-cluster-token', 'hindsight',
      ...(this.opts.snapshotCount ? ['--snapshot-count', String(this.opts.snapshotCount)] : []),
    ];
    const quoted = args.map((a) => sh`${a}`).join(' ');
    const pid = join(d, 'etcd.pid');
    const log = join(d, 'etcd.log');
    // Refuse to start a second etcd over a live one: its pid file would be lost.
    await this.session(node).run(
      sh`mkdir -p ${d} && if [ -f ${pid} ] && [ "$(cut -d' ' -f3 /proc/$(cat ${pid})/stat 2>/dev/null || echo Z)" != Z ]; then echo "etcd already running" >&2; exit 1; fi; ` +
        sh`setsid ${this.binary} ` + quoted + sh` >> ${log} 2>&1 < /dev/null & echo $! > ${pid}`,
    );
  }

  /** SIGKILLs etcd on `node` (also if paused) and waits for it to be gone. No-op if not running. */
  async kill(node: string): Promise<void> {
    const pid = join(this.dir(node), 'etcd.pid');
    // Gone means no /proc entry or a zombie (state Z): where PID 1 does not reap orphans (some
    // containers), a killed daemon stays a zombie forever, and `kill -0` would still succeed.
    await this.session(node).run(
      sh`if [ -f ${pid} ]; then p="$(cat ${pid})"; kill -KILL "$p" 2>/dev/null; ` +
        sh`for i in $(seq 200); do st="$(cut -d' ' -f3 /proc/$p/stat 2>/dev/null)"; { [ -z "$st" ] || [ "$st" = Z ]; } && break; sleep 0.01; done; rm -f ${pid}; fi`,
    );
  }

  /** SIGSTOP / SIGCONT etcd on `node` by its pid file. */
  async signal(node: string, sig: 'STOP' | 'CONT'): Promise<void> {
    const pid = join(this.dir(node), 'etcd.pid');
    await this.session(node).run(sh`if [ -f ${pid} ]; then kill -${sig} "$(cat ${pid})" 2>/dev/null || true; fi`);
  }

  async wipe(node: string): Promise<void> {
    await this.session(node).run(sh`rm -rf ${join(this.dir(node), 'data')}`);
  }

  /** Waits until `node` answers a linearizable read (it has a leader and is caught up). */
  async awaitHealthy(nodes: readonly string[] = this.cluster.nodes.map((n) => n.name)): Promise<void> {
    const timeout = this.opts.healthTimeoutMs ?? 30_000;
    await Promise.all(
      nodes.map(async (n) => {
        const c = new EtcdClient(this.clientEndpoint(n), { timeoutMs: 1000 });
        const deadline = Date.now() + timeout;
        try {
          for (;;) {
            try {
              await c.get('hindsight-health');
              return;
            } catch (e) {
              if (Date.now() > deadline) throw new Error(`etcd on ${n} not healthy after ${timeout} ms: ${(e as Error).message}`);
              await new Promise((r) => setTimeout(r, 100));
            }
          }
        } finally {
          c.close();
        }
      }),
    );
  }

  /** Fresh cluster: stop any leftover, wipe, start everyone, wait healthy. */
  async setup(): Promise<void> {
    const names = this.cluster.nodes.map((n) => n.name);
    await Promise.all(names.map(async (n) => {
      await this.kill(n);
      await this.session(n).run(sh`rm -rf ${join(this.dir(n), 'data')} ${join(this.dir(n), 'etcd.log')}`);
    }));
    await Promise.all(names.map((n) => this.start(n)));
    await this.awaitHealthy();
  }

  /** Stops and wipes every node (data dir and pid file; the log stays until `wipeLogs`). */
  async teardown(): Promise<void> {
    await Promise.all(this.cluster.nodes.map(async (n) => {
      await this.kill(n.name);
      await this.wipe(n.name);
    }));
  }

  /** Copies each node's etcd.log into `<storeDir>/<node>/etcd.log`. */
  async collectLogs(storeDir: string): Promise<void> {
    await Promise.all(this.cluster.nodes.map(async (n) => {
      const r = await this.session(n.name).run(sh`cat ${join(this.dir(n.name), 'etcd.log')}`, { allowFailure: true, timeoutMs: 60_000 });
      mkdirSync(join(storeDir, n.name), { recursive: true });
      writeFileSync(join(storeDir, n.name, 'etcd.log'), r.stdout);
    }));
  }
}
