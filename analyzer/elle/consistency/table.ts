/**
 * The consistency-model table, as data.
 *
 * Two relations carry everything:
 *
 *   - Models imply weaker models: a history that is serializable is also repeatable-read, so
 *     anything repeatable-read forbids, serializable forbids too. Each model lists only the
 *     models it implies directly and the anomalies it forbids *beyond* those (Adya's way of
 *     defining PL-3 as "PL-2.99 plus no G2").
 *   - Anomalies imply other anomalies: a G0 cycle (ww edges only) is also a G1c cycle, and
 *     G1c is one of the three forms of G1. So a model forbidding G1 forbids G0 as well, and a
 *     history showing G0 has shown G1.
 *
 * Both relations follow Elle's `elle.consistency-model` (jepsen-io/elle, with its citations:
 * Adya; Adya, Liskov & O'Neil; Bailis et al.; Cerone et al.; Daudjee & Salem; ...). Models go
 * by their canonical names (Adya's PL-* where there is one); `aliases` are the friendly names,
 * the first being the one results print. Elle's `*-cycle-exists` pseudo-anomalies are left out:
 * nothing we check reports them. Our own additions are marked `ours` and explained in
 * docs/consistency-models.md.
 */

/** One consistency model of the table. */
export interface ModelEntry {
  /** Canonical name. */
  name: string;
  /** Other names for the model; the first is how results print it. */
  aliases?: string[];
  /** Models this one directly implies (canonical names). */
  implies?: string[];
  /** Anomalies this model forbids beyond those of the models it implies. */
  forbids?: string[];
}

/** Every model we know, weakest first within each family (Elle's table, with our additions marked `ours`). */
export const MODELS: ModelEntry[] = [
  // Adya's PL hierarchy and its neighbours.
  { name: 'PL-1', aliases: ['read-uncommitted'], forbids: ['G0', 'duplicate-elements', 'cyclic-versions'] },
  { name: 'PL-2', aliases: ['read-committed'], implies: ['PL-1'], forbids: ['G1'] },
  { name: 'PL-CS', aliases: ['cursor-stability'], implies: ['PL-2'], forbids: ['G1', 'G-cursor', 'lost-update'] },
  { name: 'PL-2L', aliases: ['monotonic-view'], implies: ['PL-2'], forbids: ['G1', 'G-monotonic'] },
  { name: 'PL-MSR', aliases: ['monotonic-snapshot-read'], implies: ['PL-2'], forbids: ['G1', 'G-MSR'] },
  { name: 'PL-2+', aliases: ['consistent-view'], implies: ['PL-CS', 'PL-2L'], forbids: ['G1', 'G-single'] },
  { name: 'PL-FCV', aliases: ['forward-consistent-view'], implies: ['PL-2+'], forbids: ['G1', 'G-SIb'] },
  { name: 'PL-3U', aliases: ['update-serializable'], implies: ['PL-FCV'], forbids: ['G1', 'G-update'] },
  { name: 'PL-2.99', aliases: ['repeatable-read'], implies: ['PL-CS', 'monotonic-atomic-view'], forbids: ['G1', 'G2-item', 'lost-update'] },
  {
    name: 'PL-SI',
    aliases: ['snapshot-isolation'],
    implies: ['PL-FCV', 'monotonic-atomic-view', 'PL-MSR', 'parallel-snapshot-isolation', 'prefix'],
    // Generalized SI forbids every cycle whose rw edges are pairwise non-adjacent, not only G-single.
    forbids: ['internal', 'G1', 'G-SI', 'G-nonadjacent'],
  },
  {
    name: 'PL-3',
    aliases: ['serializable', 'conflict-serializable'],
    implies: ['PL-2.99', 'PL-3U', 'PL-SI', 'view-serializable'],
    forbids: ['internal', 'G1', 'G2', 'predicate-read-miss'],
  },
  {
    name: 'PL-SS',
    aliases: ['strict-serializable', 'strong-serializable'],
    implies: ['PL-3', 'linearizable', 'PL-SI', 'strong-snapshot-isolation', 'strong-session-serializable', 'session-serializable'],
    forbids: ['G1', 'G1c-realtime', 'G2-realtime'],
  },

  // Session and real-time strengthenings (Daudjee & Salem; Elle's own generalizations).
  { name: 'strong-session-PL-1', aliases: ['strong-session-read-uncommitted'], implies: ['PL-1'], forbids: ['G0-process'] },
  { name: 'strong-session-PL-2', aliases: ['strong-session-read-committed'], implies: ['PL-2', 'strong-session-PL-1'], forbids: ['G1c-process'] },
  { name: 'strong-PL-1', aliases: ['strong-read-uncommitted'], implies: ['strong-session-PL-1'], forbids: ['G0-realtime'] },
  { name: 'strong-PL-2', aliases: ['strong-read-committed'], implies: ['strong-session-PL-2', 'strong-PL-1'], forbids: ['G1c-realtime'] },
  { name: 'strong-session-snapshot-isolation', implies: ['PL-SI', 'strong-session-PL-2'], forbids: ['internal', 'G1-process', 'G-nonadjacent-process'] },
  { name: 'strong-snapshot-isolation', implies: ['strong-session-snapshot-isolation', 'strong-PL-2'], forbids: ['internal', 'G1-realtime', 'G-nonadjacent-realtime'] },
  { name: 'strong-session-serializable', implies: ['PL-3', 'strong-session-snapshot-isolation'], forbids: ['G1-process', 'G2-process'] },

  // Atomic-visibility models (Bailis; Cerone, Bernardi & Gotsman). Their forbidden sets are
  // incomplete: only what a black-box history can show.
  { name: 'monotonic-atomic-view', implies: ['PL-2'] },
  { name: 'read-atomic', implies: ['monotonic-atomic-view'], forbids: ['internal', 'G1a', 'future-read'] },
  { name: 'update-atomic', implies: ['read-atomic'], forbids: ['lost-update'] },
  { name: 'causal-cerone', implies: ['read-atomic'], forbids: ['internal', 'G1a'] },
  { name: 'prefix', implies: ['causal-cerone'], forbids: ['internal', 'G1a'] },
  { name: 'parallel-snapshot-isolation', implies: ['causal-cerone', 'update-atomic'], forbids: ['internal', 'G1a'] },

  // Models named for completeness: they forbid nothing a transactional history shows here.
  { name: 'view-serializable' },
  { name: 'session-serializable', implies: ['1SR'] },
  { name: '1SR' },
  { name: 'linearizable', implies: ['sequential'] },
  { name: 'sequential', implies: ['causal'] },
  { name: 'causal', implies: ['writes-follow-reads', 'PRAM'] },
  { name: 'PRAM', implies: ['monotonic-reads', 'monotonic-writes', 'read-your-writes'] },
  { name: 'writes-follow-reads' },
  { name: 'monotonic-reads' },
  { name: 'monotonic-writes' },
  { name: 'read-your-writes' },
];

/** Observing the key anomaly means the history also shows each listed one. */
export const ANOMALY_IMPLIES: Record<string, string[]> = {
  // A write cycle is a cycle of information flow; process edges are trivially allowed, and a
  // process order is a real-time order (a process runs one operation at a time).
  G0: ['G1c', 'G0-process'],
  'G0-process': ['G1c-process', 'G0-realtime'],
  'G0-realtime': ['G1c-realtime'],
  // G1 is the union of G1a, G1b, G1c.
  G1a: ['G1'],
  G1b: ['G1'],
  G1c: ['G1', 'G1c-process'],
  'G1c-process': ['G1c-realtime', 'G1-process'],
  'G1c-realtime': ['G1-realtime'],
  G1: ['G1-process'],
  'G1-process': ['G1-realtime'],
  // One rw edge is the nonadjacent case with a single rw edge; item forms are special cases.
  'G-single-item': ['G-single', 'G-single-item-process', 'G-nonadjacent-item'],
  'G-single-item-process': ['G-single-process', 'G-single-item-realtime', 'G-nonadjacent-item-process'],
  'G-single-item-realtime': ['G-single-realtime', 'G-nonadjacent-item-realtime'],
  'G-single': ['G-nonadjacent', 'GSIb', 'G-single-process'],
  'G-single-process': ['G-nonadjacent-process', 'G-single-realtime'],
  'G-single-realtime': ['G-nonadjacent-realtime'],
  'G-nonadjacent-item': ['G-nonadjacent', 'G2-item', 'G-nonadjacent-item-process'],
  'G-nonadjacent-item-process': ['G-nonadjacent-process', 'G2-item-process', 'G-nonadjacent-item-realtime'],
  'G-nonadjacent-item-realtime': ['G2-item-realtime', 'G-nonadjacent-realtime'],
  'G-nonadjacent': ['G2', 'G-nonadjacent-process'],
  'G-nonadjacent-process': ['G2-process', 'G-nonadjacent-realtime'],
  'G-nonadjacent-realtime': ['G2-realtime'],
  G2: ['G2-process'],
  'G2-item': ['G2', 'G2-item-process'],
  'G2-item-process': ['G2-process', 'G2-item-realtime'],
  'G2-item-realtime': ['G2-realtime'],
  'G2-process': ['G2-realtime'],
  // Adya's SI phenomena. (Elle spells these GSIa/GSIb/GSI here but G-SI/G-SIb in the model
  // table; we keep both spellings, so the two stay unconnected exactly as in Elle.)
  GSIa: ['GSI'],
  GSIb: ['GSI'],
  // Two committed reads that no single version order explains imply a dirty read.
  'incompatible-order': ['G1a'],
  // Reading one's own later write is a one-transaction G1c.
  'future-read': ['G1c'],
  // Writing on top of an aborted write is a dirty read of it.
  'dirty-update': ['G1a'],
  // Lost update is write skew on one key, hence G2-item.
  'lost-update': ['write-skew', 'G2-item'],
  'write-skew': ['G2'],
};

/** Ours: shorthand names accepted besides the aliases above. */
export const SHORTHANDS: Record<string, string> = {
  ru: 'PL-1',
  rc: 'PL-2',
  rr: 'PL-2.99',
  si: 'PL-SI',
  serializability: 'PL-3',
  'strict-serializability': 'PL-SS',
};
