/**
 * `linear.html`: the linearizability viewer, one self-contained page (no network) for the keys
 * of a check — every failing key, and valid ones when asked (`--draw-valid`). What it draws and
 * how to drive it: client.ts; what it is given: data.ts.
 */
import type { History } from '../../history/history.js';
import { escapeHtml, jsonForScript } from '../../render/escape.js';
import type { KeyRun, LinearOptions } from '../linearize.js';
import { LINEAR_VIEWER_SCRIPT } from './client.js';
import { viewerData } from './data.js';

const CSS = `
body{margin:12px;font:13px/1.4 sans-serif;color:#222}
h1{font-size:16px;margin:0 0 6px}
#lv-bar button{margin-right:4px}
#lv-head{margin:6px 0;font-weight:bold}
#lv-canvas{display:block;width:100%;border:1px solid #ccc;background:#fcfcfc;cursor:crosshair}
#lv-panel{white-space:pre-wrap;margin-top:8px;padding:6px 8px;border:1px solid #ddd;background:#f6f6f6;min-height:3.6em;font-family:monospace}
#lv-tip{position:absolute;display:none;white-space:pre;background:#fffbe6;border:1px solid #cba;padding:4px 6px;font:12px monospace;pointer-events:none;z-index:5}
.lv-keys{color:#555;font-size:12px}
`;

/** The viewer page for `runs` (see this file's header), titled `title`. */
export function linearViewerHtml(history: History, runs: readonly KeyRun[], options: Pick<LinearOptions, 'model' | 'init'>, title: string): string {
  const data = viewerData(history, runs, options, title);
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head><body>',
    `<h1>${escapeHtml(title)}</h1>`,
    '<div id="lv-bar"><button data-lv="prev">◀ key</button><button data-lv="next">key ▶</button><button data-lv="path">next partial linearization</button><button data-lv="out">−</button><button data-lv="in">+</button><button data-lv="fit">fit</button>',
    '<span class="lv-keys">wheel: zoom · drag: pan · click: an op\'s step and state · n / p: key · 1–9: partial linearization · f: failing op · 0: fit</span></div>',
    '<div id="lv-head"></div>',
    '<canvas id="lv-canvas"></canvas>',
    '<div id="lv-panel"></div><div id="lv-tip"></div>',
    `<script type="application/json" id="lv-data">${jsonForScript(data)}</script>`,
    `<script>${LINEAR_VIEWER_SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
