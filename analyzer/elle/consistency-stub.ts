/**
 * TEMPORARY stand-in for `./consistency/index.ts` (the consistency-model table, written in
 * parallel). Same signatures; a deliberately small table. Delete once the real one lands.
 */
const CYCLES = ['G0', 'G1c', 'G-single', 'G-nonadjacent', 'G2-item'];
const variants = (xs: string[], s: string) => xs.map((x) => `${x}${s}`);
const G1 = ['G1a', 'G1b', 'G1c'];
const BASIC = ['internal', 'dirty-update', 'duplicate-elements', 'incompatible-order', 'future-read', 'garbage-read'];
const TABLE: Record<string, string[]> = {
  'read-uncommitted': ['G0', 'duplicate-elements', 'incompatible-order', 'garbage-read'],
  'read-committed': ['G0', ...G1, 'duplicate-elements', 'incompatible-order', 'garbage-read'],
  'repeatable-read': ['G0', ...G1, 'G-single', 'G2-item', 'lost-update', ...BASIC],
  'snapshot-isolation': ['G0', ...G1, 'G-single', 'G-nonadjacent', 'lost-update', ...BASIC],
  serializable: [...CYCLES, 'G1a', 'G1b', 'lost-update', ...BASIC],
  'strong-session-serializable': [...CYCLES, ...variants(CYCLES, '-process'), 'G1a', 'G1b', 'lost-update', ...BASIC],
  'strict-serializable': [...CYCLES, ...variants(CYCLES, '-process'), ...variants(CYCLES, '-realtime'), 'G1a', 'G1b', 'lost-update', ...BASIC],
};
const STRENGTH = ['read-uncommitted', 'read-committed', 'repeatable-read', 'snapshot-isolation', 'serializable', 'strong-session-serializable', 'strict-serializable'];

export function canonicalModel(name: string): string {
  return name;
}
export function knownModels(): string[] {
  return Object.keys(TABLE).sort();
}
export function anomaliesToCheck(models: string[], anomalies: string[]): Set<string> {
  const out = new Set<string>();
  for (const m of models) for (const a of TABLE[m] ?? []) out.add(a);
  for (const a of anomalies) {
    if (a === 'G1') G1.forEach((x) => out.add(x));
    else if (a === 'G2') ['G-single', 'G-nonadjacent', 'G2-item'].forEach((x) => out.add(x));
    else out.add(a);
  }
  return out;
}
export function modelsRuledOut(anomalyTypes: string[]): { not: string[]; alsoNot: string[] } {
  const ruled = STRENGTH.filter((m) => anomalyTypes.some((a) => TABLE[m].includes(a)));
  return { not: ruled.slice(0, 1), alsoNot: ruled.slice(1).sort() };
}
