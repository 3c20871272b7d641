/** `hindsight record`'s live status: the tracker, the line's text, and a real run's statuses. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { EdnMap, kw } from '../../analyzer/edn/values.js';
import { readHistory } from '../../analyzer/history/read.js';
import type { Op } from '../../analyzer/history/op.js';
import { formatStatus, statusLine, summaryLine } from '../../recorder/cli/status-line.js';
import { runTest } from '../../recorder/run/run-test.js';
import { RUN_PHASES, type RunStatus, RunTracker, describeFault } from '../../recorder/core/status.js';
import { type CliResult, runCli } from '../support/cli.js';
import { tempStore, testOptions } from './helpers.js';

const base: RunStatus = { phase: 'running', elapsed: 5.1, workload: 4.24, timeLimit: 10, invocations: 1834, ok: 1610, fail: 12, info: 40, faults: [] };

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY, columns: 200, write: (s: string) => (written.push(s), true) } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

test('the status line: phase and clock, counts by type, the active faults', () => {
  assert.equal(formatStatus({ ...base, faults: ['partition majorities-ring', 'kill n3'] }), 'running 4.2/10 s · 1834 ops (1610 ok, 12 fail, 40 info) · partition majorities-ring, kill n3');
  assert.equal(formatStatus(base), 'running 4.2/10 s · 1834 ops (1610 ok, 12 fail, 40 info)');
  assert.equal(formatStatus({ ...base, phase: 'setting up', invocations: 0, ok: 0, fail: 0, info: 0 }), 'setting up');
  assert.equal(formatStatus({ ...base, phase: 'healing', timeLimit: 2.5, faults: ['pause n1'] }), 'healing · 1834 ops (1610 ok, 12 fail, 40 info) · pause n1');
  assert.equal(formatStatus({ ...base, phase: 'checking', detail: 'linearizable: keys decided 40/100' }), 'checking linearizable: keys decided 40/100 · 1834 ops (1610 ok, 12 fail, 40 info)');
});

test('faults are described from what the nemesis said it did; anything else is just the name', () => {
  assert.equal(describeFault('partition', [['n1', 'n2', 'n3'], ['n4', 'n5']]), 'partition n1 n2 n3 | n4 n5');
  assert.equal(describeFault('kill', ['n3']), 'kill n3');
  assert.equal(describeFault('partition', { shape: kw('majorities-ring'), sees: { n1: ['n2', 'n3'] } }), 'partition majorities-ring');
  assert.equal(describeFault('kill', { killed: ['n1', 'n4'] }), 'kill n1 n4');
  assert.equal(describeFault('pause', new EdnMap([kw('paused')], [['n2']])), 'pause n2');
  assert.equal(describeFault('member', { removed: [], reason: 'too few members' }), 'member');
  assert.equal(describeFault('kill', kw('healed')), 'kill');
  assert.equal(describeFault('kill', null), 'kill');
  const many = describeFault('kill', Array.from({ length: 30 }, (_, i) => `node${i}`));
  assert.equal(many.length, 48);
  assert.ok(many.endsWith('…'));
});

test('the tracker counts client ops by type, follows nemesis ops, only goes forward, and times each phase', () => {
  let t = 1000;
  const seen: RunStatus[] = [];
  const tr = new RunTracker(3, { onStatus: (s) => seen.push(s), intervalMs: 100 }, () => t);
  assert.equal(seen.length, 1, 'the first status at once');
  assert.equal(seen[0]!.phase, 'setting up');
  t = 1500;
  tr.setPhase('running');
  const client = (type: Op['type']): Omit<Op, 'index'> => ({ type, process: 0, f: kw('read'), value: null });
  const nemesis = (f: string, value: Op['value'], error?: Op['value']): Omit<Op, 'index'> => ({ type: 'info', process: kw('nemesis'), f: kw(f), value, ...(error === undefined ? {} : { error }) });
  for (const type of ['invoke', 'ok', 'invoke', 'fail', 'invoke', 'info', 'invoke'] as const) tr.record(client(type));
  assert.equal(seen.length, 2, 'counts alone are throttled');
  tr.record(nemesis('start-partition', null));
  assert.deepEqual(seen.at(-1)!.faults, ['partition'], 'in effect from its invocation');
  tr.record(nemesis('start-partition', [['n1', 'n2', 'n3'], ['n4', 'n5']]));
  assert.deepEqual(seen.at(-1)!.faults, ['partition n1 n2 n3 | n4 n5']);
  tr.record(nemesis('start-kill', null));
  tr.record(nemesis('start-kill', null, kw('unknown-fault')));
  assert.deepEqual(seen.at(-1)!.faults, ['partition n1 n2 n3 | n4 n5'], 'a start that failed is not in effect');
  tr.record(nemesis('stop-partition', null));
  assert.deepEqual(seen.at(-1)!.faults, ['partition n1 n2 n3 | n4 n5'], 'until its stop completes');
  tr.record(nemesis('stop-partition', kw('healed')));
  assert.deepEqual(seen.at(-1)!.faults, []);
  tr.record(nemesis('start-pause', null));
  t = 4500;
  tr.setPhase('healing');
  tr.record(nemesis('heal', null));
  tr.record(nemesis('heal', kw('healed')));
  const last = seen.at(-1)!;
  assert.deepEqual([last.invocations, last.ok, last.fail, last.info, last.faults], [4, 1, 1, 1, []]);
  assert.equal(tr.invokedInWorkload, 4);
  tr.setPhase('running'); // backwards: ignored
  assert.equal(tr.phase, 'healing');
  t = 5000;
  tr.setPhase('checking');
  tr.setDetail('linearizable 1/2');
  assert.equal(seen.at(-1)!.detail, undefined, 'throttled: the phase change was just reported');
  t = 5200;
  tr.setDetail('linearizable 2/2');
  assert.equal(seen.at(-1)!.detail, 'linearizable 2/2');
  assert.equal(seen.at(-1)!.workload, 3, 'the workload clock stopped when it ended');
  assert.equal(seen.at(-1)!.elapsed, 4.2);
  t = 6000;
  assert.deepEqual(tr.finish(), {
    phases: [
      { phase: 'setting up', seconds: 0.5 },
      { phase: 'running', seconds: 3 },
      { phase: 'healing', seconds: 0.5 },
      { phase: 'checking', seconds: 1 },
    ],
    total: 5,
  });
  assert.equal(tr.workloadSeconds(), 3);
});

test('the summary says where the whole run went', () => {
  const line = summaryLine({
    ops: 3286,
    seconds: 10,
    invocations: 1640,
    dir: 'store/x/1',
    timings: { phases: [{ phase: 'setting up', seconds: 0.31 }, { phase: 'running', seconds: 10 }, { phase: 'tearing down', seconds: 0.04 }, { phase: 'checking', seconds: 2.5 }], total: 12.85 },
  });
  assert.equal(line, '3286 history ops, 164 invocations/s in the workload; whole run 12.8 s (setup 0.3, workload 10.0, teardown 0.0, checking 2.5 s); store: store/x/1');
});

test('the line draws on a terminal only, not when quiet, and is erased', () => {
  for (const [isTTY, quiet] of [[false, false], [true, true]] as const) {
    const { stream, written } = fakeStream(isTTY);
    const line = statusLine({ stream, quiet, delayMs: 0 });
    line.onStatus(base);
    line.onStatus(base);
    line.clear();
    assert.deepEqual(written, [], `isTTY ${isTTY}, quiet ${quiet}`);
  }
});

test('a recorded set run under partition: statuses in phase order, counts that only grow to the history’s, faults while on', async () => {
  const statuses: RunStatus[] = [];
  const { stream, written } = fakeStream(true);
  const line = statusLine({ stream, delayMs: 0 });
  // The schedule sleeps 0.5 s, then partitions: well inside the 2 s limit.
  const o = testOptions({ workload: 'set', nemesis: ['partition'], nemesisInterval: 0.5, timeLimit: 2 });
  const r = await runTest(o, undefined, undefined, {
    onStatus: (s) => {
      statuses.push(s);
      line.onStatus(s);
    },
  });
  line.clear();
  assert.equal(r.result['valid?'], true);

  // Every phase of a set run with a nemesis, in order (each change is reported at once).
  const order = statuses.map((s) => s.phase).filter((p, i, a) => i === 0 || a[i - 1] !== p);
  assert.deepEqual(order, [...RUN_PHASES]);
  assert.deepEqual(r.timings.phases.map((p) => p.phase), [...RUN_PHASES]);
  const sum = r.timings.phases.reduce((n, p) => n + p.seconds, 0);
  assert.ok(Math.abs(sum - r.timings.total) < 1e-6, `${sum} vs ${r.timings.total}`);
  assert.ok(Math.abs(r.timings.phases[1]!.seconds - r.seconds) < 1e-9, 'the workload phase is the run’s seconds');

  for (let i = 1; i < statuses.length; i++) {
    const [a, b] = [statuses[i - 1]!, statuses[i]!];
    for (const k of ['invocations', 'ok', 'fail', 'info', 'elapsed', 'workload'] as const) assert.ok(b[k] >= a[k], `${k} went from ${a[k]} to ${b[k]}`);
    assert.ok(b.ok + b.fail + b.info <= b.invocations);
  }
  assert.equal(statuses.find((s) => s.phase === 'healing')!.invocations, r.invocations, 'the workload’s invocations are counted when it ends');

  const h = await readHistory(join(r.dir, 'history.edn'));
  const ops = [...h.ops()];
  const clients = ops.filter((op) => typeof op.process === 'number');
  const count = (type: string): number => clients.filter((op) => op.type === type).length;
  const last = statuses.at(-1)!;
  assert.equal(last.phase, 'checking');
  assert.deepEqual([last.invocations, last.ok, last.fail, last.info], [count('invoke'), count('ok'), count('fail'), count('info')]);
  assert.equal(r.ops, ops.length);

  // Each partition the nemesis made shows while running, as it described it; none after the heal.
  const nem = ops.filter((op) => typeof op.process !== 'number');
  const started = nem.filter((op, i) => String(op.f) === ':start-partition' && i % 2 === 1);
  assert.ok(started.length >= 1, nem.map((op) => String(op.f)).join(' '));
  for (const op of started) {
    const d = describeFault('partition', op.value);
    assert.match(d, /^partition n\d( n\d)* \| n\d/);
    assert.ok(statuses.some((s) => s.phase === 'running' && s.faults.includes(d)), d);
  }
  for (const s of statuses) if (RUN_PHASES.indexOf(s.phase) >= RUN_PHASES.indexOf('final reads')) assert.deepEqual(s.faults, [], s.phase);

  // What the terminal got: self-erasing lines of those statuses, erased at the end.
  const text = written.join('');
  assert.match(text, /\rrunning \d\.\d\/2 s · \d+ ops \(\d+ ok, \d+ fail, \d+ info\)/);
  assert.match(text, /· partition n\d/);
  assert.equal(written.at(-1), '\r\x1b[K');
});

function record(args: string[]): Promise<CliResult> {
  return runCli(['record', '--store', tempStore(), ...args]);
}

test('record into a pipe: no status line; the summary gives the whole run; --quiet prints nothing', async () => {
  const args = ['--workload', 'register', '--time-limit', '0.5', '--concurrency', '2', '--seed', '3'];
  const [plain, quiet] = await Promise.all([record(args), record([...args, '--quiet'])]);
  assert.equal(plain.code, 0, plain.out + plain.err);
  assert.doesNotMatch(plain.err, /\r|\x1b\[K/);
  assert.match(plain.out, /\n\d+ history ops, \d+ invocations\/s in the workload; whole run \d+\.\d s \(setup \d+\.\d, workload \d+\.\d, teardown \d+\.\d, checking \d+\.\d s\); store: /);
  assert.equal(quiet.code, 0, quiet.out + quiet.err);
  assert.equal(quiet.out, '');
  assert.equal(quiet.err, '');
});
