/**
 * One table of faults for every backend, in the manner of Jepsen's `nemesis.combined`: each
 * fault says which node states it may strike, what state it leaves its targets in, what its
 * stop undoes, and its default targets. A backend says which faults it has and supplies their
 * mechanics (`FaultMechanics`); the nemesis (nemesis.ts) keeps the node-state map, picks
 * targets, and derives "heal all" from the map. Adding a fault is one entry here and its
 * mechanics in each backend that can do it.
 */

/** What a node is doing, as the nemesis knows it. */
export interface NodeState {
  /** The database process: running, killed (SIGKILL, down) or paused (SIGSTOP). */
  readonly process: 'running' | 'killed' | 'paused';
  /** A member of the cluster (false after a membership fault removed it). */
  readonly member: boolean;
  /** Cut off from some of the others by a partition. */
  readonly partitioned: boolean;
  /** Its clock is bumped or strobing (a clock fault). */
  readonly skewed: boolean;
  /** Its files were damaged (a corruption fault): whatever it does now, it is rebuilt at heal. */
  readonly corrupt: boolean;
  /** Its disk is slow, failing, or lost its unsynced writes (a disk fault). */
  readonly disk: boolean;
}

/** A node nothing has happened to. */
export const UP: NodeState = { process: 'running', member: true, partitioned: false, skewed: false, corrupt: false, disk: false };

/** Healthy: running, a member, no fault on it (what `random-healthy:K` chooses among). */
export const isHealthy = (s: NodeState): boolean => s.process === 'running' && s.member && !s.partitioned && !s.skewed && !s.corrupt && !s.disk;

/** One fault of the vocabulary. */
export interface FaultKind {
  /** The `--nemesis` name (`partition-<shape>` are partitions too: see `faultNamed`). */
  readonly name: string;
  /** One line for `record --help` and docs/recorder.md. */
  readonly summary: string;
  /** The target spec used when `--nemesis-targets` names none for it. */
  readonly defaultTarget: string;
  /** May the fault strike a node in this state? (Pausing a killed node means nothing.) */
  readonly eligible: (s: NodeState) => boolean;
  /** The state a target is left in by the fault's start. */
  readonly started: (s: NodeState) => NodeState;
  /** Is the fault still in force on a node in this state (what its stop, and heal-all, undo)? */
  readonly active: (s: NodeState) => boolean;
  /** The state its stop leaves a node in which it was active. */
  readonly stopped: (s: NodeState) => NodeState;
}

const running = (s: NodeState): boolean => s.process === 'running' && s.member;

/** The faults, in the order heal-all undoes them (processes back first, then the network, clocks, then membership). */
export const FAULT_KINDS: readonly FaultKind[] = [
  {
    name: 'kill',
    summary: 'SIGKILL the database on the targets; stop restarts them',
    defaultTarget: 'one',
    eligible: running,
    started: (s) => ({ ...s, process: 'killed' }),
    active: (s) => s.process === 'killed' && s.member,
    stopped: (s) => ({ ...s, process: 'running' }),
  },
  {
    name: 'pause',
    summary: 'SIGSTOP the database on the targets (a long GC pause); stop resumes them',
    defaultTarget: 'one',
    eligible: running,
    started: (s) => ({ ...s, process: 'paused' }),
    active: (s) => s.process === 'paused',
    stopped: (s) => ({ ...s, process: 'running' }),
  },
  {
    name: 'partition',
    summary: 'cut the targets off from the other nodes, or Jepsen\'s shapes (partition-isolate-one, -random-halves, -majorities-ring, -bridge, -isolate-leader), which choose their own sides; stop heals the network',
    defaultTarget: 'minority',
    eligible: (s) => s.member && !s.partitioned,
    started: (s) => ({ ...s, partitioned: true }),
    active: (s) => s.partitioned,
    stopped: (s) => ({ ...s, partitioned: false }),
  },
  {
    name: 'clock',
    summary: "skew the targets' clocks: a bump of ±seconds held until stop, or a strobe flipping by ±ms every few ms; stop sets them right",
    defaultTarget: 'leader',
    eligible: (s) => s.member && s.process !== 'killed' && !s.skewed,
    started: (s) => ({ ...s, skewed: true }),
    active: (s) => s.skewed,
    stopped: (s) => ({ ...s, skewed: false }),
  },
  {
    name: 'disk',
    summary: "the targets' disk (etcd: a fault-injecting filesystem under the data directory; the embedded database: its simulated journal): disk-slow (50 ms a call), disk-eio (writes and fsyncs fail: the database dies), disk-lose-unfsynced (a crash losing every write not fsynced, then a restart); stop heals the disk and restarts what died",
    defaultTarget: 'one',
    eligible: (s) => running(s) && !s.disk && !s.corrupt,
    started: (s) => ({ ...s, disk: true }),
    active: (s) => s.disk,
    stopped: (s) => ({ ...s, disk: false, process: 'running' }),
  },
  {
    name: 'corrupt',
    summary: "stop the targets, damage their files (corrupt-bitflip: flipped bits in the newest WAL records; corrupt-truncate: a torn tail), start them again; stop rebuilds them as fresh members",
    defaultTarget: 'one',
    eligible: (s) => running(s) && !s.corrupt && !s.partitioned,
    started: (s) => ({ ...s, corrupt: true }),
    active: (s) => s.corrupt,
    stopped: (s) => ({ ...s, corrupt: false, process: 'running' }),
  },
  {
    name: 'member',
    summary: 'remove the targets from the cluster (and wipe them); stop adds them back as fresh members',
    defaultTarget: 'one',
    eligible: running,
    started: (s) => ({ ...s, member: false, process: 'killed' }),
    active: (s) => !s.member,
    stopped: (s) => ({ ...s, member: true, process: 'running' }),
  },
];

/** The fault a `--nemesis` name means: `partition-ring` is a partition of that shape, `corrupt-bitflip` a corruption of that kind. */
export function faultNamed(name: string): FaultKind | undefined {
  const family = /^(partition|corrupt|disk)-/.exec(name)?.[1];
  return FAULT_KINDS.find((f) => f.name === name) ?? (family === undefined ? undefined : FAULT_KINDS.find((f) => f.name === family));
}
