/**
 * Which checkers a Jepsen run wants, when its `test.edn` lists no `:checkers` (Jepsen's own
 * test maps never do: the checker is code, not data). The workload is named by `:workload`
 * (`:register`, "list-append") or, failing that, inside the test's `:name`
 * ("etcd-cas-register", "postgres list-append"); the names and their checkers are the
 * catalogue's (checkers/foreign-names.ts).
 */
import { JEPSEN_WORKLOADS } from '../checkers/foreign-names.js';
import { type EdnMap, type EdnValue, Keyword } from '../edn/values.js';

/** The checkers to run on a history and their options, as `hindsight check` would take them. */
export interface CheckSpec {
  /** `--checker` names. */
  checkers: string[];
  /** Their options, camelCased as the CLI passes them. */
  options: Record<string, unknown>;
  /**
   * The run's values may or may not be Jepsen `[key value]` tuples (register workloads are
   * usually independent, not always): the worker decides from the history (see worker.ts).
   */
  guessIndependent?: boolean;
}

/** The check a known Jepsen workload name calls for (a fresh copy: callers may add options). */
export function workloadCheckSpec(workload: string): CheckSpec | undefined {
  const named = JEPSEN_WORKLOADS.get(workload);
  if (named === undefined) return undefined;
  const spec: CheckSpec = { checkers: [named.checker], options: { ...named.options } };
  if (named.guessIndependent === true) spec.guessIndependent = true;
  return spec;
}

const byLength = [...JEPSEN_WORKLOADS.keys()].sort((a, b) => b.length - a.length);

function text(v: EdnValue | undefined): string | undefined {
  if (v instanceof Keyword) return v.name;
  return typeof v === 'string' ? v : undefined;
}

/** The known workload a name mentions as a whole word (`etcd-cas-register` → cas-register). */
export function workloadIn(name: string): string | undefined {
  const s = name.toLowerCase().replace(/[_\s/]+/g, '-');
  if (JEPSEN_WORKLOADS.has(s)) return s;
  return byLength.find((w) => new RegExp(`(^|[^a-z])${w}($|[^a-z])`).test(s));
}

/** The spec for a test map without `:checkers`, from its `:workload` or `:name`; undefined if neither names a known workload. */
export function workloadSpec(test: EdnMap): { workload: string; spec: CheckSpec } | undefined {
  for (const key of ['workload', 'name']) {
    const name = text(test.kw(key));
    const w = name === undefined ? undefined : workloadIn(name);
    if (w !== undefined) {
      return { workload: w, spec: workloadCheckSpec(w)! };
    }
  }
  return undefined;
}
