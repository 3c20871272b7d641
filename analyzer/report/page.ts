/**
 * One self-contained `report.html` per run: the verdict in words at the top, the test's options,
 * each checker's result as a table with its raw EDN a click away, the pictures (inline data
 * URIs, so an SVG can never run script in the page), and the timeline with the ops the verdict
 * rests on highlighted. Ops in results link to `#op-<index>`, which scrolls the timeline there.
 * No network fetches: everything is inline.
 */
import { printEdn } from '../edn/print.js';
import { EdnMap, type EdnValue, isRecord, mapEntries } from '../edn/values.js';
import { renderTimelineFragment } from '../checkers/timeline/index.js';
import { escapeHtml } from '../render/escape.js';
import type { RunMaterial } from './load.js';
import { opIndexOf, valueToHtml } from './value-html.js';
import { checkerVerdicts, headline } from './verdict.js';

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
figure{display:inline-block;margin:8px 16px 8px 0;vertical-align:top}
figure img{max-width:560px;border:1px solid #ddd}
figcaption{font-size:12px;color:#555}
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

function svgDataUri(svg: string): string {
  return 'data:image/svg+xml;base64,' + Buffer.from(svg, 'utf8').toString('base64');
}

export function renderReport(run: RunMaterial): string {
  const top = headline(run.results);
  const verdicts = checkerVerdicts(run.results);
  const highlight = evidenceOps(run.results);
  const parts: string[] = [];
  parts.push('<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">');
  parts.push(`<title>${escapeHtml(`${top.verdict}: ${run.title}`)} — hindsight</title>`);
  parts.push(`<style>${CSS}</style></head><body>`);
  parts.push(
    `<header class="verdict ${top.verdict}" id="verdict"><h1>${escapeHtml(top.verdict[0].toUpperCase() + top.verdict.slice(1))}</h1>`,
    `<p>${escapeHtml(top.sentence)}</p><div class="run">${escapeHtml(run.title)}</div></header>`,
  );
  parts.push('<main><nav><a href="#test">Test</a><a href="#checkers">Checkers</a>');
  if (run.pictures.length > 0) parts.push('<a href="#pictures">Pictures</a>');
  if (run.history) parts.push('<a href="#timeline-section">Timeline</a>');
  parts.push('</nav>');

  parts.push('<section id="test"><h2>Test</h2>');
  parts.push(run.test === undefined ? '<p>No test.edn: this report was made from a results file.</p>' : valueToHtml(run.test));
  parts.push('</section>');

  parts.push('<section id="checkers"><h2>Checkers</h2>');
  for (const c of verdicts) {
    parts.push(
      `<article class="checker" id="checker-${escapeHtml(c.checker)}"><h3>${escapeHtml(c.checker)}<span class="badge ${c.verdict}">${c.verdict}</span></h3>`,
      `<p class="sentence">${escapeHtml(c.sentence)}</p>`,
      valueToHtml(c.result),
      `<details><summary>Raw EDN</summary><pre>${escapeHtml(printEdn(c.result, { sorted: true }))}</pre></details></article>`,
    );
  }
  parts.push('</section>');

  if (run.pictures.length > 0) {
    parts.push('<section id="pictures"><h2>Pictures</h2>');
    for (const p of run.pictures) {
      parts.push(`<figure><img alt="${escapeHtml(p.name)}" src="${svgDataUri(p.svg)}"><figcaption>${escapeHtml(p.name)}</figcaption></figure>`);
    }
    parts.push('</section>');
  }

  if (run.history) {
    parts.push('<section id="timeline-section"><h2>Timeline</h2>');
    if (highlight.length > 0) parts.push(`<p>Highlighted: the ${highlight.length === 1 ? 'op' : `${highlight.length} ops`} the verdict rests on. Click an op in a result above to scroll here.</p>`);
    parts.push(renderTimelineFragment(run.history, { highlight, id: 'timeline' }));
    parts.push('</section>');
  }
  parts.push(`<script>
document.addEventListener('click', function (e) {
  var a = e.target && e.target.closest ? e.target.closest('a.op-link') : null;
  if (!a) return;
  var t = window.hindsightTimeline && window.hindsightTimeline.timeline;
  if (!t) return;
  e.preventDefault();
  document.getElementById('timeline-section').scrollIntoView();
  t.scrollToOp(Number(a.getAttribute('data-op-index')));
});
</script>`);
  parts.push('</main></body></html>', '');
  return parts.join('\n');
}
