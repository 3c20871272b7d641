/** Escaping for HTML and SVG: every value that came from a history goes through here. */

/**
 * Characters a reader cannot see but that change what they read: C0 controls other than tab and
 * newline, DEL and the C1 controls, the bidirectional controls (U+061C, U+200E, U+200F,
 * U+202A–U+202E, U+2066–U+2069: a right-to-left override makes `abc` display as `cba`), the
 * line and paragraph separators, zero-width space, the U+2060 block (word joiner, invisible
 * operators, deprecated format controls), the BOM and the interlinear annotation marks. They are
 * shown as the visible text `\uXXXX`. Zero-width (non-)joiners are left alone: emoji and many
 * scripts need them. A regex source, so the timeline's page script can use the same class.
 */
export const INVISIBLE_CLASS = '[\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\u061C\\u200B\\u200E\\u200F\\u2028-\\u202E\\u2060-\\u206F\\uFEFF\\uFFF9-\\uFFFB]';

const INVISIBLE = new RegExp(INVISIBLE_CLASS, 'g');
const HTML_SPECIAL = new RegExp(`[&<>"']|${INVISIBLE_CLASS}`, 'g');
const SCRIPT_SPECIAL = new RegExp(`[<>&]|${INVISIBLE_CLASS}`, 'g');

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `\u202E` for U+202E: what a reader sees in place of an invisible character. */
export function visibleEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Text with every invisible character of `INVISIBLE_CLASS` shown as `\uXXXX`. */
export function showInvisible(s: string): string {
  return s.replace(INVISIBLE, visibleEscape);
}

/** Escapes text for element content and quoted attribute values; invisible characters become visible `\uXXXX`. */
export function escapeHtml(s: string): string {
  return s.replace(HTML_SPECIAL, (c) => entities[c] ?? visibleEscape(c));
}

/**
 * JSON safe to embed inside a `<script>` element: `<`, `>`, `&` are escaped so a value containing
 * `</script>` cannot end the element, and the invisible characters (line separators included) are
 * JSON escapes, so the page's bytes hold none raw. The parsed strings still hold them: a script
 * that displays one must pass it through its own `showInvisible` (the timeline's does).
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(SCRIPT_SPECIAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
