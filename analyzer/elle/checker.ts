/**
 * The `list-append` and `rw-register` checkers as the registry sees them: names, options, words,
 * how to tell their results apart. The analysis itself (check.ts, and the two dozen modules
 * behind it) is imported only when one of them checks a history, so a CLI run of another
 * checker does not load it.
 */
import { elleWords, workloadCitedBy } from './words.js';
import type { EdnRecord, EdnSet, EdnValue } from '../edn/values.js';
import type { CheckResult, Checker, CheckerOption } from '../check/checker.js';
import { LIST_APPEND, RW_REGISTER } from './identities.js';
import type { ElleOptions, WorkloadIdentity } from './workload.js';
import { lazy } from '../util/lazy.js';

/** The options of both checkers (defined with the workload seams, re-exported for callers). */
export type { ElleOptions } from './workload.js';

const TXN_WORKLOADS = [LIST_APPEND, RW_REGISTER] as const;

/** The analysis, loaded when a check runs (util/lazy.ts). */
export const elleAnalysis = lazy(() => import('./check.js'));

/** Whether saved result `r` is one of `workload`'s: it cites its micro-ops (list-append when it cites none). */
function isResultOf(r: EdnRecord, workload: WorkloadIdentity): boolean {
  return 'anomaly-types' in r && (workloadCitedBy(r, TXN_WORKLOADS) ?? LIST_APPEND).name === workload.name;
}

const SHARED_OPTIONS: CheckerOption[] = [
  { flags: '--consistency-models <models>', description: 'comma-separated consistency models to check (default strict-serializable; "none" for only --anomalies)', shared: true },
  { flags: '--anomalies <names>', description: 'comma-separated anomalies to look for besides the models\' (e.g. G1,G2-item)', shared: true },
  { flags: '--time-limit <seconds>', description: 'budget for the search (default 30 for list-append / rw-register); past it a class still unsearched is :unknown', shared: true },
  { flags: '--workers <n>', description: 'worker threads for large searches (default: the number of cores)', shared: true },
];

function describe(r: CheckResult): string {
  const types = (r['anomaly-types'] as EdnValue[]).map((k) => (k as { name: string }).name);
  if (r['valid?'] === true) return `no anomalies in ${String(r['txn-count'])} transactions`;
  const not = (r.not as EdnSet).items.map((k) => (k as { name: string }).name);
  const unknown = r.unknown !== undefined ? `; search budget spent for ${Object.keys(r.unknown as EdnRecord).join(', ')}` : '';
  return `${types.join(', ') || 'no anomaly found'}${not.length > 0 ? `; not ${not.join(', ')}` : ''}${unknown}`;
}

/** What both Elle checkers declare alike: :txn ops, one set of files, one set of words. */
const ELLE_CONTRACT = {
  accepts: ['txn'],
  writes: ['elle/*.dot', 'elle/*.svg', 'elle/*.txt'],
  words: elleWords,
  splits: 'component',
} as const;

/** The `list-append` checker (Elle's list-append workload). */
export const listAppend: Checker<ElleOptions> = {
  name: 'list-append',
  summary: 'Elle-style transactional anomalies over list-append transactions ([:append k v] / [:r k [v…]])',
  options: SHARED_OPTIONS,
  ...ELLE_CONTRACT,
  recognizes: (r) => isResultOf(r, LIST_APPEND),
  check: async (history, options, ctx) => (await elleAnalysis()).checkListAppend(history, options, ctx),
  describe,
};

/** The `rw-register` checker (Elle's rw-register workload). */
export const rwRegister: Checker<ElleOptions> = {
  name: 'rw-register',
  summary: 'Elle-style transactional anomalies over read-write register transactions ([:w k v] / [:r k v])',
  options: [
    ...SHARED_OPTIONS,
    { flags: '--wfr-keys', description: 'rw-register: assume a transaction\'s write follows its read of the same key in the version order' },
    { flags: '--sequential-keys', description: 'rw-register: assume each process sees every key\'s versions in order' },
    { flags: '--linearizable-keys', description: 'rw-register: assume each key is linearizable (real-time order bounds its versions)' },
    { flags: '--transaction-order <map>', description: 'rw-register: a known commit order, an EDN or JSON map from a completion\'s :index to its position, e.g. \'{0 2, 1 1}\' (Elle\'s :transaction-order)' },
  ],
  ...ELLE_CONTRACT,
  recognizes: (r) => isResultOf(r, RW_REGISTER),
  check: async (history, options, ctx) => (await elleAnalysis()).checkRwRegister(history, options, ctx),
  describe,
};
