/**
 * What the linearizability viewer (page.ts) shows, as compact JSON: per key its ops as columns
 * (ops sorted by invocation; times delta-coded, so that a 100 000-op key stays a few MB), the
 * failing op, the partial linearizations the search found (the longest ones, as Porcupine
 * shows them) with the model's state after each step, and the history's nemesis intervals.
 * Times are the ops' `:time` in microseconds (as the rest of the reports count them, from the
 * history's own zero) when every op has one, else history positions.
 */
import { printEdn } from '../../edn/print.js';
import type { History } from '../../history/history.js';
import { INFO, INVOKE, OK } from '../../history/op.js';
import type { KeyRun, LinearOptions } from '../linearize.js';
import { isInconsistent } from '../models/model.js';
import { isAbsent } from '../nil-reads.js';

/** One key as the page reads it (see this file's header). */
export interface ViewerKey {
  key: string;
  valid: boolean | 'unknown';
  /** Why the failing op cannot be linearized (the model's reason), or null. */
  reason: string | null;
  /** Columns, one entry per op, ops by invocation: lane, invocation time as a delta from the previous op's, duration (-1: never completed), f (into `fs`), value text, `:index` of the completion (else invocation) as a delta, 0 ok / 1 info / 2 pending. */
  lane: number[];
  start: number[];
  dur: number[];
  f: number[];
  value: string[];
  index: number[];
  type: number[];
  /** The failing op's position in the columns, or -1. */
  failing: number;
  /** Partial linearizations (a valid key: its linearization): op positions in order, and the state after each ("" where unchanged). */
  paths: { ops: number[]; states: string[] }[];
}

/** The whole page's data. */
export interface ViewerData {
  title: string;
  /** `us` (microseconds of `:time`) or `position` (history positions). */
  unit: 'us' | 'position';
  lanes: string[];
  fs: string[];
  /** Nemesis intervals: start, end (-1: never ended), label. */
  nemesis: [number, number, string][];
  keys: ViewerKey[];
}

/** At most this many path steps in all are kept (a valid 100 000-op key's linearization fits). */
const MAX_PATH_STEPS = 400_000;

const show = (v: unknown): string => (isAbsent(v as never) ? 'nil' : printEdn(v as never));

/** The viewer's data for `runs` of `history`, checked with `options`, headed `title`. */
export function viewerData(history: History, runs: readonly KeyRun[], options: Pick<LinearOptions, 'model' | 'init'>, title: string): ViewerData {
  const timed = everyOpTimed(history);
  const at = (pos: number): number => (timed ? Math.round(history.time[pos] / 1000) : pos);
  const lanes: string[] = [];
  const laneOf = new Map<number, number>();
  const fs: string[] = [];
  const fOf = new Map<string, number>();
  let steps = 0;
  const keys = runs.map((run): ViewerKey => {
    const { problem, outcome } = run;
    const ids = [...Array(problem.n).keys()].sort((a, b) => problem.invoke[a] - problem.invoke[b]);
    const position = new Map(ids.map((k, i) => [k, i]));
    const k: ViewerKey = { key: problem.key === undefined ? 'history' : printEdn(problem.key), valid: outcome.valid, reason: null, lane: [], start: [], dur: [], f: [], value: [], index: [], type: [], failing: -1, paths: [] };
    let prevStart = 0;
    let prevIndex = 0;
    for (const id of ids) {
      const inv = problem.invoke[id];
      const comp = problem.complete[id];
      const p = history.process[inv];
      let lane = laneOf.get(p);
      if (lane === undefined) {
        laneOf.set(p, (lane = lanes.length));
        lanes.push(`process ${printEdn(history.processValue(inv) ?? p)}`);
      }
      const f = problem.ops[id].f;
      let fi = fOf.get(f);
      if (fi === undefined) {
        fOf.set(f, (fi = fs.length));
        fs.push(f);
      }
      const start = at(inv);
      const end = comp >= 0 ? at(comp) : -1;
      const index = history.index[comp >= 0 ? comp : inv];
      k.lane.push(lane);
      k.start.push(start - prevStart);
      k.dur.push(end < 0 ? -1 : end - start);
      k.f.push(fi);
      k.value.push(show(problem.ops[id].value));
      k.index.push(index - prevIndex);
      k.type.push(comp >= 0 && history.type[comp] === OK ? 0 : comp >= 0 && history.type[comp] === INFO ? 1 : 2);
      prevStart = start;
      prevIndex = index;
    }
    const paths = outcome.valid === true ? [outcome.order] : outcome.valid === false ? (outcome.paths.length > 0 ? outcome.paths : [[]]) : [];
    for (const path of paths) {
      if (steps + path.length > MAX_PATH_STEPS) break;
      steps += path.length;
      k.paths.push(replayed(path, run, options, position));
    }
    if (outcome.valid === false) {
      k.failing = position.get(outcome.failing) ?? -1;
      k.reason = run.unexplained === true && run.contradiction !== undefined ? run.contradiction : failureReason(outcome.paths[0] ?? [], run, options);
    }
    return k;
  });
  return { title, unit: timed ? 'us' : 'position', lanes, fs, nemesis: nemesisIntervals(history, at), keys };
}

/** A path's op positions and the model's state after each step ("" where it did not change). */
function replayed(path: readonly number[], run: KeyRun, options: Pick<LinearOptions, 'model' | 'init'>, position: Map<number, number>): { ops: number[]; states: string[] } {
  const model = options.model;
  let s = model.init(options.init);
  let last = show(model.toEdn(s));
  const states: string[] = [];
  for (const id of path) {
    const next = model.step(s, run.problem.ops[id]);
    if (isInconsistent(next)) break; // cannot happen: the search accepted the path
    s = next;
    const text = show(model.toEdn(s));
    states.push(text === last ? '' : text);
    last = text;
  }
  return { ops: path.slice(0, states.length).map((id) => position.get(id)!), states };
}

/** Why the failing op cannot follow `path`: the model's reason, or real time. */
function failureReason(path: readonly number[], run: KeyRun, options: Pick<LinearOptions, 'model' | 'init'>): string {
  const model = options.model;
  let s = model.init(options.init);
  for (const id of path) {
    const next = model.step(s, run.problem.ops[id]);
    if (isInconsistent(next)) break;
    s = next;
  }
  if (run.outcome.valid !== false) return '';
  const end = model.step(s, run.problem.ops[run.outcome.failing]);
  return isInconsistent(end) ? end.reason : 'its completion came before another op it depends on could be linearized';
}

function everyOpTimed(h: History): boolean {
  for (let i = 0; i < h.length; i++) if (Number.isNaN(h.time[i])) return false;
  return h.length > 0;
}

/**
 * The nemesis's intervals: each `:start…` (from its completion, or invocation) to the next
 * `:stop…` of the same suffix (`:start-partition` … `:stop-partition`, `:start` … `:stop`), and
 * every other nemesis op as the interval of its own invocation and completion.
 */
function nemesisIntervals(h: History, at: (pos: number) => number): [number, number, string][] {
  const out: [number, number, string][] = [];
  const open = new Map<string, { from: number; label: string }>();
  for (let i = 0; i < h.length; i++) {
    if (!h.isNemesis(i)) continue;
    const f = h.fName(i) ?? '';
    const started = /^start(.*)$/.exec(f);
    const stopped = /^stop(.*)$/.exec(f);
    if (started !== null) {
      if (h.type[i] === INVOKE && open.has(started[1])) continue;
      open.set(started[1], { from: at(i), label: `${f} ${printEdn(h.value[i])}` });
    } else if (stopped !== null) {
      const o = open.get(stopped[1]);
      if (o !== undefined && h.type[i] === INVOKE) {
        out.push([o.from, at(i), o.label]);
        open.delete(stopped[1]);
      }
    } else if (h.type[i] === INVOKE) {
      const c = h.pair[i];
      out.push([at(i), c >= 0 ? at(c) : at(i), `${f} ${printEdn(h.value[i])}`]);
    }
  }
  for (const o of open.values()) out.push([o.from, -1, o.label]);
  return out;
}
