/**
 * What the `list-append` and `rw-register` checkers (checker.ts) run: Elle's transactional
 * checker, over typed arrays, loaded only when a check needs it. `checkElle` drives a workload (workload.ts) through the same steps for both:
 *
 *   1. read transactions out of the history (txns.ts, the workload's micro-ops);
 *   2. infer each key's version order, find the anomalies that need no cycle (the workload's
 *      table of contents, anomalies.ts), and add its ww / wr / rw edges, then process /
 *      realtime edges when a model needs them (order.ts);
 *   3. split the graph into strongly connected components and search each for the smallest
 *      cycle of every class the chosen consistency models forbid (components.ts,
 *      cycle-search.ts), within `--time-limit`;
 *   4. explain and draw each cycle (explain.ts, render.ts), and name the models ruled out.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type EdnRecord, EdnSet, type EdnValue, kw } from '../edn/values.js';
import type { History } from '../history/history.js';
import { type CheckContext, type CheckResult, UNKNOWN, UsageError, type Validity } from '../check/checker.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { positiveNumber } from '../util/options.js';
import { defaultWorkers } from '../util/workers.js';
import { type Cases, findAnomalies } from './anomalies.js';
import { listAppendWorkload } from './append.js';
import { type CycleSearchResult, findCycles } from './components.js';
import { CYCLE_CLASSES } from './cycle-classes.js';
import { type ExplainedCycle, explainCycle } from './explain.js';
import { type Csr, EdgeList, PROCESS, REALTIME, buildCsr } from './graph.js';
import { anomaliesToCheck, canonicalModel, knownAnomalies, knownModels, modelsRuledOut } from './models.js';
import { addProcessEdges, addRealtimeEdges } from './order.js';
import { rwRegisterWorkload } from './register.js';
import { cycleDot, cycleSvg, pictureOf } from './render.js';
import { type Txns, readTxns } from './txns.js';
import type { ElleOptions, TxnWorkload } from './workload.js';
import { elleCertificate, elleOrderCertificate } from './certificate.js';

/** The options of both checkers (defined with the workload seams, re-exported for callers). */
export type { ElleOptions } from './workload.js';

/** Every transactional workload: a micro-op of another one is named in bad-input messages, and a saved result is told apart by them. */
const TXN_WORKLOADS = [listAppendWorkload, rwRegisterWorkload] as const;

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

/** `--anomalies`, validated: an unknown name is a usage error listing the known ones. */
function anomaliesOf(opts: ElleOptions): string[] {
  const asked = names(opts.anomalies) ?? [];
  const known = new Set(knownAnomalies());
  const unknown = asked.filter((a) => !known.has(a));
  if (unknown.length > 0) throw new UsageError(`unknown anomaly ${unknown.join(', ')} in --anomalies; known: ${[...known].join(', ')}`);
  return asked;
}

const sortedKeywords = (xs: Iterable<string>): EdnValue[] => [...xs].sort().map((x) => kw(x));

/**
 * Checks `history` as `workload`'s transactions against the consistency models and anomalies
 * `opts` asks for; the result is Elle's map ({:valid?, :anomaly-types, :anomalies, :not, …}).
 * Throws UsageError for a bad option and HistoryError for ops that are not the workload's
 * transactions. With `ctx.outDir`, each cycle's text and pictures go to `elle/` there.
 */
export async function checkElle<O>(history: History, workload: TxnWorkload<O>, opts: ElleOptions = {}, ctx: CheckContext = {}): Promise<CheckResult> {
  const started = Date.now();
  const models = modelsOf(opts);
  const wanted = anomaliesToCheck(models, anomaliesOf(opts));
  const timeLimit = positiveNumber('--time-limit', opts.timeLimit) ?? DEFAULT_TIME_LIMIT;
  const workers = Math.floor(positiveNumber('--workers', opts.workers) ?? defaultWorkers());
  const phase = phaseTimer();
  const txns = readTxns(history, workload, TXN_WORKLOADS);
  phase('read transactions');
  // About three data edges per micro-op, plus process and realtime ones per transaction.
  const edges = new EdgeList(txns.mopKind.length * 3 + txns.count * 4);
  const orders = workload.inferOrders(txns, opts);
  workload.addEdges(txns, orders, edges);
  // Every non-cycle anomaly is looked for, asked for or not: as in Elle, `:not` is what all of
  // them rule out, while `:anomaly-types` names only the ones the models or --anomalies ask about.
  const nonCycle = findAnomalies(workload.anomalies, txns, orders);
  phase('infer versions and data edges');
  const classes = CYCLE_CLASSES.filter((c) => wanted.has(c.name));
  // As Elle: real-time order when any class needs it (a process's order is real-time order too,
  // so its cycles show as -realtime), else process order when a class needs that.
  const realtime = classes.some((c) => (c.allowed & REALTIME) !== 0);
  if (realtime) addRealtimeEdges(txns, edges);
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
  const explained = [...search.cycles].flatMap(([type, cycles]) => cycles.map((c) => explainCycle(txns, workload, orders, type, c.nodes, c.kinds)));
  const result = resultOf({ txns, nonCycle, explained, search, wanted, emptyGraph: graph.dst.length === 0, timeLimit });
  Object.assign(result, workload.resultNotes(orders));
  result['checked-models'] = sortedKeywords(models);
  result['txn-count'] = txns.count;
  const counts: EdnRecord = {};
  for (const [type, cases] of nonCycle) if (wanted.has(type) && cases.count > cases.examples.length) counts[type] = cases.count;
  if (Object.keys(counts).length > 0) result['anomaly-counts'] = counts;
  if (ctx.outDir !== undefined && explained.length > 0) await writePictures(ctx.outDir, explained);
  // Evidence only when asked for: the order is a pass over the whole graph.
  if (ctx.certify !== undefined) {
    const serializable = models.some((m) => m.includes('serializable'));
    const anomalies = new Map([...nonCycle].filter(([type, cases]) => wanted.has(type) && cases.examples.length > 0).map(([type, cases]) => [type, cases.examples]));
    const evidence = certificateOf(workload, result['valid?'], { txns, orders, explained, graph, realtime, serializable, anomalies });
    if (evidence !== undefined) ctx.certify(workload.name, evidence);
  }
  return result;
}

/**
 * A result's evidence (docs/certificates.md): list-append's order of a valid serializable
 * result, or its cycles and other anomalies; another workload's invalid result, as it certifies
 * it (rw-register's valid results have no verifier yet).
 */
function certificateOf<O>(
  workload: TxnWorkload<O>,
  verdict: Validity,
  f: { txns: Txns; orders: O; explained: ExplainedCycle[]; graph: Csr; realtime: boolean; serializable: boolean; anomalies: Map<string, EdnRecord[]> },
): EdnRecord | undefined {
  if (workload.name !== 'list-append') return verdict === false ? workload.certifyInvalid?.(f.txns, f.orders, f.explained, verdict, f.anomalies) : undefined;
  if (verdict === true) return f.serializable ? elleOrderCertificate(f.txns, f.graph, f.realtime) : undefined;
  return elleCertificate(f.txns, f.explained, verdict, f.anomalies);
}

/** What the verdict is made of: the anomalies found, the cycles explained, the search's leftovers. */
interface Findings {
  txns: Txns;
  nonCycle: Map<string, Cases>;
  explained: ExplainedCycle[];
  search: CycleSearchResult;
  wanted: Set<string>;
  emptyGraph: boolean;
  timeLimit: number;
}

/** The verdict and the anomalies: {:valid?, :anomaly-types, :anomalies, :not, :also-not} and why it is unknown, if it is. */
function resultOf(f: Findings): CheckResult {
  const anomalies: EdnRecord = {};
  for (const [type, cases] of f.nonCycle) if (f.wanted.has(type)) anomalies[type] = cases.examples;
  for (const e of f.explained) ((anomalies[e.type] ??= []) as EdnRecord[]).push(e.record);
  const found = Object.keys(anomalies);
  const ruled = modelsRuledOut([...new Set([...found, ...f.nonCycle.keys()])]);
  // Elle's rule: with no edge between any two transactions nothing was judged (no transaction
  // read what another wrote, none followed another), so the verdict is :unknown, never valid.
  if (f.emptyGraph) anomalies[EMPTY_GRAPH] = true;
  const types = Object.keys(anomalies).sort();
  const unknown: EdnRecord = {};
  for (const [type, sizes] of f.search.unknown) if (!f.search.cycles.has(type)) unknown[type] = { 'component-sizes': sizes };
  const valid = found.length > 0 ? false : f.emptyGraph || Object.keys(unknown).length > 0 ? UNKNOWN : true;
  const result: CheckResult = {
    'valid?': valid,
    'anomaly-types': sortedKeywords(types),
    anomalies,
    not: new EdnSet(sortedKeywords(ruled.not)),
    'also-not': new EdnSet(sortedKeywords(ruled.alsoNot)),
  };
  if (Object.keys(unknown).length > 0) {
    result.unknown = unknown;
    result['unknown-reason'] = `the cycle search ran out of its ${f.timeLimit} s budget (--time-limit) in a strongly connected component before finding or ruling out these anomalies`;
  } else if (f.emptyGraph && found.length === 0) {
    result['unknown-reason'] =
      f.txns.count === 0
        ? 'no transaction completed :ok or :info, so there was nothing to check'
        : `no dependency or order between any two of the ${f.txns.count} transactions, so nothing could be judged`;
  }
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

/** Checks `history` as list-append transactions (see checkElle). */
export function checkListAppend(history: History, opts: ElleOptions = {}, ctx: CheckContext = {}): Promise<CheckResult> {
  return checkElle(history, listAppendWorkload, opts, ctx);
}

/** Checks `history` as rw-register transactions (see checkElle). */
export function checkRwRegister(history: History, opts: ElleOptions = {}, ctx: CheckContext = {}): Promise<CheckResult> {
  return checkElle(history, rwRegisterWorkload, opts, ctx);
}
