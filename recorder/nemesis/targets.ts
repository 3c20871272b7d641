/**
 * Which nodes a fault strikes, as data (`--nemesis-targets kill=leader,pause=random-healthy:2@group`):
 *
 * - `one`, `minority` (⌊(n−1)/2⌋, at least 1), `majority` (⌊n/2⌋+1), `all`: that many of the
 *   nodes the fault may strike, at random; `some`: one of those four sizes, each equally likely
 *   (Jepsen's random subsets);
 * - `leader`: the node the database says leads (none when it names none or it may not be struck);
 * - `random-healthy:K`: exactly K nodes chosen among the healthy ones (up, a member, no fault on
 *   them), or none when fewer than K are healthy — Couchbase's "a random subset of size 2 of the
 *   healthy nodes";
 * - `group:G`: the nodes of server group G (`--groups n1,n2:n3,n4,n5` makes groups 1 and 2);
 * - any of them with `@group`: first one random group (among those that can satisfy the spec),
 *   then the spec within it, so the targets never span two groups.
 *
 * Sizes count every node of the cluster (or of the chosen group); the choice is among the nodes
 * the fault may strike (its state rules: a killed node is not paused), so a spec can yield fewer
 * nodes, or none: the nemesis then records the fault as skipped instead of striking nonsense.
 */
import { UsageError } from '../../analyzer/util/usage-error.js';

/** A parsed target spec. */
export interface TargetSpec {
  readonly base: { readonly kind: 'one' | 'minority' | 'majority' | 'all' | 'some' | 'leader' } | { readonly kind: 'random-healthy'; readonly k: number } | { readonly kind: 'group'; readonly group: number };
  /** `@group`: confined to one random server group. */
  readonly inOneGroup: boolean;
  /** As written. */
  readonly text: string;
}

/** Server groups: node → group number (1-based); every node is in one. */
export type Groups = ReadonlyMap<string, number>;

const SIMPLE = ['one', 'minority', 'majority', 'all', 'some', 'leader'] as const;

/** Parses one target spec; throws UsageError naming what was expected. */
export function parseTarget(text: string): TargetSpec {
  const m = /^([a-z-]+)(?::(\d+))?(@group)?$/.exec(text);
  const fail = (): never => {
    throw new UsageError(`target ${text}: expected one, minority, majority, all, some, leader, random-healthy:K or group:G, optionally followed by @group`);
  };
  if (m === null) return fail();
  const [, kind, n, at] = m;
  const inOneGroup = at !== undefined;
  if ((SIMPLE as readonly string[]).includes(kind) && n === undefined) return { base: { kind: kind as (typeof SIMPLE)[number] }, inOneGroup, text };
  if (kind === 'random-healthy' && n !== undefined && Number(n) >= 1) return { base: { kind, k: Number(n) }, inOneGroup, text };
  if (kind === 'group' && n !== undefined && Number(n) >= 1 && !inOneGroup) return { base: { kind, group: Number(n) }, inOneGroup, text };
  return fail();
}

/**
 * `--groups n1,n2:n3,n4,n5` over `nodes`: every node in exactly one group; groups numbered from 1.
 * Without the flag, all nodes are group 1.
 */
export function parseGroups(text: string | undefined, nodes: readonly string[]): Groups {
  const out = new Map<string, number>();
  if (text === undefined || text === '') {
    for (const n of nodes) out.set(n, 1);
    return out;
  }
  text.split(':').forEach((g, i) => {
    for (const n of g.split(',').filter((x) => x !== '')) {
      if (!nodes.includes(n)) throw new UsageError(`--groups ${text}: ${n} is not one of the nodes (${nodes.join(', ')})`);
      if (out.has(n)) throw new UsageError(`--groups ${text}: ${n} is in two groups`);
      out.set(n, i + 1);
    }
  });
  const missing = nodes.filter((n) => !out.has(n));
  if (missing.length > 0) throw new UsageError(`--groups ${text}: ${missing.join(', ')} in no group; expected every node in one`);
  return out;
}

/** What `selectTargets` may look at. */
export interface TargetScene {
  /** Every node, in order. */
  readonly nodes: readonly string[];
  /** May this fault strike the node now (its state rules)? */
  readonly eligible: (node: string) => boolean;
  /** Is the node healthy (up, a member, no fault on it)? */
  readonly healthy: (node: string) => boolean;
  readonly groups: Groups;
  /** The leader the database names, if any. */
  readonly leader?: string;
  readonly random: () => number;
}

function shuffled<T>(xs: readonly T[], random: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** The base spec over `pool` (all nodes of the cluster or of one group): the chosen nodes, sorted as `pool`. */
function within(spec: TargetSpec['base'], pool: readonly string[], s: TargetScene): string[] {
  const n = pool.length;
  const candidates = pool.filter(s.eligible);
  const take = (k: number, from: readonly string[]): string[] => {
    const chosen = new Set(shuffled(from, s.random).slice(0, k));
    return pool.filter((x) => chosen.has(x));
  };
  switch (spec.kind) {
    case 'one':
      return take(1, candidates);
    case 'minority':
      return take(Math.max(1, Math.floor((n - 1) / 2)), candidates);
    case 'majority':
      return take(Math.floor(n / 2) + 1, candidates);
    case 'all':
      return candidates;
    case 'some': {
      const sizes = [1, Math.max(1, Math.floor((n - 1) / 2)), Math.floor(n / 2) + 1, n];
      return take(sizes[Math.floor(s.random() * sizes.length)], candidates);
    }
    case 'leader':
      return s.leader !== undefined && candidates.includes(s.leader) ? [s.leader] : [];
    case 'random-healthy': {
      const healthy = candidates.filter(s.healthy);
      return healthy.length < spec.k ? [] : take(spec.k, healthy);
    }
    case 'group':
      return candidates.filter((x) => s.groups.get(x) === spec.group);
  }
}

/** The nodes `spec` picks in scene `s` (possibly none), in node order. */
export function selectTargets(spec: TargetSpec, s: TargetScene): string[] {
  if (!spec.inOneGroup) return within(spec.base, s.nodes, s);
  const numbers = [...new Set(s.nodes.map((n) => s.groups.get(n)!))];
  // A random group among those where the spec finds nodes: a group of dead nodes is no choice.
  for (const g of shuffled(numbers, s.random)) {
    const chosen = within(spec.base, s.nodes.filter((n) => s.groups.get(n) === g), s);
    if (chosen.length > 0) return chosen;
  }
  return [];
}

/**
 * `--nemesis-targets kill=leader,pause=random-healthy:2@group` as specs by fault name; every
 * name must be one of `faults` (the test's `--nemesis`) and every spec must parse.
 */
export function parseTargetsFlag(text: string, faults: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',').filter((p) => p !== '')) {
    const m = /^([a-z][a-z-]*)=(.+)$/.exec(part);
    if (m === null) throw new UsageError(`--nemesis-targets ${text}: ${part}: expected FAULT=TARGET, e.g. kill=leader`);
    if (!faults.includes(m[1])) throw new UsageError(`--nemesis-targets ${text}: ${m[1]} is not one of this test's faults (--nemesis ${faults.join(',') || 'none'})`);
    parseTarget(m[2]);
    out[m[1]] = m[2];
  }
  return out;
}
