/**
 * The consistency-model table against Elle: every row of Elle's expanded "anomalies prohibited
 * by model" table (computed from jepsen-io/elle @ ccdee6f, pinned below), the cases of Elle's
 * friendly-boundary and anomalies->impossible-models tests, and our two deliberate differences.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  anomaliesProhibitedBy,
  anomaliesToCheck,
  canonicalModel,
  friendlyModel,
  impossibleModels,
  knownAnomalies,
  knownModels,
  modelsRuledOut,
  weakestModels,
} from '../../analyzer/elle/consistency/index.js';
import { ANOMALY_IMPLIES, MODELS } from '../../analyzer/elle/consistency/table.js';

const sorted = (xs: Iterable<string>) => [...xs].sort();

/** model → every anomaly it prohibits, per Elle (without its *-cycle-exists pseudo-anomalies). */
const ELLE_PROHIBITED: [string, string][] = [
  ['read-uncommitted', 'G0, cyclic-versions, duplicate-elements'],
  ['read-committed', 'G0, G1, G1a, G1b, G1c, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order'],
  ['cursor-stability', 'G-cursor, G0, G1, G1a, G1b, G1c, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order, lost-update'],
  ['monotonic-atomic-view', 'G0, G1, G1a, G1b, G1c, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order'],
  ['read-atomic', 'G0, G1, G1a, G1b, G1c, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order, internal'],
  ['update-atomic', 'G0, G1, G1a, G1b, G1c, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order, internal, lost-update'],
  ['causal-cerone', 'G0, G1, G1a, G1b, G1c, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order, internal'],
  ['prefix', 'G0, G1, G1a, G1b, G1c, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order, internal'],
  ['parallel-snapshot-isolation', 'G0, G1, G1a, G1b, G1c, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order, internal, lost-update'],
  ['monotonic-view', 'G-monotonic, G0, G1, G1a, G1b, G1c, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order'],
  ['monotonic-snapshot-read', 'G-MSR, G0, G1, G1a, G1b, G1c, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order'],
  ['consistent-view', 'G-cursor, G-monotonic, G-single, G-single-item, G0, G1, G1a, G1b, G1c, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order, lost-update'],
  ['forward-consistent-view', 'G-SIb, G-cursor, G-monotonic, G-single, G-single-item, G0, G1, G1a, G1b, G1c, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order, lost-update'],
  ['update-serializable', 'G-SIb, G-cursor, G-monotonic, G-single, G-single-item, G-update, G0, G1, G1a, G1b, G1c, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order, lost-update'],
  ['repeatable-read', 'G-cursor, G-nonadjacent-item, G-single-item, G0, G1, G1a, G1b, G1c, G2-item, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order, lost-update'],
  ['snapshot-isolation', 'G-MSR, G-SI, G-SIb, G-cursor, G-monotonic, G-nonadjacent, G-nonadjacent-item, G-single, G-single-item, G0, G1, G1a, G1b, G1c, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order, internal, lost-update'],
  ['serializable', 'G-MSR, G-SI, G-SIb, G-cursor, G-monotonic, G-nonadjacent, G-nonadjacent-item, G-single, G-single-item, G-update, G0, G1, G1a, G1b, G1c, G2, G2-item, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order, internal, lost-update, predicate-read-miss, write-skew'],
  ['strong-session-read-uncommitted', 'G0, G0-process, cyclic-versions, duplicate-elements'],
  ['strong-session-read-committed', 'G0, G0-process, G1, G1a, G1b, G1c, G1c-process, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order'],
  ['strong-read-uncommitted', 'G0, G0-process, G0-realtime, cyclic-versions, duplicate-elements'],
  ['strong-read-committed', 'G0, G0-process, G0-realtime, G1, G1a, G1b, G1c, G1c-process, G1c-realtime, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order'],
  ['strong-session-snapshot-isolation', 'G-MSR, G-SI, G-SIb, G-cursor, G-monotonic, G-nonadjacent, G-nonadjacent-item, G-nonadjacent-item-process, G-nonadjacent-process, G-single, G-single-item, G-single-item-process, G-single-process, G0, G0-process, G1, G1-process, G1a, G1b, G1c, G1c-process, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order, internal, lost-update'],
  ['strong-snapshot-isolation', 'G-MSR, G-SI, G-SIb, G-cursor, G-monotonic, G-nonadjacent, G-nonadjacent-item, G-nonadjacent-item-process, G-nonadjacent-item-realtime, G-nonadjacent-process, G-nonadjacent-realtime, G-single, G-single-item, G-single-item-process, G-single-item-realtime, G-single-process, G-single-realtime, G0, G0-process, G0-realtime, G1, G1-process, G1-realtime, G1a, G1b, G1c, G1c-process, G1c-realtime, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order, internal, lost-update'],
  ['strong-session-serializable', 'G-MSR, G-SI, G-SIb, G-cursor, G-monotonic, G-nonadjacent, G-nonadjacent-item, G-nonadjacent-item-process, G-nonadjacent-process, G-single, G-single-item, G-single-item-process, G-single-process, G-update, G0, G0-process, G1, G1-process, G1a, G1b, G1c, G1c-process, G2, G2-item, G2-item-process, G2-process, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order, internal, lost-update, predicate-read-miss, write-skew'],
  ['strict-serializable', 'G-MSR, G-SI, G-SIb, G-cursor, G-monotonic, G-nonadjacent, G-nonadjacent-item, G-nonadjacent-item-process, G-nonadjacent-item-realtime, G-nonadjacent-process, G-nonadjacent-realtime, G-single, G-single-item, G-single-item-process, G-single-item-realtime, G-single-process, G-single-realtime, G-update, G0, G0-process, G0-realtime, G1, G1-process, G1-realtime, G1a, G1b, G1c, G1c-process, G1c-realtime, G2, G2-item, G2-item-process, G2-item-realtime, G2-process, G2-realtime, cyclic-versions, dirty-update, duplicate-elements, future-read, incompatible-order, internal, lost-update, predicate-read-miss, write-skew'],
];

/** Elle's table as ../shared/reference/ has it (beside the project root, as on every machine and in CI). */
const REFERENCE = fileURLToPath(new URL('../../../shared/reference/elle-consistency-models.md', import.meta.url));
// Only a checkout without ../shared may skip these; in CI a missing file is a failure, not a skip.
const referenceSkip = existsSync(REFERENCE) || process.env.CI ? false : `no ${REFERENCE}`;

test('the pinned rows are the reference file\'s expanded table, when it is at hand', { skip: referenceSkip }, () => {
  const text = readFileSync(REFERENCE, 'utf8');
  const expanded = text.slice(text.indexOf('## Expanded'));
  const rows = expanded
    .split('\n')
    .filter((l) => /^\| [a-z]/.test(l) && !l.startsWith('| model'))
    .map((l) => l.split('|').map((c) => c.trim()))
    .map((c) => [c[1], c[3]] as [string, string]);
  assert.deepEqual(rows, ELLE_PROHIBITED);
});

/** The rows of the reference's table under `heading`, as trimmed cells. */
function referenceRows(text: string, heading: string): string[][] {
  const from = text.indexOf(heading);
  const section = text.slice(from, text.indexOf('\n## ', from + 1) === -1 ? undefined : text.indexOf('\n## ', from + 1));
  return section
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('|---'))
    .slice(1)
    .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
}

test('our table has the reference\'s edges and direct proscriptions, when it is at hand', { skip: referenceSkip }, () => {
  const text = readFileSync(REFERENCE, 'utf8');
  const key = (a: string, b: string) => `${a} -> ${b}`;
  // Model implications, canonicalized at both ends as Elle does.
  const elleModelEdges = new Set<string>();
  for (const [a, bs] of referenceRows(text, '## Model implication edges')) for (const b of bs.split(', ')) elleModelEdges.add(key(canonicalModel(a), canonicalModel(b)));
  const ourModelEdges = new Set<string>();
  for (const m of MODELS) for (const b of m.implies ?? []) ourModelEdges.add(key(m.name, b));
  assert.deepEqual(sorted(ourModelEdges), sorted(elleModelEdges));
  // Anomaly implications, verbatim.
  const elleAnomalyEdges = new Set<string>();
  for (const [a, bs] of referenceRows(text, '## Anomaly implication edges')) for (const b of bs.split(', ')) elleAnomalyEdges.add(key(a, b));
  const ourAnomalyEdges = new Set<string>();
  for (const [a, bs] of Object.entries(ANOMALY_IMPLIES)) for (const b of bs) ourAnomalyEdges.add(key(a, b));
  assert.deepEqual(sorted(ourAnomalyEdges), sorted(elleAnomalyEdges));
  // Direct proscriptions, without the *-cycle-exists pseudo-anomalies.
  // (Elle's map has rows for both `serializable` and `PL-3`; it merges them by canonical name.)
  const elleForbids = new Map<string, Set<string>>();
  for (const [model, list] of referenceRows(text, '## Direct proscriptions')) {
    const c = canonicalModel(model);
    if (!elleForbids.has(c)) elleForbids.set(c, new Set());
    for (const a of list.split(', ')) if (!a.endsWith('-cycle-exists')) elleForbids.get(c)!.add(a);
  }
  for (const m of MODELS) assert.deepEqual(sorted(m.forbids ?? []), sorted(elleForbids.get(m.name) ?? []), m.name);
});

for (const [model, list] of ELLE_PROHIBITED) {
  test(`faithful: ${model} prohibits exactly Elle's anomalies`, () => {
    assert.deepEqual(sorted(anomaliesProhibitedBy([model], { faithful: true })), list.split(', ').sort());
  });
}

test('ours: every model also forbids garbage reads, and nothing else differs from Elle', () => {
  for (const [model, list] of ELLE_PROHIBITED) {
    const elle = new Set(list.split(', '));
    const ours = anomaliesProhibitedBy([model]);
    const added = sorted([...ours].filter((a) => !elle.has(a)));
    const removed = sorted([...elle].filter((a) => !ours.has(a)));
    assert.deepEqual(removed, [], model);
    assert.deepEqual(added, ['garbage-read'], model);
  }
});

test('canonical and friendly names', () => {
  assert.equal(canonicalModel('serializable'), 'PL-3');
  assert.equal(canonicalModel('conflict-serializable'), 'PL-3');
  assert.equal(canonicalModel('snapshot-isolation'), 'PL-SI');
  assert.equal(canonicalModel('si'), 'PL-SI');
  assert.equal(canonicalModel('strong-serializable'), 'PL-SS');
  assert.equal(canonicalModel('strong-session-read-committed'), 'strong-session-PL-2');
  assert.equal(canonicalModel('read-atomic'), 'read-atomic');
  assert.equal(canonicalModel('no-such-model'), 'no-such-model');
  assert.equal(friendlyModel('PL-SS'), 'strict-serializable');
  assert.equal(friendlyModel('conflict-serializable'), 'serializable');
  assert.equal(friendlyModel('PL-2.99'), 'repeatable-read');
  for (const m of ['strict-serializable', 'serializable', 'snapshot-isolation', 'repeatable-read', 'read-committed', 'read-uncommitted', 'PL-3', 'update-atomic', 'linearizable']) {
    assert.ok(knownModels().includes(m), m);
  }
  assert.deepEqual(knownModels(), sorted(knownModels()));
  assert.throws(() => anomaliesProhibitedBy(['stricct-snappshot-isolation']), /unknown consistency model stricct-snappshot-isolation/);
});

test('the table in docs/consistency-models.md is what the code says', () => {
  const doc = readFileSync(new URL('../../docs/consistency-models.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## The table'), doc.indexOf('\n## ', doc.indexOf('## The table') + 1));
  const rows = section.split('\n').filter((l) => /^\| [a-z]/.test(l) && !l.startsWith('| model')).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
  assert.ok(rows.length >= 25, `${rows.length} rows`);
  const detected = new Set(['G1a', 'G1b', 'dirty-update', 'duplicate-elements', 'future-read', 'garbage-read', 'incompatible-order', 'internal', 'lost-update']);
  for (const base of ['G0', 'G1c', 'G-single-item', 'G-nonadjacent-item', 'G2-item']) for (const s of ['', '-process', '-realtime']) detected.add(base + s);
  for (const [model, canonical, , , looksFor] of rows) {
    assert.equal(canonicalModel(model), canonical, model);
    assert.deepEqual(looksFor.split(', '), sorted([...anomaliesProhibitedBy([model])].filter((a) => detected.has(a))), model);
  }
});

test('known anomalies include every cycle class, its variants, and the non-cycle anomalies', () => {
  const known = knownAnomalies();
  for (const base of ['G0', 'G1c', 'G-single', 'G-nonadjacent', 'G2-item']) for (const s of ['', '-process', '-realtime']) assert.ok(known.includes(base + s), base + s);
  for (const a of ['G1', 'G1a', 'G1b', 'G2', 'internal', 'dirty-update', 'duplicate-elements', 'incompatible-order', 'lost-update', 'future-read', 'garbage-read', 'cyclic-versions', 'G-SI', 'G-cursor']) assert.ok(known.includes(a), a);
  assert.ok(!known.includes('G3'));
  assert.deepEqual(known, sorted(known));
});

test('weakest models (Elle weakest-models-test)', () => {
  const s = (ms: string[]) => sorted([...weakestModels(ms)].map(friendlyModel));
  assert.deepEqual(s([]), []);
  assert.deepEqual(s(['serializable', 'strict-serializable']), ['serializable']);
  assert.deepEqual(s(['repeatable-read', 'read-committed', 'sequential', 'read-your-writes']), ['read-committed', 'read-your-writes']);
  assert.deepEqual(s(['serializable', 'read-atomic']), ['read-atomic']);
  assert.deepEqual(s(['read-atomic', 'serializable']), ['read-atomic']);
});

// Elle prints PL-SS as strong-serializable (an artefact of hash-map order); we print strict-serializable.
const elleNames = (xs: string[]) => xs.map((x) => (x === 'strong-serializable' ? 'strict-serializable' : x)).sort();

test('impossible models (Elle anomaly->impossible-models-test)', () => {
  const as = (anomalies: string[]) => sorted([...impossibleModels(anomalies, { faithful: true })].map(friendlyModel));
  assert.deepEqual(as(['G-single']), elleNames(['consistent-view', 'forward-consistent-view', 'strong-serializable', 'serializable', 'snapshot-isolation', 'strong-session-serializable', 'strong-session-snapshot-isolation', 'strong-snapshot-isolation', 'update-serializable']));
  assert.deepEqual(as(['G-SI']), elleNames(['snapshot-isolation', 'serializable', 'strong-serializable', 'strong-session-serializable', 'strong-session-snapshot-isolation', 'strong-snapshot-isolation']));
  assert.deepEqual(
    as(['dirty-update']),
    elleNames([
      'read-committed', 'monotonic-atomic-view', 'snapshot-isolation', 'repeatable-read', 'update-atomic', 'serializable', 'strong-serializable', 'update-serializable',
      'cursor-stability', 'forward-consistent-view', 'consistent-view', 'monotonic-view', 'monotonic-snapshot-read', 'causal-cerone', 'parallel-snapshot-isolation',
      'prefix', 'read-atomic', 'strong-session-read-committed', 'strong-session-serializable', 'strong-session-snapshot-isolation', 'strong-read-committed', 'strong-snapshot-isolation',
    ]),
  );
  assert.deepEqual(as(['internal']), elleNames(['causal-cerone', 'parallel-snapshot-isolation', 'prefix', 'read-atomic', 'update-atomic', 'serializable', 'snapshot-isolation', 'strong-serializable', 'strong-session-serializable', 'strong-session-snapshot-isolation', 'strong-snapshot-isolation']));
});

test('boundary (Elle friendly-boundary-test), faithful', () => {
  const b = (anomalies: string[]) => modelsRuledOut(anomalies, { faithful: true });
  assert.deepEqual(b([]), { not: [], alsoNot: [] });
  assert.deepEqual(b(['cyclic-versions']), {
    not: ['read-uncommitted'],
    alsoNot: elleNames([
      'read-committed', 'snapshot-isolation', 'causal-cerone', 'consistent-view', 'cursor-stability', 'forward-consistent-view', 'monotonic-atomic-view',
      'monotonic-snapshot-read', 'monotonic-view', 'parallel-snapshot-isolation', 'prefix', 'read-atomic', 'repeatable-read', 'update-atomic', 'serializable',
      'strong-read-committed', 'strong-read-uncommitted', 'strong-serializable', 'strong-session-read-committed', 'strong-session-read-uncommitted',
      'strong-session-serializable', 'strong-session-snapshot-isolation', 'strong-snapshot-isolation', 'update-serializable',
    ]),
  });
  assert.deepEqual(b(['internal']), {
    not: ['read-atomic'],
    alsoNot: elleNames(['causal-cerone', 'parallel-snapshot-isolation', 'prefix', 'update-atomic', 'serializable', 'snapshot-isolation', 'strong-serializable', 'strong-session-serializable', 'strong-session-snapshot-isolation', 'strong-snapshot-isolation']),
  });
  assert.deepEqual(b(['G1a']), {
    not: ['read-committed'],
    alsoNot: elleNames([
      'read-atomic', 'update-atomic', 'causal-cerone', 'consistent-view', 'cursor-stability', 'forward-consistent-view', 'monotonic-atomic-view', 'monotonic-snapshot-read',
      'monotonic-view', 'parallel-snapshot-isolation', 'prefix', 'repeatable-read', 'serializable', 'snapshot-isolation', 'strong-read-committed', 'strong-snapshot-isolation',
      'strong-serializable', 'strong-session-read-committed', 'strong-session-serializable', 'strong-session-snapshot-isolation', 'update-serializable',
    ]),
  });
  assert.deepEqual(b(['G-single']), {
    not: ['consistent-view'],
    alsoNot: elleNames(['snapshot-isolation', 'serializable', 'strong-serializable', 'strong-session-snapshot-isolation', 'strong-snapshot-isolation', 'strong-session-serializable', 'forward-consistent-view', 'update-serializable']),
  });
  assert.deepEqual(b(['G2', 'internal']), {
    not: ['read-atomic'],
    alsoNot: elleNames(['update-atomic', 'causal-cerone', 'parallel-snapshot-isolation', 'prefix', 'serializable', 'snapshot-isolation', 'strong-serializable', 'strong-session-serializable', 'strong-session-snapshot-isolation', 'strong-snapshot-isolation']),
  });
  assert.deepEqual(b(['lost-update']).not, ['cursor-stability', 'update-atomic']);
  assert.deepEqual(b(['G-single-realtime']), { not: ['strong-snapshot-isolation'], alsoNot: ['strict-serializable'] });
});

test('si-without-g-single: G2-item alone rules out repeatable-read and what is stronger', () => {
  assert.deepEqual(modelsRuledOut(['G2-item']), { not: ['repeatable-read'], alsoNot: ['serializable', 'strict-serializable', 'strong-session-serializable'] });
  // Checking snapshot-isolation and repeatable-read looks for G2-item but allows nothing SI allows to slip.
  const wanted = anomaliesToCheck(['snapshot-isolation', 'repeatable-read'], []);
  for (const a of ['G2-item', 'G-single', 'G-nonadjacent', 'G0', 'G1a', 'G1b', 'G1c', 'internal', 'lost-update']) assert.ok(wanted.has(a), a);
  for (const a of ['G2-item-process', 'G-single-realtime', 'G0-process']) assert.ok(!wanted.has(a), a);
});

test('the item-level cycles our checkers report rule out what Elle rules out for them', () => {
  // Elle's G-single test (list_append_test.clj, rw_register_test.clj): :not #{:consistent-view :repeatable-read}
  assert.deepEqual(modelsRuledOut(['G-single-item']), {
    not: ['consistent-view', 'repeatable-read'],
    alsoNot: ['forward-consistent-view', 'serializable', 'snapshot-isolation', 'strict-serializable', 'strong-session-serializable', 'strong-session-snapshot-isolation', 'strong-snapshot-isolation', 'update-serializable'],
  });
  assert.deepEqual(modelsRuledOut(['G-nonadjacent-item']).not, ['repeatable-read', 'snapshot-isolation']);
  assert.deepEqual(modelsRuledOut(['garbage-read']).not, ['read-uncommitted']);
  assert.deepEqual(modelsRuledOut(['garbage-read'], { faithful: true }), { not: [], alsoNot: [] });
});

test('anomaliesToCheck expands named anomalies through implication', () => {
  assert.deepEqual(sorted(anomaliesToCheck([], ['G1'])), ['G0', 'G1', 'G1a', 'G1b', 'G1c', 'dirty-update', 'future-read', 'incompatible-order']);
  assert.deepEqual(sorted(anomaliesToCheck([], ['G2'])), ['G-nonadjacent', 'G-nonadjacent-item', 'G-single', 'G-single-item', 'G2', 'G2-item', 'lost-update', 'write-skew']);
  assert.deepEqual(sorted(anomaliesToCheck([], ['G2-item'], { faithful: true })), ['G-nonadjacent-item', 'G-single-item', 'G2-item', 'lost-update']);
  assert.deepEqual(sorted(anomaliesToCheck([], ['G0-realtime'])), ['G0', 'G0-process', 'G0-realtime']);
  assert.deepEqual(sorted(anomaliesToCheck([], ['G-single-realtime'])), ['G-single', 'G-single-item', 'G-single-item-process', 'G-single-item-realtime', 'G-single-process', 'G-single-realtime']);
  // The strict-serializable check looks for every cycle class with its process and realtime forms.
  const ss = anomaliesToCheck(['strict-serializable'], []);
  for (const base of ['G0', 'G1c', 'G-single', 'G-nonadjacent', 'G2-item']) for (const s of ['', '-process', '-realtime']) assert.ok(ss.has(base + s), base + s);
  // Models and anomalies combine.
  const both = anomaliesToCheck(['read-committed'], ['G-single']);
  assert.ok(both.has('G1b') && both.has('G-single') && !both.has('G2-item'));
});
