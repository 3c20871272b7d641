/**
 * The checkers' pictures in a report, each beside the result it explains: a picture goes to the
 * checker that declares it writes that file (`Checker.writes`: `linear.svg` to linearizable,
 * `elle/*.svg` to list-append / rw-register, the perf plots to perf); any other SVG in the run
 * goes to a general Pictures section.
 *
 * Pictures are inline SVG when `inlineSvg` accepts them (ours always are), so a click on an op in
 * a picture can scroll the timeline to it: a bar whose tooltip says `(index 491 …)` or a label
 * `op 7` names its op. A picture that is not plain drawing is shown as an `<img>` instead.
 */
import { registry } from '../checkers/registry.js';
import { escapeHtml } from '../render/escape.js';
import { inlineSvg } from '../render/inline-svg.js';
import type { Picture } from './load.js';
import type { CheckerVerdict } from './verdict.js';

/** More cycles than this per checker are listed as files, not drawn: a page, not a gallery. */
const MAX_INLINE = 12;

/** Which checker a picture belongs to, given the checkers in this result; undefined: general. */
export function ownerOf(picture: string, checkers: ReadonlyArray<string>): string | undefined {
  return registry.ownerOf(picture, checkers);
}

/** Pictures grouped by owning checker ('' for the general section), in file-name order. */
export function groupPictures(pictures: ReadonlyArray<Picture>, verdicts: ReadonlyArray<CheckerVerdict>): Map<string, Picture[]> {
  const names = verdicts.map((v) => v.checker);
  const out = new Map<string, Picture[]>();
  for (const p of pictures) {
    const owner = ownerOf(p.name, names) ?? '';
    out.set(owner, [...(out.get(owner) ?? []), p]);
  }
  return out;
}

function svgDataUri(svg: string): string {
  return 'data:image/svg+xml;base64,' + Buffer.from(svg, 'utf8').toString('base64');
}

/** What every figure of one page shares. */
export interface FigureContext {
  /** Unique per page: ids inside inline SVGs are prefixed with it. */
  nextId: () => string;
  /** Where the run's raw files are, relative to the report ('' beside it). */
  filesBase: string;
}

function fileHref(ctx: FigureContext, name: string): string {
  return escapeHtml(ctx.filesBase + name.split('/').map(encodeURIComponent).join('/'));
}

/** One picture as a `<figure>`: inline SVG when `inlineSvg` accepts it, else an `<img>`; captioned with a link to its file. */
export function figureHtml(p: Picture, ctx: FigureContext): string {
  const id = ctx.nextId();
  const inline = inlineSvg(p.svg, id);
  const body = inline ?? `<img alt="${escapeHtml(p.name)}" src="${svgDataUri(p.svg)}">`;
  const caption = p.generated ? escapeHtml(p.name) : `<a href="${fileHref(ctx, p.name)}">${escapeHtml(p.name)}</a>`;
  return `<figure class="picture${inline === undefined ? '' : ' inline'}">${body}<figcaption>${caption}</figcaption></figure>`;
}

/** The pictures as figures, the first MAX_INLINE (12) drawn and the rest listed as links. */
export function figuresHtml(pictures: ReadonlyArray<Picture>, ctx: FigureContext): string {
  const shown = pictures.slice(0, MAX_INLINE).map((p) => figureHtml(p, ctx));
  const rest = pictures.slice(MAX_INLINE);
  if (rest.length > 0) {
    shown.push(`<p>${rest.length} more: ${rest.map((p) => `<a href="${fileHref(ctx, p.name)}">${escapeHtml(p.name)}</a>`).join(', ')}</p>`);
  }
  return `<div class="pictures">${shown.join('')}</div>`;
}

/**
 * The script function `hindsightOpInPicture(el)`, with which the page's click handler
 * (page.ts) finds the op a click in an inline picture names: the nearest `<g>` whose `<title>`
 * says `index N`, or a `<text>` reading `op N`; -1 for none.
 */
export const PICTURE_SCRIPT = `
function hindsightOpInPicture(el) {
  for (var n = el; n && n.nodeName !== 'svg'; n = n.parentNode) {
    var t = n.nodeName === 'g' ? n.querySelector(':scope > title') : null;
    var m = t && /\\bindex (\\d+)/.exec(t.textContent);
    if (!m && n.nodeName === 'text') m = /^op (\\d+)$/.exec(n.textContent.trim());
    if (m) return Number(m[1]);
  }
  return -1;
}`;
