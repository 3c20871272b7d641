/**
 * Jepsen's `independent` workloads run one small test per key: every client op's value is a
 * tuple `[k v]` (adds `[k x]`, reads `[k nil]` → `[k #{…}]`). `checkByKey` splits such a history
 * into one history per key — each op keeps its process, type, time and `:f`, with value `v` —
 * checks each, and merges as Jepsen's independent checker does:
 * `{:valid? worst, :results {k result}, :failures [k …]}` (failures: keys not valid).
 * Ops with no key of their own take their partner's (an invocation's `[k nil]` names the key
 * for a completion that carries none); ops with no key at all (the nemesis) are left out.
 */
import { EdnMap, type EdnValue, ednCompare } from '../edn/values.js';
import { HistoryBuilder, type History } from '../history/history.js';
import { Diagnostics } from '../history/diagnostics.js';
import { type CheckResult, type CheckerOption, UNKNOWN, mergeValid } from '../check/checker.js';
import { Interner } from '../util/interner.js';

function keyOf(v: EdnValue): EdnValue | undefined {
  return Array.isArray(v) && v.length === 2 ? v[0] : undefined;
}

/**
 * The history split by key (see this file's header): the keys in order of first appearance, and
 * a history per key whose ops keep their `:index`.
 */
export function splitByKey(history: History): { keys: EdnValue[]; histories: History[] } {
  const keys = new Interner();
  const builders: HistoryBuilder[] = [];
  for (let i = 0; i < history.length; i++) {
    if (!history.isClient(i)) continue;
    let k = keyOf(history.value[i]);
    const partner = history.pair[i];
    if (k === undefined && partner >= 0) k = keyOf(history.value[partner]);
    if (k === undefined) continue;
    const id = keys.id(k);
    if (id === builders.length) builders.push(new HistoryBuilder(`${history.file} key ${String(k)}`, new Diagnostics(history.file, false)));
    const v = history.value[i];
    builders[id].addColumns(
      history.index[i],
      Number.isNaN(history.time[i]) ? undefined : history.time[i],
      history.type[i],
      builders[id].internProcess(history.processValue(i)),
      builders[id].internF(history.fValue(i)),
      keyOf(v) !== undefined ? (v as EdnValue[])[1] : null,
      history.error.get(i),
      history.extra.get(i),
      history.line[i],
    );
  }
  return { keys: keys.values, histories: builders.map((b) => b.build()) };
}

/**
 * Runs `check` on each key's history (and its key), keys in EDN order, and merges the results
 * (see this file's header); unknown when no client op has a `[key value]` value.
 */
export function checkByKey(history: History, check: (h: History, key: EdnValue) => CheckResult): CheckResult {
  const { keys, histories } = splitByKey(history);
  const order = keys.map((_, k) => k).sort((a, b) => ednCompare(keys[a], keys[b]));
  const results = new EdnMap([], []);
  const failures: EdnValue[] = [];
  const valids = [];
  for (const k of order) {
    const r = check(histories[k], keys[k]);
    results.keys.push(keys[k]);
    results.vals.push(r);
    valids.push(r['valid?']);
    if (r['valid?'] !== true) failures.push(keys[k]);
  }
  if (keys.length === 0) return { 'valid?': UNKNOWN, error: 'no client op has a [key value] tuple value', results, failures };
  return { 'valid?': mergeValid(valids), results, failures };
}

/** The `--independent` flag, shared by the checkers that support keyed histories. */
export const INDEPENDENT_OPTION: CheckerOption = {
  flags: '--independent',
  description: 'values are [key value] tuples (Jepsen independent workloads); check each key separately',
  shared: true,
};
