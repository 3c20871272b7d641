/**
 * `EtcdCluster`: the one place etcd's lifecycle on a cluster of nodes lives — start, kill,
 * pause/resume, wipe, wait healthy, and whole-cluster setup/teardown — all through the nodes'
 * control sessions. Each node gets `<workDir>/<node>/` holding `data/` (etcd's data dir),
 * `etcd.log` and `etcd.pid`; etcd runs as a daemon (`setsid`, output to the log, pid to the pid
 * file) so it outlives the control channel. Kill/start and pause/resume act on the pid in the pid
 * file — never on a process name, which could hit another cluster's etcd on the same machine.
 * The recorder's `Db` view of it is `EtcdDb` (db.ts); the nemesis drives it directly.
 */
import { join } from 'node:path';
import { sh } from '../control/quote.js';
import { type FaultFsPaths, controlFaultFs, faultFsPaths, faultFsSource, mountFaultFs, unmountFaultFs } from '../disk/faultfs.js';
import type { NodeSession } from '../control/session.js';
import type { Cluster, ClusterNode } from '../nodes/cluster.js';
import { EtcdClient } from './client.js';

/** etcd's client port on every node. */
export const CLIENT_PORT = 2379;
/** etcd's peer (raft) port on every node. */
export const PEER_PORT = 2380;

/**
 * A shell test that is true while the process in `pidFile` lives: its /proc entry exists and is
 * not a zombie (where PID 1 does not reap orphans, a killed daemon stays one forever).
 */
const alive = (pidFile: string): string => sh`{ [ -f ${pidFile} ] && st="$(cut -d' ' -f3 /proc/$(cat ${pidFile})/stat 2>/dev/null)" && [ -n "$st" ] && [ "$st" != Z ]; }`;

/** How etcd is run on the nodes. */
export interface EtcdClusterOptions {
  /** etcd binary on the nodes (default `etcd` on PATH). */
  readonly binary?: string;
  /** Passed as --snapshot-count (small values exercise snapshots; default etcd's). */
  readonly snapshotCount?: number;
  /** How long setup waits for every member to answer (ms). */
  readonly healthTimeoutMs?: number;
  /** Put each node's data directory on the fault-injecting filesystem (recorder/disk/faultfs.ts), for disk faults. */
  readonly faultFs?: boolean;
}

/**
 * etcd on every node of `cluster`, controlled through `sessions` (one per node, by name).
 * Methods taking a node name throw `no such node` for a name not in the cluster; commands that
 * fail on a node reject with the session's `ControlError`.
 *
 * @example
 *   const etcd = new EtcdCluster(cluster, openSessions(cluster));
 *   await etcd.setup();      // fresh cluster, every member answering
 *   await etcd.kill('n1');   // SIGKILL by pid file
 *   await etcd.start('n1');  // again, with its data dir
 *   await etcd.teardown();   // stopped and wiped
 */
export class EtcdCluster {
  /** The etcd executable run on the nodes. */
  readonly binary: string;

  constructor(
    readonly cluster: Cluster,
    readonly sessions: ReadonlyMap<string, NodeSession>,
    readonly opts: EtcdClusterOptions = {},
  ) {
    this.binary = opts.binary ?? 'etcd';
  }

  /** The names of every node, in cluster order. */
  get names(): string[] {
    return this.cluster.nodes.map((n) => n.name);
  }

  /** The control session of `node`. */
  session(node: string): NodeSession {
    const s = this.sessions.get(node);
    if (!s) throw new Error(`no such node: ${node}`);
    return s;
  }

  /** The cluster's description of `name` (its host address). */
  node(name: string): ClusterNode {
    const n = this.cluster.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no such node: ${name}`);
    return n;
  }

  /** `node`'s etcd directory on the node: `<workDir>/<node>`. */
  dir(node: string): string {
    return join(this.cluster.workDir, node);
  }

  /** `node`'s etcd log on the node (kept by `teardown`, removed by `setup`). */
  logFile(node: string): string {
    return join(this.dir(node), 'etcd.log');
  }

  private dataDir(node: string): string {
    return join(this.dir(node), 'data');
  }

  private pidFile(node: string): string {
    return join(this.dir(node), 'etcd.pid');
  }

  /** `http://<host>:2380`, the URL peers reach `node` on. */
  peerUrl(node: string): string {
    return `http://${this.node(node).host}:${PEER_PORT}`;
  }

  /** `<host>:2379`, what a client dials to reach `node`. */
  clientEndpoint(node: string): string {
    return `${this.node(node).host}:${CLIENT_PORT}`;
  }

  /** etcd's `--initial-cluster` value for `names` (default every node): `n1=http://…:2380,…`. */
  initialCluster(names: readonly string[] = this.names): string {
    return names.map((n) => `${n}=${this.peerUrl(n)}`).join(',');
  }

  /**
   * Starts etcd on `node` as a daemon with its existing data dir. `state: 'existing'` joins a
   * running cluster (the member nemesis), with `initialCluster` naming its members. Rejects if
   * etcd is already running there (its pid file would be lost).
   */
  async start(node: string, state: 'new' | 'existing' = 'new', initialCluster = this.initialCluster()): Promise<void> {
    const d = this.dir(node);
    const host = this.node(node).host;
    const args = [
      '--name', node,
      '--data-dir', this.dataDir(node),
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
    const pid = this.pidFile(node);
    await this.session(node).run(
      sh`mkdir -p ${d} && if ` + alive(pid) + sh`; then echo "etcd already running" >&2; exit 1; fi; ` +
        sh`setsid ${this.binary} ` + quoted + sh` >> ${this.logFile(node)} 2>&1 < /dev/null & echo $! > ${pid}`,
    );
  }

  /** SIGKILLs etcd on `node` (also if paused) and waits for it to be gone. No-op if not running. */
  async kill(node: string): Promise<void> {
    const pid = this.pidFile(node);
    // Gone means no /proc entry or a zombie (state Z): where PID 1 does not reap orphans (some
    // containers), a killed daemon stays a zombie forever, and `kill -0` would still succeed.
    await this.session(node).run(
      sh`if [ -f ${pid} ]; then p="$(cat ${pid})"; kill -KILL "$p" 2>/dev/null; ` +
        sh`for i in $(seq 200); do st="$(cut -d' ' -f3 /proc/$p/stat 2>/dev/null)"; { [ -z "$st" ] || [ "$st" = Z ]; } && break; sleep 0.01; done; rm -f ${pid}; fi`,
    );
  }

  /** True when etcd runs on `node` (its pid file names a live, non-zombie process). */
  async isRunning(node: string): Promise<boolean> {
    const pid = this.pidFile(node);
    const r = await this.session(node).run(sh`if ` + alive(pid) + sh`; then echo yes; fi`);
    return r.stdout.trim() === 'yes';
  }

  /**
   * Whether etcd is still running on `node` `waitMs` after something that may kill it (a restart
   * on damaged files, a failing disk) and, when it is not, the last lines of its log: why it died.
   */
  async survived(node: string, waitMs = 3000): Promise<{ running: boolean; why?: string }> {
    await new Promise((r) => setTimeout(r, waitMs));
    if (await this.isRunning(node)) return { running: true };
    const log = await this.session(node).run(sh`tail -n 3 ${this.logFile(node)} 2>/dev/null || true`, { allowFailure: true });
    return { running: false, why: log.stdout.trim().split('\n').slice(-2).join(' | ').slice(0, 400) };
  }

  /** SIGSTOP (pause) / SIGCONT (resume) etcd on `node` by its pid file; no-op if not running. */
  async signal(node: string, sig: 'STOP' | 'CONT'): Promise<void> {
    const pid = this.pidFile(node);
    await this.session(node).run(sh`if [ -f ${pid} ]; then kill -${sig} "$(cat ${pid})" 2>/dev/null || true; fi`);
  }

  /** `node`'s faultfs paths (its data directory's mount, backing directory, helper). */
  faultFsPaths(node: string): FaultFsPaths {
    return faultFsPaths(this.dataDir(node));
  }

  /** Removes `node`'s data (etcd must not be running there); the log stays. On the faultfs, the files go and the mount stays. */
  async wipe(node: string): Promise<void> {
    const d = this.dataDir(node);
    if (this.opts.faultFs) await this.session(node).run(sh`find ${d} -mindepth 1 -maxdepth 1 -exec rm -rf {} +`);
    else await this.session(node).run(sh`rm -rf ${d}`);
  }

  /** Stops any leftover etcd (and faultfs) on `node` and removes its data dir and log: a blank node; with `faultFs`, mounted afresh. */
  async reset(node: string): Promise<void> {
    await this.kill(node);
    const p = this.faultFsPaths(node);
    await unmountFaultFs(this.session(node), p);
    await this.session(node).run(sh`rm -rf ${this.dataDir(node)} ${p.backing} ${this.logFile(node)}`);
    if (this.opts.faultFs) {
      await mountFaultFs(this.session(node), p, faultFsSource());
      // Remember what each write overwrote, so a crash can lose what was never fsynced.
      await controlFaultFs(this.session(node), p, { track_unfsynced: true });
    }
  }

  /**
   * Waits until every one of `nodes` (default all) answers a linearizable read: it has a leader
   * and is caught up. Rejects naming the first node still silent after `healthTimeoutMs` (30 s).
   */
  async awaitHealthy(nodes: readonly string[] = this.names): Promise<void> {
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

  /** One node's part of a fresh cluster: reset, start, and wait until it answers. */
  async setupNode(node: string): Promise<void> {
    await this.reset(node);
    await this.start(node);
    await this.awaitHealthy([node]);
  }

  /** Stops etcd on `node` and wipes its data dir (the log stays, for the store); unmounts its faultfs. */
  async teardownNode(node: string): Promise<void> {
    await this.kill(node);
    const p = this.faultFsPaths(node);
    await unmountFaultFs(this.session(node), p);
    await this.session(node).run(sh`rm -rf ${this.dataDir(node)} ${p.backing} ${p.script} ${p.log}`);
  }

  /** A fresh cluster: every node reset first (so no leftover member is reachable), then all started, then all healthy. */
  async setup(): Promise<void> {
    await Promise.all(this.names.map((n) => this.reset(n)));
    await Promise.all(this.names.map((n) => this.start(n)));
    await this.awaitHealthy();
  }

  /** `teardownNode` on every node. */
  async teardown(): Promise<void> {
    await Promise.all(this.names.map((n) => this.teardownNode(n)));
  }
}
