/**
 * The embedded database: a replicated key-value store of N simulated nodes in one process.
 *
 * It is Raft reduced to its visible behaviour. One node leads. A client's op goes to its node,
 * which forwards it to the leader as a *proposal*; every few milliseconds (a tick) the leader
 * commits its queued proposals if it can reach a majority, evaluating each against its state in
 * order and appending the resulting writes to the committed log. Followers apply the log after a
 * replication delay, only while they can hear the leader. When the leader is dead, paused or cut
 * off from a majority for an election timeout, the majority side elects a new leader, and the
 * old leader's uncommitted proposals are lost (their clients see a timeout: `info`).
 *
 * Correct by default: every op, reads included, is a proposal, so the history is linearizable
 * (strict serializable for transactions). The injectable bugs break exactly one rule each; see
 * `BUGS` and `ops.ts`.
 */
import type { EdnValue } from '../../analyzer/edn/values.js';
import type { Random } from '../generator/core.js';
import { NodeClocks } from './clocks.js';
import { type DiskMode, JournalDisks } from './disks.js';

/** Injectable bugs and what each breaks. */
export const BUGS: Readonly<Record<string, string>> = {
  'stale-read': 'reads are served by the client’s own node, which may lag behind the leader',
  'lost-write': 'some writes are acknowledged and then dropped',
  'non-atomic-txn': 'a transaction is applied as two halves that others can see between',
  'lost-update': 'a transaction reads a snapshot and writes later, without isolation',
  'read-committed': 'each read in a transaction sees the latest commit; writes apply at the end',
  'clock-lease': 'a node serves reads from its own state while its leader lease is valid by its own clock, and followers judge the leader by comparing clocks',
};

/** A key's value changes made by one committed entry. */
export type Writes = ReadonlyArray<readonly [string, EdnValue]>;

/** What a proposal does when committed: read the leader's state, return a result and writes. */
export type Evaluate = (get: (key: string) => EdnValue | undefined) => { result: EdnValue; writes: Writes };

interface Proposal {
  evaluate: Evaluate;
  resolve: (r: ProposalResult) => void;
}

/** A committed proposal's result, or why there is none (`definite`: it certainly did not apply). */
export type ProposalResult = { ok: true; result: EdnValue } | { ok: false; definite: boolean; error: string };

interface Node {
  readonly name: string;
  kv: Map<string, EdnValue>;
  /** How many log entries this node has applied. */
  applied: number;
  killed: boolean;
  paused: boolean;
  /** Resolvers of requests waiting for this node to resume. */
  waiting: Array<() => void>;
}

/** The simulated cluster's nodes, bugs, randomness and timing. */
export interface ClusterOptions {
  nodes: readonly string[];
  bugs: readonly string[];
  random: Random;
  /** Wall-clock ms between ticks with the real clock (default 2). */
  tickMs?: number;
  /**
   * `manual`: no timer runs and time moves only through `advance`, so a test decides exactly when
   * elections and replication happen, however slow the machine (default `real`).
   */
  clock?: 'real' | 'manual';
  /** Followers apply an entry this long after it commits. */
  replicationDelayMs?: number;
  electionTimeoutMs?: number;
  /** Fraction of writes `lost-write` drops. */
  lostWriteRate?: number;
}

/**
 * The simulated cluster (see the module doc). Node arguments are indices into `nodes`; `stop`
 * ends its clock and fails what is still pending.
 */
export class MemoryCluster {
  /** The nodes, in `ClusterOptions.nodes` order. */
  readonly nodes: Node[];
  /** The injected bugs (see `BUGS`). */
  readonly bugs: ReadonlySet<string>;
  /** The seeded random source (bugs' choices, elections). */
  readonly random: Random;
  private log: Array<{ writes: Writes; at: number }> = [];
  private leader = 0;
  private pending: Proposal[] = [];
  private leaderLostAt: number | undefined;
  /** Partition: node index → group id; undefined: fully connected. */
  private groups: number[] | undefined;
  /** Links cut by a shaped partition (`a*n+b`, both directions), beside the groups. */
  private cut = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  /** Milliseconds since start with the manual clock; undefined with the real one. */
  private manualNow: number | undefined;
  private readonly replicationDelayMs: number;
  private readonly electionTimeoutMs: number;
  /** Fraction of writes `lost-write` drops. */
  readonly lostWriteRate: number;
  /** Proposals committed so far. */
  commits = 0;
  /** Each node's clock (clock faults skew them). */
  private readonly clocks: NodeClocks;
  /** `clock-lease`: the true time until which each node's leader lease runs (granted by the majority). */
  private readonly leaseUntil: number[];
  private readonly leaseMs: number;
  /** Each node's journal disk (disk faults). */
  private readonly disks: JournalDisks;

  constructor(o: ClusterOptions) {
    this.nodes = o.nodes.map((name) => ({ name, kv: new Map(), applied: 0, killed: false, paused: false, waiting: [] }));
    this.bugs = new Set(o.bugs);
    this.random = o.random;
    this.replicationDelayMs = o.replicationDelayMs ?? 30;
    this.electionTimeoutMs = o.electionTimeoutMs ?? 100;
    this.lostWriteRate = o.lostWriteRate ?? 0.2;
    this.clocks = new NodeClocks(this.nodes.length);
    this.leaseUntil = this.nodes.map(() => -Infinity);
    this.disks = new JournalDisks(this.nodes.length);
    // Shorter than an election timeout: without clock trouble no new leader can commit while an
    // old lease runs, so serving reads under the lease is safe.
    this.leaseMs = Math.floor(this.electionTimeoutMs * 0.8);
    if (o.clock === 'manual') this.manualNow = 0;
    else this.timer = setInterval(() => this.tick(), o.tickMs ?? 2);
  }

  /** With the manual clock: moves time on by `ms`, ticking every 2 ms as the real clock does. */
  advance(ms: number): void {
    if (this.manualNow === undefined) throw new Error('advance needs a cluster made with clock: manual');
    for (let left = ms; left > 0; left -= 2) {
      this.manualNow += Math.min(2, left);
      this.tick();
    }
  }

  /** Stops the clock, fails pending proposals as indeterminate, and releases paused requests. */
  stop(): void {
    clearInterval(this.timer);
    for (const p of this.pending) p.resolve({ ok: false, definite: false, error: 'shutdown' });
    this.pending = [];
    for (const n of this.nodes) this.resumeNode(n);
  }

  /** The index of node `name`; throws for an unknown name. */
  nodeIndex(name: string): number {
    const i = this.nodes.findIndex((n) => n.name === name);
    if (i < 0) throw new Error(`no node ${name}; nodes are ${this.nodes.map((n) => n.name).join(', ')}`);
    return i;
  }

  /** The current leader's name. */
  leaderName(): string {
    return this.nodes[this.leader].name;
  }

  private connected(a: number, b: number): boolean {
    if (this.cut.has(a * this.nodes.length + b)) return false;
    return this.groups === undefined || this.groups[a] === this.groups[b];
  }

  private healthy(i: number): boolean {
    return !this.nodes[i].killed && !this.nodes[i].paused;
  }

  /** Whether node i, if leading, could reach a majority (itself included). */
  private hasQuorum(i: number): boolean {
    if (!this.healthy(i)) return false;
    let n = 0;
    for (let j = 0; j < this.nodes.length; j++) if (this.healthy(j) && this.connected(i, j)) n++;
    return n * 2 > this.nodes.length;
  }

  /** Waits while the node is paused (a paused process answers nothing). */
  async whenRunning(i: number): Promise<void> {
    while (this.nodes[i].paused) await new Promise<void>((res) => this.nodes[i].waiting.push(res));
  }

  /**
   * Sends a proposal from node `from` to the leader. Rejected at once (definitely not applied)
   * when `from` is down or cannot reach the leader; otherwise waits for the commit, which never
   * comes if the leader loses its majority (the caller's timeout makes that `info`).
   */
  async propose(from: number, evaluate: Evaluate): Promise<ProposalResult> {
    await this.whenRunning(from);
    if (this.nodes[from].killed) return { ok: false, definite: true, error: 'node-down' };
    if (!this.connected(from, this.leader) || this.nodes[this.leader].killed) return { ok: false, definite: true, error: 'no-leader' };
    return new Promise((resolve) => this.pending.push({ evaluate, resolve }));
  }

  /** Reads a key from node `from`'s own replica (no proposal): what `stale-read` does. */
  async localRead(from: number, key: string): Promise<ProposalResult> {
    await this.whenRunning(from);
    const n = this.nodes[from];
    if (n.killed) return { ok: false, definite: true, error: 'node-down' };
    return { ok: true, result: n.kv.get(key) ?? null };
  }

  /** Now, on the cluster's clock (manual or real). */
  private now(): number {
    return this.manualNow ?? Date.now();
  }

  private tick(): void {
    const now = this.now();
    this.clocks.tick(now);
    this.elect(now);
    const l = this.leader;
    if (this.hasQuorum(l)) this.leaseUntil[l] = now + this.leaseMs;
    if (this.hasQuorum(l) && this.pending.length > 0 && this.journalWrite(l, now)) {
      const leader = this.nodes[l];
      this.catchUp(leader, this.log.length);
      const batch = this.pending;
      this.pending = [];
      for (const p of batch) {
        let out: { result: EdnValue; writes: Writes };
        try {
          out = p.evaluate((k) => leader.kv.get(k));
        } catch (e) {
          p.resolve({ ok: false, definite: true, error: e instanceof Error ? e.message : String(e) });
          continue;
        }
        if (out.writes.length > 0) {
          this.log.push({ writes: out.writes, at: now });
          for (const [k, v] of out.writes) leader.kv.set(k, v);
          leader.applied = this.log.length;
        }
        this.commits++;
        p.resolve({ ok: true, result: out.result });
      }
    }
    // Followers that hear the leader apply what committed at least a replication delay ago.
    for (let i = 0; i < this.nodes.length; i++) {
      if (i === l || !this.healthy(i) || !this.connected(i, l) || !this.healthy(l)) continue;
      // clock-lease: a node whose lease is valid by its own clock believes it leads, and follows no one.
      if (this.holdsLease(i, now)) continue;
      const n = this.nodes[i];
      let upTo = n.applied;
      const delay = this.replicationDelayMs + this.disks.applyDelay(i);
      while (upTo < this.log.length && now - this.log[upTo].at >= delay) upTo++;
      if (upTo > n.applied && !this.journalWrite(i, now)) continue;
      this.catchUp(n, upTo);
    }
  }

  /** Node i is about to write its journal: false when its disk makes it wait, or kills it (see disks.ts). */
  private journalWrite(i: number, now: number): boolean {
    const w = this.disks.write(i, now);
    if (w === 'die') this.kill(i);
    return w === 'write';
  }

  /** Sets node i's journal disk (disks.ts); a node its failing disk killed restarts when the disk heals. */
  setDisk(i: number, mode: DiskMode): void {
    if (this.disks.set(i, mode)) this.restart(i);
  }

  private catchUp(n: Node, upTo: number): void {
    for (; n.applied < upTo; n.applied++) for (const [k, v] of this.log[n.applied].writes) n.kv.set(k, v);
  }

  /** `clock-lease`: does node i believe, by its own clock, that its lease still runs? */
  private holdsLease(i: number, now: number): boolean {
    return this.bugs.has('clock-lease') && now + this.clocks.skew(i) < this.leaseUntil[i];
  }

  /** Node i's clock now (true time plus its skew). */
  clockOf(i: number): number {
    return this.now() + this.clocks.skew(i);
  }

  /**
   * `clock-lease`: reads at a node holding a lease (by its own clock) are served from its own
   * state; undefined: the read goes through the leader as usual.
   */
  leaseRead(from: number, key: string): ProposalResult | undefined {
    const n = this.nodes[from];
    if (n.killed || n.paused || !this.holdsLease(from, this.now())) return undefined;
    return { ok: true, result: n.kv.get(key) ?? null };
  }

  /**
   * `clock-lease`'s election: followers judge the leader's heartbeats by their own clocks, so a
   * node whose clock runs more than an election timeout ahead of the leader's takes over (the
   * one furthest ahead), however healthy the leader.
   */
  private clockElection(): number | undefined {
    if (!this.bugs.has('clock-lease')) return undefined;
    let best: number | undefined;
    for (let j = 0; j < this.nodes.length; j++) {
      if (j === this.leader || !this.hasQuorum(j) || this.clocks.skew(j) - this.clocks.skew(this.leader) <= this.electionTimeoutMs) continue;
      if (best === undefined || this.clocks.skew(j) > this.clocks.skew(best)) best = j;
    }
    return best;
  }

  private switchLeader(next: number): void {
    // The old leader's uncommitted proposals die with its term; clients cannot know: info.
    for (const p of this.pending) p.resolve({ ok: false, definite: false, error: 'leader-changed' });
    this.pending = [];
    this.leader = next;
    this.catchUp(this.nodes[next], this.log.length);
    this.leaderLostAt = undefined;
  }

  /** A leader that cannot commit for an election timeout is replaced by a node of a majority. */
  private elect(now: number): void {
    const byClock = this.clockElection();
    if (byClock !== undefined) return this.switchLeader(byClock);
    if (this.hasQuorum(this.leader)) {
      this.leaderLostAt = undefined;
      return;
    }
    this.leaderLostAt ??= now;
    if (now - this.leaderLostAt < this.electionTimeoutMs) return;
    const candidates = this.nodes.map((_, i) => i).filter((i) => this.hasQuorum(i));
    if (candidates.length === 0) return;
    this.switchLeader(candidates[Math.floor(this.random() * candidates.length)]);
  }

  // --- faults -------------------------------------------------------------------------------

  /** Crashes a node: it loses its in-memory state (and, if leading, its queued proposals). */
  kill(i: number): void {
    const n = this.nodes[i];
    n.killed = true;
    n.kv = new Map();
    n.applied = 0;
    this.leaseUntil[i] = -Infinity;
    if (i === this.leader) {
      for (const p of this.pending) p.resolve({ ok: false, definite: false, error: 'leader-crashed' });
      this.pending = [];
    }
  }

  /** Restarts a killed node; it replays the committed log from its peers as it catches up. */
  restart(i: number): void {
    this.nodes[i].killed = false;
  }

  /** Freezes node `i`: its requests wait until `resume`. */
  pause(i: number): void {
    this.nodes[i].paused = true;
  }

  /** Unfreezes node `i` and lets its waiting requests go on. */
  resume(i: number): void {
    this.resumeNode(this.nodes[i]);
  }

  private resumeNode(n: Node): void {
    n.paused = false;
    const w = n.waiting;
    n.waiting = [];
    for (const r of w) r();
  }

  /** Splits the nodes into groups (by index); messages cross no group boundary. */
  partition(groups: number[][]): void {
    this.cut.clear();
    const g = new Array<number>(this.nodes.length).fill(0);
    groups.forEach((members, gi) => members.forEach((i) => (g[i] = gi)));
    this.groups = g;
  }

  /** Sets node i's clock `ms` ahead of true time (behind when negative), held until reset. */
  bumpClock(i: number, ms: number): void {
    this.clocks.bump(i, ms);
  }

  /** Flips node i's clock between `ms` ahead and `ms` behind every `periodMs`, until reset. */
  strobeClock(i: number, ms: number, periodMs: number): void {
    this.clocks.strobe(i, ms, periodMs, this.now());
  }

  /** Puts node i's clock right again. */
  resetClock(i: number): void {
    this.clocks.reset(i);
  }

  /**
   * Cuts the links of a shaped partition: node i no longer reaches the nodes `drops[i]` names
   * (by index), nor they it; not transitive (a bridge node still sees both sides).
   */
  cutLinks(drops: ReadonlyMap<number, readonly number[]>): void {
    const n = this.nodes.length;
    for (const [a, bs] of drops) for (const b of bs) {
      this.cut.add(a * n + b);
      this.cut.add(b * n + a);
    }
  }

  /** Undoes every fault: reconnects all nodes, restarts killed ones, resumes paused ones, sets clocks right. */
  heal(): void {
    this.groups = undefined;
    this.cut.clear();
    for (let i = 0; i < this.nodes.length; i++) {
      this.restart(i);
      this.resume(i);
      this.resetClock(i);
      this.setDisk(i, 'ok');
    }
  }

  /** The current leader's index. */
  get leaderIndex(): number {
    return this.leader;
  }
}
