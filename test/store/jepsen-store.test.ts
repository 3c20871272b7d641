/**
 * A store laid out as Jepsen writes it, from two real runs (fixtures/jepsen-stores/: the
 * canonical-raft register run of jerrytesting/Canonical-raft-bug-logs @ 1618256c, and the braft
 * wr-register run of Deabus/braft_bug @ a7df9037 with Jepsen's own results.edn): run
 * directories named `20220728T075255.000Z` / `…+0000`, no test.edn, `latest` links. `serve`
 * lists it, `report` renders it, `check` and `recheck` find each run as one history and choose
 * the checker from its ops, and recheck shows our verdict beside Jepsen's.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCheck } from '../../analyzer/cli/check.js';
import { checkerNamed } from '../../analyzer/checkers/registry.js';
import { toJson } from '../../analyzer/edn/print.js';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import { EdnMap } from '../../analyzer/edn/values.js';
import { readHistory } from '../../analyzer/history/read.js';
import { findHistories } from '../../analyzer/recheck/discover.js';
import { planFor } from '../../analyzer/recheck/plan.js';
import { recheck } from '../../analyzer/recheck/run.js';
import { serve } from '../../analyzer/report/serve.js';
import { isRunDirName, listRuns, resolveRunDir, runHistoryFile } from '../../analyzer/store/store.js';
import { runCliInProcess } from '../support/cli.js';

const RAFT = '20220728T075255.000Z';
const RAFT_TXT = '20220728T075300.000+0000';
const BRAFT = '20241218T010101.810Z';
let root: string;
let store: string;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'hindsight-jepsen-store-'));
  store = join(root, 'store');
  const raft = join(store, 'canonical-raft', RAFT);
  mkdirSync(raft, { recursive: true });
  for (const f of ['history.edn', 'history.txt', 'jepsen.log']) copyFileSync(join('fixtures/jepsen-stores/canonical-raft', f), join(raft, f));
  // The same run kept as history.txt alone, under a +0000 name.
  const txt = join(store, 'canonical-raft', RAFT_TXT);
  mkdirSync(txt);
  copyFileSync('fixtures/jepsen-stores/canonical-raft/history.txt', join(txt, 'history.txt'));
  const braft = join(store, 'braft', BRAFT);
  mkdirSync(braft, { recursive: true });
  for (const f of readdirSync(join('fixtures/jepsen-stores/braft', BRAFT))) copyFileSync(join('fixtures/jepsen-stores/braft', BRAFT, f), join(braft, f));
  // Jepsen's links: the store's latest run, and each test's.
  symlinkSync(join('braft', BRAFT), join(store, 'latest'));
  symlinkSync(BRAFT, join(store, 'braft', 'latest'));
  symlinkSync(RAFT_TXT, join(store, 'canonical-raft', 'latest'));
});
after(() => rmSync(root, { recursive: true, force: true }));

test('Jepsen run names are run names: with Z, with +HHMM, with none', () => {
  for (const n of [RAFT, RAFT_TXT, '20220728T075255.000-0500', '20220728T075255.000', '20220728T075255.000-3']) assert.ok(isRunDirName(n), n);
  for (const n of ['20220728T075255Z', 'latest', '20220728T075255.000+00']) assert.ok(!isRunDirName(n), n);
  assert.deepEqual(listRuns(store).map((r) => `${r.test}/${r.run}`), [`canonical-raft/${RAFT}`, `canonical-raft/${RAFT_TXT}`, `braft/${BRAFT}`]);
  assert.equal(resolveRunDir(join(store, 'braft')), join(store, 'braft', BRAFT));
});

test('an archived run kept gzipped is still one run with one history', async () => {
  const dir = join(root, 'gz-store', 'braft', BRAFT);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'history.edn.gz'), gzipSync(readFileSync(join('fixtures/jepsen-stores/braft', BRAFT, 'history.edn'))));
  copyFileSync(join('fixtures/jepsen-stores/braft', BRAFT, 'results.edn'), join(dir, 'results.edn'));
  assert.equal(runHistoryFile(dir), join(dir, 'history.edn.gz'));
  assert.deepEqual(findHistories([join(root, 'gz-store')]).map((f) => f.file), [join(dir, 'history.edn.gz')]);
  assert.equal((await readHistory(join(dir, 'history.edn.gz'))).length, 3988);
});

test('serve lists the Jepsen runs', async () => {
  const server: Server = await serve({ store, port: 0, host: '127.0.0.1' });
  try {
    const port = (server.address() as AddressInfo).port;
    const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    for (const s of ['canonical-raft', 'braft', RAFT, BRAFT]) assert.ok(page.includes(s), `${s} not listed`);
    assert.ok(!page.includes('No runs yet'));
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

async function check(args: string[], opts: Record<string, unknown>): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCheck(args, opts as never, (s) => out.push(s), (s) => err.push(s));
  return { code, out, err };
}

test('check on a run directory, a test directory, the store root and with --store: each run is one history, its checker chosen from the ops', async () => {
  const braft = join(store, 'braft', BRAFT);
  const one = await check([braft], {});
  assert.equal(one.code, 2);
  assert.deepEqual(one.out, ['unknown — empty-transaction-graph']);
  assert.deepEqual(one.err, [`${join(braft, 'history.edn')}: checking as rw-register: 406 :txn ops with only :r and :w (pass --checker to choose)`]);

  const viaStore = await check([], { store: join(store, 'braft') });
  assert.deepEqual([viaStore.code, viaStore.out], [2, ['unknown — empty-transaction-graph']]);

  const all = await check([store], { quiet: false });
  assert.equal(all.code, 1);
  assert.equal(all.out.length, 3);
  assert.match(all.out[0]!, new RegExp(`^${RAFT}/history\\.edn: invalid — not linearizable: process 9's read of 0 \\(index 29\\)`));
  assert.match(all.out[1]!, /^history\.txt: invalid — not linearizable: process 9's read of 0 \(index 29\)/);
  assert.match(all.out[2]!, new RegExp(`^${BRAFT}/history\\.edn: unknown — empty-transaction-graph$`));

  // --checker wins over the choice.
  const stats = await check([braft], { checker: 'stats' });
  assert.deepEqual([stats.code, stats.err], [1, []]);
});

test('stats on the braft run equals the :stats Jepsen saved in its results.edn, key by key', async () => {
  const dir = join(store, 'braft', BRAFT);
  const archived = parseEdn(readFileSync(join(dir, 'results.edn'), 'utf8'));
  assert.ok(archived instanceof EdnMap);
  const ours = await checkerNamed('stats')!.check(await readHistory(join(dir, 'history.edn')), {}, {});
  assert.deepEqual(toJson(ours), toJson(archived.kw('stats')!));
});

test('recheck finds each run once, chooses its checker, and shows our verdict beside the archived one', async () => {
  const found = findHistories([store]);
  assert.deepEqual(
    found.map((f) => f.file.slice(store.length + 1)),
    [`braft/${BRAFT}/history.edn`, `canonical-raft/${RAFT}/history.edn`, `canonical-raft/${RAFT_TXT}/history.txt`],
  );
  const rows = await recheck(found.map((f) => planFor(f, undefined, {})), { workers: 1 });
  assert.deepEqual(
    rows.map((r) => [r.checker, r.source, r.verdict, r.archived, r.agrees]),
    [
      ['rw-register', 'ops', 'unknown', 'invalid', false],
      ['linearizable --model cas-register', 'ops', 'invalid', null, null],
      ['linearizable --model cas-register', 'ops', 'invalid', null, null],
    ],
  );
  assert.match(rows[0]!.detail, /^empty-transaction-graph \(chosen from the ops: 406 :txn ops with only :r and :w\)$/);
  assert.equal(rows[0]!.check, `hindsight check ${join(store, 'braft', BRAFT, 'history.edn')}`);
});

test('report renders a Jepsen run: from its results.edn, or after checking it by the checker its ops call for', async () => {
  process.exitCode = undefined; // the CLI's status is what this process's exit code would be
  const runs = [await runCliInProcess(['report', '--quiet', join(store, 'braft', BRAFT)]), await runCliInProcess(['report', '--quiet', join(store, 'canonical-raft', RAFT)])];
  assert.deepEqual(runs.map((r) => r.code), [0, 0], runs.map((r) => r.err).join(''));
  const braft = readFileSync(join(store, 'braft', BRAFT, 'report.html'), 'utf8');
  assert.match(braft, new RegExp(`<title>invalid: braft / ${BRAFT.replace('.', '\\.')} — hindsight</title>`));
  assert.ok(existsSync(join(store, 'canonical-raft', RAFT, 'results.edn')), 'the unchecked run was checked first');
  assert.match(readFileSync(join(store, 'canonical-raft', RAFT, 'report.html'), 'utf8'), /<title>invalid: canonical-raft \//);
});
