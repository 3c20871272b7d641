/** The same runs through a separate client-server process (`hindsight memory-server`) over loopback gRPC. */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { test } from 'node:test';
import { printEdn } from '../../analyzer/edn/print.js';
import { runTest } from '../../recorder/run/run-test.js';
import { GrpcClient } from '../../recorder/grpc/client.js';
import { serveClient } from '../../recorder/grpc/server.js';
import type { TestContext } from '../../recorder/core/types.js';
import { kw } from '../../analyzer/edn/values.js';
import { startCli } from '../support/cli.js';
import { testOptions } from './helpers.js';

async function startServer(): Promise<{ address: string; child: ChildProcess }> {
  const server = startCli(['memory-server', '--port', '0']);
  const address = await new Promise<string>((res, rej) => {
    server.child.stdout.on('data', () => {
      const m = /listening on (\S+)/.exec(server.out);
      if (m) res(m[1]);
    });
    server.child.on('exit', (code) => rej(new Error(`memory-server exited ${code}: ${server.out}${server.err}`)));
  });
  return { address, child: server.child };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((res) => {
    child.on('exit', () => res());
    child.kill('SIGTERM');
  });
}

test('a valid run under partition, through a separate memory-server process', async () => {
  const { address, child } = await startServer();
  try {
    const r = await runTest(testOptions({ workload: 'list-append', nemesis: ['partition', 'kill'], clientServer: address }));
    assert.equal(r.result['valid?'], true, printEdn(r.result));
    assert.ok(r.ops > 50);
  } finally {
    await stop(child);
  }
});

test('a bug reaches the separate server through the test options and is caught', async () => {
  const { address, child } = await startServer();
  try {
    const r = await runTest(testOptions({ workload: 'rw-register', bugs: ['lost-update'], clientServer: address }));
    assert.equal(r.result['valid?'], false);
    const a = (r.result['anomaly-types'] as Array<{ name: string }>).map((k) => k.name);
    assert.ok(a.includes('lost-update'), a.join(' '));
  } finally {
    await stop(child);
  }
});

test('protocol: values round-trip as EDN, errors and types come back; a server error is info', async () => {
  const server = await serveClient({
    async open(req) {
      assert.equal(req.node, 'n2');
      assert.equal(req.workload, 'register');
      return {
        async invoke(process, f, value) {
          if (f === 'boom') throw new Error('client exploded');
          if (f === 'cas') return { type: 'fail', error: kw('cas-mismatch') };
          return { type: 'ok', value: [process, f, value] };
        },
        async close() {},
      };
    },
  });
  const client = new GrpcClient(server.address);
  const test = { opts: testOptions({ workload: 'register' }) } as unknown as TestContext;
  try {
    const s = await client.open(test, 'n2', 7);
    assert.deepEqual(await s.invoke(test, { process: 7, f: 'read', value: [3, null] }), { type: 'ok', value: [7, 'read', [3, null]] });
    assert.deepEqual(await s.invoke(test, { process: 7, f: 'write', value: 12 }), { type: 'ok', value: [7, 'write', 12] });
    assert.deepEqual(await s.invoke(test, { process: 7, f: 'cas', value: [1, [2, 3]] }), { type: 'fail', error: kw('cas-mismatch') });
    const boom = await s.invoke(test, { process: 7, f: 'boom', value: null });
    assert.equal(boom.type, 'info');
    assert.deepEqual(boom.error, [kw('grpc'), 'client exploded']);
    await s.close(test);
  } finally {
    client.shutdown();
    await server.stop();
  }
});
