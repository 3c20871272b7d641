/**
 * Invisible characters from a history (a right-to-left override above all, which makes
 * `abc`, U+202E, `def` display as `abcfed`) reach no page or picture raw: they show as the text `\u202E`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SHOW_SCRIPT, TIMELINE_SCRIPT } from '../../analyzer/render/timeline/client.js';
import { cycleSvg } from '../../analyzer/elle/render.js';
import { PlotFrame } from '../../analyzer/render/svg.js';
import { INVISIBLE_CLASS, escapeHtml, jsonForScript, showInvisible } from '../../analyzer/render/escape.js';
import { inlineSvg } from '../../analyzer/render/inline-svg.js';
import { loadRun } from '../../analyzer/report/load.js';
import { renderReport } from '../../analyzer/report/page.js';
import { RLO, bidiRun } from './store-fixture.js';

/** Every character the brief names as dangerous, and a few more the class covers. */
const BIDI = ['\u061C', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];
const OTHERS = ['\u0000', '\u0001', '\u0008', '\u000B', '\u000C', '\u000D', '\u001B', '\u001F', '\u007F', '\u0085', '\u009F', '\u200B', '\u2028', '\u2029', '\u2060', '\uFEFF'];
const DANGEROUS = new RegExp(INVISIBLE_CLASS);

let store: string;
let dir: string;

before(async () => {
  store = mkdtempSync(join(tmpdir(), 'hindsight-bidi-'));
  dir = await bidiRun(store);
});
after(() => rmSync(store, { recursive: true, force: true }));

test('escapeHtml shows each bidi control and invisible control as \\uXXXX, and leaves tab, newline and ordinary text alone', () => {
  for (const c of [...BIDI, ...OTHERS]) {
    const code = c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    assert.equal(escapeHtml(`a${c}b`), `a\\u${code}b`, code);
    assert.equal(showInvisible(`a${c}b`), `a\\u${code}b`, code);
  }
  assert.equal(escapeHtml('tab\there\nnewline <b>&"\''), 'tab\there\nnewline &lt;b&gt;&amp;&quot;&#39;');
  // Joiners stay: emoji sequences and many scripts need them. So do accents and CJK.
  assert.equal(escapeHtml('👩\u200D💻 क\u200Cष é 日本'), '👩\u200D💻 क\u200Cष é 日本');
});

test('jsonForScript writes them as JSON escapes: no raw one in the page, the same string back after parsing', () => {
  const value = { v: `abc${RLO}def\u2028\u0085</script>` };
  const json = jsonForScript(value);
  assert.equal(json, '{"v":"abc\\u202edef\\u2028\\u0085\\u003c/script\\u003e"}');
  assert.doesNotMatch(json, DANGEROUS);
  assert.deepEqual(JSON.parse(json), value);
});

test("the timeline page's display function escapes exactly what showInvisible does, for every UTF-16 code unit", () => {
  assert.ok(TIMELINE_SCRIPT.includes(SHOW_SCRIPT));
  assert.doesNotMatch(TIMELINE_SCRIPT, DANGEROUS);
  const visible = new Function(`${SHOW_SCRIPT}\nreturn visible;`)() as (s: string) => string;
  for (let code = 0; code <= 0xffff; code++) {
    const c = String.fromCharCode(code);
    if (visible(c) !== showInvisible(c)) assert.fail(`U+${code.toString(16)}: page shows ${JSON.stringify(visible(c))}, server ${JSON.stringify(showInvisible(c))}`);
  }
  assert.equal(visible(`abc${RLO}def`), 'abc\\u202Edef');
});

test('report.html of a history with U+202E holds no raw bidi control, and shows the values with \\u202E', async () => {
  const html = renderReport(await loadRun(dir));
  assert.doesNotMatch(html, DANGEROUS);
  // The result table, the headline and the raw EDN show the values as text…
  assert.ok(html.includes('&quot;abc\\u202Edef&quot;'), 'the written value, visibly escaped');
  assert.ok(html.includes('exe.txt\\u202E\\u2066'), 'the read value, visibly escaped');
  // …the inline linearizability pictures in <text> and <title>…
  assert.match(html, /<text [^>]*>[^<]*abc\\u202Edef[^<]*<\/text>/);
  assert.match(html, /<title>[^<]*exe\.txt\\u202E\\u2066[^<]*<\/title>/);
  // …and the timeline's JSON as escapes its script turns into the same text.
  assert.ok(html.includes('abc\\u202edef'), 'JSON escape in the timeline data');
});

test('timeline.html, linear.svg and linear.html written by the checkers hold no raw bidi control', () => {
  const timeline = readFileSync(join(dir, 'timeline.html'), 'utf8');
  assert.doesNotMatch(timeline, DANGEROUS);
  const data = JSON.parse(/<script type="application\/json">(.*)<\/script>/.exec(timeline)?.[1] ?? 'null') as { v: string[]; cols: string[] };
  assert.ok(data.v.includes(`"abc${RLO}def"`), 'the data carries the value; the page script shows it escaped');
  assert.ok(data.cols.includes(`nemesis${RLO}x`), data.cols.join(' '));
  for (const file of ['linear.svg', 'linear.html']) {
    const text = readFileSync(join(dir, file), 'utf8');
    assert.doesNotMatch(text, DANGEROUS, file);
    assert.ok(text.includes('abc\\u202Edef'), file);
  }
});

test('an Elle cycle picture and a perf plot show U+202E in <text> and <title> as \\u202E', () => {
  const cycle = cycleSvg({ type: `G1c${RLO}`, nodes: [{ name: 'T1', detail: `op 1${RLO}` }, { name: 'T2', detail: 'op 2' }], edges: [{ label: `wr "k${RLO}" 1` }, { label: 'ww 2' }] });
  assert.doesNotMatch(cycle, DANGEROUS);
  assert.ok(cycle.includes('>wr &quot;k\\u202E&quot; 1</text>'), cycle);
  assert.ok(cycle.includes('>G1c\\u202E</text>'));
  const frame = new PlotFrame({ width: 600, height: 300, title: `t${RLO}`, xLabel: 'x', yLabel: 'y', xMin: 0, xMax: 1, yMin: 0, yMax: 1 });
  const plot = frame.document(frame.intervals([{ from: 0, to: 1, label: `kill${RLO}` }]) + frame.legend([{ label: `read${RLO} ok`, colour: '#000' }]));
  assert.doesNotMatch(plot, DANGEROUS);
  assert.ok(plot.includes('<title>kill\\u202E</title>'));
  assert.ok(plot.includes('>read\\u202E ok</text>'));
  assert.ok(plot.includes('>t\\u202E</text>'));
});

test('an SVG file inlined into a report shows invisible characters visibly, raw or as character references', () => {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg"><g><title>a${RLO}b &#x202E;c &#8238;d &#x202e;e</title><text x="1" y="2" data-x="q${RLO}">f${RLO}g &amp; &#65; &#10;</text></g></svg>`;
  const out = inlineSvg(svg, 'p');
  assert.equal(
    out,
    '<svg id="p" xmlns="http://www.w3.org/2000/svg"><g><title>a\\u202Eb \\u202Ec \\u202Ed \\u202Ee</title><text x="1" y="2" data-x="q\\u202E">f\\u202Eg &amp; &#65; &#10;</text></g></svg>',
  );
  // A style sheet is CSS, where `\u202E` would mean something else: refused, shown as an <img>.
  assert.equal(inlineSvg(`<svg><style>.a{fill:red}${RLO}</style></svg>`, 'p'), undefined);
});
