/**
 * A picture of a non-linearizable key: one lane per process, each op a bar from its
 * invocation to its completion (to the right edge if it never completed), the ops of the
 * longest linearization found in green, numbered in linearization order, the op that could
 * not be linearized in red, the rest grey. The x axis is history position, so histories
 * without `:time` draw too. Self-contained SVG; every label is
 * escaped. (linear.html is the interactive viewer, viewer/.)
 */
import { printEdn } from '../edn/print.js';
import type { History } from '../history/history.js';
import { escapeHtml } from '../render/escape.js';
import type { KeyRun } from './linearize.js';

const LANE = 26;
const LEFT = 70;
const WIDTH = 1100;
const RIGHT_LABEL = 120;
const MAX_OPS = 400; // draw the window of ops around the failure, not a million bars

/** The picture of `run` (see this file's header) as a self-contained SVG; a valid run shows its linearization. */
export function linearFailureSvg(history: History, run: KeyRun): string {
  const { problem, outcome } = run;
  const failing = outcome.valid === false ? outcome.failing : -1;
  const path = outcome.valid === false ? (outcome.paths[0] ?? []) : outcome.valid === true ? outcome.order : [];
  const rank = new Map(path.map((k, i) => [k, i + 1]));
  // Window: ops whose invocation is within MAX_OPS ops before the failing completion.
  const end = failing >= 0 ? problem.complete[failing] : history.length - 1;
  const ids = [...Array(problem.n).keys()].filter((k) => problem.invoke[k] <= end).sort((a, b) => problem.invoke[a] - problem.invoke[b]).slice(-MAX_OPS);
  if (ids.length === 0) return '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="10" y="24">no ops</text></svg>';
  const lo = problem.invoke[ids[0]];
  const hi = Math.max(end, ...ids.map((k) => (problem.complete[k] >= 0 ? Math.min(problem.complete[k], end + 1) : end + 1))) + 1;
  // The failing op ends at the right: keep room there for its label.
  const x = (pos: number) => LEFT + ((pos - lo) / Math.max(1, hi - lo)) * (WIDTH - LEFT - RIGHT_LABEL);
  const processes = [...new Set(ids.map((k) => history.process[problem.invoke[k]]))].sort((a, b) => a - b);
  const lane = new Map(processes.map((p, i) => [p, i]));
  const shownProcess = new Map(ids.map((k) => [history.process[problem.invoke[k]], history.processValue(problem.invoke[k])]));
  const height = processes.length * LANE + 40;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif" font-size="10">`,
    `<text x="4" y="14" font-size="12">${escapeHtml(problem.key === undefined ? 'history' : `key ${printEdn(problem.key)}`)}: green = linearized (in order), red = cannot be linearized</text>`,
  ];
  processes.forEach((p, i) => parts.push(`<text x="4" y="${34 + i * LANE + 12}">${escapeHtml(`process ${printEdn(shownProcess.get(p) ?? p)}`)}</text>`));
  // A label may run on past its bar, up to the next bar of its lane: where ops are dense it is
  // cut to what fits (the rank alone, or nothing), and the bar's tooltip still says it all.
  const nextStart = new Map<number, number>();
  const lastInLane = new Map<number, number>();
  for (const k of [...ids].sort((a, b) => problem.invoke[b] - problem.invoke[a])) {
    const p = history.process[problem.invoke[k]];
    nextStart.set(k, lastInLane.get(p) ?? WIDTH);
    lastInLane.set(p, x(problem.invoke[k]));
  }
  for (const k of ids) {
    const inv = problem.invoke[k];
    const comp = problem.complete[k];
    const x0 = x(inv);
    const x1 = Math.max(x0 + 3, x(comp >= 0 ? comp : hi));
    const y = 30 + (lane.get(history.process[inv]) ?? 0) * LANE;
    const fill = k === failing ? '#d62728' : rank.has(k) ? '#2ca02c' : '#bbbbbb';
    const op = problem.ops[k];
    const number = rank.has(k) ? `${rank.get(k)}.` : '';
    const label = fitLabel(number, `${op.f} ${printEdn(op.value)}`, (nextStart.get(k) ?? WIDTH) - x0 - 4);
    const title = `${op.f} ${printEdn(op.value)} (index ${history.index[comp >= 0 ? comp : inv]}${comp < 0 ? ', may not have happened' : ''})`;
    parts.push(
      `<g><title>${escapeHtml(title)}</title><rect x="${x0.toFixed(1)}" y="${y + 4}" width="${(x1 - x0).toFixed(1)}" height="${LANE - 8}" rx="3" fill="${fill}" fill-opacity="${comp < 0 ? 0.4 : 0.85}"/>` +
        (label === '' ? '' : `<text x="${(x0 + 2).toFixed(1)}" y="${y + LANE - 9}">${escapeHtml(label)}</text>`) +
        '</g>',
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** Average advance of a 10 px sans-serif character, rounded up so that labels never touch. */
const CHAR_PX = 6;

/**
 * The label for `room` pixels: `12. write 3` if it fits, else the text cut with an ellipsis
 * (at most 40 characters), else the rank alone, else nothing.
 */
export function fitLabel(number: string, text: string, room: number): string {
  const fits = Math.floor(room / CHAR_PX);
  const full = number === '' ? text : `${number} ${text}`;
  const max = Math.min(fits, 40);
  if (full.length <= max) return full;
  if (max >= (number === '' ? 0 : number.length + 1) + 4) return `${full.slice(0, max - 1)}…`;
  return number.length <= fits ? number : '';
}
