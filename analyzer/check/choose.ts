/**
 * Choosing the checker from the ops themselves, for a history that comes with neither
 * `--checker` nor a test.edn naming one (a Jepsen store keeps its checker as code, not data;
 * a history mailed in a bug report has nothing beside it).
 *
 * The client ops' functions say what was tested, the way Jepsen's workloads name them:
 *
 * | ops                                              | checker                                   |
 * |--------------------------------------------------|-------------------------------------------|
 * | `:txn` with `:append` micro-ops                  | list-append                               |
 * | `:txn` with only `:r` / `:w` micro-ops           | rw-register                               |
 * | `:txn` with `:read` / `:write` micro-ops         | linearizable, multi-register (Knossos)    |
 * | `:get` / `:put` / `:append`                      | linearizable, kv (Porcupine)              |
 * | `:read` / `:write` / `:cas`                      | linearizable, cas-register (per key when values are `[k v]`) |
 * | `:acquire` / `:release`                          | linearizable, mutex                       |
 * | `:add` and `:read`s of collections               | set-full                                  |
 * | `:add` and `:read`s of numbers                   | counter                                   |
 * | `:enqueue` / `:dequeue` (`:drain`)               | queue (total-queue)                       |
 * | `:transfer` and `:read`s of balances             | bank                                      |
 * | `:generate`                                      | unique-ids                                |
 *
 * A choice is a guess from shapes, so it is always said, once, with its evidence ("checking as
 * list-append: 406 :txn ops with :append"); `--checker` always wins.
 */
import type { EdnValue } from '../edn/values.js';
import { EdnMap, Keyword } from '../edn/values.js';
import type { History } from '../history/history.js';

/** What was chosen, and why, in words. */
export interface Choice {
  checkers: string[];
  options: Record<string, unknown>;
  reason: string;
}

/** No checker fits: the function names seen, with counts, for the message. */
export interface NoChoice {
  shapes: string;
}

/**
 * Whether a register history's values are Jepsen `[key value]` tuples: every write's value is
 * a pair (an unkeyed register writes plain values; its cas values are pairs, so writes decide).
 */
export function looksIndependent(h: History): boolean {
  let writes = 0;
  for (const i of h.invocations()) {
    if (h.fName(i) !== 'write') continue;
    const v = h.value[i];
    if (!Array.isArray(v) || v.length !== 2) return false;
    writes++;
  }
  return writes > 0;
}

/** `[[:append 1 2] [:r 3 nil]]`: every element a 2- or 3-element vector starting with a keyword. */
function isMicroOps(v: EdnValue | undefined): boolean {
  return Array.isArray(v) && v.length > 0 && v.every((m) => Array.isArray(m) && (m.length === 2 || m.length === 3) && m[0] instanceof Keyword);
}

const kwName = (v: EdnValue): string | undefined => (v instanceof Keyword ? v.name : typeof v === 'string' ? v : undefined);

/** Counts of client invocations by `:f`, of micro-op kinds in `:txn`s, and of what reads returned. */
function census(h: History): { fs: Map<string, number>; micro: Map<string, number>; readShapes: { collection: number; number: number } } {
  const fs = new Map<string, number>();
  const micro = new Map<string, number>();
  const readShapes = { collection: 0, number: 0 };
  for (const i of h.invocations()) {
    if (!h.isClient(i)) continue;
    // Elle's own histories often have no :f: a value of micro-ops is a transaction.
    const f = h.fName(i) ?? (isMicroOps(h.value[i]) ? 'txn' : '(none)');
    fs.set(f, (fs.get(f) ?? 0) + 1);
    if (f === 'txn' && isMicroOps(h.value[i])) {
      for (const m of h.value[i] as EdnValue[]) {
        const k = Array.isArray(m) && m.length > 0 ? kwName(m[0]!) : undefined;
        if (k !== undefined) micro.set(k, (micro.get(k) ?? 0) + 1);
      }
    }
    const done = h.pair[i];
    const v = done >= 0 ? h.value[done] : undefined;
    if (f === 'read' && v !== null && v !== undefined) {
      if (typeof v === 'number' || typeof v === 'bigint') readShapes.number++;
      else if (Array.isArray(v) || (typeof v === 'object' && !(v instanceof EdnMap) && !(v instanceof Keyword))) readShapes.collection++;
    }
  }
  return { fs, micro, readShapes };
}

const count = (m: Map<string, number>, k: string): number => m.get(k) ?? 0;

/** The checker the ops call for, or the shapes seen when none fits. */
export function chooseChecker(h: History): Choice | NoChoice {
  const { fs, micro, readShapes } = census(h);
  const ops = (f: string) => `${count(fs, f)} :${f} op${count(fs, f) === 1 ? '' : 's'}`;
  if (count(fs, 'txn') > 0) {
    if (count(micro, 'append') > 0) return { checkers: ['list-append'], options: {}, reason: `${ops('txn')} with :append` };
    if (count(micro, 'r') + count(micro, 'w') > 0) return { checkers: ['rw-register'], options: {}, reason: `${ops('txn')} with only :r and :w` };
    // Knossos's multi-register: whole-word micro-ops, checked for linearizability.
    if (count(micro, 'read') + count(micro, 'write') > 0) return { checkers: ['linearizable'], options: { model: 'multi-register' }, reason: `${ops('txn')} with :read and :write micro-ops (model multi-register)` };
    // Every :txn crashed before its micro-ops were known: the kinds invoked still tell.
    return { checkers: ['rw-register'], options: {}, reason: `${ops('txn')} (no micro-ops to tell append from write; rw-register)` };
  }
  // Porcupine's key-value store: :get, :put and :append on keys.
  if (count(fs, 'get') + count(fs, 'put') > 0) return { checkers: ['linearizable'], options: { model: 'kv' }, reason: `${[ops('get'), ops('put'), ops('append')].join(', ')} (model kv)` };
  if (count(fs, 'acquire') + count(fs, 'release') > 0) return { checkers: ['linearizable'], options: { model: 'mutex' }, reason: `${ops('acquire')} and ${ops('release')}` };
  if (count(fs, 'enqueue') + count(fs, 'dequeue') > 0) {
    const total = count(fs, 'drain') > 0;
    return { checkers: [total ? 'total-queue' : 'queue'], options: {}, reason: `${ops('enqueue')} and ${ops('dequeue')}${total ? ` and ${ops('drain')}` : ''}` };
  }
  if (count(fs, 'transfer') > 0) return { checkers: ['bank'], options: {}, reason: `${ops('transfer')} and ${ops('read')} of balances` };
  if (count(fs, 'generate') > 0) return { checkers: ['unique-ids'], options: {}, reason: ops('generate') };
  if (count(fs, 'add') > 0) {
    if (readShapes.number > 0 && readShapes.collection === 0) return { checkers: ['counter'], options: {}, reason: `${ops('add')} and ${ops('read')} of numbers` };
    return { checkers: ['set-full'], options: {}, reason: `${ops('add')} and ${ops('read')}${readShapes.collection > 0 ? ' of collections' : ''}` };
  }
  if (count(fs, 'read') + count(fs, 'write') + count(fs, 'cas') > 0) {
    const independent = looksIndependent(h);
    const options: Record<string, unknown> = { model: 'cas-register' };
    if (independent) options.independent = true;
    const what = [ops('read'), ops('write'), ...(count(fs, 'cas') > 0 ? [ops('cas')] : [])].join(', ');
    return { checkers: ['linearizable'], options, reason: `${what}${independent ? ', values [key value]: per key' : ''} (model cas-register)` };
  }
  const shapes = [...fs.entries()].sort((a, b) => b[1] - a[1]).map(([f, n]) => `:${f} ×${n}`).join(', ');
  return { shapes: shapes === '' ? 'no client ops' : shapes };
}

/** The choice as the command line would say it: `linearizable --model cas-register --independent`. */
export function choiceFlags(c: Choice): string {
  const flag = (k: string): string => `--${k.replace(/[A-Z]/g, (x) => `-${x.toLowerCase()}`)}`;
  const opts = Object.entries(c.options).map(([k, v]) => (v === true ? ` ${flag(k)}` : ` ${flag(k)} ${String(v)}`)).join('');
  return `${c.checkers.join(',')}${opts}`;
}

/** "checking as list-append: 406 :txn ops with :append (pass --checker to choose)". */
export function choiceLine(c: Choice): string {
  return `checking as ${choiceFlags(c)}: ${c.reason} (pass --checker to choose)`;
}
