/**
 * `hindsight check --out`: every output file is written whole, and inputs with one basename
 * keep apart. Four CLI processes check four different histories into one --out directory at
 * once; each file left there must be byte for byte one process's output (as each writes alone)
 * and no temporary file may be left. Two `history.edn` inputs get two labels and two dirs.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';
import { runCheck } from '../../analyzer/cli/check.js';
import { inputNames } from '../../analyzer/cli/input-names.js';
import { type GenOptions, streamGenerated } from '../../analyzer/gen/index.js';
import { isTempName } from '../../analyzer/util/atomic-write.js';
import { type CliResult, runCli } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

const fresh = (): string => tempDir('hindsight-check-out-');

function check(args: string[]): Promise<CliResult> {
  return runCli(['check', ...args]);
}

/** Every file under `dir`, by path relative to it. */
function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p).split(sep).join('/'), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** Register histories of different sizes; two lose a write, so linearizable draws its failure too. */
const HISTORIES: GenOptions[] = [
  { workload: 'register', ops: 2000, concurrency: 5, keys: 1, seed: 1 },
  { workload: 'register', ops: 3000, concurrency: 5, keys: 1, seed: 2, anomaly: 'lost-write' },
  { workload: 'register', ops: 4000, concurrency: 6, keys: 1, seed: 3 },
  { workload: 'register', ops: 5000, concurrency: 6, keys: 1, seed: 4, anomaly: 'lost-write' },
];

test('four check processes writing one --out directory leave only whole files', async () => {
  const dir = fresh();
  const files: string[] = [];
  for (const [i, o] of HISTORIES.entries()) {
    files.push(join(dir, `h${i}.edn`));
    await streamGenerated(o, files[i]);
  }
  const flags = ['--checker', 'linearizable,perf,timeline,stats', '--model', 'register'];
  // What each process writes when alone: the only acceptable contents of each file.
  const alone: Map<string, string>[] = [];
  for (const [i, f] of files.entries()) {
    const out = join(dir, `alone-${i}`);
    const code = await runCheck([f], { checker: 'linearizable,perf,timeline,stats', model: 'register', out, quiet: true }, () => {}, () => {});
    assert.equal(code, HISTORIES[i].anomaly === undefined ? 0 : 1, `alone ${i}`);
    alone.push(filesUnder(out));
  }
  assert.ok(alone[1].has('linear.html') && alone[1].has('timeline.html') && alone[1].has('results.edn'), [...alone[1].keys()].join(' '));

  const shared = join(dir, 'shared');
  const runs = await Promise.all(files.map((f) => check([f, ...flags, '--out', shared, '--quiet'])));
  runs.forEach((r, i) => assert.equal(r.code, HISTORIES[i].anomaly === undefined ? 0 : 1, r.err));

  const left = filesUnder(shared);
  const temps = [...left.keys()].filter((p) => isTempName(p.split('/').pop()!));
  assert.deepEqual(temps, [], 'no temporary file is left');
  const expectedNames = new Set(alone.flatMap((m) => [...m.keys()]));
  assert.deepEqual([...left.keys()].sort(), [...expectedNames].sort());
  for (const [name, text] of left) {
    const whose = alone.findIndex((m) => m.get(name) === text);
    assert.ok(whose >= 0, `${name} (${text.length} bytes) is no single process's output`);
  }
});

test('two inputs named history.edn get two labels and two output directories', async () => {
  const dir = fresh();
  const a = join(dir, 'a', 'history.edn');
  const b = join(dir, 'b', 'history.edn');
  mkdirSync(join(dir, 'a'));
  mkdirSync(join(dir, 'b'));
  await streamGenerated(HISTORIES[0], a);
  await streamGenerated({ ...HISTORIES[1], ops: 2000 }, b);
  const out = join(dir, 'out');
  const lines: string[] = [];
  const code = await runCheck([a, b], { checker: 'linearizable', model: 'register', out }, (s) => lines.push(s), (s) => lines.push(s));
  assert.equal(code, 1, lines.join('\n'));
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(lines[0], /^a\/history\.edn: valid/);
  assert.match(lines[1], /^b\/history\.edn: invalid/);
  const ra = readFileSync(join(out, 'a', 'history.edn', 'results.edn'), 'utf8');
  const rb = readFileSync(join(out, 'b', 'history.edn', 'results.edn'), 'utf8');
  assert.match(ra, /:valid\? true/);
  assert.match(rb, /:valid\? false/);
  // The failing one's pictures sit with its own results, not the other's.
  assert.deepEqual(readdirSync(join(out, 'a', 'history.edn')), ['results.edn']);
  assert.ok(readdirSync(join(out, 'b', 'history.edn')).includes('linear.html'));
});

test('input names: plain basenames when unique, else the shortest unique trailing path', () => {
  assert.deepEqual(inputNames(['x/h1.edn', 'y/h2.edn']), ['h1.edn', 'h2.edn']);
  assert.deepEqual(inputNames(['a/history.edn', 'b/history.edn', 'c.edn']), ['a/history.edn', 'b/history.edn', 'c.edn']);
  assert.deepEqual(inputNames(['s/a/x/history.edn', 's/b/x/history.edn']), ['a/x/history.edn', 'b/x/history.edn']);
  assert.deepEqual(inputNames(['/r/t/1/history.edn', '/r/t/2/history.edn', '/r/u/1/history.edn']), [
    't/1/history.edn',
    '2/history.edn',
    'u/1/history.edn',
  ]);
  // `..` is resolved away: a name must stay inside --out.
  const names = inputNames(['../history.edn', 'history.edn']);
  assert.equal(new Set(names).size, 2);
  for (const n of names) assert.ok(!n.split('/').includes('..'), n);
  // The same file twice: the later one is numbered.
  assert.deepEqual(inputNames(['h.edn', './h.edn']), ['h.edn', 'h.edn~2']);
});
