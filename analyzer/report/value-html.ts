/**
 * EDN values as readable HTML: maps become two-column tables, collections become lists, and an
 * op map (one with `:index`, `:type` and `:process`) becomes a link that scrolls the timeline to
 * that op. Every string that came from a history is escaped.
 */
import { printEdn } from '../edn/print.js';
import { EdnMap, EdnSet, type EdnValue, Keyword, isRecord, mapEntries } from '../edn/values.js';
import { escapeHtml } from '../render/escape.js';

/** The history index of an op-like map, or undefined when the value is not an op. */
export function opIndexOf(v: EdnValue): number | undefined {
  if (!(v instanceof EdnMap) && !isRecord(v)) return undefined;
  let index: EdnValue | undefined;
  let hasType = false;
  for (const [k, x] of mapEntries(v)) {
    if (!(k instanceof Keyword)) continue;
    if (k.name === 'index') index = x;
    if (k.name === 'type') hasType = true;
  }
  return hasType && typeof index === 'number' ? index : undefined;
}

/** A one-line op: `process 70 :ok :read 0`, linked to the timeline. */
export function opLink(v: EdnValue, index: number): string {
  return `<a class="op-link" href="#op-${index}" data-op-index="${index}" title="show in the timeline">${escapeHtml(printEdn(v))}</a>`;
}

const INLINE_LIMIT = 120;

/** A value as HTML, as this file's header says; nesting past 8 levels is shown as EDN text. */
export function valueToHtml(v: EdnValue, depth = 0): string {
  const opIndex = opIndexOf(v);
  if (opIndex !== undefined) return opLink(v, opIndex);
  if ((v instanceof EdnMap || isRecord(v)) && depth < 8) {
    const rows = [...mapEntries(v)]
      .map(([k, x]) => `<tr><th>${escapeHtml(printEdn(k))}</th><td>${valueToHtml(x, depth + 1)}</td></tr>`)
      .join('');
    return rows === '' ? '<code>{}</code>' : `<table class="kv">${rows}</table>`;
  }
  if ((Array.isArray(v) || v instanceof EdnSet) && depth < 8) {
    const items = Array.isArray(v) ? v : v.items;
    const printed = printEdn(v, { sorted: true });
    const structured = items.some((x) => opIndexOf(x) !== undefined || x instanceof EdnMap || isRecord(x));
    if (!structured && printed.length <= INLINE_LIMIT) return `<code>${escapeHtml(printed)}</code>`;
    if (!structured) return `<details><summary><code>${escapeHtml(printed.slice(0, INLINE_LIMIT))}…</code> (${items.length} items)</summary><pre>${escapeHtml(printed)}</pre></details>`;
    const shown = items.slice(0, 50).map((x) => `<li>${valueToHtml(x, depth + 1)}</li>`).join('');
    const more = items.length > 50 ? `<li>… ${items.length - 50} more (see the raw EDN)</li>` : '';
    return `<ol class="items">${shown}${more}</ol>`;
  }
  // Prose (explanations, reasons) reads better as text than as an EDN string literal.
  if (typeof v === 'string' && (v.length > 40 || v.includes('\n'))) return `<div class="prose">${escapeHtml(v)}</div>`;
  return `<code>${escapeHtml(printEdn(v, { sorted: true }))}</code>`;
}
