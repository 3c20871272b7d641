/**
 * Which checkers a Jepsen run wants, when its `test.edn` lists no `:checkers` (Jepsen's own
 * test maps never do: the checker is code, not data). The workload is named by `:workload`
 * (`:register`, "list-append") or, failing that, inside the test's `:name`
 * ("etcd-cas-register", "postgres list-append"); each known workload maps to the checker that
 * Jepsen's matching `jepsen.tests.*` workload composes.
 */
import { type EdnMap, type EdnValue, Keyword } from '../edn/values.js';

export interface CheckSpec {
  checkers: string[];
  options: Record<string, unknown>;
  /**
   * The run's values may or may not be Jepsen `[key value]` tuples (register workloads are
   * usually independent, not always): the worker decides from the history (see worker.ts).
   */
  guessIndependent?: boolean;
}

const linearRegister: CheckSpec = { checkers: ['linearizable'], options: { model: 'cas-register' }, guessIndependent: true };

/** Workload name → checkers. Longer names are tried first when matching inside a test name. */
export const WORKLOAD_CHECKERS: ReadonlyMap<string, CheckSpec> = new Map<string, CheckSpec>([
  ['register', linearRegister],
  ['cas-register', linearRegister],
  ['linearizable-register', linearRegister],
  ['mutex', { checkers: ['linearizable'], options: { model: 'mutex' } }],
  ['lock', { checkers: ['linearizable'], options: { model: 'mutex' } }],
  ['lock-set', { checkers: ['lock-set'], options: {} }],
  ['set', { checkers: ['set'], options: {} }],
  ['set-full', { checkers: ['set-full'], options: {} }],
  ['list-append', { checkers: ['list-append'], options: {} }],
  ['append', { checkers: ['list-append'], options: {} }],
  ['rw-register', { checkers: ['rw-register'], options: {} }],
  ['wr-register', { checkers: ['rw-register'], options: {} }],
  ['wr', { checkers: ['rw-register'], options: {} }],
  ['bank', { checkers: ['bank'], options: {} }],
  ['counter', { checkers: ['counter'], options: {} }],
  ['queue', { checkers: ['queue'], options: {} }],
  ['total-queue', { checkers: ['total-queue'], options: {} }],
  ['unique-ids', { checkers: ['unique-ids'], options: {} }],
  ['watch', { checkers: ['watch'], options: {} }],
]);

const byLength = [...WORKLOAD_CHECKERS.keys()].sort((a, b) => b.length - a.length);

function text(v: EdnValue | undefined): string | undefined {
  if (v instanceof Keyword) return v.name;
  return typeof v === 'string' ? v : undefined;
}

/** The known workload a name mentions as a whole word (`etcd-cas-register` → cas-register). */
export function workloadIn(name: string): string | undefined {
  const s = name.toLowerCase().replace(/[_\s/]+/g, '-');
  if (WORKLOAD_CHECKERS.has(s)) return s;
  return byLength.find((w) => new RegExp(`(^|[^a-z])${w}($|[^a-z])`).test(s));
}

/** The spec for a test map without `:checkers`, from its `:workload` or `:name`; undefined if neither names a known workload. */
export function workloadSpec(test: EdnMap): { workload: string; spec: CheckSpec } | undefined {
  for (const key of ['workload', 'name']) {
    const name = text(test.kw(key));
    const w = name === undefined ? undefined : workloadIn(name);
    if (w !== undefined) {
      const spec = WORKLOAD_CHECKERS.get(w)!;
      return { workload: w, spec: { ...spec, options: { ...spec.options } } };
    }
  }
  return undefined;
}
