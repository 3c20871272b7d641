/**
 * The standard workloads, database-neutral: what clients are asked to do and how the history
 * is judged. Backends implement the ops (see the op conventions in core/types.ts).
 *
 * - `register`: read / write / cas on independent keys (`[k v]` tuples), ~`opsPerKey` ops per
 *   key; checked by `linearizable` with the `cas-register` model, key by key.
 * - `set`: adds of unique integers and occasional reads; a final read after healing; `set-full`.
 * - `list-append`: transactions of 1–4 micro-ops `[:append k v]` / `[:r k nil]` over a small
 *   rotating pool of keys, unique values; Elle's `list-append`.
 * - `rw-register`: the same with `[:w k v]` / `[:r k nil]`; Elle's `rw-register`.
 */
import { kw, type EdnValue } from '../../analyzer/edn/values.js';
import type { GenContext } from '../generator/core.js';
import { clients, repeat, untilOk } from '../generator/combinators.js';
import type { Workload } from '../core/types.js';
import { counted } from './counted.js';

/** The standard workloads' names: the one list backends declare (`DbBackend.workloads`) and `--workload` offers. */
export const STANDARD_WORKLOADS = ['register', 'set', 'list-append', 'rw-register'] as const;
/** One of `STANDARD_WORKLOADS`. */
export type StandardWorkloadName = (typeof STANDARD_WORKLOADS)[number];

/** Tuning of the standard workloads' generators (defaults in brackets). */
export interface WorkloadOptions {
  /** Ops on one register key before moving to the next (keeps each key's search small) [60]. */
  opsPerKey?: number;
  /** Keys in play at once for the transactional workloads [5]. */
  activeKeys?: number;
}

function pick(ctx: GenContext, n: number): number {
  return Math.floor(ctx.random() * n);
}

function register(o: WorkloadOptions): Workload {
  const per = o.opsPerKey ?? 60;
  return {
    name: 'register',
    generator: counted((i, ctx) => {
      const k = Math.floor(i / per);
      const r = ctx.random();
      if (r < 0.5) return { f: 'read', value: [k, null] };
      if (r < 0.8) return { f: 'write', value: [k, pick(ctx, 5)] };
      return { f: 'cas', value: [k, [pick(ctx, 5), pick(ctx, 5)]] };
    }),
    // Our clients read a key never written as nil, meaning "no value": a stale read of nothing counts.
    check: { checkers: ['linearizable'], options: { model: 'cas-register', independent: true, nil: 'absent' } },
  };
}

function set(): Workload {
  return {
    name: 'set',
    generator: counted((i, ctx) => (ctx.random() < 0.1 ? { f: 'read', value: null } : { f: 'add', value: i })),
    finalGenerator: clients(untilOk(repeat({ f: 'read', value: null }))) ?? undefined,
    // The set is meant to be linearizable: a stale read (an acknowledged element missing from a later read) is an error.
    check: { checkers: ['set-full'], options: { linearizable: true } },
  };
}

function txns(name: 'list-append' | 'rw-register', o: WorkloadOptions): Workload {
  const active = o.activeKeys ?? 5;
  const write = name === 'list-append' ? kw('append') : kw('w');
  return {
    name,
    generator: counted((i, ctx) => {
      // The pool of keys slides every 40 txns, so each key's list stays short.
      const base = Math.floor(i / 40);
      const n = 1 + pick(ctx, 4);
      const mops: EdnValue[] = [];
      // A third of the multi-op txns read a key and then write it (read-modify-write): the
      // shape where lost updates and write skew show.
      const rmw = n >= 2 && ctx.random() < 0.35;
      for (let j = 0; j < n; j++) {
        const k = rmw && j === 1 ? (mops[0] as EdnValue[])[1] : base + pick(ctx, active);
        const read = rmw ? j === 0 : ctx.random() < 0.5;
        mops.push(read ? [kw('r'), k, null] : [write, k, i * 4 + j]);
      }
      return { f: 'txn', value: mops };
    }),
    check: { checkers: [name], options: { consistencyModels: 'strict-serializable' } },
  };
}

/**
 * The standard workload `name` (generator, final generator, checkers), or undefined when `name`
 * is not one of `STANDARD_WORKLOADS`. Each call builds fresh generators.
 *
 * @example standardWorkload('set')?.check  // {checkers: ['set-full'], options: {linearizable: true}}
 */
export function standardWorkload(name: string, o: WorkloadOptions = {}): Workload | undefined {
  switch (name) {
    case 'register':
      return register(o);
    case 'set':
      return set();
    case 'list-append':
    case 'rw-register':
      return txns(name, o);
    default:
      return undefined;
  }
}
