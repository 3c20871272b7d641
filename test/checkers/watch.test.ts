import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kw, type EdnValue } from '../../analyzer/edn/values.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import { checkWatch } from '../../analyzer/checkers/watch.js';
import { SeededRandom } from '../../analyzer/util/random.js';

// The recorder's shape: {:revision r, :log [values]}.
const w = (process: number, revision: number, log: number[], f = 'watch'): OpInput[] => [
  { process, type: 'invoke', f: kw(f), value: null },
  { process, type: 'ok', f: kw(f), value: { revision, log } },
];
const write = (x: number): OpInput[] => [
  { process: 9, type: 'invoke', f: kw('write'), value: x },
  { process: 9, type: 'ok', f: kw('write'), value: x },
];

test('watch: watchers that resume where they stopped and agree are valid', () => {
  const h = historyOf([...write(1), ...w(0, 2, [1]), ...write(2), ...w(1, 3, [1, 2]), ...w(0, 3, [2], 'final-watch'), ...w(1, 3, [], 'final-watch')]);
  const r = checkWatch(h);
  assert.equal(r['valid?'], true);
  assert.equal(printEdn(r.revisions!), '{0 3, 1 3}');
});

test('watch: a divergence is reported per pair with the first position and both values', () => {
  const h = historyOf([...w(0, 5, [1, 2]), ...w(0, 5, [3, 4], 'final-watch'), ...w(1, 5, [1, 2, 3, 4]), ...w(2, 5, [1, 3, 2, 4])]);
  const r = checkWatch(h);
  assert.equal(r['valid?'], false);
  assert.equal(printEdn(r.canonical!), '[1 2 3 4]');
  assert.equal(r['divergent-pair-count'], 2);
  assert.equal(printEdn(r.divergences!), '[{:processes [0 2], :index 1, :values [2 3]} {:processes [1 2], :index 1, :values [2 3]}]');
  assert.equal(printEdn(r.deltas!), '[{:process 2, :first-divergence 1, :expected 2, :actual 3, :length 4, :canonical-length 4}]');
});

test('watch: a watcher that never caught up makes the verdict unknown; a nonmonotonic watch is invalid', () => {
  const behind = checkWatch(historyOf([...w(0, 5, [1, 2]), ...w(1, 3, [1])]));
  assert.equal(behind['valid?'], kw('unknown'));
  const nm: EdnValue = [kw('watch-error'), 'nonmonotonic watch: revision 3 after 4'];
  const h = historyOf([...w(0, 5, [1]), ...w(1, 5, [1]), { process: 1, type: 'invoke', f: kw('watch'), value: null }, { process: 1, type: 'fail', f: kw('watch'), value: null, error: nm }]);
  const r = checkWatch(h);
  assert.equal(r['valid?'], false);
  assert.equal(printEdn(r['nonmonotonic-errors']!), '[[:watch-error "nonmonotonic watch: revision 3 after 4"]]');
});

test('watch: random chunkings of one sequence agree; one swapped pair is found at its position', () => {
  const random = new SeededRandom(7);
  const rand = (n: number) => random.int(n);
  for (let trial = 0; trial < 200; trial++) {
    const n = 2 + rand(30);
    const seq = Array.from({ length: n }, (_, k) => k * 10);
    const watchers = 2 + rand(4);
    const bad = rand(2) === 0 ? rand(watchers) : -1;
    const swapAt = rand(n - 1);
    const ops: OpInput[] = [];
    for (let p = 0; p < watchers; p++) {
      const log = [...seq];
      if (p === bad) [log[swapAt], log[swapAt + 1]] = [log[swapAt + 1], log[swapAt]];
      let at = 0;
      while (at < n) {
        const len = 1 + rand(n - at);
        ops.push(...w(p, at + len, log.slice(at, at + len)));
        at += len;
      }
    }
    const r = checkWatch(historyOf(ops));
    if (bad < 0) {
      assert.equal(r['valid?'], true, `trial ${trial}`);
      continue;
    }
    assert.equal(r['valid?'], false, `trial ${trial}`);
    assert.equal(r['divergent-pair-count'], watchers - 1, `trial ${trial}`);
    for (const d of r.divergences as { processes: number[]; index: number }[]) {
      assert.ok(d.processes.includes(bad));
      assert.equal(d.index, swapAt);
    }
  }
});

test('watch: a watcher that started late (a watch from etcd revision 0) is named as having missed the first events, not only as a divergence', () => {
  const h = historyOf([...w(0, 6, [1, 2, 3, 4, 5]), ...w(1, 6, [1, 2, 3, 4, 5]), ...w(2, 6, [4, 5]), ...w(3, 6, [1, 3, 4, 5])]);
  const r = checkWatch(h);
  assert.equal(r['valid?'], false);
  assert.equal(printEdn(r['missed-at-start']!), '[{:process 2, :missed 3, :values [1 2 3], :first-seen 4}]');
  assert.equal(printEdn(r.deltas!), '[{:process 2, :first-divergence 0, :expected 1, :actual 4, :length 2, :canonical-length 5, :missed-at-start 3} {:process 3, :first-divergence 1, :expected 2, :actual 3, :length 4, :canonical-length 5}]');
});
