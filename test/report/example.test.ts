/**
 * The checked-in example reports (docs/examples/, written by `npm run example:report`): they show
 * the failure the fixtures' manifest pins, carry their pictures inline, fetch nothing, link only
 * files that are there, and regenerating them gives the same bytes.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { EXAMPLES, writeExamples } from '../../scripts/example-report.js';

const read = (name: string, file = 'report.html'): string => readFileSync(join('docs/examples', name, file), 'utf8');

function section(html: string, start: string, end: string): string {
  const from = html.indexOf(start);
  assert.ok(from >= 0, `no ${start}`);
  return html.slice(from, html.indexOf(end, from));
}

test('the Knossos cas-failure example: op 491 in the headline, the linearizability picture inline beside the result, op 491 highlighted', () => {
  const html = read('knossos-cas-failure');
  const header = section(html, '<header class="verdict invalid"', '</header>');
  assert.match(header, /<p>not linearizable: process 70&#39;s read of 0 \(<a class="op-link" href="#op-491" data-op-index="491"[^>]*>op 491<\/a>\) cannot be ordered after process \d+&#39;s (write|cas) of [^<]+\(<a class="op-link" href="#op-\d+"/);
  const article = section(html, '<article class="checker" id="checker-linearizable">', '</article>');
  // First the report's close-up: the last steps of the longest order, each with the state after
  // it, and the failing op in red with the model's reason.
  const closeUp = section(article, '<figure class="picture inline"><svg id="pic1"', '</figure>');
  assert.match(closeUp, /Why op 491 cannot be linearized: the last \d+ steps of the longest order found/);
  // The step that set the register to 2 (the write named in the headline), with the state after it…
  assert.match(closeUp, /<g><title>(write 2|cas \[\d+ 2\]) \(index \d+\)<\/title>(<rect [^>]*\/>)?<text [^>]*>\d+\. process \d+<\/text><rect [^>]*fill="#2ca02c"[^>]*\/><text [^>]*>(write 2|cas \[\d+ 2\]) → 2<\/text><\/g>/);
  // …and last, in red, the read of 0 with the model's reason.
  assert.match(closeUp, /<g><title>read 0 \(index 491\): ✗ can&#39;t read 0 from register 2<\/title>(<rect [^>]*\/>)?<text [^>]*fill="#d62728"[^>]*>✗ process 70<\/text><rect [^>]*fill="#d62728"[^>]*\/><text [^>]*>read 0 ✗ can&#39;t read 0 from register 2<\/text><\/g>\s*<\/svg>/);
  assert.match(closeUp, /<figcaption>the failure up close \(drawn from the history and the result\)<\/figcaption>/);
  // Then the checker's overview, the red bar's tooltip naming its index (a click on it scrolls the timeline).
  const overview = section(article, '<figure class="picture inline"><svg id="pic2"', '</figure>');
  assert.match(overview, /<g><title>read 0 \(index 491\)<\/title><rect [^>]*fill="#d62728"/);
  assert.match(overview, /<figcaption><a href="linear\.svg">linear\.svg<\/a><\/figcaption>/);
  assert.match(article, /<a class="op-link" href="#op-491" data-op-index="491"/);
  // The timeline's highlight list holds op 491's box.
  assert.match(section(html, '<section id="timeline-section">', '</section>'), /"hl":\[[\d,]+\]/);
});

test('the Elle example: the G-single-item explained at the top, the cycle drawn inline', () => {
  const html = read('elle-g-single');
  assert.match(html, /<p>list-append: G-single-item anomaly: not consistent-view or repeatable-read \(nor any stronger model\)<\/p>/);
  assert.match(html, /<div class="detail">The first G-single-item:\nT1 = <a class="op-link" href="#op-7"/);
  assert.match(section(html, '<article class="checker" id="checker-list-append">', '</article>'), /<svg id="pic1"[^>]*>[\s\S]*<text[^>]*>op 7<\/text>/);
});

test('the examples are self-contained: no fetches, and every link is to a file of the example or inside the page', () => {
  for (const ex of EXAMPLES) {
    const html = read(ex.name);
    assert.doesNotMatch(html, /src="(https?:)?\/\//, ex.name);
    assert.doesNotMatch(html, /href="(https?:)?\/\//, ex.name);
    assert.doesNotMatch(html, /\/work\/|\/tmp\/|\/home\//, `${ex.name}: no absolute paths`);
    const hrefs = [...html.matchAll(/href="([^"#][^"]*)"/g)].map((m) => m[1]).filter((h) => !h.startsWith('data:'));
    assert.ok(hrefs.includes('history.edn') && hrefs.includes('results.edn'), ex.name);
    for (const h of hrefs) assert.ok(existsSync(join('docs/examples', ex.name, decodeURIComponent(h))), `${ex.name}: ${h} is linked but missing`);
  }
});

test('regenerating the examples gives the same reports and results, byte for byte', async () => {
  const a = mkdtempSync(join(tmpdir(), 'hindsight-example-a-'));
  const b = mkdtempSync(join(tmpdir(), 'hindsight-example-b-'));
  try {
    await writeExamples(a);
    await writeExamples(b);
    for (const ex of EXAMPLES) {
      for (const file of ['report.html', 'results.edn', 'test.edn']) {
        assert.equal(readFileSync(join(a, ex.name, file), 'utf8'), readFileSync(join(b, ex.name, file), 'utf8'), `${ex.name}/${file}`);
      }
    }
    assert.ok(existsSync(join(a, 'knossos-cas-failure', 'linear.svg')));
    assert.ok(existsSync(dirname(join(a, 'elle-g-single', 'elle', 'G-single-item-1.svg'))));
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});
