/**
 * What a run is doing right now, for a live status line: the phase, elapsed time against the
 * time limit, ops counted by type, and the faults in effect; and, at the end, how long each
 * phase took.
 *
 * The tracker sees every journaled op (`record`), so counting a client op is a type switch and an
 * increment; only the rare nemesis ops do more (describing a fault). Statuses go to the hook at
 * most every `intervalMs` while only counts change (a timer, so a slow phase still shows its
 * clock), and at once when the phase or the active faults change, so none of those is missed.
 */
import { EdnMap, type EdnValue, Keyword, isRecord, mapEntries } from '../../analyzer/edn/values.js';
import type { Op } from '../../analyzer/history/op.js';
import type { GenResult, Generator } from '../generator/core.js';

/** A run's phases, in the order it goes through them (healing and final reads may be skipped). */
export const RUN_PHASES = ['setting up', 'running', 'healing', 'final reads', 'tearing down', 'checking'] as const;
/** One of `RUN_PHASES`. */
export type RunPhase = (typeof RUN_PHASES)[number];

/** A snapshot of the run, as the status line shows it. */
export interface RunStatus {
  readonly phase: RunPhase;
  /** Seconds since the run began (setup included). */
  readonly elapsed: number;
  /** Seconds of the workload phase so far: 0 before it starts; it stops growing when it ends. */
  readonly workload: number;
  /** The run's `--time-limit`, seconds. */
  readonly timeLimit: number;
  /** Client invocations so far, and client completions by type (nemesis ops are not counted). */
  readonly invocations: number;
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
  /** The faults in effect now, described (`partition n1 n2 n3 | n4 n5`, `kill n3`), from a fault's start op until its stop op completes. */
  readonly faults: readonly string[];
  /** What the phase is doing, when it says (while checking: `linearizable: keys decided 40/100`). */
  readonly detail?: string;
}

/** Who hears the run's statuses, and how often. */
export interface StatusOptions {
  /** Called with each status; must be cheap (it runs on the run's event loop). */
  onStatus?: (status: RunStatus) => void;
  /** Least milliseconds between statuses that only update counts or the clock (default 100). */
  intervalMs?: number;
}

/** Wall seconds of each phase the run went through, in order; `total` is start to verdict. */
export interface RunTimings {
  readonly phases: ReadonlyArray<{ readonly phase: RunPhase; readonly seconds: number }>;
  readonly total: number;
}

const MAX_FAULT_TEXT = 48;

function nodeNames(v: EdnValue): string[] | undefined {
  return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

/**
 * A fault and, when its start op's completion says, where it struck: the partition shape or
 * groups, the nodes killed or paused. Values the nemesis does not describe give just the name.
 */
export function describeFault(fault: string, value: EdnValue): string {
  let where: string | undefined;
  if (value instanceof EdnMap || isRecord(value)) {
    // The node-state nemesis's value ({:fault :targets :result :states}): a partition's result is
    // its groups, which say more than its targets.
    const result = [...mapEntries(value)].find(([k]) => (k instanceof Keyword ? k.name : String(k)) === 'result')?.[1];
    if (Array.isArray(result) && result.length > 1 && result.every((g) => nodeNames(g) !== undefined)) return describeFault(fault, result);
    for (const [k, v] of mapEntries(value)) {
      const key = k instanceof Keyword ? k.name : String(k);
      if (key === 'shape' && v instanceof Keyword) where = v.name;
      else where ??= nodeNames(v)?.join(' ');
      if (key === 'shape') break;
    }
  } else if (Array.isArray(value)) {
    const groups = value.map(nodeNames);
    where = nodeNames(value)?.join(' ') ?? (groups.length > 0 && groups.every((g) => g !== undefined) ? groups.map((g) => g!.join(' ')).join(' | ') : undefined);
  }
  const text = where === undefined ? fault : `${fault} ${where}`;
  return text.length > MAX_FAULT_TEXT ? text.slice(0, MAX_FAULT_TEXT - 1) + '…' : text;
}

/** The name of an op's `:f` (a keyword in journaled ops). */
function fName(f: EdnValue | undefined): string {
  return f instanceof Keyword ? f.name : String(f);
}

/**
 * Follows one run: its phase, op counts and active faults, emitting `RunStatus`es to
 * `StatusOptions.onStatus`; `finish` stops its timer and returns the phases' timings.
 */
export class RunTracker {
  /** Client invocations so far. */
  invocations = 0;
  /** Client completions by type so far. */
  ok = 0;
  fail = 0;
  info = 0;
  private current: RunPhase = 'setting up';
  private readonly began: number;
  private readonly starts: Array<{ phase: RunPhase; at: number }>;
  private workloadStart: number | undefined;
  private workloadEnd: number | undefined;
  private workloadInvocations: number | undefined;
  /** Fault name → its description; insertion order is the order faults started. */
  private readonly faults = new Map<string, string>();
  /** The nemesis thread runs one op at a time, so its journaled ops alternate invocation, completion. */
  private nemesisOpen = false;
  private detail: string | undefined;
  private lastEmit = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private readonly onStatus: ((s: RunStatus) => void) | undefined;
  private readonly intervalMs: number;

  constructor(
    private readonly timeLimit: number,
    o: StatusOptions = {},
    private readonly now: () => number = () => performance.now(),
  ) {
    this.began = now();
    this.starts = [{ phase: 'setting up', at: this.began }];
    this.onStatus = o.onStatus;
    this.intervalMs = o.intervalMs ?? 100;
    if (this.onStatus !== undefined) {
      this.timer = setInterval(() => this.emit(false), this.intervalMs);
      this.timer.unref();
    }
    this.emit(true);
  }

  /** True when someone hears the statuses. */
  get watched(): boolean {
    return this.onStatus !== undefined;
  }

  /** The phase the run is in. */
  get phase(): RunPhase {
    return this.current;
  }

  /** Counts one journaled op (the hot path: O(1) for client ops). */
  record(op: Omit<Op, 'index'>): void {
    if (typeof op.process === 'number') {
      switch (op.type) {
        case 'invoke':
          this.invocations++;
          return;
        case 'ok':
          this.ok++;
          return;
        case 'fail':
          this.fail++;
          return;
        default:
          this.info++;
          return;
      }
    }
    this.nemesisOp(fName(op.f), op.value, op.error);
  }

  private nemesisOp(f: string, value: EdnValue, error: EdnValue | undefined): void {
    const completing = this.nemesisOpen;
    this.nemesisOpen = !completing;
    const m = /^(start|stop)-(.+)$/.exec(f);
    if (!completing) {
      // Counted from the moment it is asked for: a half-made partition is already in effect.
      if (m?.[1] === 'start' && !this.faults.has(m[2]!)) this.faults.set(m[2]!, m[2]!);
    } else if (f === 'heal') this.faults.clear();
    else if (m !== null) {
      if (m[1] === 'stop' || error !== undefined) this.faults.delete(m[2]!);
      else this.faults.set(m[2]!, describeFault(m[2]!, value));
    }
    this.emit(true);
  }

  /** Every fault was healed outside the generator (an interrupted run). */
  healed(): void {
    this.faults.clear();
    this.emit(true);
  }

  /** Moves to a later phase (a phase already passed is ignored: phases only go forward). */
  setPhase(p: RunPhase): void {
    if (RUN_PHASES.indexOf(p) <= RUN_PHASES.indexOf(this.current)) return;
    const at = this.now();
    if (this.current === 'running') {
      this.workloadEnd = at;
      this.workloadInvocations = this.invocations;
    }
    if (p === 'running') this.workloadStart = at;
    this.current = p;
    this.starts.push({ phase: p, at });
    this.detail = undefined;
    this.emit(true);
  }

  /** What the current phase is doing (throttled like counts). */
  setDetail(d: string): void {
    this.detail = d;
    this.emit(false);
  }

  /** Seconds of the workload phase (until the run moved past it, or now). */
  workloadSeconds(at = this.now()): number {
    if (this.workloadStart === undefined) return 0;
    return ((this.workloadEnd ?? at) - this.workloadStart) / 1000;
  }

  /** Client invocations made during the workload phase. */
  get invokedInWorkload(): number {
    return this.workloadInvocations ?? this.invocations;
  }

  /** The run's status now. */
  snapshot(): RunStatus {
    const at = this.now();
    return {
      phase: this.current,
      elapsed: (at - this.began) / 1000,
      workload: this.workloadSeconds(at),
      timeLimit: this.timeLimit,
      invocations: this.invocations,
      ok: this.ok,
      fail: this.fail,
      info: this.info,
      faults: [...this.faults.values()],
      ...(this.detail === undefined ? {} : { detail: this.detail }),
    };
  }

  private emit(force: boolean): void {
    if (this.onStatus === undefined) return;
    const at = this.now();
    if (!force && at - this.lastEmit < this.intervalMs) return;
    this.lastEmit = at;
    try {
      this.onStatus(this.snapshot());
    } catch {
      // A status display must never break the run it displays.
    }
  }

  /** Stops the timer and returns how long each phase took. */
  finish(): RunTimings {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    const end = this.now();
    const phases = this.starts.map((s, i) => ({ phase: s.phase, seconds: ((this.starts[i + 1]?.at ?? end) - s.at) / 1000 }));
    return { phases, total: (end - this.began) / 1000 };
  }

  /**
   * A generator that yields no op but moves the run to `p` when reached. Under `phases` it is
   * reached once every thread is idle, i.e. exactly when the previous phase has drained; it may
   * be asked more than once, which `setPhase` ignores.
   */
  mark(p: RunPhase): Generator {
    const mark: Generator = {
      op: (): GenResult => {
        this.setPhase(p);
        return null;
      },
      update: () => mark,
    };
    return mark;
  }
}
