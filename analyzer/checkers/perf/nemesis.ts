/**
 * When faults were in effect, from the nemesis's ops, for shading plots.
 *
 * Nemesis ops come as :invoke/:info pairs (Jepsen's usual form) or as lone :info ops (the
 * Couchbase tests). An op whose :f looks like an ending (`stop…`, `heal…`, `recover…`,
 * `resume…`, `restore…`, `repair…`, `reset…`, `end…`) closes faults; any other opens one.
 * `stop-X` closes the open `start-X` when there is one, otherwise every open fault (a
 * `:heal-network` after `:isolate-completely`); `:start` after `:kill` (Jepsen's db nemesis)
 * closes the kill. A fault runs from its op's invocation to the
 * closing op's completion, the widest window in which it may have acted; one never closed
 * runs to the end of the history.
 */
import type { History } from '../../history/history.js';
import { INVOKE } from '../../history/op.js';

/** One fault, from its op's invocation to its closing op's completion. */
export interface NemesisInterval {
  /** Seconds since `origin`. */
  from: number;
  to: number;
  /** The :f that opened it, and the one that closed it (undefined: still open at the end). */
  f: string;
  closedBy?: string;
}

/** One nemesis op: when it was invoked (seconds since the origin), and its :f. */
export interface NemesisEvent {
  at: number;
  f: string;
}

const ENDING = /^(stop|heal|recover|resume|restore|repair|reset|end)/i;

/**
 * The faults of `h`'s nemesis (see this file's header) by start, and each nemesis op as an event;
 * times in seconds since `origin` (ns), a fault never closed ending at `duration`. Nemesis ops
 * without `:time` are left out.
 */
export function nemesisIntervals(h: History, origin: number, duration: number): { intervals: NemesisInterval[]; events: NemesisEvent[] } {
  const open: NemesisInterval[] = [];
  const intervals: NemesisInterval[] = [];
  const events: NemesisEvent[] = [];
  const sec = (ns: number) => (ns - origin) / 1e9;
  for (let i = 0; i < h.length; i++) {
    if (!h.isNemesis(i)) continue;
    const c = h.pair[i];
    // One event per nemesis op: its invocation (with its completion), or a lone completion.
    if (h.type[i] !== INVOKE && c >= 0) continue;
    const t0 = h.time[i];
    const t1 = c >= 0 && !Number.isNaN(h.time[c]) ? h.time[c] : t0;
    if (Number.isNaN(t0)) continue;
    const f = h.fName(i) ?? 'nemesis';
    events.push({ at: sec(t0), f });
    // Jepsen's db nemesis kills with :kill and restarts with :start.
    if (f === 'start' && open.some((iv) => iv.f === 'kill')) {
      for (let k = open.length - 1; k >= 0; k--) if (open[k].f === 'kill') intervals.push({ ...open.splice(k, 1)[0], to: sec(t1), closedBy: f });
      continue;
    }
    if (!ENDING.test(f)) {
      open.push({ from: sec(t0), to: NaN, f });
      continue;
    }
    const suffix = f.replace(ENDING, '');
    const match = suffix !== '' ? open.findIndex((iv) => iv.f === `start${suffix}`) : -1;
    const closing = match >= 0 ? open.splice(match, 1) : open.splice(0, open.length);
    for (const iv of closing) intervals.push({ ...iv, to: sec(t1), closedBy: f });
  }
  for (const iv of open) intervals.push({ ...iv, to: duration });
  intervals.sort((a, b) => a.from - b.from);
  return { intervals, events };
}
