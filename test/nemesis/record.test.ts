/** Targets through `hindsight record` on the embedded database: the history's nemesis ops carry the fault, its targets and their states. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import { EdnMap, Keyword } from '../../analyzer/edn/values.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { runCliInProcess } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

test('record --nemesis-targets pause=random-healthy:2@group --groups …: every pause strikes two nodes of one group, each start and stop says what it struck and left, and test.edn keeps the specs', async () => {
  const store = tempDir('hindsight-targets-');
  const r = await runCliInProcess(['record', '--db', 'memory', '--workload', 'register', '--nemesis', 'pause,kill', '--nemesis-targets', 'pause=random-healthy:2@group,kill=leader', '--groups', 'n1,n2:n3,n4,n5', '--time-limit', '2', '--nemesis-interval', '0.15', '--seed', '5', '--store', store, '--quiet']);
  assert.equal(r.code, 0, r.err);
  const dir = join(store, 'memory-register', 'latest');
  const ops = readFileSync(join(dir, 'history.edn'), 'utf8').split('\n').filter((l) => l.includes(':process :nemesis, ') && !l.includes(':value nil')).map((l) => parseEdn(l) as EdnMap);
  const group = (n: string): number => (['n1', 'n2'].includes(n) ? 1 : 2);
  let pauses = 0;
  let kills = 0;
  for (const op of ops) {
    const f = (op.kw('f') as Keyword).name;
    const v = op.kw('value') as EdnMap;
    if (f === 'heal') continue;
    const targets = v.kw('targets') as string[];
    const states = v.kw('states') as EdnMap;
    if (f === 'start-pause' && targets.length > 0) {
      pauses++;
      assert.equal(targets.length, 2, JSON.stringify(targets));
      assert.equal(new Set(targets.map(group)).size, 1, `two groups: ${targets.join(' ')}`);
      for (const n of targets) assert.equal((states.kw(n) as Keyword).name, 'paused');
    }
    if (f === 'start-kill' && targets.length > 0) {
      kills++;
      assert.equal(targets.length, 1);
      assert.equal((states.kw(targets[0]) as Keyword).name, 'killed');
    }
    if (f.startsWith('stop-')) for (const n of targets) assert.equal((states.kw(n) as Keyword).name, 'up', `${f} left ${n} down`);
  }
  assert.ok(pauses > 0 && kills > 0, `${pauses} pauses, ${kills} kills`);
  const t = parseEdn(readFileSync(join(dir, 'test.edn'), 'utf8')) as EdnMap;
  assert.equal(t.kw('groups'), 'n1,n2:n3,n4,n5');
  assert.equal((t.kw('nemesis-targets') as EdnMap).kw('pause'), 'random-healthy:2@group');
});

test('bad targets are one line and exit 3', async () => {
  const bad = await runCliInProcess(['record', '--db', 'memory', '--nemesis', 'kill', '--nemesis-targets', 'kill=most', '--time-limit', '1']);
  assert.equal(bad.code, 3);
  assert.equal(bad.err, 'hindsight: target most: expected one, minority, majority, all, some, leader, random-healthy:K or group:G, optionally followed by @group\n');
  const groups = await runCliInProcess(['record', '--db', 'memory', '--nemesis', 'kill', '--groups', 'n1:n2,n3', '--time-limit', '1']);
  assert.equal(groups.code, 3);
  assert.equal(groups.err, 'hindsight: --groups n1:n2,n3: n4, n5 in no group; expected every node in one\n');
});

test('etcd refuses clock faults in one line saying why (a namespace node shares the kernel clock), exit 3, before touching a node', async () => {
  const r = await runCliInProcess(['record', '--db', 'etcd', '--nemesis', 'clock', '--time-limit', '1']);
  assert.equal(r.code, 3);
  assert.equal(r.err.split('\n').length, 2);
  assert.match(r.err, /^hindsight: the etcd db cannot do clock faults: a namespace node shares this machine's kernel clock \(time namespaces do not cover CLOCK_REALTIME\)/);
});

test('the embedded database has the partition shapes: a majorities ring and a bridge record the nodes they cut, heal, and the register stays linearizable', async () => {
  const store = tempDir('hindsight-shapes-');
  const r = await runCliInProcess(['record', '--db', 'memory', '--workload', 'register', '--nemesis', 'partition-majorities-ring,partition-bridge', '--time-limit', '2', '--nemesis-interval', '0.2', '--seed', '2', '--store', store, '--quiet']);
  assert.equal(r.code, 0, r.err);
  const starts = readFileSync(join(store, 'memory-register', 'latest', 'history.edn'), 'utf8').split('\n').filter((l) => /:f :start-partition-\w[\w-]*, :value \{/.test(l));
  assert.ok(starts.length > 0);
  for (const l of starts) {
    const v = (parseEdn(l) as EdnMap).kw('value') as EdnMap;
    const cut = ((v.kw('result') as EdnMap).kw('cut') as string[]).slice().sort();
    assert.deepEqual((v.kw('targets') as string[]).slice().sort(), cut, l);
    assert.ok(cut.length >= 4, `a ring or a bridge of 5 cuts at least 4 nodes off from someone: ${l}`);
  }
});

test('every fault of the embedded database happens, heals, and shows in the history with its targets: each start names nodes left faulty, each stop leaves them up, and the run ends valid', async () => {
  const { memoryBackend } = await import('../../recorder/memory/backend.js');
  for (const fault of memoryBackend.faults) {
    const store = tempDir('hindsight-fault-');
    const r = await runCliInProcess(['record', '--db', 'memory', '--workload', 'register', '--nemesis', fault, '--time-limit', '1.2', '--nemesis-interval', '0.2', '--seed', '4', '--store', store, '--quiet']);
    assert.equal(r.code, 0, `${fault}: ${r.err}`);
    const ops = readFileSync(join(store, 'memory-register', 'latest', 'history.edn'), 'utf8').split('\n').filter((l) => l.includes(':process :nemesis, ') && /:value \{:fault/.test(l)).map((l) => parseEdn(l) as EdnMap);
    const starts = ops.filter((o) => (o.kw('f') as Keyword).name.startsWith('start-'));
    const stops = ops.filter((o) => (o.kw('f') as Keyword).name.startsWith('stop-'));
    assert.ok(starts.length > 0 && stops.length > 0, `${fault}: ${starts.length} starts, ${stops.length} stops`);
    for (const o of starts) {
      const v = o.kw('value') as EdnMap;
      const targets = v.kw('targets') as string[];
      assert.ok(targets.length > 0, `${fault}: a start struck nothing: ${printEdn(v)}`);
      for (const n of targets) assert.notEqual(((v.kw('states') as EdnMap).kw(n) as Keyword).name, 'up', `${fault}: ${printEdn(v)}`);
    }
    for (const o of stops) {
      const v = o.kw('value') as EdnMap;
      for (const n of v.kw('targets') as string[]) assert.equal(((v.kw('states') as EdnMap).kw(n) as Keyword).name, 'up', `${fault}: ${printEdn(v)}`);
    }
  }
});
