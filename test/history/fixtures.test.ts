/**
 * Every fixture reads in its auto-detected format, with its op and pairing counts pinned
 * (computed once from the files and checked by hand against their sources' descriptions).
 */
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { printEdn } from '../../analyzer/edn/print.js';
import { EdnMap, ednEquals, kw } from '../../analyzer/edn/values.js';
import type { History } from '../../analyzer/history/history.js';
import { INVOKE } from '../../analyzer/history/op.js';
import { readHistory, readHistoryWithFormat } from '../../analyzer/history/read.js';

const root = 'fixtures';

function walk(d: string): string[] {
  return readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** [file, format, ops, invocations, paired invocations] */
const pinned: [string, string, number, number, number][] = [
  ['couchbase/sample-history-linearizable.edn', 'edn', 310, 152, 152],
  ['couchbase/sample-history-non-sequential.edn', 'edn', 308, 151, 151],
  ['couchbase/sample-history-sequential.edn', 'edn', 286, 140, 140],
  ['elle-cli/list-append-gh-30.edn', 'edn', 10, 5, 5],
  ['elle-cli/paper-example.json', 'json', 8, 4, 4],
  ['elle-cli/rw-register.edn', 'edn', 6, 3, 3],
  ['elle-cli/rw-register.json', 'json', 6, 3, 3],
  ['elle/paper-example.edn', 'edn', 8, 4, 4],
  ['elle/si-without-g-single.edn', 'edn', 8, 4, 4],
  ['jepsen-stores/canonical-raft/history.edn', 'edn', 922, 290, 290],
  ['jepsen-stores/canonical-raft/history.txt', 'jepsen-log', 922, 290, 290],
  ['jepsen-stores/canonical-raft/jepsen.log', 'jepsen-log', 922, 290, 290],
  ['knossos/cas-register/bad/bad-analysis.edn', 'edn-vector', 16, 9, 7],
  ['knossos/cas-register/bad/cas-failure.edn', 'edn-vector', 590, 291, 291],
  ['knossos/cas-register/bad/immediate-failure.edn', 'edn-vector', 4, 2, 2],
  ['knossos/cas-register/bad/mongodb-v0-ack-rollback-6.edn', 'edn-vector', 1492, 746, 746],
  ['knossos/cas-register/bad/rethink-fail-minimal.edn', 'edn-vector', 8, 4, 4],
  ['knossos/cas-register/bad/rethink-fail-smaller.edn', 'edn-vector', 500, 250, 250],
  ['knossos/cas-register/bad/rethink-fail.edn', 'edn-vector', 500, 250, 250],
  ['knossos/cas-register/good/cas-register-bug.edn', 'edn-vector', 11, 6, 5],
  ['knossos/cas-register/good/memstress3-0.edn', 'edn-vector', 634, 317, 317],
  ['knossos/cas-register/good/memstress3-1.edn', 'edn-vector', 610, 305, 305],
  ['knossos/cas-register/good/memstress3-10.edn', 'edn-vector', 592, 296, 296],
  ['knossos/cas-register/good/memstress3-11.edn', 'edn-vector', 640, 320, 320],
  ['knossos/cas-register/good/memstress3-12.edn', 'edn-vector', 608, 304, 304],
  ['knossos/cas-register/good/memstress3-13.edn', 'edn-vector', 608, 304, 304],
  ['knossos/cas-register/good/memstress3-14.edn', 'edn-vector', 610, 305, 305],
  ['knossos/cas-register/good/memstress3-15.edn', 'edn-vector', 616, 308, 308],
  ['knossos/cas-register/good/memstress3-16.edn', 'edn-vector', 566, 283, 283],
  ['knossos/cas-register/good/memstress3-17.edn', 'edn-vector', 622, 311, 311],
  ['knossos/cas-register/good/memstress3-18.edn', 'edn-vector', 596, 298, 298],
  ['knossos/cas-register/good/memstress3-2.edn', 'edn-vector', 598, 299, 299],
  ['knossos/cas-register/good/memstress3-3.edn', 'edn-vector', 592, 296, 296],
  ['knossos/cas-register/good/memstress3-4.edn', 'edn-vector', 600, 300, 300],
  ['knossos/cas-register/good/memstress3-5.edn', 'edn-vector', 606, 303, 303],
  ['knossos/cas-register/good/memstress3-6.edn', 'edn-vector', 588, 294, 294],
  ['knossos/cas-register/good/memstress3-7.edn', 'edn-vector', 632, 316, 316],
  ['knossos/cas-register/good/memstress3-8.edn', 'edn-vector', 634, 317, 317],
  ['knossos/cas-register/good/memstress3-9.edn', 'edn-vector', 632, 316, 316],
  ['knossos/cas-register/good/mongodb-v0-ack-rollback-.edn', 'edn-vector', 28, 0, 0],
  ['knossos/cas-register/good/mongodb-v0-ack-rollback-0.edn', 'edn-vector', 1404, 702, 702],
  ['knossos/cas-register/good/mongodb-v0-ack-rollback-1.edn', 'edn-vector', 1406, 703, 703],
  ['knossos/cas-register/good/mongodb-v0-ack-rollback-10.edn', 'edn-vector', 12, 6, 6],
  ['knossos/cas-register/good/mongodb-v0-ack-rollback-11.edn', 'edn-vector', 6, 3, 3],
  ['knossos/cas-register/good/mongodb-v0-ack-rollback-2.edn', 'edn-vector', 1432, 716, 716],
  ['knossos/cas-register/good/mongodb-v0-ack-rollback-3.edn', 'edn-vector', 1408, 704, 704],
  ['knossos/cas-register/good/mongodb-v0-ack-rollback-4.edn', 'edn-vector', 1466, 733, 733],
  ['knossos/cas-register/good/mongodb-v0-ack-rollback-5.edn', 'edn-vector', 1422, 711, 711],
  ['knossos/cas-register/good/mongodb-v0-ack-rollback-7.edn', 'edn-vector', 1470, 735, 735],
  ['knossos/cas-register/good/mongodb-v0-ack-rollback-8.edn', 'edn-vector', 1478, 739, 739],
  ['knossos/cas-register/good/mongodb-v0-ack-rollback-9.edn', 'edn-vector', 14, 7, 7],
  ['knossos/multi-register/good/multi-register.edn', 'edn-vector', 250, 123, 123],
  ['knossos/mutex/bad/etcd.edn', 'edn-vector', 1135, 563, 560],
  ['porcupine-kv/c01-bad.txt', 'edn', 76, 38, 38],
  ['porcupine-kv/c01-ok.txt', 'edn', 116, 58, 58],
  ['porcupine-kv/c10-bad.txt', 'edn', 810, 405, 405],
  ['porcupine-kv/c10-ok.txt', 'edn', 674, 337, 337],
  ['porcupine-kv/c50-bad.txt', 'edn', 4048, 2024, 2024],
  ['porcupine-kv/c50-ok.txt', 'edn', 3424, 1712, 1712],
];

function counts(h: History): [number, number, number] {
  let inv = 0;
  let paired = 0;
  for (let i = 0; i < h.length; i++) {
    if (h.type[i] !== INVOKE) continue;
    inv++;
    if (h.pair[i] >= 0) {
      paired++;
      assert.equal(h.pair[h.pair[i]], i, `pair of ${h.where(i)} points back`);
      assert.ok(h.pair[i] > i, `completion of ${h.where(i)} comes after it`);
    }
  }
  return [h.length, inv, paired];
}

test('every pinned fixture reads in its detected format with its op and pair counts', async () => {
  for (const [file, format, ops, inv, paired] of pinned) {
    const warnings: string[] = [];
    const r = await readHistoryWithFormat(join(root, file), { onWarning: (w) => warnings.push(w.message) });
    assert.equal(r.format, format, file);
    assert.deepEqual(counts(r.history), [ops, inv, paired], file);
    assert.deepEqual(warnings, [], file);
  }
});

test('every history file under fixtures/ reads without error', async () => {
  const known = new Set(pinned.map((p) => p[0]));
  for (const path of walk(root)) {
    // Prose, the suites' indexes, and a Jepsen run's results and binary test map.
    if (path.endsWith('.md') || path.endsWith('manifest.json') || path.endsWith('/results.edn') || path.endsWith('/test.jepsen')) continue;
    const h = await readHistory(path);
    if (!known.has(path.slice(root.length + 1))) assert.ok(h.length > 0, `${path} has ops`);
  }
});

test('ops keep their :index, or get their position; lines point into the file', async () => {
  const raft = await readHistory(join(root, 'jepsen-stores/canonical-raft/history.edn'));
  assert.deepEqual([raft.index[0], raft.index[921]], [0, 921]);
  assert.equal(raft.where(5), `${join(root, 'jepsen-stores/canonical-raft/history.edn')}:6`);
  const etcd = await readHistory(join(root, 'knossos/mutex/bad/etcd.edn'));
  assert.equal(etcd.index[1], 1);
  assert.equal(etcd.error.get(1), kw('not-held'));
  const bad = await readHistory(join(root, 'knossos/cas-register/bad/bad-analysis.edn'));
  const op14 = bad.op(14);
  assert.deepEqual([op14.process, op14.type, op14.value, op14.index], [21, 'ok', 2, 14]);
  assert.equal(bad.line[14], 18);
  const multi = await readHistory(join(root, 'knossos/multi-register/good/multi-register.edn'));
  assert.equal(multi.line[0], 2, 'the comment line comes first');
});

test('extra keys are kept in order; integers beyond 2^53 stay exact', async () => {
  const h = await readHistory(join(root, 'couchbase/sample-history-linearizable.edn'));
  const x = h.extra.get(1);
  assert.ok(x instanceof EdnMap);
  assert.equal(x.kw('cas'), 1595795910656065536n);
  assert.equal(printEdn(x.keys), '[:persist-to :mutation-token :replicate-to :cas :json :durability-level]');
  const raft = await readHistory(join(root, 'jepsen-stores/canonical-raft/history.edn'));
  assert.equal(printEdn(raft.extra.get(0)!), '{:execute-via "n2", :source :generator}');
  assert.ok(raft.isNemesis(0));
  assert.equal(raft.fName(0), 'add-server');
});

test('the canonical-raft history reads the same from history.edn, history.txt and jepsen.log', async () => {
  const dir = join(root, 'jepsen-stores/canonical-raft');
  const [edn, txt, log] = await Promise.all(
    ['history.edn', 'history.txt', 'jepsen.log'].map(async (f) => {
      const h = await readHistory(join(dir, f));
      return [...h.ops()].map((o) => [o.process ?? null, kw(o.type), o.f ?? null, o.value]);
    }),
  );
  assert.equal(edn.length, 922);
  const sameSeq = (a: typeof edn, b: typeof edn, what: string) => {
    assert.equal(a.length, b.length, what);
    for (let i = 0; i < a.length; i++) assert.ok(ednEquals(a[i], b[i]), `${what} op ${i}: ${printEdn(a[i])} vs ${printEdn(b[i])}`);
  };
  sameSeq(txt, edn, 'history.txt');
  // jepsen.log has the same ops, but each worker logs when it gets to it, so ops of different
  // processes may interleave differently; every process's own sequence is the same.
  const byProcess = (ops: typeof edn) => {
    const m = new Map<string, typeof edn>();
    for (const o of ops) {
      const k = printEdn(o[0]);
      m.set(k, [...(m.get(k) ?? []), o]);
    }
    return m;
  };
  const e = byProcess(edn);
  const l = byProcess(log);
  assert.deepEqual([...l.keys()].sort(), [...e.keys()].sort());
  for (const [p, ops] of e) sameSeq(l.get(p)!, ops, `jepsen.log process ${p}`);
  const h = await readHistory(join(dir, 'jepsen.log'));
  assert.equal(h.time[0], 1345013587, 'the log line [ n ] prefix is the op time');
  assert.equal(h.line[0], 282);
});

test('JSON and EDN versions of the same history read as equal Histories', async () => {
  const same = (a: History, b: History, ignoreProcess: boolean) => {
    assert.equal(a.length, b.length);
    for (let i = 0; i < a.length; i++) {
      const x = a.op(i);
      const y = b.op(i);
      if (ignoreProcess) {
        delete x.process;
        delete y.process;
      }
      assert.ok(ednEquals({ ...x }, { ...y }), `op ${i}: ${printEdn({ ...x })} vs ${printEdn({ ...y })}`);
      assert.equal(a.pair[i], b.pair[i]);
    }
  };
  same(await readHistory(join(root, 'elle-cli/rw-register.json')), await readHistory(join(root, 'elle-cli/rw-register.edn')), false);
  // The paper example's EDN has no :process; elle-cli's JSON copy adds "process": 1. All else is equal.
  same(await readHistory(join(root, 'elle-cli/paper-example.json')), await readHistory(join(root, 'elle/paper-example.edn')), true);
  const json = await readHistory(join(root, 'elle-cli/paper-example.json'));
  assert.equal(printEdn(json.value[3]), '[[:append 255 8] [:r 253 [1 3 4]]]');
});
