/**
 * One self-contained `report.html` per run: the verdict in words at the top, the test's options,
 * each checker's result as a table with its raw EDN a click away and its pictures beside it
 * (inline SVG that passed `inlineSvg`'s allowlist, else an `<img>`), the timeline with the ops
 * the verdict rests on highlighted, and the run's files. Every op mentioned (in a result, in a
 * sentence as "op 491", in a picture) links to `#op-<index>`, which scrolls the timeline there.
 * No network fetches: everything is inline, and the only links are to the run's own files.
 */
import { printEdn } from '../edn/print.js';
import { EdnMap, type EdnValue, isRecord, mapEntries } from '../edn/values.js';
import { renderTimelineFragment } from '../render/timeline/page.js';
import { escapeHtml } from '../render/escape.js';
import type { Picture, RunMaterial } from './load.js';
import { registry } from '../checkers/registry.js';
import { type FigureContext, PICTURE_SCRIPT, figuresHtml, groupPictures } from './pictures.js';
import { opIndexOf, valueToHtml } from './value-html.js';
import { type CheckerVerdict, checkerVerdicts, headline } from './verdict.js';

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fff}
main{max-width:1200px;margin:0 auto;padding:16px 24px}
header.verdict{padding:18px 24px;color:#fff}
header.valid{background:#1a7f37}header.invalid{background:#c62828}header.unknown{background:#9a6700}
header h1{margin:0 0 4px;font-size:26px}header p{margin:0;font-size:17px}
header .run{opacity:.85;font-size:13px;margin-top:6px}
nav a{margin-right:14px}
h2{border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:28px}
h3 .badge{font-size:12px;padding:2px 8px;border-radius:10px;color:#fff;margin-left:8px;vertical-align:middle}
.badge.valid{background:#1a7f37}.badge.invalid{background:#c62828}.badge.unknown{background:#9a6700}
table.kv{border-collapse:collapse;margin:4px 0}
table.kv th{text-align:left;vertical-align:top;padding:2px 10px 2px 0;color:#555;font-weight:600;white-space:nowrap}
table.kv td{padding:2px 0;vertical-align:top}
code,pre{font:12px/1.4 ui-monospace,monospace}
pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:400px;white-space:pre-wrap;word-break:break-all}
a.op-link{font:12px ui-monospace,monospace;background:#fff3cd;border:1px solid #e0c36a;border-radius:3px;padding:0 3px;text-decoration:none;color:#5a4300}
a.op-link:hover{background:#ffe08a}
div.prose{white-space:pre-wrap;max-width:80ch}
ol.items{margin:2px 0;padding-left:22px}
figure{display:inline-block;margin:8px 16px 8px 0;vertical-align:top;max-width:100%}
figure img{max-width:560px;border:1px solid #ddd}
figure.inline svg{max-width:100%;height:auto;border:1px solid #ddd;background:#fff}
figure.inline svg g:has(> title),figure.inline svg text{cursor:pointer}
figcaption{font-size:12px;color:#555}
header .detail{margin:8px 0 0;font-size:13px;white-space:pre-wrap;max-width:110ch;opacity:.95}
header a.op-link{color:#5a4300}
p.detail{white-space:pre-wrap;max-width:110ch;background:#fdf6f6;border-left:3px solid #c62828;padding:6px 10px}
ul.files{columns:3;font-size:13px}
`;

/** Op indices the verdict rests on: the `:op` of failing checkers first, then every op in their evidence. */
export function evidenceOps(results: EdnValue, limit = 200): number[] {
  const first: number[] = [];
  const rest: number[] = [];
  const walk = (v: EdnValue, key: string | undefined, depth: number): void => {
    if (depth > 8 || first.length + rest.length >= limit) return;
    const i = opIndexOf(v);
    if (i !== undefined) {
      (key === 'op' ? first : rest).push(i);
      return;
    }
    if (v instanceof EdnMap || isRecord(v)) {
      for (const [k, x] of mapEntries(v)) {
        const name = typeof k === 'object' && k !== null && 'name' in k ? String((k as { name: string }).name) : undefined;
        if (name === 'previous-ok' || name === 'last-op' || name === 'final-paths') continue;
        walk(x, name, depth + 1);
      }
    } else if (Array.isArray(v)) for (const x of v) walk(x, key, depth + 1);
  };
  for (const c of checkerVerdicts(results)) if (c.verdict !== 'valid') walk(c.result, undefined, 0);
  return [...new Set([...first, ...rest])];
}

/** Text with each "op N" made a link that scrolls the timeline to op N. */
export function linkOps(text: string): string {
  return escapeHtml(text).replace(/\bop (\d+)\b/g, (_m, n: string) => `<a class="op-link" href="#op-${n}" data-op-index="${n}" title="show in the timeline">op ${n}</a>`);
}

/** A click on an op link, or on an op in an inline picture, scrolls the timeline to that op. */
const OP_CLICK_SCRIPT = `document.addEventListener('click', function (e) {
  var el = e.target;
  var a = el && el.closest ? el.closest('a.op-link') : null;
  var index = a ? Number(a.getAttribute('data-op-index')) : el && el.closest && el.closest('figure.inline') ? hindsightOpInPicture(el) : -1;
  if (index < 0) return;
  var t = window.hindsightTimeline && window.hindsightTimeline.timeline;
  if (!t) return;
  e.preventDefault();
  document.getElementById('timeline-section').scrollIntoView();
  t.scrollToOp(index);
});
`;

/**
 * One checker's part of the Checkers section: its verdict, its sentence and detail (unless the
 * headline shows that detail already), its pictures, its result as a table and as raw EDN.
 */
function checkerArticle(c: CheckerVerdict, own: Picture[], figures: FigureContext, headlineDetail: string | undefined): string[] {
  return [
    `<article class="checker" id="checker-${escapeHtml(c.checker)}"><h3>${escapeHtml(c.checker)}<span class="badge ${c.verdict}">${c.verdict}</span></h3>`,
    `<p class="sentence">${linkOps(c.sentence)}</p>`,
    // The headline's checker already shows its detail at the top.
    c.detail === undefined || c.verdict === 'valid' || c.detail === headlineDetail ? '' : `<p class="detail">${linkOps(c.detail)}</p>`,
    own.length === 0 ? '' : figuresHtml(own, figures),
    valueToHtml(c.result),
    `<details><summary>Raw EDN</summary><pre>${escapeHtml(printEdn(c.result, { sorted: true }))}</pre></details></article>`,
  ];
}

/** How `renderReport` renders. */
export interface ReportOptions {
  /** Where the run's files are, as seen from the report: '' (beside it, the default) or a URL path. */
  filesBase?: string;
}

/**
 * The whole report.html of a run, as this file's header describes: one self-contained page.
 * Never reads or writes files (`loadRun` gathers what it shows).
 */
export function renderReport(run: RunMaterial, options: ReportOptions = {}): string {
  const filesBase = options.filesBase ?? '';
  const top = headline(run.results);
  const verdicts = checkerVerdicts(run.results);
  // The ops the headline names ("… cannot be ordered after … (op 472)") are evidence too.
  const named = [...top.sentence.matchAll(/\bop (\d+)\b/g)].map((m) => Number(m[1]));
  const highlight = [...new Set([...evidenceOps(run.results), ...named])];
  const pictures = groupPictures(run.pictures, verdicts);
  let figureCount = 0;
  const figures = { filesBase, nextId: () => `pic${++figureCount}` };
  const general = pictures.get('') ?? [];
  const parts: string[] = [];
  parts.push('<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">');
  parts.push(`<title>${escapeHtml(`${top.verdict}: ${run.title}`)} — hindsight</title>`);
  parts.push(`<style>${CSS}</style></head><body>`);
  parts.push(
    `<header class="verdict ${top.verdict}" id="verdict"><h1>${escapeHtml(top.verdict[0].toUpperCase() + top.verdict.slice(1))}</h1>`,
    `<p>${linkOps(top.sentence)}</p>`,
    top.detail === undefined ? '' : `<div class="detail">${linkOps(top.detail)}</div>`,
    run.shrunk === undefined
      ? ''
      : `<p class="shrunk">The failure in ${run.shrunk.opsAfter} of its ${run.shrunk.opsBefore} ops, still ${escapeHtml(run.shrunk.still)}: <a href="${escapeHtml(filesBase + encodeURIComponent(run.shrunk.file))}">${escapeHtml(run.shrunk.file)}</a></p>`,
    `<div class="run">${escapeHtml(run.title)}</div></header>`,
  );
  parts.push('<main><nav><a href="#test">Test</a><a href="#checkers">Checkers</a>');
  if (general.length > 0) parts.push('<a href="#pictures">Pictures</a>');
  if (run.history) parts.push('<a href="#timeline-section">Timeline</a>');
  if (run.files.length > 0) parts.push('<a href="#files">Files</a>');
  parts.push('</nav>');

  parts.push('<section id="test"><h2>Test</h2>');
  parts.push(run.test === undefined ? '<p>No test.edn: this report was made from a results file.</p>' : valueToHtml(run.test));
  parts.push('</section>');

  parts.push('<section id="checkers"><h2>Checkers</h2>');
  for (const c of verdicts) {
    const own = pictures.get(c.checker) ?? [];
    const drawn = run.history === undefined ? undefined : registry.draw(c.checker, run.history, c.result);
    if (drawn !== undefined) own.unshift({ name: drawn.caption, svg: drawn.svg, generated: true });
    parts.push(...checkerArticle(c, own, figures, top.detail));
  }
  parts.push('</section>');

  if (general.length > 0) {
    parts.push('<section id="pictures"><h2>Pictures</h2>', figuresHtml(general, figures), '</section>');
  }

  if (run.history) {
    parts.push('<section id="timeline-section"><h2>Timeline</h2>');
    if (highlight.length > 0) parts.push(`<p>Highlighted: the ${highlight.length === 1 ? 'op' : `${highlight.length} ops`} the verdict rests on. Click an op in a result or a picture above to scroll here.</p>`);
    parts.push(renderTimelineFragment(run.history, { highlight, id: 'timeline' }));
    parts.push('</section>');
  }

  if (run.files.length > 0) {
    const href = (f: string): string => escapeHtml(filesBase + f.split('/').map(encodeURIComponent).join('/'));
    parts.push('<section id="files"><h2>Files</h2><ul class="files">');
    for (const f of run.files) parts.push(`<li><a href="${href(f)}">${escapeHtml(f)}</a></li>`);
    parts.push('</ul></section>');
  }
  parts.push(`<script>${PICTURE_SCRIPT}\n${OP_CLICK_SCRIPT}</script>`);
  parts.push('</main></body></html>', '');
  return parts.join('\n');
}
