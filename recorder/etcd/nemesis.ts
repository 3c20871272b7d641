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
 * These are the mechanics (`FaultMechanics`); `EtcdNemesis` is the shared node-state nemesis
 * (recorder/nemesis/nemesis.ts) over them, so targets come from specs (`--nemesis-targets
 * kill=leader`), every op records what it struck and the state it left, and healing is derived
 * from the node-state map. A partition shape picks its own sides unless a spec or the op names
 * the nodes to cut off (then those are isolated from the rest).
 */
import { kw, type EdnValue } from '../../analyzer/edn/values.js';
import { sh } from '../control/quote.js';
import type { TestContext } from '../core/types.js';
import { type FaultMechanics, type Started, TableNemesis } from '../nemesis/nemesis.js';
import { controlFaultFs } from '../disk/faultfs.js';
import { CORRUPTIONS, type Corruption, corruptWal } from './corrupt.js';
import { type Groups, parseGroups } from '../nemesis/targets.js';
import { EtcdClient } from './client.js';
import type { EtcdCluster } from './cluster.js';
import { cutNodes, describeGrudge, groupsGrudge, PARTITION_SHAPES, shapeGrudge, shuffle, type Grudge, type PartitionShape } from '../nemesis/partitions.js';

/** Disk faults, through the fault-injecting filesystem under each node's data directory (recorder/disk/). */
export const DISK_FAULTS = ['disk-slow', 'disk-eio', 'disk-lose-unfsynced'] as const;

/** The faults `--nemesis` may name with `--db etcd`. */
export const ETCD_FAULTS = ['kill', 'pause', 'partition', ...PARTITION_SHAPES.map((s) => `partition-${s}`), 'member', ...CORRUPTIONS.map((c) => `corrupt-${c}`), ...DISK_FAULTS] as const;

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
 * What etcd does for each fault over an `EtcdCluster`. It keeps the few facts its own steps need
 * (which nodes are down, paused or removed, to find a live member to ask); where faults strike
 * and what is healed is the nemesis's business.
 */
class EtcdMechanics implements FaultMechanics {
  private readonly killed = new Set<string>();
  private readonly paused = new Set<string>();
  private readonly removed = new Set<string>();

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

  /** Partition shapes choose their own sides (unless a spec or the op names the nodes to cut off). */
  choosesTargets(fault: string): boolean {
    return fault === 'partition' || fault.startsWith('partition-');
  }

  async start(test: TestContext, fault: string, targets: readonly string[] | undefined): Promise<Started> {
    const given = targets === undefined ? undefined : [...targets];
    if (fault === 'kill') return { value: await this.kill(given ?? []) };
    if (fault === 'pause') return { value: await this.pause(given ?? []) };
    if (fault === 'partition' || fault.startsWith('partition-')) return this.partition(test, fault, given);
    if (fault === 'member') return this.removeMember(given ?? []);
    if ((DISK_FAULTS as readonly string[]).includes(fault)) return this.disk(fault, given ?? []);
    const damage = /^corrupt-(.+)$/.exec(fault)?.[1];
    if (damage !== undefined && (CORRUPTIONS as readonly string[]).includes(damage)) return this.corrupt(test, given ?? [], damage as Corruption);
    throw new Error(`etcd nemesis: unknown fault ${fault}`);
  }

  /** Stops each target, damages its newest WAL segment, starts it again, and says whether it stayed up. */
  private async corrupt(test: TestContext, nodes: readonly string[], how: Corruption): Promise<Started> {
    const out: EdnValue[] = [];
    for (const n of nodes) {
      await this.etcd.kill(n);
      const damage = await corruptWal(this.etcd, n, how, Math.floor(test.random() * 2 ** 31));
      await this.etcd.start(n);
      const after = await this.etcd.survived(n);
      if (!after.running) this.killed.add(n);
      out.push({ ...(damage as Record<string, EdnValue>), 'restarted?': after.running, ...(after.why === undefined ? {} : { 'refused-with': after.why }) } as unknown as EdnValue);
    }
    return { value: out };
  }

  /**
   * Disk faults on each target's faultfs: slow (50 ms a call), failing (EIO on every write and
   * fsync: etcd treats a failed WAL fsync as fatal), or a crash that loses every write not yet
   * fsynced (kill, undo the unsynced writes, start again), saying whether etcd is still up.
   */
  private async disk(fault: string, nodes: readonly string[]): Promise<Started> {
    const out: EdnValue[] = [];
    for (const n of nodes) {
      const s = this.etcd.session(n);
      const p = this.etcd.faultFsPaths(n);
      if (fault === 'disk-slow') await controlFaultFs(s, p, { delay_ms: 50 });
      else if (fault === 'disk-eio') await controlFaultFs(s, p, { eio: 1, ops: ['write', 'fsync'] });
      else {
        await this.etcd.kill(n);
        await controlFaultFs(s, p, { drop_unfsynced: true });
        await this.etcd.start(n);
      }
      const after = fault === 'disk-slow' ? { running: true } : await this.etcd.survived(n, 2000);
      if (!after.running) this.killed.add(n);
      out.push({ node: n, 'running?': after.running, ...(after.why === undefined ? {} : { 'died-with': after.why }) } as unknown as EdnValue);
    }
    return { value: out };
  }

  /** Heals each target's disk; etcd processes that died of it are started again. */
  private async healDisk(nodes: readonly string[]): Promise<EdnValue> {
    const restarted: string[] = [];
    for (const n of nodes) {
      await controlFaultFs(this.etcd.session(n), this.etcd.faultFsPaths(n), { reset: true });
      if (!(await this.etcd.isRunning(n))) {
        await this.etcd.start(n);
        restarted.push(n);
      }
      this.killed.delete(n);
    }
    return { healed: [...nodes], restarted };
  }

  /** A corrupt node is rebuilt: removed from the cluster, wiped, and added back as a fresh member. */
  private async rebuild(nodes: readonly string[]): Promise<EdnValue> {
    const rebuilt: string[] = [];
    for (const n of nodes) {
      const removed = await this.removeMember([n]);
      if ((removed.struck ?? []).length === 0) throw new Error(`cannot rebuild ${n}: ${JSON.stringify(removed.value)}`);
      await this.addBack([n]);
      this.killed.delete(n);
      rebuilt.push(n);
    }
    return { rebuilt };
  }

  async stop(_test: TestContext, kind: string, targets: readonly string[]): Promise<EdnValue> {
    if (kind === 'kill') return this.restart(targets);
    if (kind === 'pause') return this.resume(targets);
    if (kind === 'partition') return this.heal();
    if (kind === 'member') return this.addBack(targets);
    if (kind === 'corrupt') return this.rebuild(targets);
    if (kind === 'disk') return this.healDisk(targets);
    throw new Error(`etcd nemesis: unknown fault ${kind}`);
  }

  /** The leader, asked of a live member. */
  leader(): Promise<string | undefined> {
    return this.leaderName();
  }

  /** Waits until every member left answers. */
  async healed(_test: TestContext): Promise<void> {
    await this.etcd.awaitHealthy(this.names.filter((n) => !this.removed.has(n)));
  }

  private async kill(nodes: readonly string[]): Promise<EdnValue> {
    await Promise.all(nodes.map((n) => this.etcd.kill(n)));
    for (const n of nodes) {
      this.killed.add(n);
      this.paused.delete(n);
    }
    return { killed: [...nodes] };
  }

  private async restart(targets: readonly string[]): Promise<EdnValue> {
    const nodes = [...targets].sort();
    await Promise.all(nodes.map((n) => this.etcd.start(n)));
    for (const n of nodes) this.killed.delete(n);
    return { started: nodes };
  }

  private async pause(nodes: readonly string[]): Promise<EdnValue> {
    for (const n of nodes) this.paused.add(n);
    await Promise.all(nodes.map((n) => this.etcd.signal(n, 'STOP')));
    return { paused: [...nodes] };
  }

  private async resume(targets: readonly string[]): Promise<EdnValue> {
    const nodes = [...targets].sort();
    await Promise.all(nodes.map((n) => this.etcd.signal(n, 'CONT')));
    for (const n of nodes) this.paused.delete(n);
    return { resumed: nodes };
  }

  private async leaderName(): Promise<string | undefined> {
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
    const shape = fault === 'partition' ? PARTITION_SHAPES[Math.floor(test.random() * PARTITION_SHAPES.length)]! : (fault.slice('partition-'.length) as PartitionShape);
    if (!(PARTITION_SHAPES as readonly string[]).includes(shape)) throw new Error(`etcd nemesis: unknown partition shape ${shape}`);
    return shapeGrudge(shape, nodes, test.random, shape === 'isolate-leader' ? await this.leaderName() : undefined);
  }

  private async partition(test: TestContext, fault: string, targets?: string[]): Promise<Started> {
    const { shape, grudge } = await this.grudgeFor(test, fault, targets);
    await Promise.all(
      this.names.map((n) => {
        const drops = [...(grudge.get(n) ?? [])].map((p) => sh`iptables -A ${CHAIN} -s ${this.etcd.node(p).host} -j DROP`);
        return this.etcd.session(n).run([`iptables -F ${CHAIN}`, ...drops].join(' && '));
      }),
    );
    const value = { shape: kw(shape), sees: Object.fromEntries(describeGrudge(this.names, grudge).map((v) => [v[0]!, v.slice(1)])) as unknown as EdnValue };
    // Struck: every node cut off from someone (in a ring or a bridge, all of them).
    return { value, struck: cutNodes(this.names, grudge) };
  }

  private async heal(): Promise<EdnValue> {
    await Promise.all(this.names.map((n) => this.etcd.session(n).run(`iptables -F ${CHAIN} 2>/dev/null || true`)));
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

  /** Removes the first target from the cluster (the nemesis picks it), unless too few members would be left. */
  private async removeMember(targets: readonly string[]): Promise<Started> {
    const candidates = this.names.filter((n) => !this.removed.has(n));
    const node = targets[0];
    if (candidates.length < 3 || node === undefined) return { value: { removed: [], reason: 'too few members to remove one safely' } as unknown as EdnValue, struck: [] };
    const id = await this.withLiveClient(node, async (c) => (await c.memberList()).find((m) => m.name === node)?.id);
    if (!id) return { value: { removed: [], reason: `${node} is not a member` } as unknown as EdnValue, struck: [] };
    // etcd refuses a reconfiguration until every member has been connected for ~5 s
    // ("unhealthy cluster"); right after a start or a heal, wait that out.
    await retryUnhealthy(() => this.withLiveClient(node, (c) => c.memberRemove(id)));
    this.removed.add(node);
    await this.etcd.kill(node);
    await this.etcd.wipe(node);
    this.killed.delete(node);
    this.paused.delete(node);
    return { value: { removed: [node] }, struck: [node] };
  }

  private async addBack(targets: readonly string[]): Promise<EdnValue> {
    const added: string[] = [];
    for (const node of [...targets].sort()) {
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

  /** Removes our iptables chain from every node (when a partition fault was in play). */
  async teardown(_test: TestContext): Promise<void> {
    if (this.faults.some((f) => f.startsWith('partition')))
      await Promise.all(
        this.names.map((n) =>
          this.etcd.session(n).run(`iptables -D INPUT -j ${CHAIN} 2>/dev/null; iptables -F ${CHAIN} 2>/dev/null; iptables -X ${CHAIN} 2>/dev/null; true`),
        ),
      );
  }
}

/**
 * etcd's nemesis: the shared node-state nemesis over etcd's mechanics, for the `faults` of a
 * test, with its target specs and server groups (`--nemesis-targets`, `--groups`).
 */
export class EtcdNemesis extends TableNemesis {
  constructor(etcd: EtcdCluster, faults: readonly string[], o: { targets?: Readonly<Record<string, string>>; groups?: Groups } = {}) {
    // As Jepsen's etcd test: kills and pauses strike random subsets (one, a minority, a majority or all).
    const targets = { kill: 'some', pause: 'some', ...o.targets };
    super(new EtcdMechanics(etcd, faults), { nodes: etcd.names, faults, targets, groups: o.groups ?? parseGroups(undefined, etcd.names) });
  }
}
