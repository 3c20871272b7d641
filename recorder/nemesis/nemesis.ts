/**
 * The nemesis that does the bookkeeping for a backend: it keeps a state map of every node
 * (faults.ts `NodeState`), picks each fault's targets from its spec (targets.ts) among the nodes
 * the fault may strike, asks the backend's mechanics to act, and records in the op's value what
 * was struck and the state each target is left in, so reports can draw it. "Heal all" is derived
 * from the map: every fault still in force on some node is stopped there, in the table's order,
 * until every node is up, a member and connected.
 *
 * A start whose spec finds no node (every node already killed, fewer healthy nodes than K) is
 * recorded as skipped, with the reason, rather than striking a node where it means nothing.
 */
import { type EdnValue, kw } from '../../analyzer/edn/values.js';
import type { Completion, Invocation, Nemesis, TestContext } from '../core/types.js';
import { FAULT_KINDS, type FaultKind, type NodeState, UP, faultNamed, isHealthy } from './faults.js';
import { type Groups, type TargetSpec, parseTarget, selectTargets } from './targets.js';

/** What a start did: its description for the op's value, and the nodes it struck (default: the targets it was given). */
export interface Started {
  readonly value: EdnValue;
  readonly struck?: readonly string[];
}

/** What a backend does for the faults it supports; the nemesis decides when and where. */
export interface FaultMechanics {
  /**
   * Starts `fault` (its `--nemesis` name, e.g. `partition-bridge`) on `targets`, or, when
   * `targets` is undefined (a fault `choosesTargets` says it shapes itself), where it decides;
   * says what was done and which nodes it struck (none: it could not, and says why in `value`).
   */
  start(test: TestContext, fault: string, targets: readonly string[] | undefined): Promise<Started>;
  /** True for a fault whose mechanics pick their own targets unless a spec or the op names them (etcd's partition shapes). */
  choosesTargets?(fault: string): boolean;
  /** Stops fault kind `kind` on `targets` (the nodes it is in force on). */
  stop(test: TestContext, kind: string, targets: readonly string[]): Promise<EdnValue>;
  /** The node the database says leads, if it says (for the `leader` target). */
  leader?(test: TestContext): Promise<string | undefined>;
  setup?(test: TestContext): Promise<void>;
  teardown?(test: TestContext): Promise<void>;
  /** After heal-all: wait until the database is whole again. */
  healed?(test: TestContext): Promise<void>;
}

/** How a `TableNemesis` is configured. */
export interface TableNemesisOptions {
  readonly nodes: readonly string[];
  /** The faults of this test (`--nemesis`). */
  readonly faults: readonly string[];
  /** Target specs by fault name (`--nemesis-targets`); a fault not named uses its kind's default. */
  readonly targets?: Readonly<Record<string, string>>;
  readonly groups: Groups;
}

const stateWord = (s: NodeState): EdnValue => kw(!s.member ? 'removed' : s.corrupt ? 'corrupt' : s.disk && s.process === 'running' ? 'disk-faulty' : s.process !== 'running' ? s.process : s.partitioned ? 'partitioned' : s.skewed ? 'skewed' : 'up');

/** A nemesis over a backend's `FaultMechanics`, keeping the node-state map. */
export class TableNemesis implements Nemesis {
  private readonly states = new Map<string, NodeState>();
  private readonly specs = new Map<string, TargetSpec>();
  /** Faults given a spec by `--nemesis-targets` (never left to the mechanics' own shapes). */
  private readonly explicit = new Set<string>();

  constructor(
    private readonly mechanics: FaultMechanics,
    private readonly o: TableNemesisOptions,
  ) {
    for (const n of o.nodes) this.states.set(n, UP);
    for (const f of o.faults) {
      const kind = faultNamed(f);
      if (kind === undefined) throw new Error(`nemesis: no fault ${f} in the table`);
      const given = o.targets?.[f] ?? o.targets?.[kind.name];
      if (given !== undefined) this.explicit.add(f);
      this.specs.set(f, parseTarget(given ?? kind.defaultTarget));
    }
  }

  /** Every node's state, for tests and the status line. */
  get nodeStates(): ReadonlyMap<string, NodeState> {
    return this.states;
  }

  /** True while some fault is in force on some node. */
  get faulty(): boolean {
    return [...this.states.values()].some((s) => !isHealthy(s));
  }

  async setup(test: TestContext): Promise<void> {
    await this.mechanics.setup?.(test);
  }

  async teardown(test: TestContext): Promise<void> {
    await this.mechanics.teardown?.(test);
  }

  private statesOf(nodes: readonly string[]): EdnValue {
    return Object.fromEntries(nodes.map((n) => [n, stateWord(this.states.get(n)!)])) as unknown as EdnValue;
  }

  private set(nodes: readonly string[], f: (s: NodeState) => NodeState): void {
    for (const n of nodes) this.states.set(n, f(this.states.get(n)!));
  }

  /** `start-<fault>` strikes the targets its spec picks (or those the op's value names); `stop-<fault>` undoes that fault's kind wherever it is in force. */
  async invoke(test: TestContext, op: Invocation): Promise<Completion> {
    const m = /^(start|stop)-(.+)$/.exec(op.f);
    const kind = m === null ? undefined : faultNamed(m[2]);
    if (m === null || kind === undefined || !this.specs.has(m[2])) throw new Error(`nemesis: unknown op ${op.f}`);
    const fault = m[2];
    if (m[1] === 'stop') return { type: 'info', value: await this.stop(test, kind) };
    const given = Array.isArray(op.value) ? (op.value as EdnValue[]).map(String) : undefined;
    const spec = this.specs.get(fault)!;
    const shaped = given === undefined && !this.explicit.has(fault) && this.mechanics.choosesTargets?.(fault) === true;
    const targets = shaped ? undefined : (given ?? (await this.pick(test, spec, kind)));
    if (targets !== undefined && targets.length === 0)
      return { type: 'info', value: { fault: kw(fault), targets: [], skipped: `target ${spec.text} finds no node ${kind.name} may strike`, states: this.statesOf(this.o.nodes) } as unknown as EdnValue };
    const r = await this.mechanics.start(test, fault, targets);
    const struck = r.struck ?? targets ?? [];
    this.set(struck, kind.started);
    return { type: 'info', value: { fault: kw(fault), targets: [...struck], result: r.value, states: this.statesOf(struck) } as unknown as EdnValue };
  }

  private async pick(test: TestContext, spec: TargetSpec, kind: FaultKind): Promise<string[]> {
    const leader = spec.base.kind === 'leader' ? await this.mechanics.leader?.(test) : undefined;
    return selectTargets(spec, {
      nodes: this.o.nodes,
      eligible: (n) => kind.eligible(this.states.get(n)!),
      healthy: (n) => isHealthy(this.states.get(n)!),
      groups: this.o.groups,
      leader,
      random: test.random,
    });
  }

  private async stop(test: TestContext, kind: FaultKind): Promise<EdnValue> {
    const on = this.o.nodes.filter((n) => kind.active(this.states.get(n)!));
    const result = on.length === 0 ? kw('nothing-to-stop') : await this.mechanics.stop(test, kind.name, on);
    this.set(on, kind.stopped);
    return { fault: kw(kind.name), targets: on, result, states: this.statesOf(on) } as unknown as EdnValue;
  }

  /** Stops every fault still in force, in the table's order, then waits for the database to be whole; collects every error. */
  async healAll(test: TestContext): Promise<void> {
    const errors: string[] = [];
    for (const kind of FAULT_KINDS) {
      if (!this.o.nodes.some((n) => kind.active(this.states.get(n)!))) continue;
      try {
        await this.stop(test, kind);
      } catch (e) {
        errors.push(`${kind.name}: ${(e as Error).message}`);
      }
    }
    try {
      await this.mechanics.healed?.(test);
    } catch (e) {
      errors.push((e as Error).message);
    }
    if (errors.length > 0) throw new Error(`healing: ${errors.join('; ')}`);
  }
}
