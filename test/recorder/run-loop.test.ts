/** The run loop against a fake backend: timeouts, thrown errors, retirement, nemesis ops, phases. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { kw } from '../../analyzer/edn/values.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { readHistory } from '../../analyzer/history/read.js';
import { registerBackend } from '../../recorder/core/backends.js';
import { runTest } from '../../recorder/run/run-test.js';
import type { Completion, DbBackend, Invocation } from '../../recorder/core/types.js';
import { limit, repeat, seq } from '../../recorder/generator/combinators.js';
import { testOptions } from './helpers.js';

const events: string[] = [];

const fake: DbBackend = {
  name: 'fake',
  summary: 'test double',
  workloads: ['script'],
  faults: ['wobble'],
  defaultNodes: ['a', 'b'],
  async prepare() {
    return {
      db: {
        async setup(_t, node) {
          events.push(`setup ${node}`);
        },
        async teardown(_t, node) {
          events.push(`teardown ${node}`);
        },
      },
      client: {
        async open(_t, node, process) {
          events.push(`open ${node} ${process}`);
          return {
            async invoke(_t, op: Invocation): Promise<Completion> {
              if (op.f === 'slow') await new Promise((r) => setTimeout(r, 400));
              if (op.f === 'crash') throw new Error('connection reset');
              if (op.f === 'refuse') return { type: 'fail', error: kw('refused') };
              return { type: 'ok', value: 42 };
            },
            async close() {
              events.push('close');
            },
          };
        },
      },
      nemesis: {
        async setup() {},
        async invoke(_t, op) {
          return { type: 'info', value: `did ${op.f}` };
        },
        async healAll() {
          events.push('heal');
        },
        async teardown() {},
      },
      workload: {
        name: 'script',
        generator: seq([{ f: 'ok' }, { f: 'slow' }, { f: 'crash' }, { f: 'refuse' }, limit(4, repeat({ f: 'ok' }))])!,
        check: { checkers: ['stats'], options: {} },
      },
    };
  },
};
registerBackend(fake);

test('timeouts and thrown errors are info; the process retires and its thread continues as process + concurrency', async () => {
  const r = await runTest(testOptions({ db: 'fake', workload: 'script', nodes: ['a', 'b'], concurrency: 1, opTimeoutMs: 100, nemesis: ['wobble'], timeLimit: 1.5, nemesisInterval: 0.2 }));
  const h = await readHistory(join(r.dir, 'history.edn'));
  const client = [...h.ops()].filter((o) => typeof o.process === 'number');
  const line = (o: (typeof client)[number]) => `${o.process} ${o.type} ${(o.f as { name: string }).name}${o.error === undefined ? '' : ' ' + printEdn(o.error)}`;
  assert.deepEqual(client.slice(0, 8).map(line), [
    '0 invoke ok',
    '0 ok ok',
    '0 invoke slow',
    '0 info slow :timeout',
    '1 invoke crash',
    '1 info crash "connection reset"',
    '2 invoke refuse',
    '2 fail refuse :refused',
  ]);
  assert.equal(client.length, 16);
  assert.deepEqual(client[9].value, 42, 'ok completions carry the client’s value');
  // A new process gets a new client: opens for 0, 1, 2 on the one thread's node.
  assert.deepEqual(events.filter((e) => e.startsWith('open')), ['open a 0', 'open a 1', 'open a 2']);
  const nem = [...h.ops()].filter((o) => typeof o.process !== 'number');
  assert.ok(nem.length >= 2 && nem.every((o) => o.type === 'info'));
  assert.equal((nem[nem.length - 1].f as { name: string }).name, 'heal');
  assert.deepEqual(events.filter((e) => /setup|teardown|heal/.test(e)), ['setup a', 'setup b', 'heal', 'teardown a', 'teardown b']);
  // Ops are ordered by time, and invocations precede their completions.
  for (let i = 1; i < h.index.length; i++) assert.ok(h.time[i] >= h.time[i - 1]);
  assert.equal(r.result['valid?'], true);
});

test('a failed setup is a RunError, and what was set up is torn down', async () => {
  const torn: string[] = [];
  registerBackend({
    ...fake,
    name: 'fake-broken',
    async prepare(t) {
      const parts = await fake.prepare(t);
      return {
        ...parts,
        db: {
          async setup(_t, node) {
            if (node === 'b') throw new Error('disk full on b');
          },
          async teardown(_t, node) {
            torn.push(node);
          },
        },
      };
    },
  });
  await assert.rejects(
    runTest(testOptions({ db: 'fake-broken', workload: 'script', nodes: ['a', 'b'] })),
    (e: Error) => e.name === 'RunError' && e.message === 'database setup failed: disk full on b',
  );
  assert.deepEqual(torn.sort(), ['a', 'b']);
});
