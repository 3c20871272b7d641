/**
 * `--db memory`: the embedded database. Its client server runs in this process on loopback
 * (or is named with `--client-server host:port`, e.g. a `hindsight memory-server` child), and
 * the recorder talks to it only through proto/client.proto — the same path a user's own client
 * server takes. Faults go through the server's nemesis session (Open with process -1).
 */
import { registerBackend } from '../core/backends.js';
import { EdnMap, type EdnValue, isRecord } from '../../analyzer/edn/values.js';
import { PARTITION_SHAPES } from '../nemesis/partitions.js';
import type { BackendParts, Completion, Db, DbBackend, OpenClient, TestContext } from '../core/types.js';
import { type FaultMechanics, type Started, TableNemesis } from '../nemesis/nemesis.js';
import { parseGroups } from '../nemesis/targets.js';
import { RunError } from '../core/types.js';
import { GrpcClient } from '../grpc/client.js';
import { STANDARD_WORKLOADS } from '../workloads/index.js';
import { BUGS } from './cluster.js';
import { serveMemory } from './server.js';

/** The faults `--nemesis` may name with `--db memory`. */
export const MEMORY_FAULTS = ['partition', ...PARTITION_SHAPES.map((s) => `partition-${s}`), 'kill', 'pause', 'clock', 'disk-slow', 'disk-eio', 'disk-lose-unfsynced'] as const;

/**
 * The faults' mechanics: ops sent to the client server's nemesis session, naming the targets
 * the nemesis chose (nemesis/nemesis.ts keeps the node states and picks them).
 */
class GrpcMechanics implements FaultMechanics {
  private session: OpenClient | undefined;
  constructor(private readonly client: GrpcClient) {}
  private send(test: TestContext, f: string, value: EdnValue): Promise<Completion> {
    if (this.session === undefined) throw new Error('nemesis used before setup');
    return this.session.invoke(test, { process: 'nemesis', f, value });
  }
  async setup(test: TestContext): Promise<void> {
    this.session = await this.client.open(test, test.opts.nodes[0]);
  }
  /** Shaped partitions (`partition-bridge`…) choose their sides on the server. */
  choosesTargets(fault: string): boolean {
    return fault.startsWith('partition-');
  }
  async start(test: TestContext, fault: string, targets: readonly string[] | undefined): Promise<Started> {
    // A shape given explicit targets is a plain partition of those nodes.
    const f = targets !== undefined && fault.startsWith('partition-') ? 'partition' : fault;
    const value = (await this.send(test, `start-${f}`, targets === undefined ? null : [...targets])).value ?? null;
    const cut = value instanceof EdnMap ? value.kw('cut') : isRecord(value) ? value.cut : undefined;
    return { value, ...(targets === undefined && Array.isArray(cut) ? { struck: cut.map(String) } : {}) };
  }
  async stop(test: TestContext, kind: string, targets: readonly string[]): Promise<EdnValue> {
    return (await this.send(test, `stop-${kind}`, [...targets])).value ?? null;
  }
  async leader(test: TestContext): Promise<string | undefined> {
    // A client server of the user's may not answer `leader`: then no node is the leader.
    const c = await this.send(test, 'leader', null).catch(() => undefined);
    return c?.type === 'ok' && typeof c.value === 'string' ? c.value : undefined;
  }
  async healed(test: TestContext): Promise<void> {
    // Whatever the map says, leave the server's cluster whole.
    if (this.session !== undefined) await this.send(test, 'heal', null);
  }
  async teardown(test: TestContext): Promise<void> {
    await this.session?.close(test);
  }
}

/** Nothing to install: the nodes live inside the client server. */
const memoryDb: Db = {
  async setup(): Promise<void> {},
  async teardown(): Promise<void> {},
};

/**
 * The `--db memory` backend. `prepare` throws `RunError` for an unknown `--bug`, and starts an
 * in-process client server unless `--client-server` names one.
 */
export const memoryBackend: DbBackend = {
  name: 'memory',
  summary: 'embedded replicated key-value store (simulated nodes, injectable bugs); needs no cluster',
  workloads: [...STANDARD_WORKLOADS],
  faults: [...MEMORY_FAULTS],
  bugs: Object.keys(BUGS),
  defaultNodes: ['n1', 'n2', 'n3', 'n4', 'n5'],
  // Each run starts its own client server on a free port and its own simulated cluster.
  concurrentRuns: true,
  async prepare(test: TestContext): Promise<BackendParts> {
    for (const b of test.opts.bugs) if (!(b in BUGS)) throw new RunError(`unknown bug ${b}; the memory db knows ${Object.keys(BUGS).join(', ')}`);
    let address = test.opts.clientServer;
    let stopServer: (() => Promise<void>) | undefined;
    if (address === undefined) {
      const { server } = await serveMemory();
      address = server.address;
      stopServer = () => server.stop();
      test.log.info(`memory db client server on ${address}`);
    }
    const client = new GrpcClient(address);
    const nemesisClient = new GrpcClient(address, 'nemesis');
    return {
      db: memoryDb,
      client,
      nemesis:
        test.opts.nemesis.length > 0
          ? new TableNemesis(new GrpcMechanics(nemesisClient), { nodes: test.opts.nodes, faults: test.opts.nemesis, targets: test.opts.nemesisTargets, groups: parseGroups(test.opts.groups, test.opts.nodes) })
          : undefined,
      async close(): Promise<void> {
        client.shutdown();
        nemesisClient.shutdown();
        await stopServer?.();
      },
    };
  },
};

registerBackend(memoryBackend);
