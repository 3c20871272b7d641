/**
 * Jepsen's partition shapes as pure functions from node names to a "grudge": for each node, the
 * set of peers whose packets it drops. A grudge is applied with iptables rules inside each node
 * (INPUT from each peer → DROP); since TCP needs both directions, cutting one direction between
 * two nodes cuts the link, but the shapes below are symmetric anyway.
 *
 * - isolate-one: one node alone, the rest together.
 * - random-halves: a random split into a majority and a minority.
 * - majorities-ring: every node sees a majority, and no two nodes see the same majority
 *   (nodes on a shuffled ring see their nearest neighbours) — several leaders may each think
 *   they have quorum-reachable followers.
 * - bridge: two halves that cannot see each other, and one node in the middle that sees both.
 * - isolate-leader: the current leader alone (`groupsGrudge([[leader], rest])`).
 */
import type { Random } from '../generator/core.js';

/** For each node, the peers whose packets it drops (a node absent from the map drops nothing). */
export type Grudge = Map<string, Set<string>>;

/** Jepsen's partition shapes, each a fault `partition-<shape>`. */
export const PARTITION_SHAPES = ['isolate-one', 'random-halves', 'majorities-ring', 'bridge', 'isolate-leader'] as const;
/** One of `PARTITION_SHAPES`. */
export type PartitionShape = (typeof PARTITION_SHAPES)[number];

/** A shuffled copy of `xs` (Fisher–Yates over `random`). */
export function shuffle<T>(xs: readonly T[], random: Random): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Nodes in different groups cannot talk; nodes in no group are untouched. */
export function groupsGrudge(groups: readonly (readonly string[])[]): Grudge {
  const g: Grudge = new Map();
  for (const a of groups)
    for (const n of a) {
      const drop = new Set<string>();
      for (const b of groups) if (b !== a) for (const m of b) drop.add(m);
      g.set(n, drop);
    }
  return g;
}

/** One random node alone, the rest together. */
export function isolateOne(nodes: readonly string[], random: Random): Grudge {
  const s = shuffle(nodes, random);
  return groupsGrudge([[s[0]!], s.slice(1)]);
}

/** A random minority (⌊n/2⌋ nodes) and majority. */
export function randomHalves(nodes: readonly string[], random: Random): Grudge {
  const s = shuffle(nodes, random);
  const small = Math.floor(s.length / 2);
  return groupsGrudge([s.slice(0, small), s.slice(small)]);
}

/** Nodes on a shuffled ring, each seeing itself and its nearest neighbours up to a majority. */
export function majoritiesRing(nodes: readonly string[], random: Random): Grudge {
  const s = shuffle(nodes, random);
  const n = s.length;
  const majority = Math.floor(n / 2) + 1;
  const reach = Math.ceil((majority - 1) / 2);
  const g: Grudge = new Map();
  s.forEach((node, i) => {
    const sees = new Set<string>([node]);
    for (let d = 1; d <= reach; d++) {
      sees.add(s[(i + d) % n]!);
      sees.add(s[(i - d + n) % n]!);
    }
    g.set(node, new Set(s.filter((m) => !sees.has(m))));
  });
  return g;
}

/** Two halves that cannot see each other and one node, in the middle, that sees both. */
export function bridge(nodes: readonly string[], random: Random): Grudge {
  const s = shuffle(nodes, random);
  const mid = Math.floor(s.length / 2);
  const left = s.slice(0, mid);
  const right = s.slice(mid + 1);
  const g: Grudge = new Map();
  for (const n of left) g.set(n, new Set(right));
  for (const n of right) g.set(n, new Set(left));
  g.set(s[mid]!, new Set());
  return g;
}

/** Groups of mutually reachable nodes, for the nemesis op's value (connected components of "sees"). */
export function describeGrudge(nodes: readonly string[], g: Grudge): string[][] {
  // Each node's view: the nodes it can reach (not dropped by either side).
  return nodes.map((n) => [n, ...nodes.filter((m) => m !== n && !g.get(n)?.has(m) && !g.get(m)?.has(n))]);
}

/**
 * The grudge of `shape` over `nodes`; `isolate-leader` needs the `leader` and is `isolate-one`
 * when none is known. Returns the shape used.
 */
export function shapeGrudge(shape: PartitionShape, nodes: readonly string[], random: Random, leader?: string): { shape: PartitionShape; grudge: Grudge } {
  switch (shape) {
    case 'isolate-leader':
      return leader === undefined ? shapeGrudge('isolate-one', nodes, random) : { shape, grudge: groupsGrudge([[leader], nodes.filter((n) => n !== leader)]) };
    case 'isolate-one':
      return { shape, grudge: isolateOne(nodes, random) };
    case 'random-halves':
      return { shape, grudge: randomHalves(nodes, random) };
    case 'majorities-ring':
      return { shape, grudge: majoritiesRing(nodes, random) };
    case 'bridge':
      return { shape, grudge: bridge(nodes, random) };
  }
}

/** The nodes a grudge cuts off from someone (in a ring or a bridge, nearly all). */
export const cutNodes = (nodes: readonly string[], g: Grudge): string[] => nodes.filter((n) => (g.get(n)?.size ?? 0) > 0 || nodes.some((m) => g.get(m)?.has(n)));
