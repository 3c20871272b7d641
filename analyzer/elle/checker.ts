/**
 * The `list-append` and `rw-register` checkers: Elle's transactional checker, over typed arrays.
 *
 *   1. read transactions out of the history (txns.ts);
 *   2. infer version orders and the ww / wr / rw edges, noting non-cycle anomalies on the way
 *      (append.ts, register.ts), and add process / realtime edges when a model needs them;
 *   3. find strongly connected components and, in each, the smallest cycle of every class the
 *      chosen consistency models forbid (search.ts, cycles.ts), within `--time-limit`;
 *   4. explain and draw each cycle (explain.ts, render.ts), and name the models ruled out.
 */
import { elleWords, microOpKindOf } from './words.js';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EdnMap, type EdnRecord, EdnSet, type EdnValue, kw } from '../edn/values.js';
import { parseEdn } from '../edn/scanner.js';
import type { History } from '../history/history.js';
import { type CheckContext, type CheckResult, type Checker, type CheckerOption, UNKNOWN, UsageError } from '../check/checker.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { positiveNumber } from '../util/options.js';
import { defaultWorkers } from '../util/workers.js';
import { AnomalyLog } from './anomalies.js';
import { appendEdges, inferAppendOrders } from './append.js';
import { CYCLE_CLASSES } from './cycle-classes.js';
import { type ExplainedCycle, type Orders, explainCycle } from './explain.js';
import { EdgeList, PROCESS, REALTIME, buildCsr } from './graph.js';
import { anomaliesToCheck, canonicalModel, knownAnomalies, knownModels, modelsRuledOut } from './models.js';
import { addProcessEdges, addRealtimeEdges } from './order.js';
import { inferRegisterOrders, registerEdges } from './register.js';
import { cycleDot, cycleSvg, pictureOf } from './render.js';
import { findCycles } from './search.js';
import { type Workload, readTxns } from './txns.js';

export interface ElleOptions {
  /** Model names, comma-separated or as a list; `none` for no model. Default strict-serializable. */
  consistencyModels?: string | string[];
  /** Anomaly names to look for besides the models' (e.g. G1, G2-item). */
  anomalies?: string | string[];
  /** Seconds for the cycle search (default 30). */
  timeLimit?: number | string;
  workers?: number | string;
  wfrKeys?: boolean;
  /** rw-register: a known commit order, `{completion :index → position}` as EDN/JSON text or a map. */
  transactionOrder?: string | Record<string, number>;
  sequentialKeys?: boolean;
  linearizableKeys?: boolean;
}

const DEFAULT_TIME_LIMIT = 30;

/** Elle's name for a history whose transaction graph has no edge. */
const EMPTY_GRAPH = 'empty-transaction-graph';

function names(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const list = Array.isArray(v) ? v : v.split(',');
  return list.map((s) => s.trim().replace(/^:/, '')).filter((s) => s !== '');
}

/** The models to check, validated; `none` gives none. */
export function modelsOf(opts: ElleOptions): string[] {
  const given = names(opts.consistencyModels) ?? ['strict-serializable'];
  if (given.length === 1 && given[0] === 'none') return [];
  const known = new Set(knownModels());
  return given.map((m) => {
    const c = canonicalModel(m);
    if (!known.has(m) && !known.has(c)) throw new UsageError(`unknown consistency model ${m}; known: ${knownModels().join(', ')}`);
    return m;
  });
}

/** `--transaction-order` as a map from completion :index to position; a usage error if it is not one. */
function transactionOrderOf(v: string | Record<string, number> | undefined): Map<number, number> | undefined {
  if (v === undefined) return undefined;
  let entries: [unknown, unknown][];
  if (typeof v === 'string') {
    const notMap = new UsageError(`--transaction-order must be a map like '{0 2, 1 1}', not ${v.slice(0, 80)}`);
    let parsed: unknown;
    try {
      parsed = v.trimStart().startsWith('{"') ? JSON.parse(v) : parseEdn(v);
    } catch {
      throw notMap;
    }
    if (parsed instanceof EdnMap) entries = parsed.keys.map((k, i) => [k, parsed.vals[i]]);
    else if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) entries = Object.entries(parsed);
    else throw notMap;
  } else entries = Object.entries(v);
  const out = new Map<number, number>();
  for (const [k, pos] of entries) {
    const index = Number(k);
    if (!Number.isInteger(index) || typeof pos !== 'number') throw new UsageError(`--transaction-order maps a completion's :index to a number; found ${String(k)} → ${String(pos)}`);
    out.set(index, pos);
  }
  return out;
}

/** `--anomalies`, validated: an unknown name is a usage error listing the known ones. */
function anomaliesOf(opts: ElleOptions): string[] {
  const asked = names(opts.anomalies) ?? [];
  const known = new Set(knownAnomalies());
  const unknown = asked.filter((a) => !known.has(a));
  if (unknown.length > 0) throw new UsageError(`unknown anomaly ${unknown.join(', ')} in --anomalies; known: ${[...known].join(', ')}`);
  return asked;
}

const sortedKeywords = (xs: Iterable<string>): EdnValue[] => [...xs].sort().map((x) => kw(x));

export async function checkElle(history: History, workload: Workload, opts: ElleOptions = {}, ctx: CheckContext = {}): Promise<CheckResult> {
  const started = Date.now();
  const models = modelsOf(opts);
  const wanted = anomaliesToCheck(models, anomaliesOf(opts));
  const timeLimit = positiveNumber('--time-limit', opts.timeLimit) ?? DEFAULT_TIME_LIMIT;
  const workers = Math.floor(positiveNumber('--workers', opts.workers) ?? defaultWorkers());
  const phase = phaseTimer();
  const txns = readTxns(history, workload);
  phase('read transactions');
  // Every non-cycle anomaly is noted, asked for or not: as in Elle, `:not` is what all of them
  // rule out, while `:anomaly-types` names only the ones the models or --anomalies ask about.
  const log = new AnomalyLog();
  // About three data edges per micro-op, plus process and realtime ones per transaction.
  const edges = new EdgeList(txns.mopKind.length * 3 + txns.count * 4);
  const orders: Orders = {};
  const assumptions: string[] = [];
  if (workload === 'list-append') {
    orders.append = inferAppendOrders(txns, log);
    appendEdges(txns, orders.append, edges, log);
  } else {
    const transactionOrder = transactionOrderOf(opts.transactionOrder);
    const assume = { wfrKeys: opts.wfrKeys === true, sequentialKeys: opts.sequentialKeys === true, linearizableKeys: opts.linearizableKeys === true, transactionOrder };
    if (transactionOrder !== undefined) assumptions.push('transaction-order');
    if (assume.wfrKeys) assumptions.push('wfr-keys');
    if (assume.sequentialKeys) assumptions.push('sequential-keys');
    if (assume.linearizableKeys) assumptions.push('linearizable-keys');
    orders.register = inferRegisterOrders(txns, log, assume);
    registerEdges(txns, orders.register, edges, log);
  }
  phase('infer versions and data edges');
  const classes = CYCLE_CLASSES.filter((c) => wanted.has(c.name));
  // As Elle: real-time order when any class needs it (a process's order is real-time order too,
  // so its cycles show as -realtime), else process order when a class needs that.
  if (classes.some((c) => (c.allowed & REALTIME) !== 0)) addRealtimeEdges(txns, edges);
  else if (classes.some((c) => (c.allowed & PROCESS) !== 0)) addProcessEdges(txns, edges);
  phase('order edges');
  const graph = buildCsr(txns.count, edges);
  phase('csr');
  ctx.progress?.(`searching ${txns.count} transactions, ${graph.dst.length} edges for cycles`);
  const search = await findCycles(graph, classes, {
    deadline: started + timeLimit * 1000,
    workers,
    onComponentDone: (done, total) => ctx.progress?.('components searched for cycles', done, total),
  });

  phase(`cycle search (${graph.dst.length} edges, ${search.components} components, largest ${search.largest})`);
  const anomalies: EdnRecord = {};
  const explained: ExplainedCycle[] = [];
  for (const [type, list] of log.found) if (wanted.has(type)) anomalies[type] = list;
  for (const [type, cycles] of search.cycles) {
    const ex = cycles.map((c) => explainCycle(txns, orders, type, c.nodes, c.kinds));
    explained.push(...ex);
    anomalies[type] = ex.map((e) => e.record);
  }
  const found = Object.keys(anomalies);
  const ruled = modelsRuledOut([...new Set([...found, ...log.found.keys()])]);
  // Elle's rule: with no edge between any two transactions nothing was judged (no transaction
  // read what another wrote, none followed another), so the verdict is :unknown, never valid.
  const emptyGraph = graph.dst.length === 0;
  if (emptyGraph) anomalies[EMPTY_GRAPH] = true;
  const types = Object.keys(anomalies).sort();
  const unknown: EdnRecord = {};
  for (const [type, sizes] of search.unknown) if (!search.cycles.has(type)) unknown[type] = { 'component-sizes': sizes };
  const valid = found.length > 0 ? false : emptyGraph || Object.keys(unknown).length > 0 ? UNKNOWN : true;
  const result: CheckResult = {
    'valid?': valid,
    'anomaly-types': sortedKeywords(types),
    anomalies,
    not: new EdnSet(sortedKeywords(ruled.not)),
    'also-not': new EdnSet(sortedKeywords(ruled.alsoNot)),
  };
  if (Object.keys(unknown).length > 0) {
    result.unknown = unknown;
    result['unknown-reason'] = `the cycle search ran out of its ${timeLimit} s budget (--time-limit) in a strongly connected component before finding or ruling out these anomalies`;
  } else if (emptyGraph && found.length === 0) {
    result['unknown-reason'] =
      txns.count === 0
        ? 'no transaction completed :ok or :info, so there was nothing to check'
        : `no dependency or order between any two of the ${txns.count} transactions, so nothing could be judged`;
  }
  if (assumptions.length > 0) result.assumptions = sortedKeywords(assumptions);
  if (orders.append !== undefined && orders.append.duplicateAppends > 0) {
    // Elle gives up (:unknown) on these; we keep the first append of each value and say so.
    result['duplicate-appends'] = orders.append.duplicateAppends;
  }
  result['checked-models'] = sortedKeywords(models);
  result['txn-count'] = txns.count;
  const counts: EdnRecord = {};
  for (const [type, n] of log.counts) if (wanted.has(type) && n > (log.found.get(type)?.length ?? 0)) counts[type] = n;
  if (Object.keys(counts).length > 0) result['anomaly-counts'] = counts;
  if (ctx.outDir !== undefined && explained.length > 0) await writePictures(ctx.outDir, explained);
  return result;
}

/** Phase timings on stderr when HINDSIGHT_PROFILE is set (for benchmarks). */
function phaseTimer(): (name: string) => void {
  if (process.env.HINDSIGHT_PROFILE === undefined) return () => {};
  let last = performance.now();
  return (name) => {
    const now = performance.now();
    process.stderr.write(`elle: ${name} ${(now - last).toFixed(0)} ms, rss ${Math.round(process.memoryUsage().rss / 1048576)} MB\n`);
    last = now;
  };
}

async function writePictures(outDir: string, cycles: ExplainedCycle[]): Promise<void> {
  const dir = join(outDir, 'elle');
  await mkdir(dir, { recursive: true });
  const seen = new Map<string, number>();
  for (const c of cycles) {
    const i = (seen.get(c.type) ?? 0) + 1;
    seen.set(c.type, i);
    const pic = pictureOf(c.type, c.record);
    await writeFileAtomic(join(dir, `${c.type}-${i}.dot`), cycleDot(pic));
    await writeFileAtomic(join(dir, `${c.type}-${i}.svg`), cycleSvg(pic));
    await writeFileAtomic(join(dir, `${c.type}-${i}.txt`), c.text + '\n');
  }
}

export function checkListAppend(history: History, opts: ElleOptions = {}, ctx: CheckContext = {}): Promise<CheckResult> {
  return checkElle(history, 'list-append', opts, ctx);
}

export function checkRwRegister(history: History, opts: ElleOptions = {}, ctx: CheckContext = {}): Promise<CheckResult> {
  return checkElle(history, 'rw-register', opts, ctx);
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

export const listAppend: Checker<ElleOptions> = {
  name: 'list-append',
  summary: 'Elle-style transactional anomalies over list-append transactions ([:append k v] / [:r k [v…]])',
  options: SHARED_OPTIONS,
  ...ELLE_CONTRACT,
  recognizes: (r) => 'anomaly-types' in r && microOpKindOf(r) !== 'rw-register',
  check: (history, options, ctx) => checkListAppend(history, options, ctx),
  describe,
};

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
  recognizes: (r) => 'anomaly-types' in r && microOpKindOf(r) === 'rw-register',
  check: (history, options, ctx) => checkRwRegister(history, options, ctx),
  describe,
};
