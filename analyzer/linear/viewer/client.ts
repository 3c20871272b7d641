/**
 * The linearizability viewer's script, as text to inline. It decodes the page's JSON (data.ts)
 * and draws the selected key on a canvas: one lane per process, each op a bar on the time axis,
 * the ops of the selected partial linearization green and numbered in order, the failing op red,
 * nemesis intervals as bands. Only what is in view is drawn, so 100 000 ops zoom and pan freely.
 *
 * Mouse: wheel zooms about the pointer, drag pans, hover shows an op, click selects it (the panel
 * then gives its step in the linearization and the model's state after it). Keys: `n` / `p`
 * (or `]` / `[`) next and previous key, `1`–`9` a partial linearization, `+` / `-` zoom, arrows
 * pan, `0` fit, `f` the failing op. A failing key opens on its failure (up to 400 ops before it). `window.hindsightLinear` offers the same to scripts (tests).
 * History text reaches the page only through `textContent`, after `visible`.
 */
import { SHOW_SCRIPT } from '../../render/timeline/client.js';

/** The script (see this file's header). */
export const LINEAR_VIEWER_SCRIPT = String.raw`
(function () {
${SHOW_SCRIPT}
  var d = JSON.parse(document.getElementById('lv-data').textContent);
  var canvas = document.getElementById('lv-canvas');
  var ctx = canvas.getContext('2d');
  var panel = document.getElementById('lv-panel');
  var tip = document.getElementById('lv-tip');
  var head = document.getElementById('lv-head');
  var LANE = 22, TOP = 28, LEFT = 110;
  var keys = d.keys.map(decode);
  var cur = 0, pathNo = 0, sel = -1, t0 = 0, t1 = 1;

  function decode(k) {
    var n = k.lane.length, start = new Float64Array(n), end = new Float64Array(n), index = new Float64Array(n);
    var s = 0, x = 0, hi = -Infinity, lanes = [];
    for (var i = 0; i < n; i++) {
      s += k.start[i]; x += k.index[i];
      start[i] = s; index[i] = x;
      end[i] = k.dur[i] < 0 ? NaN : s + k.dur[i];
      hi = Math.max(hi, isNaN(end[i]) ? s : end[i]);
      if (lanes.indexOf(k.lane[i]) < 0) lanes.push(k.lane[i]);
    }
    lanes.sort(function (a, b) { return a - b; });
    var row = {}; lanes.forEach(function (l, r) { row[l] = r; });
    var lo = n > 0 ? start[0] : 0;
    for (var j = 0; j < n; j++) if (isNaN(end[j])) end[j] = hi + (hi - lo) * 0.02 + 1;
    var paths = k.paths.map(function (p) {
      var rank = new Int32Array(n).fill(-1), state = [], last = '';
      p.ops.forEach(function (o, r) { rank[o] = r; if (p.states[r] !== '') last = p.states[r]; state.push(last); });
      return { ops: p.ops, rank: rank, state: state };
    });
    return { k: k, n: n, start: start, end: end, index: index, lanes: lanes, row: row, lo: lo, hi: Math.max(hi, lo + 1), paths: paths };
  }
  function K() { return keys[cur]; }
  function x(t) { return LEFT + (t - t0) / (t1 - t0) * (canvas.clientWidth - LEFT - 10); }
  function tAt(px) { return t0 + (px - LEFT) / (canvas.clientWidth - LEFT - 10) * (t1 - t0); }
  function unit(t) { return d.unit === 'us' ? (t / 1e6).toFixed(3) + ' s' : 'position ' + Math.round(t); }
  function fit() { var k = K(); var pad = (k.hi - k.lo) * 0.01 + 1; t0 = k.lo - pad; t1 = k.hi + pad; }
  function path() { return K().paths[pathNo]; }

  function draw() {
    var k = K(), w = canvas.clientWidth, h = TOP + k.lanes.length * LANE + 8, dpr = window.devicePixelRatio || 1;
    canvas.style.height = h + 'px'; canvas.width = w * dpr; canvas.height = h * dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0); ctx.clearRect(0, 0, w, h); ctx.font = '11px sans-serif';
    d.nemesis.forEach(function (nm) {
      var a = Math.max(LEFT, x(nm[0])), b = Math.min(w, x(nm[1] < 0 ? k.hi : nm[1]));
      if (b < LEFT || a > w) return;
      ctx.fillStyle = 'rgba(150,120,230,0.18)'; ctx.fillRect(a, TOP - 4, Math.max(2, b - a), h - TOP);
      ctx.fillStyle = '#5b3fb0'; ctx.fillText(visible(nm[2]).slice(0, 40), a + 2, TOP - 8);
    });
    ctx.fillStyle = '#333';
    k.lanes.forEach(function (l, r) { ctx.fillText(visible(d.lanes[l]), 4, TOP + r * LANE + 15); });
    var p = path(), lo = tAt(LEFT), hi = tAt(w);
    for (var i = 0; i < k.n; i++) {
      if (k.end[i] < lo || k.start[i] > hi) continue;
      var a = Math.max(LEFT, x(k.start[i])), b = Math.max(a + 2, Math.min(w, x(k.end[i]))), y = TOP + k.row[k.k.lane[i]] * LANE + 3;
      var rank = p ? p.rank[i] : -1;
      ctx.globalAlpha = k.k.type[i] === 0 ? 0.9 : 0.45;
      ctx.fillStyle = i === k.k.failing ? '#d62728' : rank >= 0 ? '#2ca02c' : '#b5b5b5';
      ctx.fillRect(a, y, b - a, LANE - 6);
      ctx.globalAlpha = 1;
      if (i === sel) { ctx.strokeStyle = '#000'; ctx.lineWidth = 2; ctx.strokeRect(a - 1, y - 1, b - a + 2, LANE - 4); }
      if (b - a > 24) {
        var label = (rank >= 0 ? (rank + 1) + '. ' : '') + d.fs[k.k.f[i]] + ' ' + k.k.value[i];
        ctx.fillStyle = '#111'; ctx.save(); ctx.beginPath(); ctx.rect(a, y, b - a - 2, LANE - 6); ctx.clip();
        ctx.fillText(visible(label), a + 3, y + 12); ctx.restore();
      }
    }
    ctx.fillStyle = '#666'; ctx.fillText(unit(lo), LEFT, 12); var r = unit(hi); ctx.fillText(r, w - ctx.measureText(r).width - 4, 12);
    header();
  }

  function header() {
    var k = K(), verdict = k.k.valid === true ? 'linearizable' : k.k.valid === false ? 'not linearizable' : 'unknown';
    var ps = k.paths.length === 0 ? '' : k.k.valid === true ? ' · its linearization in green' : ' · partial linearization ' + (pathNo + 1) + ' of ' + k.paths.length + ' (' + path().ops.length + ' ops) in green, the failing op in red';
    head.textContent = 'key ' + visible(k.k.key) + ' (' + (cur + 1) + ' of ' + keys.length + '): ' + verdict + ', ' + k.n + ' ops' + ps;
  }

  function describe(i) {
    var k = K(), p = path(), lines = [];
    var t = ['ok', 'info (may or may not have happened)', 'never completed'][k.k.type[i]];
    lines.push(d.lanes[k.k.lane[i]] + ': ' + d.fs[k.k.f[i]] + ' ' + k.k.value[i] + ' (index ' + k.index[i] + ', ' + t + ')');
    lines.push('invoked ' + unit(k.start[i]) + (k.k.dur[i] < 0 ? '' : ', completed ' + unit(k.end[i])));
    if (i === k.k.failing) lines.push('cannot be linearized: ' + (k.k.reason || ''));
    else if (p && p.rank[i] >= 0) lines.push('step ' + (p.rank[i] + 1) + ' of ' + p.ops.length + '; state after it: ' + p.state[p.rank[i]]);
    else if (p) lines.push(k.k.valid === true ? 'not in the linearization (it need not have happened)' : 'not in this partial linearization');
    return lines.map(visible).join('\n');
  }

  function opAt(px, py) {
    var k = K(), r = Math.floor((py - TOP) / LANE);
    if (r < 0 || r >= k.lanes.length || px < LEFT) return -1;
    var t = tAt(px), slack = (t1 - t0) / canvas.clientWidth * 2, best = -1;
    for (var i = 0; i < k.n; i++) if (k.row[k.k.lane[i]] === r && k.start[i] - slack <= t && t <= k.end[i] + slack) best = i;
    return best;
  }

  function select(i) {
    sel = i; panel.textContent = i < 0 ? 'Click an op to see its step and the model\'s state.' : describe(i);
    if (i >= 0) {
      var k = K(), span = t1 - t0, mid = (k.start[i] + Math.min(k.end[i], k.start[i] + span)) / 2;
      if (k.start[i] < t0 || Math.min(k.end[i], k.start[i] + span * 0.9) > t1) { t0 = mid - span / 2; t1 = t0 + span; }
    }
    draw();
  }
  // A failing key opens on its failure: up to 400 ops before the failing one, to a little after it.
  function focus() {
    var k = K(), f = k.k.failing;
    if (f < 0) return;
    var from = k.start[Math.max(0, f - 400)], to = k.end[f], pad = (to - from) * 0.1 + 1;
    t0 = Math.max(t0, from - pad); t1 = Math.min(t1, to + pad);
  }
  function setKey(c) { cur = (c + keys.length) % keys.length; pathNo = 0; fit(); focus(); select(K().k.failing); }
  function zoom(f, at) { var c = at === undefined ? (t0 + t1) / 2 : at; t0 = c - (c - t0) * f; t1 = c + (t1 - c) * f; draw(); }
  function pan(f) { var s = (t1 - t0) * f; t0 += s; t1 += s; draw(); }

  canvas.addEventListener('wheel', function (e) { e.preventDefault(); zoom(e.deltaY > 0 ? 1.25 : 0.8, tAt(e.offsetX)); }, { passive: false });
  var drag = null;
  canvas.addEventListener('mousedown', function (e) { drag = { x: e.offsetX, t0: t0, t1: t1, moved: false }; });
  window.addEventListener('mouseup', function (e) {
    if (drag && !drag.moved && e.target === canvas) select(opAt(e.offsetX, e.offsetY));
    drag = null;
  });
  canvas.addEventListener('mousemove', function (e) {
    if (drag && Math.abs(e.offsetX - drag.x) > 3) {
      drag.moved = true; var dt = (e.offsetX - drag.x) / (canvas.clientWidth - LEFT - 10) * (drag.t1 - drag.t0);
      t0 = drag.t0 - dt; t1 = drag.t1 - dt; draw(); return;
    }
    var i = opAt(e.offsetX, e.offsetY);
    tip.style.display = i < 0 ? 'none' : 'block';
    if (i >= 0) { tip.textContent = describe(i); tip.style.left = (e.pageX + 12) + 'px'; tip.style.top = (e.pageY + 12) + 'px'; }
  });
  canvas.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
  document.addEventListener('keydown', function (e) {
    if (e.target && e.target.tagName === 'INPUT') return;
    var c = e.key;
    if (c === 'n' || c === ']') setKey(cur + 1);
    else if (c === 'p' || c === '[') setKey(cur - 1);
    else if (c >= '1' && c <= '9' && K().paths.length > +c - 1) { pathNo = +c - 1; select(sel); }
    else if (c === '+' || c === '=') zoom(0.8);
    else if (c === '-') zoom(1.25);
    else if (c === 'ArrowLeft') pan(-0.2);
    else if (c === 'ArrowRight') pan(0.2);
    else if (c === '0') { fit(); draw(); }
    else if (c === 'f') select(K().k.failing);
    else return;
    e.preventDefault();
  });
  document.querySelectorAll('[data-lv]').forEach(function (b) {
    b.addEventListener('click', function () {
      var a = b.getAttribute('data-lv');
      if (a === 'next') setKey(cur + 1); else if (a === 'prev') setKey(cur - 1); else if (a === 'in') zoom(0.8); else if (a === 'out') zoom(1.25); else if (a === 'fit') { fit(); draw(); } else if (a === 'path') { pathNo = (pathNo + 1) % Math.max(1, K().paths.length); select(sel); }
    });
  });
  window.addEventListener('resize', draw);
  window.hindsightLinear = {
    keyCount: function () { return keys.length; },
    key: function (c) { if (c !== undefined) setKey(c); return cur; },
    path: function (p) { if (p !== undefined) { pathNo = p; select(sel); } return pathNo; },
    select: function (index) { if (index < 0) { select(-1); return true; } var k = K(); for (var i = 0; i < k.n; i++) if (k.index[i] === index) { select(i); return true; } return false; },
    panel: function () { return panel.textContent; },
    header: function () { return head.textContent; },
    zoom: function (f) { zoom(f); return [t0, t1]; },
    boxOf: function (index) {
      var k = K(), r = canvas.getBoundingClientRect();
      for (var i = 0; i < k.n; i++) if (k.index[i] === index) {
        var a = Math.max(LEFT, x(k.start[i])), b = Math.min(canvas.clientWidth, x(k.end[i]));
        return { x: r.left + (a + Math.max(a + 2, b)) / 2, y: r.top + TOP + k.row[k.k.lane[i]] * LANE + 3 + (LANE - 6) / 2 };
      }
      return null;
    }
  };
  setKey(0);
})();
`;
