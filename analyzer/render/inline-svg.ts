/**
 * Putting an SVG file into an HTML page as markup (so it scales, its text can be searched and
 * selected, and a click on an op in it can scroll the timeline) without letting it do anything
 * but draw.
 *
 * This is a validator, not a sanitizer: the SVG is tokenised tag by tag and accepted only if
 * every element is a drawing element from a short allowlist (no `<script>`, `<foreignObject>`,
 * `<a>`, `<image>`, `<use>` or animation), no attribute is an event handler, and every link or
 * `url(…)` points inside the picture (`#id`). Anything else returns undefined and the caller
 * shows the file as an `<img>` (an SVG image cannot run script). Our own pictures escape every
 * label, so they always pass; a hostile file never gets inline.
 *
 * Inline SVGs share the page's id and style namespace, so ids are prefixed (`arrow-rw` →
 * `pic2-arrow-rw`, with `url(#…)` and `href="#…"` to match) and an embedded `<style>` sheet's
 * selectors are scoped to the picture's root (`#pic2 .grid`).
 *
 * Invisible characters (a right-to-left override…, see `INVISIBLE_CLASS`) in text and attribute
 * values, raw or as numeric character references, become the visible text `\u202E`, as our own
 * writers' `escapeHtml` does; a style sheet holding one is refused.
 */
import { INVISIBLE_CLASS, showInvisible, visibleEscape } from './escape.js';

const ELEMENTS = new Set([
  'svg', 'g', 'defs', 'marker', 'path', 'circle', 'ellipse', 'rect', 'line', 'polyline', 'polygon',
  'text', 'tspan', 'title', 'desc', 'clipPath', 'linearGradient', 'radialGradient', 'stop', 'pattern', 'style', 'symbol',
]);

const TAG = /<(\/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[A-Za-z_][A-Za-z0-9_:.-]*\s*=\s*"[^"<]*")*)\s*(\/?)>/y;
const ATTR = /([A-Za-z_][A-Za-z0-9_:.-]*)\s*=\s*"([^"<]*)"/g;
/** Character references an HTML parser reads the same way an XML parser does. */
const ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});)/;

const INVISIBLE_ONE = new RegExp(`^${INVISIBLE_CLASS}$`);
const HAS_INVISIBLE = new RegExp(INVISIBLE_CLASS);
const CHAR_REF = /&#(?:(\d{1,7})|x([0-9a-fA-F]{1,6}));/g;

/** Markup text (or an attribute value) with invisible characters, raw or as `&#…;`, made visible. */
function showInvisibleMarkup(s: string): string {
  return showInvisible(s).replace(CHAR_REF, (ref, dec: string | undefined, hex: string | undefined) => {
    const code = dec !== undefined ? Number(dec) : parseInt(hex ?? '', 16);
    const c = code <= 0xffff ? String.fromCharCode(code) : '';
    return INVISIBLE_ONE.test(c) ? visibleEscape(c) : ref;
  });
}

/** `url(#x)` is the only `url(…)` allowed: no fetches, no `javascript:`. */
function urlsAreLocal(s: string): boolean {
  return !/url\(\s*['"]?(?!#)/i.test(s) && !/@import|expression\s*\(|javascript:/i.test(s);
}

function attributeOk(name: string, value: string): boolean {
  const n = name.toLowerCase();
  if (n.startsWith('on')) return false;
  if (n === 'href' || n === 'xlink:href') return value.startsWith('#');
  if (n === 'xmlns' || n === 'xmlns:xlink') return true;
  if (n.includes(':') && n !== 'xml:space' && n !== 'xml:lang') return false;
  return urlsAreLocal(value);
}

/** Scopes each rule of a small style sheet to `#root`; undefined if it is not plain rules. */
function scopeStyle(css: string, root: string): string | undefined {
  if (!urlsAreLocal(css) || /[<@\\]/.test(css) || HAS_INVISIBLE.test(css)) return undefined;
  const rules = css.split('}');
  const out: string[] = [];
  for (const rule of rules) {
    if (rule.trim() === '') continue;
    const brace = rule.indexOf('{');
    if (brace < 0) return undefined;
    const selectors = rule
      .slice(0, brace)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s) => `#${root} ${s}`);
    out.push(`${selectors.join(',')}{${rule.slice(brace + 1)}}`);
  }
  return out.join('');
}

/**
 * The SVG as markup safe to put in a page, with ids prefixed by `root` and the root `<svg>`
 * element given `id="<root>"`; undefined when the file uses anything outside the allowlist.
 */
export function inlineSvg(svg: string, root: string): string | undefined {
  // Drop the XML prolog and comments; a DOCTYPE (entities!) or CDATA is refused outright.
  const src = svg.replace(/^\uFEFF?\s*<\?xml[^>]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '').trim();
  if (/<!|<\?/.test(src) || ENTITY.test(src)) return undefined;
  const out: string[] = [];
  const stack: string[] = [];
  let pos = 0;
  let inStyle = false;
  while (pos < src.length) {
    const lt = src.indexOf('<', pos);
    const text = src.slice(pos, lt < 0 ? src.length : lt);
    if (text !== '') {
      if (stack.length === 0 && text.trim() !== '') return undefined;
      if (inStyle) {
        const scoped = scopeStyle(text, root);
        if (scoped === undefined) return undefined;
        out.push(scoped);
      } else out.push(showInvisibleMarkup(text));
    }
    if (lt < 0) break;
    TAG.lastIndex = lt;
    const m = TAG.exec(src);
    if (m === null) return undefined;
    const [whole, closing, name, attrs, selfClosing] = m;
    if (!ELEMENTS.has(name)) return undefined;
    if (closing) {
      if (attrs !== '' || selfClosing || stack.pop() !== name) return undefined;
      if (name === 'style') inStyle = false;
      out.push(whole);
    } else {
      if (stack.length === 0 && (name !== 'svg' || out.some((s) => s.trim() !== ''))) return undefined;
      if (inStyle) return undefined;
      const kept: string[] = [];
      for (const [, an, av] of attrs.matchAll(ATTR)) {
        if (!attributeOk(an, av)) return undefined;
        if (an === 'id') {
          if (stack.length > 0) kept.push(`id="${root}-${showInvisibleMarkup(av)}"`);
          continue;
        }
        const local = an.endsWith('href') ? `#${root}-${av.slice(1)}` : av.replace(/url\(\s*#/g, `url(#${root}-`);
        kept.push(`${an}="${showInvisibleMarkup(local)}"`);
      }
      if (stack.length === 0) kept.unshift(`id="${root}"`);
      out.push(`<${name}${kept.map((a) => ' ' + a).join('')}${selfClosing ? '/' : ''}>`);
      if (!selfClosing) {
        stack.push(name);
        if (name === 'style') inStyle = true;
      }
    }
    pos = lt + whole.length;
    if (stack.length === 0) {
      // Only whitespace may follow the root element.
      if (src.slice(pos).trim() !== '') return undefined;
      break;
    }
  }
  if (stack.length !== 0 || out.length === 0) return undefined;
  return out.join('');
}
