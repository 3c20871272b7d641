/**
 * The timeline page's script, as text to inline (no network fetches). It reads the embedded
 * JSON, sizes a canvas to rows × row height, and on every scroll draws only the boxes that
 * overlap the visible rows: boxes are sorted by start row, so a binary search finds those that
 * start near the window, and the few long boxes (ops that stayed open for many rows) are kept
 * in a separate list checked every time. Boxes are built with DOM calls and `textContent`, so
 * no history value is ever parsed as HTML; every displayed string goes through `SHOW_SCRIPT`'s
 * `visible`, because `textContent` would still let a right-to-left override reorder the text.
 *
 * `window.hindsightTimeline[ROOT_ID].scrollToOp(index)` (and `window.hindsightTimeline.scrollToOp`
 * for the last timeline on the page) scrolls to the box holding the op with that `:index` and
 * flashes it; a URL hash `#op-<index>` does the same on load and on hash change.
 */
import { INVISIBLE_CLASS } from '../escape.js';

/**
 * The page-side twin of `showInvisible` (same character class, same `\uXXXX` text): the JSON
 * carries invisible characters as escapes, so parsed values hold them raw until passed through `visible`.
 */
export const SHOW_SCRIPT = String.raw`function visible(s) {
  return String(s).replace(/${INVISIBLE_CLASS}/g, function (c) { return '\\u' + ('000' + c.charCodeAt(0).toString(16).toUpperCase()).slice(-4); });
}`;

/** The script (see this file's header); the page replaces `ROOT_ID` and `ID_PREFIX` in it with JSON strings. */
export const TIMELINE_SCRIPT = String.raw`
(function () {
${SHOW_SCRIPT}
  var root = document.getElementById(ROOT_ID);
  var d = JSON.parse(root.querySelector('script[type="application/json"]').textContent);
  var scroller = root.querySelector('.tl-scroll');
  var canvas = root.querySelector('.tl-canvas');
  var head = root.querySelector('.tl-head');
  var ROW = d.rows * 18 > 12e6 ? Math.max(3, Math.floor(12e6 / d.rows)) : 18;
  var COL = 170, GAP = 6, LONG = 400, PAD = 30;
  var n = d.c.length;
  // Op indices: explicit, or (the usual case) the box's own rows.
  var opIndex = d.i ? function (b) { return d.i[b]; } : function (b) { return d.s[b]; };
  var doneIndex = d.j ? function (b) { return d.j[b]; } : function (b) { return d.o[b] === 3 || d.e[b] === d.s[b] ? -1 : d.e[b]; };
  var outcomeClass = ['ok', 'fail', 'info', 'open'];
  var nemesis = {};
  d.nemesisCols.forEach(function (c) { nemesis[c] = true; });
  var hl = {};
  d.hl.forEach(function (b) { hl[b] = true; });
  var long = [];
  for (var b = 0; b < n; b++) if (d.e[b] - d.s[b] > LONG) long.push(b);
  canvas.style.height = (d.rows * ROW + 4) + 'px';
  canvas.style.width = (d.cols.length * COL) + 'px';
  head.style.width = (d.cols.length * COL) + 'px';
  d.cols.forEach(function (name, c) {
    var h = document.createElement('div');
    h.className = 'tl-col';
    h.style.left = (c * COL) + 'px';
    h.style.width = (COL - GAP) + 'px';
    h.textContent = visible(name);
    head.appendChild(h);
  });
  var flash = -1;
  function firstStartingAtOrAfter(row) {
    var lo = 0, hi = n;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (d.s[mid] < row) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function fmt(t) { return t === null ? '?' : t.toFixed(3) + ' ms'; }
  function box(b) {
    var el = document.createElement('div');
    var f = d.f[b] < 0 ? '' : visible(d.fs[d.f[b]]);
    var v = visible(d.v[b]), w = visible(d.w[b]);
    el.className = 'tl-op ' + (nemesis[d.c[b]] ? 'nemesis' : outcomeClass[d.o[b]]) + (hl[b] ? ' hl' : '') + (b === flash ? ' flash' : '');
    var i = opIndex(b), j = doneIndex(b);
    el.id = ID_PREFIX + 'op-' + i;
    el.setAttribute('data-op-index', String(i));
    if (j >= 0) el.setAttribute('data-completion-index', String(j));
    el.style.top = (d.s[b] * ROW + 1) + 'px';
    el.style.left = (d.c[b] * COL) + 'px';
    el.style.width = (COL - GAP) + 'px';
    el.style.height = Math.max(ROW - 2, (d.e[b] - d.s[b] + 1) * ROW - 2) + 'px';
    el.textContent = f + ' ' + v + (w !== '' ? ' \u2192 ' + w : '');
    var lat = d.t0[b] !== null && d.t1[b] !== null ? ' (' + (d.t1[b] - d.t0[b]).toFixed(3) + ' ms)' : '';
    el.title = 'process ' + visible(d.p ? d.pn[d.p[b]] : d.cols[d.c[b]]) + ' :' + f + ' ' + outcomeClass[d.o[b]] + '\n' +
      'op ' + i + (j >= 0 ? ' \u2192 ' + j : '') + '\n' +
      'invoked ' + fmt(d.t0[b]) + (d.t1[b] !== null ? ', completed ' + fmt(d.t1[b]) + lat : '') + '\n' +
      'value ' + v + (w !== '' ? '\nresult ' + w : '');
    return el;
  }
  var shown = '';
  function render(force) {
    var top = scroller.scrollTop, height = scroller.clientHeight;
    var r0 = Math.max(0, Math.floor(top / ROW) - PAD), r1 = Math.ceil((top + height) / ROW) + PAD;
    var key = r0 + ':' + r1 + ':' + flash;
    if (!force && key === shown) return;
    shown = key;
    var frag = document.createDocumentFragment();
    var seen = {};
    for (var k = 0; k < long.length; k++) {
      var lb = long[k];
      if (d.s[lb] <= r1 && d.e[lb] >= r0) { frag.appendChild(box(lb)); seen[lb] = true; }
    }
    for (var b = firstStartingAtOrAfter(r0 - LONG); b < n && d.s[b] <= r1; b++) {
      if (d.e[b] >= r0 && !seen[b]) frag.appendChild(box(b));
    }
    canvas.replaceChildren(frag);
  }
  var pending = false;
  scroller.addEventListener('scroll', function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; render(false); });
  });
  var byIndex = null;
  function boxOf(index) {
    if (byIndex === null) {
      byIndex = new Map();
      for (var b = 0; b < n; b++) { byIndex.set(opIndex(b), b); if (doneIndex(b) >= 0) byIndex.set(doneIndex(b), b); }
    }
    var b = byIndex.get(index);
    return b === undefined ? -1 : b;
  }
  function scrollToOp(index) {
    var b = boxOf(Number(index));
    if (b < 0) return false;
    flash = b;
    scroller.scrollTop = Math.max(0, d.s[b] * ROW - scroller.clientHeight / 3);
    scroller.scrollLeft = Math.max(0, d.c[b] * COL - scroller.clientWidth / 3);
    render(true);
    return true;
  }
  function fromHash() {
    var m = /^#op-(\d+)$/.exec(location.hash);
    return m !== null && scrollToOp(m[1]);
  }
  window.addEventListener('hashchange', fromHash);
  var api = { scrollToOp: scrollToOp, rowHeight: ROW, boxCount: n };
  window.hindsightTimeline = window.hindsightTimeline || {};
  window.hindsightTimeline[ROOT_ID] = api;
  window.hindsightTimeline.scrollToOp = scrollToOp;
  if (!fromHash()) {
    if (d.hl.length > 0) scrollToOp(opIndex(d.hl[0])); else render(true);
  }
})();
`;
