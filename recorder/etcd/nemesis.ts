/**
 * etcd's nemesis: real faults on real processes and real packets, never the clock.
 *
 * - `kill` — SIGKILL etcd on some nodes (`start-kill`), start them again (`stop-kill`).
 * - `pause` — SIGSTOP (`start-pause`) / SIGCONT (`stop-pause`): the process keeps its state and
 *   its sockets but stops answering, like a long GC pause.
 * - `partition` — iptables DROP rules inside each node's network namespace (or machine), in a
 *   chain of our own (`hindsight`) so healing flushes only our rules. `partition` picks a random
 *   shape each time; `partition-<shape>` always uses that shape (see partitions.ts).
 * - `member` — remove a member from the cluster (`start-member`: MemberRemove, kill, wipe its data)
 *   and add it back as a fresh member (`stop-member`: MemberAdd, start with
 *   `--initial-cluster-state existing`).
 *
 * Every op's completion is `:info` with a value saying what was done. `healAll` undoes every fault
 * this nemesis may have made (also after an abort) and is safe to call twice.
 */
import { kw, type EdnValue } from '../../analyzer/edn/values.js';
import { sh } from '../control/quote.js';
import type { Completion, Invocation, Nemesis, TestContext } from '../core/types.js';
import { EtcdClient } from './client.js';
import type { EtcdCluster } from './cluster.js';
import { bridge, describeGrudge, groupsGrudge, isolateOne, majoritiesRing, PARTITION_SHAPES, randomHalves, shuffle, type Grudge, type PartitionShape } from './partitions.js';

/** The faults `--nemesis` may name with `--db etcd`. */
export const ETCD_FAULTS = ['kill', 'pause', 'partition', ...PARTITION_SHAPES.map((s) => `partition-${s}`), 'member'] as const;

const CHAIN = 'hindsight';

async function retryUnhealthy<T>(f: () => Promise<T>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await f();
    } catch (e) {
      if (!/unhealthy cluster/.test((e as Error).message) || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * The etcd nemesis over an `EtcdCluster`, for the `faults` of this test. `invoke` throws for an op it
 * does not know; `healAll` collects every healing step's error and throws them together.
 */
export class EtcdNemesis implements Nemesis {
  private readonly killed = new Set<string>();
  private readonly paused = new Set<string>();
  private readonly removed = new Set<string>();
  private partitioned = false;

  constructor(
    private readonly etcd: EtcdCluster,
    private readonly faults: readonly string[],
  ) {}

  private get names(): string[] {
    return this.etcd.names;
  }

  /** Creates our iptables chain on every node when a partition fault is in play. */
  async setup(_test: TestContext): Promise<void> {
    if (this.faults.some((f) => f.startsWith('partition')))
      await Promise.all(
        this.names.map((n) =>
          this.etcd.session(n).run(`iptables -N ${CHAIN} 2>/dev/null; iptables -F ${CHAIN} && { iptables -C INPUT -j ${CHAIN} 2>/dev/null || iptables -I INPUT -j ${CHAIN}; }`),
        ),
      );
  }

  /**
   * Starts or stops one fault (`start-<fault>`/`stop-<fault>`); the completion's value says what was done.
   */
  async invoke(test: TestContext, op: Invocation): Promise<Completion> {
    const m = /^(start|stop)-(.+)$/.exec(op.f);
    if (!m) throw new Error(`etcd nemesis: unknown op ${op.f}`);
    const [, phase, fault] = m as unknown as [string, 'start' | 'stop', string];
    const targets = Array.isArray(op.value) ? (op.value as EdnValue[]).map(String) : undefined;
    let value: EdnValue;
    if (fault === 'kill') value = phase === 'start' ? await this.kill(test, targets) : await this.restart();
    else if (fault === 'pause') value = phase === 'start' ? await this.pause(test, targets) : await this.resume();
    else if (fault === 'partition' || fault.startsWith('partition-')) value = phase === 'start' ? await this.partition(test, fault, targets) : await this.heal();
    else if (fault === 'member') value = phase === 'start' ? await this.removeMember(test, targets) : await this.addBack();
    else throw new Error(`etcd nemesis: unknown fault ${fault}`);
    return { type: 'info', value };
  }

  /** A random non-empty subset: one node, a minority, a majority or all, equally likely. */
  private pick(test: TestContext, from: readonly string[]): string[] {
    const s = shuffle(from, test.random);
    const n = s.length;
    const sizes = [1, Math.max(1, Math.floor((n - 1) / 2)), Math.floor(n / 2) + 1, n];
    return s.slice(0, sizes[Math.floor(test.random() * sizes.length)]!).sort();
  }

  private async kill(test: TestContext, targets?: string[]): Promise<EdnValue> {
    const nodes = targets ?? this.pick(test, this.names.filter((n) => !this.removed.has(n)));
    await Promise.all(nodes.map((n) => this.etcd.kill(n)));
    for (const n of nodes) {
      this.killed.add(n);
      this.paused.delete(n);
    }
    return { killed: nodes };
  }

  private async restart(): Promise<EdnValue> {
    const nodes = [...this.killed].sort();
    await Promise.all(nodes.map((n) => this.etcd.start(n)));
    this.killed.clear();
    return { started: nodes };
  }

  private async pause(test: TestContext, targets?: string[]): Promise<EdnValue> {
    const nodes = targets ?? this.pick(test, this.names.filter((n) => !this.killed.has(n) && !this.removed.has(n)));
    for (const n of nodes) this.paused.add(n);
    await Promise.all(nodes.map((n) => this.etcd.signal(n, 'STOP')));
    return { paused: nodes };
  }

  private async resume(): Promise<EdnValue> {
    const nodes = [...this.paused].sort();
    await Promise.all(nodes.map((n) => this.etcd.signal(n, 'CONT')));
    this.paused.clear();
    return { resumed: nodes };
  }

  private async leader(): Promise<string | undefined> {
    for (const n of shuffle(this.names, Math.random)) {
      if (this.killed.has(n) || this.paused.has(n) || this.removed.has(n)) continue;
      const c = new EtcdClient(this.etcd.clientEndpoint(n), { timeoutMs: 1000 });
      try {
        const st = await c.status();
        if (st.leader === '0') continue;
        const members = await c.memberList();
        const name = members.find((m) => m.id === st.leader)?.name;
        if (name) return name;
      } catch {
        // try another node
      } finally {
        c.close();
      }
    }
    return undefined;
  }

  private async grudgeFor(test: TestContext, fault: string, targets?: string[]): Promise<{ shape: string; grudge: Grudge }> {
    const nodes = this.names;
    if (targets) return { shape: 'given', grudge: groupsGrudge([targets, nodes.filter((n) => !targets.includes(n))]) };
    let shape = fault === 'partition' ? PARTITION_SHAPES[Math.floor(test.random() * PARTITION_SHAPES.length)]! : (fault.slice('partition-'.length) as PartitionShape);
    if (shape === 'isolate-leader') {
      const leader = await this.leader();
      if (leader) return { shape, grudge: groupsGrudge([[leader], nodes.filter((n) => n !== leader)]) };
      shape = 'isolate-one';
    }
    switch (shape) {
      case 'isolate-one':
        return { shape, grudge: isolateOne(nodes, test.random) };
      case 'random-halves':
        return { shape, grudge: randomHalves(nodes, test.random) };
      case 'majorities-ring':
        return { shape, grudge: majoritiesRing(nodes, test.random) };
      case 'bridge':
        return { shape, grudge: bridge(nodes, test.random) };
      default:
        throw new Error(`etcd nemesis: unknown partition shape ${shape}`);
    }
  }

  private async partition(test: TestContext, fault: string, targets?: string[]): Promise<EdnValue> {
    const { shape, grudge } = await this.grudgeFor(test, fault, targets);
    this.partitioned = true;
    await Promise.all(
      this.names.map((n) => {
        const drops = [...(grudge.get(n) ?? [])].map((p) => sh`iptables -A ${CHAIN} -s ${this.etcd.node(p).host} -j DROP`);
        return this.etcd.session(n).run([`iptables -F ${CHAIN}`, ...drops].join(' && '));
      }),
    );
    return { shape: kw(shape), sees: Object.fromEntries(describeGrudge(this.names, grudge).map((v) => [v[0]!, v.slice(1)])) as unknown as EdnValue };
  }

  private async heal(): Promise<EdnValue> {
    await Promise.all(this.names.map((n) => this.etcd.session(n).run(`iptables -F ${CHAIN} 2>/dev/null || true`)));
    this.partitioned = false;
    return kw('network-healed');
  }

  /** A live member to talk to about membership (not removed/killed/paused). */
  private async withLiveClient<T>(exclude: string, f: (c: EtcdClient) => Promise<T>): Promise<T> {
    let last: unknown;
    for (const n of this.names) {
      if (n === exclude || this.killed.has(n) || this.paused.has(n) || this.removed.has(n)) continue;
      const c = new EtcdClient(this.etcd.clientEndpoint(n), { timeoutMs: 5000 });
      try {
        return await f(c);
      } catch (e) {
        last = e;
      } finally {
        c.close();
      }
    }
    throw new Error(`no live member answered: ${(last as Error | undefined)?.message ?? 'none left'}`);
  }

  private async removeMember(test: TestContext, targets?: string[]): Promise<EdnValue> {
    const candidates = this.names.filter((n) => !this.removed.has(n));
    if (candidates.length < 3 && !targets) return { removed: [], reason: 'too few members to remove one safely' } as unknown as EdnValue;
    const node = targets?.[0] ?? shuffle(candidates, test.random)[0]!;
    const id = await this.withLiveClient(node, async (c) => (await c.memberList()).find((m) => m.name === node)?.id);
    if (!id) return { removed: [], reason: `${node} is not a member` } as unknown as EdnValue;
    // etcd refuses a reconfiguration until every member has been connected for ~5 s
    // ("unhealthy cluster"); right after a start or a heal, wait that out.
    await retryUnhealthy(() => this.withLiveClient(node, (c) => c.memberRemove(id)));
    this.removed.add(node);
    await this.etcd.teardownNode(node);
    this.killed.delete(node);
    this.paused.delete(node);
    return { removed: [node] };
  }

  private async addBack(): Promise<EdnValue> {
    const added: string[] = [];
    for (const node of [...this.removed].sort()) {
      await retryUnhealthy(() => this.withLiveClient(node, (c) => c.memberAdd(this.etcd.peerUrl(node))));
      const members = await this.withLiveClient(node, (c) => c.memberList());
      const names = members.map((m) => m.name || node);
      await this.etcd.wipe(node);
      await this.etcd.start(node, 'existing', this.etcd.initialCluster([...new Set([...names, node])]));
      this.removed.delete(node);
      added.push(node);
    }
    return { added };
  }

  /** Undoes every fault this nemesis made and waits for the remaining members to be healthy. */
  async healAll(_test: TestContext): Promise<void> {
    const errors: string[] = [];
    const attempt = async (f: () => Promise<unknown>): Promise<void> => {
      try {
        await f();
      } catch (e) {
        errors.push((e as Error).message);
      }
    };
    await attempt(() => this.heal());
    await attempt(() => this.resume());
    await attempt(() => this.restart());
    if (this.removed.size) await attempt(() => this.addBack());
    await attempt(() => this.etcd.awaitHealthy(this.names.filter((n) => !this.removed.has(n))));
    if (errors.length) throw new Error(`healing the cluster: ${errors.join('; ')}`);
  }

  /** Removes our iptables chain from every node (when a partition fault was in play). */
  async teardown(_test: TestContext): Promise<void> {
    if (this.faults.some((f) => f.startsWith('partition')))
      await Promise.all(
        this.names.map((n) =>
          this.etcd.session(n).run(`iptables -D INPUT -j ${CHAIN} 2>/dev/null; iptables -F ${CHAIN} 2>/dev/null; iptables -X ${CHAIN} 2>/dev/null; true`),
        ),
      );
  }

  /** True while some fault is in effect (for tests and logs). */
  get faulty(): boolean {
    return this.partitioned || this.killed.size > 0 || this.paused.size > 0 || this.removed.size > 0;
  }
}
