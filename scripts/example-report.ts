/**
 * Writes the checked-in example reports under docs/examples/ (`npm run example:report`), so the
 * docs show what a real failing run looks like without anyone running anything:
 *
 * - `knossos-cas-failure/`: Knossos's `cas-failure.edn`, a cas-register starting at 0, checked
 *   for linearizability; not linearizable at process 70's read of 0 (index 491), per
 *   fixtures/MANIFEST.md.
 * - `elle-g-single/`: the Elle paper's list-append example, a G-single-item cycle of three transactions.
 *
 * Each example is laid out as a store run (history.edn, test.edn naming the checkers and their
 * options), then `hindsight report --check` runs those checkers into it (results.edn and the
 * pictures) and writes report.html: the same path a recorded run takes. Nothing in the output
 * depends on the clock or on absolute paths, so re-running gives no diff.
 *
 * `--screenshots` also drives Debian's Chromium (playwright-core) over the reports and a small
 * store served by `hindsight serve`, writing the PNGs docs/reports.md shows into docs/images/.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { printEdn } from '../analyzer/edn/print.js';
import { parseEdn } from '../analyzer/edn/scanner.js';
import { EdnMap } from '../analyzer/edn/values.js';

export interface Example {
  /** Directory name under docs/examples/. */
  name: string;
  fixture: string;
  /** test.edn's body: name, checkers and checker options. */
  testEdn: string;
}

export const EXAMPLES: Example[] = [
  {
    name: 'knossos-cas-failure',
    fixture: 'fixtures/knossos/cas-register/bad/cas-failure.edn',
    testEdn:
      '{:name "knossos-cas-failure", :source "fixtures/knossos/cas-register/bad/cas-failure.edn", :workload :cas-register, :nemesis [],\n' +
      ' :checkers [:linearizable :timeline], :checker-options {:model "cas-register", :init "0"}}\n',
  },
  {
    name: 'elle-g-single',
    fixture: 'fixtures/elle/paper-example.edn',
    testEdn:
      '{:name "elle-g-single", :source "fixtures/elle/paper-example.edn", :workload :list-append, :nemesis [],\n' +
      ' :checkers [:list-append :timeline], :checker-options {:consistency-models "strict-serializable"}}\n',
  },
];

/** Writes every example under `root` (replacing what was there); returns their directories. */
export async function writeExamples(root: string): Promise<string[]> {
  const { run } = await import('../recorder/cli/main.js');
  const dirs: string[] = [];
  for (const ex of EXAMPLES) {
    const dir = join(root, ex.name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    copyFileSync(ex.fixture, join(dir, 'history.edn'));
    writeFileSync(join(dir, 'test.edn'), ex.testEdn);
    // (Not its exit status: the CLI reports process.exitCode, which a test runner may have set.)
    await run(['node', 'hindsight', 'report', dir, '--check', '--quiet']);
    if (!existsSync(join(dir, 'report.html'))) throw new Error(`hindsight report ${dir} wrote no report.html`);
    // These examples exist to show a failure: a passing one means a checker changed its mind.
    const results = parseEdn(readFileSync(join(dir, 'results.edn'), 'utf8'));
    if (!(results instanceof EdnMap) || results.kw('valid?') !== false) throw new Error(`${dir}: expected :valid? false, got ${printEdn(results)}`);
    dirs.push(dir);
  }
  return dirs;
}

const CHROMIUM = '/usr/bin/chromium';

/** PNGs of the example reports and of `hindsight serve`'s run list, for docs/reports.md. */
export async function takeScreenshots(examplesRoot: string, imagesDir: string): Promise<string[]> {
  const { chromium } = await import('playwright-core');
  const { serve } = await import('../analyzer/report/serve.js');
  mkdirSync(imagesDir, { recursive: true });
  imagesDir = resolve(imagesDir);
  examplesRoot = resolve(examplesRoot);
  const repo = process.cwd();
  // A small store: both examples as runs of their own test, plus a passing run. Served from
  // its parent directory as `store`, so the list's heading shows no temporary path.
  const work = mkdtempSync(join(tmpdir(), 'hindsight-shots-'));
  const store = join(work, 'store');
  const written: string[] = [];
  try {
    EXAMPLES.forEach((ex, i) => cpSync(join(examplesRoot, ex.name), join(store, ex.name, `2026110${i + 2}T10000${i}.000`), { recursive: true }));
    const good = join(store, 'knossos-cas-good', '20261101T090000.000');
    mkdirSync(good, { recursive: true });
    copyFileSync(join(repo, 'fixtures/knossos/cas-register/good/memstress3-0.edn'), join(good, 'history.edn'));
    writeFileSync(join(good, 'test.edn'), EXAMPLES[0].testEdn.replace('knossos-cas-failure', 'knossos-cas-good').replace('bad/cas-failure', 'good/memstress3-0'));
    const { run } = await import('../recorder/cli/main.js');
    await run(['node', 'hindsight', 'report', good, '--check', '--quiet']);
    symlinkSync(join(store, EXAMPLES[0].name, '20261102T100000.000'), join(store, 'latest'));
    process.chdir(work);
    const server = await serve({ store: 'store', port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const shot = async (name: string, full = false): Promise<void> => {
        const file = join(imagesDir, name);
        await page.screenshot({ path: file, fullPage: full });
        written.push(file);
      };
      await page.goto(`${base}/`);
      // Just the list, not a screen of white below it.
      const box = await page.locator('#runs').boundingBox();
      await page.screenshot({ path: join(imagesDir, 'serve-run-list.png'), clip: { x: 0, y: 0, width: 1280, height: Math.ceil((box?.y ?? 0) + (box?.height ?? 600) + 24) } });
      written.push(join(imagesDir, 'serve-run-list.png'));
      await page.click('text=knossos-cas-failure');
      await page.waitForSelector('header.verdict.invalid');
      await page.evaluate('window.scrollTo(0, 0)');
      await shot('report-linearizable-top.png');
      // The report's close-up of the failure, then the checker's overview picture.
      for (const [i, name] of ['report-linearizable-closeup.png', 'report-linearizable-picture.png'].entries()) {
        const figure = page.locator('#checker-linearizable figure').nth(i);
        await figure.scrollIntoViewIfNeeded();
        await figure.screenshot({ path: join(imagesDir, name) });
        written.push(join(imagesDir, name));
      }
      // Clicking the failing op in the headline scrolls the timeline to it.
      await page.click('header a.op-link[data-op-index="491"]');
      await page.waitForSelector('.tl-op.flash');
      await shot('report-timeline-failing-op.png');
      await page.goto(`${base}/runs/${EXAMPLES[1].name}/20261103T100001.000/`);
      await page.waitForSelector('header.verdict.invalid');
      await shot('report-elle-g-single.png');
    } finally {
      await browser.close();
      server.closeAllConnections();
      server.close();
    }
  } finally {
    process.chdir(repo);
    rmSync(work, { recursive: true, force: true });
  }
  return written;
}

async function main(): Promise<void> {
  // Relative paths from the repository root: the timeline page names its history file, and an
  // absolute path would differ from one checkout to the next.
  process.chdir(fileURLToPath(new URL('..', import.meta.url)));
  const root = 'docs/examples';
  for (const dir of await writeExamples(root)) console.log(`${dir}/report.html`);
  if (process.argv.includes('--screenshots')) for (const f of await takeScreenshots(root, 'docs/images')) console.log(f);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.stack : String(e));
    process.exit(1);
  });
}
