/** `inlineSvg`: our pictures go inline with scoped ids and styles; anything that could do more than draw is refused. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { compose } from '../../analyzer/check/compose.js';
import { resolveCheckers } from '../../analyzer/cli/check.js';
import { readHistory } from '../../analyzer/history/read.js';
import { INVISIBLE_CLASS, escapeHtml } from '../../analyzer/render/escape.js';
import { inlineSvg } from '../../analyzer/render/inline-svg.js';

test("the checkers' own pictures (Elle cycle, perf plots) are accepted, ids and style rules scoped to the picture", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hindsight-svg-'));
  try {
    const history = await readHistory('fixtures/elle/paper-example.edn');
    await compose(resolveCheckers('list-append,perf'), history, {}, { outDir: dir });
    const cycle = inlineSvg(readFileSync(join(dir, 'elle/G-single-item-1.svg'), 'utf8'), 'pic3');
    assert.ok(cycle !== undefined, 'the Elle cycle picture is plain drawing');
    assert.match(cycle, /^<svg id="pic3" xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(cycle, /<marker id="pic3-arrow-rw"/);
    assert.match(cycle, /marker-end="url\(#pic3-arrow-rw\)"/);
    assert.doesNotMatch(cycle, /url\(#arrow/);
    const rate = inlineSvg(readFileSync(join(dir, 'rate.svg'), 'utf8'), 'pic4');
    assert.ok(rate !== undefined, 'the perf plot is plain drawing');
    assert.match(rate, /<style>#pic4 \.grid\{[^}]*\}#pic4 \.frame\{/);
    assert.match(rate, /clip-path="url\(#pic4-plot-area\)"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('anything beyond drawing is refused: scripts, handlers, outside links and fetches, entities, foreign content', () => {
  for (const svg of [
    '<svg><script>alert(1)</script></svg>',
    '<svg onload="alert(1)"></svg>',
    '<svg><rect ONCLICK="alert(1)"/></svg>',
    '<svg><a href="https://example.com"><text>x</text></a></svg>',
    '<svg><image href="https://example.com/x.png"/></svg>',
    '<svg><use href="https://example.com/x.svg#a"/></svg>',
    '<svg><rect fill="url(https://example.com/x)"/></svg>',
    '<svg><rect style="fill:url(//example.com/x)"/></svg>',
    '<svg><style>@import "https://example.com/x.css";</style></svg>',
    '<svg><style>rect{background:url(https://example.com/x)}</style></svg>',
    '<svg><foreignObject><div>x</div></foreignObject></svg>',
    '<svg><animate attributeName="href" to="javascript:alert(1)"/></svg>',
    '<!DOCTYPE svg [<!ENTITY x "y">]><svg><text>&x;</text></svg>',
    '<svg><text>&nbsp;</text></svg>',
    '<svg><![CDATA[<script>]]></svg>',
    '<svg></svg><script>alert(1)</script>',
    'text<svg></svg>',
    '<svg><g></svg>',
    '<svg><rect x=1/></svg>',
    '<div><svg></svg></div>',
  ]) {
    assert.equal(inlineSvg(svg, 'p'), undefined, svg);
  }
});

test('a picture of hostile history values (escaped by its writer) stays inline and inert', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('<script>', '</svg>', 'onload=', '"', "'", '&', 'url(http://x)', 'href="http://x"', '\u202E', '\u2066', '\u0007', '\u2028')), { maxLength: 6 }), (labels) => {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">${labels.map((l, i) => `<g><title>${escapeHtml(l)}</title><text x="${i}" y="1">${escapeHtml(l)}</text></g>`).join('')}</svg>`;
      const out = inlineSvg(svg, 'p');
      assert.ok(out !== undefined);
      assert.doesNotMatch(out, /<script|<\/svg>.|\son\w+=|href="http/i);
      assert.doesNotMatch(out, new RegExp(INVISIBLE_CLASS), 'no raw bidi or control character');
    }),
    { numRuns: 300 },
  );
});

test('arbitrary input never comes out with a script, a handler or an outside link', () => {
  const piece = fc.constantFrom('<svg>', '</svg>', '<g>', '</g>', '<text>', '</text>', '<script>', '<a href="http://x">', '<rect onload="x"/>', '<rect fill="url(http://x)"/>', 'x', ' ', '&amp;', '<style>', '</style>', 'a{}', '<!-- -->', '"');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
      const out = inlineSvg(pieces.join(''), 'p');
      if (out !== undefined) assert.doesNotMatch(out, /<script|<a |\son\w+=|url\(http|href="http/i);
    }),
    { numRuns: 2000 },
  );
});
