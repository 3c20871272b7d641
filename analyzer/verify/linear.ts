/**
 * Checking a linearizable certificate (analyzer/linear/certificate.ts) against the history, with
 * none of the checker's code: the ops of each key are gathered here from the history as read,
 * and the only code shared with the checker is the models' `step` (and their `ABSENT` value for
 * `--nil absent`). Linear in the certificate's size, no search.
 *
 * A valid key's order holds when it names each of the key's `:ok` ops once, `:info` or pending
 * ops at most once and no failed op; it respects real time (an op may not come after an op
 * invoked after it completed: one scan keeping the latest invocation so far); and the model
 * takes every step from the initial state. An invalid key's evidence holds when its op is one of
 * the key's `:ok` ops and, after each path (itself an order that holds as a prefix), the model
 * rejects the op or real time forbids it next. That an invalid key has *no* order at all is the
 * search's claim; the certificate shows where every order it found ended.
 */
import { type EdnMap, type EdnValue, Keyword } from '../edn/values.js';
import { parseEdn } from '../edn/scanner.js';
import { printEdn } from '../edn/print.js';
import type { History } from '../history/history.js';
import { FAIL, OK } from '../history/op.js';
import { modelNamed } from '../linear/models/index.js';
import { type Model, type ModelOp, isInconsistent } from '../linear/models/model.js';
import { ABSENT } from '../linear/nil-reads.js';

/** One op as this verifier sees it. */
interface VOp {
  index: number;
  call: number;
  /** The completion's position; Infinity for :info and pending ops. */
  ret: number;
  ok: boolean;
  op: ModelOp;
}

const field = (m: EdnMap, k: string): EdnValue | undefined => m.kw(k);

/** The key's ops by their invocation's `:index`, read as the certificate's settings say. */
function opsByKey(h: History, independent: boolean, nilAbsent: boolean): Map<string, Map<number, VOp>> {
  const out = new Map<string, Map<number, VOp>>();
  for (const i of h.invocations()) {
    const c = h.pair[i];
    const type = c < 0 ? undefined : h.type[c];
    if (type === FAIL) continue;
    const ok = type === OK;
    let value = ok ? h.value[c] : h.value[i];
    const extraKey = h.extra.get(i)?.kw('key') ?? (c >= 0 ? h.extra.get(c)?.kw('key') : undefined);
    let key: EdnValue | undefined = extraKey;
    if (independent && Array.isArray(value) && value.length === 2) [key, value] = value;
    const f = h.fName(i) ?? '';
    if (ok && nilAbsent) value = absent(f, value);
    const op: ModelOp = { f, value };
    if (key !== undefined) op.key = key;
    const label = key === undefined ? 'nil' : printEdn(key);
    let m = out.get(label);
    if (m === undefined) out.set(label, (m = new Map()));
    m.set(h.index[i], { index: h.index[i], call: i, ret: ok ? c : Infinity, ok, op });
  }
  return out;
}

/** `--nil absent`'s reading of an :ok op's value, done here again: a read of nil, and a txn's [:read k nil], read no value. */
function absent(f: string, v: EdnValue): EdnValue {
  if (f === 'read') return v === null ? ABSENT : v;
  if (f !== 'txn' || !Array.isArray(v)) return v;
  return v.map((m) => (Array.isArray(m) && m.length === 3 && m[2] === null && m[0] instanceof Keyword && (m[0].name === 'read' || m[0].name === 'r') ? [m[0], m[1], ABSENT] : m));
}

/** Replays `order` from `init`; the state after it, or the first step that does not hold. */
function replay(model: Model, init: unknown, order: readonly number[], ops: Map<number, VOp>, what: string): { state: unknown; placed: Set<number>; maxCall: number } | string {
  let s = init;
  let maxCall = -1;
  let maxAt = -1;
  const placed = new Set<number>();
  for (let j = 0; j < order.length; j++) {
    const o = ops.get(order[j]);
    if (o === undefined) return `${what}: position ${j} names op ${order[j]}, which is no op of this key that took effect or may have`;
    if (placed.has(o.index)) return `${what}: op ${o.index} comes twice (positions of it: ${j} and before)`;
    if (o.ok && o.ret < maxCall) return `${what}: op ${o.index} (position ${j}) completed before op ${order[maxAt]} was invoked, yet comes after it`;
    const next = model.step(s, o.op);
    if (isInconsistent(next)) return `${what}: op ${o.index} (position ${j}) cannot follow: ${next.reason}`;
    s = next;
    placed.add(o.index);
    if (o.call > maxCall) {
      maxCall = o.call;
      maxAt = j;
    }
  }
  return { state: s, placed, maxCall };
}

const numbers = (v: EdnValue | undefined): number[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : undefined);

/** A verifier's answer: what it checked, or the first step that does not hold. */
export type Check = { holds: true; what: string } | { holds: false; why: string };

/** Checks the linearizable evidence `cert` against `h` (see this file's header). */
export function verifyLinear(h: History, cert: EdnMap): Check {
  const why = firstFault(h, cert);
  if (typeof why === 'string') return { holds: false, why };
  const parts = [
    why.valid > 0 ? `${why.valid} key${why.valid === 1 ? '' : 's'} with an order replayed (${why.ops} ops)` : '',
    why.invalid > 0 ? `${why.invalid} key${why.invalid === 1 ? '' : 's'} whose failing op no order found could take` : '',
  ].filter((p) => p !== '');
  return { holds: true, what: `linearizable: ${parts.length === 0 ? 'no key decided' : parts.join(', ')}` };
}

function firstFault(h: History, cert: EdnMap): string | { valid: number; invalid: number; ops: number } {
  const verdict = field(cert, 'valid?');
  const modelName = field(cert, 'model');
  const model = typeof modelName === 'string' ? modelNamed(modelName) : undefined;
  if (model === undefined) return `linearizable: the certificate names no known model (${printEdn(modelName ?? null)})`;
  const initText = field(cert, 'init');
  const init = model.init(typeof initText === 'string' ? parseEdn(initText) : undefined);
  const nil = field(cert, 'nil');
  const byKey = opsByKey(h, field(cert, 'independent') === true, nil instanceof Keyword && nil.name === 'absent');
  const keys = field(cert, 'keys');
  if (!Array.isArray(keys)) return 'linearizable: the certificate has no :keys';
  let valid = 0;
  let invalid = 0;
  let replayed = 0;
  for (const k of keys) {
    if (!(k !== null && typeof k === 'object' && 'kw' in k)) return 'linearizable: a key entry is not a map';
    const entry = k as EdnMap;
    const key = field(entry, 'key') ?? null;
    const label = printEdn(key);
    const ops = byKey.get(label);
    const what = `key ${label}`;
    if (ops === undefined) return `${what}: the history has no ops of this key`;
    const v = field(entry, 'valid?');
    if (v === true) {
      const order = numbers(field(entry, 'order'));
      if (order === undefined) return `${what}: :order is not a list of op indexes`;
      const r = replay(model, init, order, ops, what);
      if (typeof r === 'string') return r;
      for (const o of ops.values()) if (o.ok && !r.placed.has(o.index)) return `${what}: op ${o.index} completed :ok but is not in the order`;
      valid++;
      replayed += order.length;
    } else if (v === false) {
      const failing = field(entry, 'op');
      const o = typeof failing === 'number' ? ops.get(failing) : undefined;
      if (o === undefined || !o.ok) return `${what}: :op ${printEdn(failing ?? null)} is not an :ok op of this key`;
      const given = field(entry, 'paths');
      if (!Array.isArray(given)) return `${what}: no :paths show where the orders ended`;
      // The unique-values procedure's own contradiction (its explaining search ran out): no path to replay.
      const contradiction = field(entry, 'contradiction');
      if (given.length === 0 && typeof contradiction === 'string') return `${what}: the verdict rests on the unique-values procedure's contradiction, which verify cannot check yet (no order to replay): ${contradiction}`;
      // No path: the op fails first, from the initial state (the empty order).
      const paths: EdnValue[] = given.length === 0 ? [[]] : given;
      for (const [p, raw] of paths.entries()) {
        const path = numbers(raw);
        if (path === undefined) return `${what}: path ${p} is not a list of op indexes`;
        if (path.includes(o.index)) return `${what}: path ${p} already holds op ${o.index}`;
        const r = replay(model, init, path, ops, `${what}, path ${p}`);
        if (typeof r === 'string') return r;
        const skipped = [...ops.values()].find((q) => q.ok && !r.placed.has(q.index) && q.ret < r.maxCall);
        if (skipped !== undefined) return `${what}, path ${p}: op ${skipped.index} completed before an op of the path was invoked, but is not in it`;
        // Next, the op must be impossible: an op that completed before it was invoked is missing, or the model refuses it.
        const blocked = [...ops.values()].some((q) => q.ok && q.index !== o.index && !r.placed.has(q.index) && q.ret < o.call);
        if (!blocked && !isInconsistent(model.step(r.state, o.op))) return `${what}, path ${p}: op ${o.index} could come next, so the path does not show it failing`;
      }
      invalid++;
    }
  }
  const top = verdict === true ? 'valid' : verdict === false ? 'invalid' : 'unknown';
  if (top === 'valid' && (valid !== keys.length || keys.length !== byKey.size)) return `linearizable: the verdict is valid, but ${byKey.size - valid} of the history's ${byKey.size} keys have no valid order`;
  if (top === 'invalid' && invalid === 0) return 'linearizable: the verdict is invalid, but no key shows a failing op';
  return { valid, invalid, ops: replayed };
}
