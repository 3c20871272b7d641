/**
 * `EtcdDb`: the recorder's `Db` for etcd — what the run loop calls per node (setup, teardown,
 * kill/start, pause/resume, log files). It holds no lifecycle of its own: every step is
 * `EtcdCluster`'s (cluster.ts), so the run loop and the tests drive etcd the same way.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { sh } from '../control/quote.js';
import type { Db, TestContext } from '../core/types.js';
import type { EtcdCluster } from './cluster.js';

/**
 * The `Db` view of an `EtcdCluster`; each method acts on one node and rejects as the cluster's
 * method does (a failed command on the node).
 */
export class EtcdDb implements Db {
  constructor(private readonly etcd: EtcdCluster) {}

  /** A blank node, etcd started on it, answering reads (`EtcdCluster.setupNode`). */
  setup(_test: TestContext, node: string): Promise<void> {
    return this.etcd.setupNode(node);
  }

  /** etcd stopped and its data wiped on `node`; the log stays to be collected. */
  teardown(_test: TestContext, node: string): Promise<void> {
    return this.etcd.teardownNode(node);
  }

  /** SIGKILL by pid file. */
  kill(_test: TestContext, node: string): Promise<void> {
    return this.etcd.kill(node);
  }

  /** Starts etcd again with its data dir. */
  start(_test: TestContext, node: string): Promise<void> {
    return this.etcd.start(node);
  }

  /** SIGSTOP. */
  pause(_test: TestContext, node: string): Promise<void> {
    return this.etcd.signal(node, 'STOP');
  }

  /** SIGCONT. */
  resume(_test: TestContext, node: string): Promise<void> {
    return this.etcd.signal(node, 'CONT');
  }

  /** `{'<node>/etcd.log': <its path on the node>}`. */
  async logFiles(_test: TestContext, node: string): Promise<Readonly<Record<string, string>>> {
    return { [`${node}/etcd.log`]: this.etcd.logFile(node) };
  }

  /** Copies `remotePath` over the node's session (nodes may be remote); a missing file gives an empty one. */
  async fetchLogFile(_test: TestContext, node: string, remotePath: string, localPath: string): Promise<void> {
    const r = await this.etcd.session(node).run(sh`cat ${remotePath}`, { allowFailure: true, timeoutMs: 60_000 });
    mkdirSync(dirname(localPath), { recursive: true });
    writeFileSync(localPath, r.stdout);
  }
}
