/**
 * `timeline`: a self-contained HTML page of the history (`timeline.html` in `--out`), a column
 * per process and a box per op from invocation to completion, coloured by outcome, as Jepsen's
 * timeline checker. Virtualised (only visible boxes are in the DOM), so 1 M-op histories open.
 * Valid whenever there is a client op to draw (unknown when there is none): it draws, it does
 * not judge.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { History } from '../history/history.js';
import { nothingToJudge } from '../check/results.js';
import type { CheckContext, CheckResult, Checker } from '../check/checker.js';
import { lazy } from '../util/lazy.js';

/** The page's renderer, loaded only by a check that writes it (util/lazy.ts). */
export const timelinePage = lazy(() => import('../render/timeline/page.js'));

/** The file the `timeline` checker writes into `--out`. */
export const TIMELINE_FILE = 'timeline.html';

/**
 * The `timeline` checker's work: with `ctx.outDir`, writes `TIMELINE_FILE` there (named under
 * `:file`). Valid, or unknown when there is no client op; `:op-count` is the history's length.
 */
export async function checkTimeline(history: History, ctx: CheckContext): Promise<CheckResult> {
  if (history.invocations().length === 0) return nothingToJudge('no client operation to draw');
  if (ctx.outDir === undefined) return { 'valid?': true, 'op-count': history.length };
  await mkdir(ctx.outDir, { recursive: true });
  const { renderTimeline } = await timelinePage();
  await writeFileAtomic(join(ctx.outDir, TIMELINE_FILE), renderTimeline(history));
  return { 'valid?': true, 'op-count': history.length, file: TIMELINE_FILE };
}

/**
 * The `timeline` checker (`--checker timeline`): `checkTimeline`; no options.
 *
 * @example
 * await check(history, [timeline], {}, { outDir: 'out' }); // writes out/timeline.html
 */
export const timeline: Checker = {
  name: 'timeline',
  writes: [TIMELINE_FILE],
  summary: 'an HTML timeline of the history (timeline.html in --out): a column per process, a box per op',
  check: (history, _options, ctx) => checkTimeline(history, ctx),
  describe: (r) => (r.file === undefined ? 'no --out: timeline not written' : `wrote ${String(r.file)}`),
};
