/**
 * The embedded database's client server: proto/client.proto sessions over a `MemoryCluster`.
 * A session opened with process -1 is the nemesis: its ops (`start-partition`, `stop-kill`, …)
 * fault the simulated nodes. The cluster is created at the first Open, from the test's nodes,
 * bugs and seed, so one server process serves one test (`hindsight memory-server`).
 */
import { parseEdn } from '../../analyzer/edn/scanner.js';
import { type EdnValue, EdnMap, Keyword, kw } from '../../analyzer/edn/values.js';
import type { Completion } from '../core/types.js';
import { randomFunction } from '../../analyzer/util/random.js';
import { type RunningServer, type Session, type SessionHandler, serveClient } from '../grpc/server.js';
import { MemoryCluster } from './cluster.js';
import { runOp } from './ops.js';
import { cutNodes, describeGrudge, type PartitionShape, shapeGrudge } from '../nemesis/partitions.js';

interface TestInfo {
  nodes: string[];
  bugs: string[];
  seed: number;
}

function testInfo(edn: string): TestInfo {
  const m = edn === '' ? null : parseEdn(edn);
  const get = (k: string): EdnValue | undefined => (m instanceof EdnMap ? m.kw(k) : undefined);
  const nodes = get('nodes');
  const bugs = get('bugs');
  const seed = get('seed');
  return {
    nodes: Array.isArray(nodes) ? nodes.map(String) : ['n1', 'n2', 'n3', 'n4', 'n5'],
    bugs: Array.isArray(bugs) ? bugs.map((b) => (b instanceof Keyword ? b.name : String(b))) : [],
    seed: typeof seed === 'number' ? seed : 0,
  };
}

/** Picks `k` distinct indices out of `n` at random. */
function sample(random: () => number, n: number, k: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, k);
}

/** How many clock faults each cluster has had (they take turns: bump back, bump ahead, strobe). */
const clockTurns = new WeakMap<MemoryCluster, number>();

/**
 * Performs one nemesis op on the cluster; the value says what was done. A start whose value
 * names nodes strikes those (the recorder's nemesis chose them, faults.ts); without, the server
 * picks as it always has (a random minority cut off; the leader half the time). `leader` answers
 * the current leader's name. A stop whose value names nodes undoes the fault on those only.
 */
export function nemesisOp(c: MemoryCluster, f: string, value: EdnValue = null): Completion {
  const names = (is: number[]): EdnValue => is.map((i) => c.nodes[i].name);
  const n = c.nodes.length;
  const given = Array.isArray(value) && value.length > 0 ? value.map((v) => c.nodeIndex(String(v))) : undefined;
  switch (f) {
    case 'leader':
      return { type: 'ok', value: c.leaderName() };
    case 'start-partition': {
      const cut = given ?? sample(c.random, n, Math.floor((n - 1) / 2) || 1);
      const rest = c.nodes.map((_, i) => i).filter((i) => !cut.includes(i));
      c.partition([rest, cut]);
      return { type: 'info', value: [names(rest), names(cut)] };
    }
    case 'stop-partition':
      c.partition([c.nodes.map((_, i) => i)]);
      return { type: 'info', value: kw('healed') };
    case 'start-partition-isolate-one':
    case 'start-partition-random-halves':
    case 'start-partition-majorities-ring':
    case 'start-partition-bridge':
    case 'start-partition-isolate-leader': {
      // Jepsen's shapes (nemesis/partitions.ts), over the simulated links.
      const all = c.nodes.map((x) => x.name);
      const { shape, grudge } = shapeGrudge(f.slice('start-partition-'.length) as PartitionShape, all, c.random, c.leaderName());
      c.partition([c.nodes.map((_, i) => i)]);
      c.cutLinks(new Map([...grudge].map(([a, bs]) => [c.nodeIndex(a), [...bs].map((b) => c.nodeIndex(b))])));
      const sees = Object.fromEntries(describeGrudge(all, grudge).map((v) => [v[0], v.slice(1)]));
      return { type: 'info', value: { shape: kw(shape), sees, cut: cutNodes(all, grudge) } as unknown as EdnValue };
    }
    case 'start-kill':
    case 'start-pause': {
      // Half the time the leader, which is where faults hurt.
      const hit = given ?? [c.random() < 0.5 ? c.leaderIndex : Math.floor(c.random() * n)];
      for (const i of hit) {
        if (f === 'start-kill') c.kill(i);
        else c.pause(i);
      }
      return { type: 'info', value: names(hit) };
    }
    case 'stop-kill':
    case 'stop-pause': {
      const hit: number[] = [];
      c.nodes.forEach((node, i) => {
        if (given !== undefined && !given.includes(i)) return;
        if (f === 'stop-kill' ? node.killed : node.paused) hit.push(i);
        if (f === 'stop-kill') c.restart(i);
        else c.resume(i);
      });
      return { type: 'info', value: names(hit) };
    }
    case 'start-clock': {
      // In turn: a bump 2 s back, a bump 2 s ahead, a strobe flipping by ±250 ms every 10 ms.
      const turn = clockTurns.get(c) ?? 0;
      clockTurns.set(c, turn + 1);
      const hit = given ?? [c.leaderIndex];
      const bump = turn % 3 === 0 ? -2000 : turn % 3 === 1 ? 2000 : undefined;
      for (const i of hit) {
        if (bump !== undefined) c.bumpClock(i, bump);
        else c.strobeClock(i, 250, 10);
      }
      return { type: 'info', value: { nodes: names(hit), ...(bump !== undefined ? { 'bump-ms': bump } : { 'strobe-ms': 250, 'period-ms': 10 }) } as unknown as EdnValue };
    }
    case 'stop-clock': {
      const hit = given ?? c.nodes.map((_, i) => i);
      for (const i of hit) c.resetClock(i);
      return { type: 'info', value: names(hit) };
    }
    case 'start-disk-slow':
    case 'start-disk-eio':
    case 'start-disk-lose-unfsynced': {
      const hit = given ?? [Math.floor(c.random() * n)];
      for (const i of hit) {
        if (f === 'start-disk-slow') c.setDisk(i, 'slow');
        else if (f === 'start-disk-eio') c.setDisk(i, 'eio');
        else {
          // The node's only durable state is the replicated log: losing its unsynced writes is a
          // crash that loses its memory, then a restart that replays the log from its peers.
          c.kill(i);
          c.restart(i);
        }
      }
      return { type: 'info', value: names(hit) };
    }
    case 'stop-disk': {
      const hit = given ?? c.nodes.map((_, i) => i);
      for (const i of hit) c.setDisk(i, 'ok');
      return { type: 'info', value: names(hit) };
    }
    case 'heal':
      c.heal();
      return { type: 'info', value: kw('healed') };
    default:
      return { type: 'info', error: [kw('unknown-fault'), f] };
  }
}

/**
 * The memory database's `SessionHandler`: one `MemoryCluster`, made at the first Open from its test
 * map. Opening a session for an unknown node rejects.
 */
export class MemoryHandler implements SessionHandler {
  /** The cluster, once the first Open made it. */
  cluster: MemoryCluster | undefined;

  /** A client session on `req.node`, or the nemesis session for process -1. */
  async open(req: { node: string; process: number; workload: string; testEdn: string }): Promise<Session> {
    if (this.cluster === undefined) {
      const t = testInfo(req.testEdn);
      this.cluster = new MemoryCluster({ nodes: t.nodes, bugs: t.bugs, random: randomFunction(t.seed ^ 0x5eed, 'raw') });
    }
    const c = this.cluster;
    if (req.process < 0) {
      return { invoke: async (_p, f, value) => nemesisOp(c, f, value), close: async () => undefined };
    }
    const node = c.nodeIndex(req.node);
    const workload = req.workload;
    return {
      invoke: (_p, f, value) => runOp(c, node, workload, f, value),
      close: async () => undefined,
    };
  }

  /** Stops the cluster (if one was made). */
  stop(): void {
    this.cluster?.stop();
  }
}

/** Starts the embedded database's client server. */
export async function serveMemory(host = '127.0.0.1', port = 0): Promise<{ server: RunningServer; handler: MemoryHandler }> {
  const handler = new MemoryHandler();
  const server = await serveClient(handler, host, port);
  return {
    handler,
    server: {
      ...server,
      stop: async () => {
        handler.stop();
        await server.stop();
      },
    },
  };
}
