/**
 * The timeline as HTML: `renderTimeline` gives a whole self-contained page (the `timeline`
 * checker's `timeline.html`); `renderTimelineFragment` gives the same view as one element with
 * its style and script, for the HTML report to embed (several per page are fine: ids are scoped
 * by `id`). History values reach the page only as script-safe JSON and `textContent`.
 */
import type { History } from '../../history/history.js';
import { escapeHtml, jsonForScript } from '../escape.js';
import { TIMELINE_SCRIPT } from './client.js';
import { timelineData } from './data.js';

/** How `renderTimeline` and `renderTimelineFragment` draw; all optional. */
export interface TimelineOptions {
  /** `:index` values of ops to highlight (e.g. the ops of a counterexample); the view opens on the first. */
  highlight?: ReadonlyArray<number>;
  /** Element id of the fragment's root (default `timeline`). */
  id?: string;
  /** Prefix of each box's element id (`<prefix>op-<index>`; default none, so `#op-12` anchors work). */
  opIdPrefix?: string;
  /** Page title (default: the history's file). */
  title?: string;
}

/** The timeline's style sheet (`tl-` classes), inlined in every fragment. */
export const TIMELINE_CSS = `
.tl-root{font:12px/1.3 sans-serif;color:#222}
.tl-legend span{display:inline-block;padding:1px 8px;margin-right:6px;border-radius:3px}
.tl-scroll{position:relative;overflow:auto;height:80vh;border:1px solid #ccc;background:#fafafa}
.tl-head{position:sticky;top:0;z-index:2;height:22px;background:#fff;border-bottom:1px solid #ccc}
.tl-col{position:absolute;top:3px;font-weight:bold;text-align:center;overflow:hidden;white-space:nowrap}
.tl-canvas{position:relative}
.tl-op{position:absolute;box-sizing:border-box;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;padding:0 3px;border-radius:2px;border:1px solid rgba(0,0,0,.15);font-size:11px;cursor:default}
.tl-op.ok,.tl-legend .ok{background:#6db6fe}
.tl-op.fail,.tl-legend .fail{background:#feb5da}
.tl-op.info,.tl-legend .info{background:#ffaa26}
.tl-op.open,.tl-legend .open{background:repeating-linear-gradient(45deg,#ffaa26,#ffaa26 6px,#ffd28a 6px,#ffd28a 12px)}
.tl-op.nemesis,.tl-legend .nemesis{background:#c9b8f5}
.tl-op.hl,.tl-legend .hl{outline:3px solid #d00;z-index:1}
.tl-op.flash{box-shadow:0 0 0 5px rgba(0,0,0,.45);z-index:1}
.tl-op:hover{z-index:3;overflow:visible;background-clip:padding-box}
`;

/** The timeline of `history` as one element with its style, data and script, for a page to embed (see this file's header). */
export function renderTimelineFragment(history: History, opts: TimelineOptions = {}): string {
  const id = opts.id ?? 'timeline';
  const data = timelineData(history, opts.highlight);
  const script = TIMELINE_SCRIPT.split('ROOT_ID').join(jsonForScript(id)).split('ID_PREFIX').join(jsonForScript(opts.opIdPrefix ?? ''));
  const boxes = data.c.length;
  return [
    `<div class="tl-root" id="${escapeHtml(id)}">`,
    `<style>${TIMELINE_CSS}</style>`,
    `<p class="tl-legend"><span class="ok">ok</span><span class="fail">fail</span><span class="info">info</span><span class="open">never completed</span><span class="nemesis">nemesis</span>${data.hl.length > 0 ? '<span class="hl">highlighted</span>' : ''} ${boxes} ops in ${data.cols.length} processes; each box spans its op from invocation to completion (history order, top to bottom). Hover for details.</p>`,
    '<div class="tl-scroll"><div class="tl-head"></div><div class="tl-canvas"></div></div>',
    `<script type="application/json">${jsonForScript(data)}</script>`,
    `<script>${script}</script>`,
    '</div>',
  ].join('\n');
}

/** A whole self-contained HTML page of the timeline, titled `opts.title` (default: the history's file). */
export function renderTimeline(history: History, opts: TimelineOptions = {}): string {
  const title = opts.title ?? `Timeline: ${history.file}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    '<style>body{margin:12px}h1{font:bold 16px sans-serif}</style>',
    '</head><body>',
    `<h1>${escapeHtml(title)}</h1>`,
    renderTimelineFragment(history, opts),
    '</body></html>',
    '',
  ].join('\n');
}
