/**
 * `sequential`: sequential consistency of a single register with unique writes (the Couchbase
 * work's checker). Every process's reads, writes and cas ops must fit one total order that
 * keeps each process's own order and in which every read returns the latest write; unlike
 * linearizability, real time between processes does not matter.
 *
 * Ops: `:read` (value from the completion; nil or `:nil` is the initial, missing value),
 * `:write v`, `:cas [old new]`. See `ops.ts` for what :fail / :info ops mean here and
 * `order.ts` for the decision procedure (linear, no search) and its evidence.
 */
import { printEdn } from '../../edn/print.js';
import { type EdnRecord, type EdnValue, kw } from '../../edn/values.js';
import type { History } from '../../history/history.js';
import { OK } from '../../history/op.js';
import { type CheckResult, type Checker, UNKNOWN } from '../../check/checker.js';
import { type OrderStep, sequentialOrder } from './order.js';
import { CAS, READ, type RegisterOps, registerOps } from './ops.js';
import { nothingToJudge, okCount, opRecord } from '../../check/results.js';

/**
 * Checks a register history for sequential consistency (see this file's header): true with the
 * chain count; false with the anomaly, the ops or steps it cites and an `:explanation`; unknown
 * when writes are not unique or no op completed ok.
 */
export function checkSequential(history: History, certify?: (evidence: EdnRecord) => void): CheckResult {
  const ops = registerOps(history);
  const verdict = sequentialOrder(ops, certify !== undefined);
  const counts: EdnRecord = { 'op-count': ops.n };
  if (ops.skipped > 0) counts['skipped-count'] = ops.skipped;
  const cite = (k: number): EdnValue => opOf(history, ops.cite[k]);
  if (okCount(history) === 0) return nothingToJudge('no register :read, :write or :cas completed :ok, so nothing was checked', counts);
  if (verdict.valid === true) {
    // A valid verdict's certificate: the total order found, by each op's cited :index, for verify to replay.
    if (verdict.order !== undefined) certify?.({ 'valid?': true, order: verdict.order.map((k) => history.index[ops.cite[k]]) });
    return { 'valid?': true, ...counts, 'chain-count': verdict.chains };
  }
  if (verdict.valid === 'unknown') {
    return { 'valid?': UNKNOWN, ...counts, error: verdict.reason, ops: verdict.ops.map(cite) };
  }
  const say = (k: number) => describeOp(history, ops, k);
  if ('ops' in verdict) {
    const [a, b] = verdict.ops;
    const valueOf = (k: number) => printEdn(ops.values[ops.value[k]]);
    let explanation: string;
    switch (verdict.anomaly) {
      case 'unwritten-read':
        explanation = `${say(a)}, but no op wrote ${valueOf(a)}`;
        break;
      case 'competing-cas':
        explanation = `${say(a)} and ${say(b)} both succeeded from ${valueOf(a)}; with unique writes only one can directly follow its write`;
        break;
      case 'cas-cycle':
        explanation = `these cas ops expect each other's values round a loop no plain write starts: ${verdict.ops.map(say).join('; ')}`;
        break;
      case 'process-order':
        explanation = `${say(a)}, then ${say(b)}; but the cas ops that chain these values together put the second op before the first`;
        break;
    }
    // These three follow from the ops alone (no chains); certified when every op cited completed :ok.
    const local = verdict.anomaly === 'unwritten-read' || verdict.anomaly === 'competing-cas' || verdict.anomaly === 'cas-cycle';
    if (certify !== undefined && local && verdict.ops.every((k) => history.type[ops.cite[k]] === OK)) {
      certify({ 'valid?': false, anomaly: kw(verdict.anomaly), ops: verdict.ops.map((k) => history.index[ops.cite[k]]) });
    }
    return { 'valid?': false, ...counts, anomaly: kw(verdict.anomaly), ops: verdict.ops.map(cite), explanation };
  }
  const steps = verdict.steps.map((s) => stepRecord(history, ops, s));
  const explanation =
    verdict.anomaly === 'cycle'
      ? `no single order of the writes fits every process: ${verdict.steps.map((s) => stepText(history, ops, s)).join('; ')}: a loop`
      : `the initial value must be read before any write, but ${stepText(history, ops, verdict.steps[0])}`;
  return { 'valid?': false, ...counts, anomaly: kw(verdict.anomaly), steps, explanation };
}

/** Sequential's citations: {:index :type :process :f :value}, without :time or :error (see OpRecordKeys). */
const SEQUENTIAL_OP_KEYS = { time: false, error: false } as const;
function opOf(history: History, i: number): EdnRecord {
  return opRecord(history, i, SEQUENTIAL_OP_KEYS);
}

function stepRecord(history: History, ops: RegisterOps, s: OrderStep): EdnRecord {
  return { process: s.process, before: opOf(history, ops.cite[s.before]), after: opOf(history, ops.cite[s.after]) };
}

function stepText(history: History, ops: RegisterOps, s: OrderStep): string {
  const held = (k: number) => printEdn(ops.values[ops.kind[k] === CAS ? ops.value2[k] : ops.value[k]]);
  const after = describeOp(history, ops, s.after).replace(/^process \S+ /, '');
  return `${describeOp(history, ops, s.before)} before it ${after}, so the register held ${held(s.before)} before ${held(s.after)}`;
}

/** "process 3 read 5 (op 17)". */
function describeOp(history: History, ops: RegisterOps, k: number): string {
  const p = history.processValue(ops.invoke[k]);
  const v = (id: number) => printEdn(ops.values[id]);
  const what =
    ops.kind[k] === READ ? `read ${v(ops.value[k])}` : ops.kind[k] === CAS ? `cas ${v(ops.value[k])}→${v(ops.value2[k])}` : `wrote ${v(ops.value[k])}`;
  return `process ${p === undefined ? '?' : printEdn(p)} ${what} (op ${history.index[ops.cite[k]]})`;
}

/**
 * The `sequential` checker (`--checker sequential`): `checkSequential`; no options.
 *
 * @example
 * const result = await check(history, [sequential]);
 */
export const sequential: Checker = {
  name: 'sequential',
  summary: 'sequential consistency of a register with unique writes (read / write / cas; per-process order, not real time)',
  accepts: ['read', 'write', 'cas'],
  check: (history, _o, ctx) => checkSequential(history, ctx?.certify === undefined ? undefined : (e) => ctx.certify!('sequential', e)),
  describe: (r) => (r['valid?'] === true ? `sequentially consistent (${String(r['op-count'])} ops)` : typeof r.explanation === 'string' ? r.explanation : String(r.error ?? 'not sequentially consistent')),
};
