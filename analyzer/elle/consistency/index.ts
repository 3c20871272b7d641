/**
 * Consistency models and the anomalies that rule them out, after Elle's
 * `elle.consistency-model`.
 *
 * The table (table.ts) holds two small DAGs: model → weaker model it implies, and anomaly →
 * anomaly it implies. From them:
 *
 *   - What must a checker look for to decide model M? Every anomaly M or any weaker model
 *     forbids, plus every anomaly that *implies* one of those (a G0 cycle shows G1, so a
 *     read-committed check must look for G0 too).
 *   - Which models does an observed anomaly rule out? Close the anomaly under implication
 *     (G0 ⇒ G1c ⇒ G1 …), take every model forbidding one of them directly, then every model
 *     stronger than those. `not` is the weakest of them (the boundary), `alsoNot` the rest.
 *
 * Both graphs are tiny (a few dozen nodes), so they live in @dagrejs/graphlib and are walked
 * breadth-first on demand. `faithful: true` reproduces Elle exactly; the default adds our one
 * documented difference (garbage reads): see docs/consistency-models.md.
 */
import { Graph } from '@dagrejs/graphlib';
import { ANOMALY_IMPLIES, MODELS, SHORTHANDS } from './table.js';

/** How to read the table. */
export interface TableOptions {
  /** Exactly Elle's table, without our additions (used to test the port against Elle). */
  faithful?: boolean;
}

/** Our additions to a model's forbidden set (see table.ts / the docs). */
const OUR_FORBIDS: Record<string, string[]> = { 'PL-1': ['garbage-read'] };

const modelGraph = new Graph({ directed: true });
const anomalyGraph = new Graph({ directed: true });
const directForbids = new Map<string, string[]>();
const canonicalNames = new Map<string, string>();
const friendlyNames = new Map<string, string>();

for (const m of MODELS) {
  modelGraph.setNode(m.name);
  for (const weaker of m.implies ?? []) modelGraph.setEdge(m.name, weaker);
  directForbids.set(m.name, m.forbids ?? []);
  canonicalNames.set(m.name, m.name);
  for (const a of m.aliases ?? []) canonicalNames.set(a, m.name);
  friendlyNames.set(m.name, m.aliases?.[0] ?? m.name);
}
for (const [short, name] of Object.entries(SHORTHANDS)) canonicalNames.set(short, name);
for (const [a, implied] of Object.entries(ANOMALY_IMPLIES)) {
  for (const b of implied) anomalyGraph.setEdge(a, b);
}
for (const list of Object.values(OUR_FORBIDS)) for (const a of list) anomalyGraph.setNode(a);

/** Every node reachable from `starts` (included) following `next`. */
function reach(starts: Iterable<string>, next: (v: string) => string[] | undefined): Set<string> {
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const s of starts) if (!seen.has(s)) (seen.add(s), queue.push(s));
  for (let i = 0; i < queue.length; i++) {
    for (const w of next(queue[i]) ?? []) if (!seen.has(w)) (seen.add(w), queue.push(w));
  }
  return seen;
}

const impliedBy = (v: string) => anomalyGraph.successors(v);
const implying = (v: string) => anomalyGraph.predecessors(v);
const weakerModels = (v: string) => modelGraph.successors(v);
const strongerModels = (v: string) => modelGraph.predecessors(v);

function forbidsOf(model: string, opts: TableOptions): string[] {
  const own = directForbids.get(model) ?? [];
  return opts.faithful ? own : [...own, ...(OUR_FORBIDS[model] ?? [])];
}

/** A model's canonical name (Elle's: `serializable` → `PL-3`); unknown names come back as given. */
export function canonicalModel(name: string): string {
  return canonicalNames.get(name) ?? name;
}

/** The name results print for a model (`PL-3` → `serializable`, `PL-SS` → `strict-serializable`). */
export function friendlyModel(name: string): string {
  const c = canonicalModel(name);
  return friendlyNames.get(c) ?? c;
}

/** Every model name accepted: canonical names, aliases and shorthands, sorted. */
export function knownModels(): string[] {
  return [...canonicalNames.keys()].sort();
}

/** Every anomaly name the table knows (implied, implying or forbidden by some model), sorted. */
export function knownAnomalies(): string[] {
  const names = new Set(anomalyGraph.nodes());
  for (const list of directForbids.values()) for (const a of list) names.add(a);
  return [...names].sort();
}

function canonicalKnown(models: string[]): string[] {
  return models.map((m) => {
    const c = canonicalModel(m);
    if (!modelGraph.hasNode(c)) throw new Error(`unknown consistency model ${m}; known: ${knownModels().join(', ')}`);
    return c;
  });
}

/** Anomalies implying any of `anomalies`, these included (G1 → G0, G1a, G1b, G1c, …). */
export function anomaliesImplying(anomalies: Iterable<string>): Set<string> {
  return reach(anomalies, implying);
}

/** Anomalies implied by `anomalies`, these included (G0 → G1c, G1, G0-process, …). */
export function impliedAnomalies(anomalies: Iterable<string>): Set<string> {
  return reach(anomalies, impliedBy);
}

/** Every anomaly whose presence rules out one of `models` (upward closed under implication). */
export function anomaliesProhibitedBy(models: string[], opts: TableOptions = {}): Set<string> {
  const all = reach(canonicalKnown(models), weakerModels);
  const direct: string[] = [];
  for (const m of all) direct.push(...forbidsOf(m, opts));
  const out = anomaliesImplying(direct);
  return out;
}

/**
 * Every anomaly a checker must look for to decide `models` (canonical or friendly names) and
 * the explicitly named `anomalies`, closed under implication: `G1` brings G1a, G1b, G1c, G0,
 * …; `G2` brings G2-item, G-single, G-nonadjacent, lost-update, ….
 */
export function anomaliesToCheck(models: string[], anomalies: string[], opts: TableOptions = {}): Set<string> {
  const named = anomaliesImplying(anomalies);
  return new Set([...anomaliesProhibitedBy(models, opts), ...named]);
}

/** Canonical names of every model that cannot hold given the observed anomalies. */
export function impossibleModels(anomalyTypes: string[], opts: TableOptions = {}): Set<string> {
  const shown = impliedAnomalies(anomalyTypes);
  const direct: string[] = [];
  for (const m of modelGraph.nodes()) if (forbidsOf(m, opts).some((a) => shown.has(a))) direct.push(m);
  return reach(direct, strongerModels);
}

/** The models in `models` that imply none of the others (the weakest; canonical names). */
export function weakestModels(models: Iterable<string>): Set<string> {
  const set = new Set([...models].map(canonicalModel));
  const out = new Set<string>();
  for (const m of set) {
    const below = reach([m], weakerModels);
    if (![...below].some((w) => w !== m && set.has(w))) out.add(m);
  }
  return out;
}

/**
 * Elle's `friendly-boundary`: given the anomaly types a history shows, `not` is the weakest
 * models they rule out and `alsoNot` every stronger model also ruled out (friendly names,
 * sorted). Ruled out means for every model, not only the ones asked about.
 */
export function modelsRuledOut(anomalyTypes: string[], opts: TableOptions = {}): { not: string[]; alsoNot: string[] } {
  const impossible = impossibleModels(anomalyTypes, opts);
  const weakest = weakestModels(impossible);
  const alsoNot = [...impossible].filter((m) => !weakest.has(m));
  const friendly = (xs: Iterable<string>) => [...new Set([...xs].map(friendlyModel))].sort();
  return { not: friendly(weakest), alsoNot: friendly(alsoNot) };
}
