/**
 * What `hindsight gen` writes: the same bytes for the same seed, a header comment that EDN
 * readers skip and that names the verdict and checker, the requested number of ops, realistic
 * shapes (overlapping processes, :fail, :info that retires a process, nemesis ops), and the
 * CLI end to end: gen, then `hindsight check` with the flags from the header.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import { printEdn } from '../../analyzer/edn/print.js';
import type { EdnValue } from '../../analyzer/edn/values.js';
import { INFO, INVOKE, FAIL, NEMESIS } from '../../analyzer/history/op.js';
import { readHistory } from '../../analyzer/history/read.js';
import { writeLines } from '../../analyzer/gen/write.js';
import { type GenOptions, checkFlags, generate, genWorkloads, streamGenerated, validateGenOptions, writeGenerated } from '../../analyzer/gen/index.js';
import { runCli, startCli } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

const tmp = tempDir('hindsight-gen-');
let n = 0;
const file = (): string => join(tmp, `h${n++}.edn`);

async function toString(o: GenOptions): Promise<string> {
  const s = new PassThrough();
  let text = '';
  s.on('data', (d: Buffer) => (text += d.toString()));
  await streamGenerated(o, s);
  return text;
}

/** The header map's entries by name, printed. */
function header(text: string): Record<string, string> {
  const first = text.slice(0, text.indexOf('\n'));
  assert.match(first, /^; hindsight-gen \{/);
  const v = parseEdn(first.slice('; hindsight-gen '.length)) as EdnValue;
  const out: Record<string, string> = {};
  const m = v as { keys: EdnValue[]; vals: EdnValue[] };
  for (let i = 0; i < m.keys.length; i++) out[printEdn(m.keys[i])] = printEdn(m.vals[i]);
  return out;
}

describe('gen output', () => {
  it('is deterministic: the same options give the same bytes, streamed or built', async () => {
    for (const workload of genWorkloads) {
      const o: GenOptions = { workload, ops: 300, concurrency: 4, keys: 3, seed: 11, anomaly: undefined };
      const a = await toString(o);
      const b = await toString(o);
      assert.equal(a, b, workload);
      const f = file();
      await writeGenerated(generate(o), f);
      assert.equal(readFileSync(f, 'utf8'), a, `${workload}: writeGenerated(generate) differs from streamGenerated`);
      assert.notEqual(await toString({ ...o, seed: 12 }), a, `${workload}: another seed gives another history`);
    }
  });

  it('starts with a header comment naming the verdict and the checker, which readers skip', async () => {
    const o: GenOptions = { workload: 'list-append', ops: 200, concurrency: 3, keys: 2, seed: 5, anomaly: 'G1c', anomalyAt: 0.25 };
    const f = file();
    await streamGenerated(o, f);
    const text = readFileSync(f, 'utf8');
    assert.deepEqual(header(text), {
      ':expected-valid?': 'false',
      ':anomaly': ':G1c',
      ':checker': ':list-append',
      ':checker-options': '{:consistency-models "read-committed"}',
      ':check': '"--checker list-append --consistency-models read-committed"',
      ':workload': ':list-append',
      ':ops': '200',
      ':concurrency': '3',
      ':keys': '2',
      ':seed': '5',
      ':anomaly-at': '0.25',
    });
    const h = await readHistory(f, { strict: true });
    assert.equal(h.length, 200);
    assert.deepEqual([...h.ops()], [...generate(o).history.ops()]);
    const clean = header(await toString({ workload: 'cas-register', ops: 10, concurrency: 2, keys: 3, seed: 1 }));
    assert.equal(clean[':expected-valid?'], 'true');
    assert.equal(clean[':anomaly'], undefined);
    assert.equal(clean[':check'], '"--checker linearizable --model cas-register --independent"');
  });

  it('has exactly the ops asked for, and values in the shapes the checkers read', () => {
    for (const workload of genWorkloads) {
      for (const ops of [0, 2, 40, 1000]) {
        assert.equal(generate({ workload, ops, concurrency: 5, keys: 2, seed: 3 }).history.length, ops, `${workload} ${ops}`);
      }
    }
    const reg = generate({ workload: 'register', ops: 6, concurrency: 1, keys: 1, seed: 2, rates: { crash: 0, nemesis: 0 } }).history;
    assert.deepEqual([...reg.ops()].map((o) => [o.type, o.process, printEdn(o.f ?? null), printEdn(o.value)]), [
      ['invoke', 0, ':write', '1'],
      ['ok', 0, ':write', '1'],
      ['invoke', 0, ':read', 'nil'],
      ['ok', 0, ':read', '1'],
      ['invoke', 0, ':read', 'nil'],
      ['ok', 0, ':read', '1'],
    ]);
    const kv = generate({ workload: 'kv', ops: 40, concurrency: 3, keys: 2, seed: 1 }).history;
    for (const o of kv.ops()) if (o.process !== undefined && o.process !== null && typeof o.process === 'number') assert.match(printEdn(o.extra?.kw('key') ?? null), /^"[01]"$/);
    const set = generate({ workload: 'set', ops: 40, concurrency: 3, keys: 2, seed: 1 }).history;
    assert.match(printEdn(set.value[set.length - 1]), /^\[1 #\{[\d ]*\}\]$/, 'the last op is the final read of key 1');
  });

  it('overlaps processes, fails and crashes some ops (a crashed process comes back as p + concurrency), with nemesis ops', () => {
    const C = 5;
    for (const workload of genWorkloads) {
      const h = generate({ workload, ops: 20_000, concurrency: C, keys: 3, seed: 8 }).history;
      assert.equal(h.warnings.length, 0);
      let open = 0;
      let maxOpen = 0;
      let fails = 0;
      let infos = 0;
      let nemesis = 0;
      const processes = new Set<number>();
      for (let i = 0; i < h.length; i++) {
        if (h.process[i] === NEMESIS) {
          nemesis++;
          continue;
        }
        processes.add(h.process[i]);
        if (h.type[i] === INVOKE) maxOpen = Math.max(maxOpen, ++open);
        else open--;
        if (h.type[i] === FAIL) fails++;
        if (h.type[i] === INFO) {
          infos++;
          // The process never invokes again; its slot continues as process + C.
          for (let j = i + 1; j < h.length; j++) assert.notEqual(h.process[j], h.process[i], `${workload}: process ${h.process[i]} reused at ${j}`);
          assert.ok([...Array(h.length - i).keys()].some((d) => h.process[i + d] === h.process[i] + C) || i > h.length - 200, `${workload}: no process ${h.process[i] + C}`);
        }
      }
      assert.equal(maxOpen, C, workload);
      const clientOps = h.length - nemesis;
      // cas fails whenever the register moved on since the client looked.
      assert.ok(fails > 0 && fails < clientOps * (workload === 'cas-register' ? 0.15 : 0.05), `${workload}: ${fails} fails`);
      assert.ok(infos > 0 && infos < clientOps * 0.05, `${workload}: ${infos} infos`);
      assert.ok(nemesis > 0 && nemesis % 2 === 0, `${workload}: ${nemesis} nemesis ops`);
      assert.ok(Math.max(...processes) >= C, workload);
    }
  });

  it('checkFlags turns the expected options into hindsight check flags', () => {
    assert.deepEqual(checkFlags({ valid: true, checker: 'set-full', options: { linearizable: true, independent: true } }), ['--checker', 'set-full', '--linearizable', '--independent']);
    assert.deepEqual(checkFlags({ valid: false, checker: 'rw-register', options: { consistencyModels: 'serializable' } }), ['--checker', 'rw-register', '--consistency-models', 'serializable']);
  });
});

describe('gen CLI', () => {
  it('writes a history that hindsight check judges as the header says', async () => {
    const cases: [string[], number][] = [
      [['--workload', 'cas-register', '--ops', '300', '--concurrency', '4', '--keys', '3', '--seed', '2'], 0],
      [['--workload', 'kv', '--anomaly', 'lost-write', '--anomaly-at', '0.9', '--seed', '4'], 1],
      [['--workload', 'rw-register', '--anomaly', 'G2-item', '--ops', '500'], 1],
    ];
    await Promise.all(
      cases.map(async ([args, status]) => {
        const f = file();
        const g = await runCli(['gen', ...args, '--out', f]);
        assert.equal(g.code, 0, g.err);
        assert.equal(g.out, '');
        const text = readFileSync(f, 'utf8');
        const flags = JSON.parse(header(text)[':check']) as string;
        const c = await runCli(['check', f, ...flags.split(' '), '--quiet']);
        assert.equal(c.code, status, `${args.join(' ')} → ${flags}: ${c.out}${c.err}`);
      }),
    );
  });

  it('stops quietly (exit 0) when its reader closes the pipe early, as `| head` does', async () => {
    const gen = startCli(['gen', '--workload', 'register', '--ops', '20000000']);
    gen.child.stdout.once('data', () => gen.child.stdout.destroy());
    const r = await gen.done;
    assert.equal(r.err, '');
    assert.equal(r.code, 0);
  });

  it('writes to stdout, and rejects bad options with exit 3', async () => {
    const [out, badAnomaly] = await Promise.all([
      runCli(['gen', '--workload', 'register', '--ops', '4', '--keys', '1', '--seed', '9']),
      runCli(['gen', '--workload', 'set', '--anomaly', 'G1c']),
    ]);
    assert.equal(out.code, 0, out.err);
    const lines = out.out.trimEnd().split('\n');
    assert.equal(lines.length, 5);
    assert.match(lines[0], /^; hindsight-gen \{:expected-valid\? true, :checker :linearizable, :checker-options \{:model "register"\}, /);
    assert.match(lines[1], /^\{:index 0, :time \d+, :type :invoke, :process \d, :f :(read|write), :value (nil|\d+)\}$/);
    assert.equal(badAnomaly.code, 3);
    assert.match(badAnomaly.err, /workload set has no anomaly G1c; known: lost-write, stale-read/);
    assert.throws(() => validateGenOptions({ workload: 'set', ops: -5, concurrency: 1, keys: 1, seed: 0 }), /ops must be an integer ≥ 0, got -5/);
    assert.throws(() => validateGenOptions({ workload: 'set', ops: 5, concurrency: 0, keys: 1, seed: 0 }), /concurrency must be an integer ≥ 1, got 0/);
    assert.throws(() => validateGenOptions({ workload: 'queue' as never, ops: 5, concurrency: 1, keys: 1, seed: 0 }), /unknown workload queue; known: register, cas-register, kv, set, list-append, rw-register/);
    assert.throws(() => validateGenOptions({ workload: 'set', ops: 5, concurrency: 1, keys: 1, seed: 0, anomaly: 'lost-write', anomalyAt: 2 }), /anomaly-at must be a fraction in \[0, 1\], got 2/);
  });
});


describe('gen --out writes the file whole', () => {
  it('replaces an existing file by rename and leaves no temporary file; a failed write leaves the old file', async () => {
    const dir = tempDir('hindsight-gen-whole-');
    const target = join(dir, 'history.edn');
    writeFileSync(target, 'old\n');
    await streamGenerated({ workload: 'register', ops: 50, concurrency: 3, keys: 1, seed: 1 }, target);
    assert.equal((await readHistory(target)).length, 50);
    assert.deepEqual(readdirSync(dir), ['history.edn']);
    // An op that cannot be printed fails the write midway: the old file stays, whole.
    const broken = function* () {
      yield { type: 'invoke', process: 0, f: 'read', value: null } as never;
      throw new Error('generator failed');
    };
    writeFileSync(target, 'old\n');
    await assert.rejects(writeLines({}, broken(), target), /generator failed/);
    assert.equal(readFileSync(target, 'utf8'), 'old\n');
    assert.deepEqual(readdirSync(dir), ['history.edn']);
  });
});
