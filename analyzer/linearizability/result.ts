/**
 * Knossos-compatible result maps for the linearizability search: `:op` (the ok op that could
 * not be linearized), `:previous-ok` (the last ok op linearized before it on the deepest
 * path), `:last-op` (the last op linearized there), `:final-paths` (a few short paths ending
 * in the op's rejection, each step `{:op … :model …}`, the last step's model being the reason),
 * and for valid histories a `:linearization` witness (op indices in order).
 */
import { printEdn } from '../edn/print.js';
import { type EdnRecord, type EdnValue, kw } from '../edn/values.js';
import type { History } from '../history/history.js';
import { type CheckResult, UNKNOWN } from '../checkers/checker.js';
import type { Model } from './models.js';
import type { LinOps } from './ops.js';
import type { SearchFailure, StateTable } from './wgl.js';

const MAX_PATHS = 10;

/** The op as Knossos prints it: the ok completion for ok ops, else the invocation. */
export function linOpRecord(history: History, ops: LinOps, k: number): EdnRecord {
  const i = ops.ret[k] >= 0 ? ops.ret[k] : ops.inv[k];
  const o = history.op(i);
  const r: EdnRecord = {};
  if (o.process !== undefined) r.process = o.process;
  r.type = kw(o.type);
  if (o.f !== undefined) r.f = o.f;
  r.value = o.value;
  r.index = o.index;
  if (o.time !== undefined) r.time = o.time;
  return r;
}

export function validResult(history: History, ops: LinOps, order: number[], states: number): CheckResult {
  return {
    'valid?': true,
    'op-count': ops.n,
    'states-explored': states,
    linearization: order.map((k) => history.index[ops.inv[k]]),
  };
}

export function unknownResult(cause: string, deepest: number, states: number, opCount: number): CheckResult {
  return { 'valid?': UNKNOWN, cause: kw(cause), 'op-count': opCount, 'max-linearized': deepest, 'states-explored': states };
}

export function invalidResult(history: History, ops: LinOps, table: StateTable, model: Model, f: SearchFailure, states: number): CheckResult {
  const rec = (k: number) => linOpRecord(history, ops, k);
  const stateId = (s: EdnValue) => table.intern(s);
  const at = f.path.length > 0 ? f.pathStates[f.path.length - 1] : f.initial;
  const atId = stateId(at);
  const reason = table.error(atId, f.op);
  const failStep = (sid: number): EdnRecord => ({ op: rec(f.op), model: table.error(sid, f.op) });
  const last = f.path.length > 0 ? f.path[f.path.length - 1] : -1;
  const lead: EdnRecord[] = last >= 0 ? [{ op: rec(last), model: model.describeState(at) }] : [];
  const paths: EdnValue[] = [[...lead, failStep(atId)]];
  for (const p of f.pending) {
    if (paths.length >= MAX_PATHS) break;
    if (p === f.op) continue;
    const s1 = table.step(atId, p);
    if (s1 < 0) {
      paths.push([...lead, { op: rec(p), model: table.error(atId, p) }]);
      continue;
    }
    const s2 = table.step(s1, f.op);
    if (s2 >= 0) continue; // could go through this way: not a final path
    paths.push([...lead, { op: rec(p), model: model.describeState(table.states[s1]) }, failStep(s1)]);
  }
  // Knossos's previous-ok: of the ok ops on the deepest path, the one that completed last
  // before the failing op completed.
  let prevK = -1;
  for (const k of f.path) {
    const r = ops.ret[k];
    if (r >= 0 && r < ops.ret[f.op] && (prevK < 0 || r > ops.ret[prevK])) prevK = k;
  }
  const previousOk: EdnValue = prevK >= 0 ? rec(prevK) : null;
  return {
    'valid?': false,
    'op-count': ops.n,
    'states-explored': states,
    op: rec(f.op),
    'previous-ok': previousOk,
    'last-op': last >= 0 ? rec(last) : null,
    'max-linearized': f.path.length,
    reason,
    'final-paths': paths,
  };
}

function opPhrase(op: EdnValue): string {
  if (op === null || typeof op !== 'object' || Array.isArray(op)) return printEdn(op);
  const r = op as EdnRecord;
  const f = r.f === undefined ? 'op' : printEdn(r.f).replace(/^:/, '');
  return `${f} of ${printEdn(r.value ?? null)}`;
}

/** "not linearizable: process 70's read of 0 at 1.84 s cannot be ordered after the write of 2 (can't read …)". */
export function describeLinearizable(result: CheckResult): string {
  const v = result['valid?'];
  const keys = typeof result['key-count'] === 'number' ? ` (${String(result['key-count'])} keys)` : '';
  if (v === true) return `linearizable${keys}`;
  if (v === UNKNOWN) {
    return `linearizability unknown: gave up on ${printEdn(result.cause ?? null).replace(/^:/, '')} after ${String(result['states-explored'])} states`;
  }
  const op = result.op as EdnRecord | undefined;
  if (op === undefined) return `not linearizable${keys}`;
  const when = typeof op.time === 'number' ? ` at ${(op.time / 1e9).toFixed(2)} s` : '';
  const who = op.process === undefined ? 'an op' : `process ${printEdn(op.process)}'s`;
  const after = result['last-op'] ? ` cannot be ordered after the ${opPhrase(result['last-op'])}` : ' cannot be linearized';
  const first = (result['final-paths'] as EdnValue[][] | undefined)?.[0];
  const lastStep = first?.[first.length - 1] as EdnRecord | undefined;
  const reason = typeof result.reason === 'string' ? result.reason : typeof lastStep?.model === 'string' ? lastStep.model : '';
  return `not linearizable: ${who} ${opPhrase(op)}${when}${after}${reason ? ` (${reason})` : ''}`;
}
