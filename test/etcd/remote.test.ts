/**
 * Remote mode: the same backend drives machines named by address over SSH with a key, verifying
 * host keys against a known_hosts file. Namespace nodes stand in for the machines here.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTest } from '../../recorder/run/run-test.js';
import { RunError, type TestOptions } from '../../recorder/core/types.js';
import { namespacesDown, namespacesUp, stateDir } from '../../recorder/nodes/namespaces.js';
import { clusterSkipReason, leftovers } from './support.js';

const NAME = 'hsm';
const SUBNET = '10.77.4';
const hosts = [1, 2, 3].map((i) => `${SUBNET}.${10 + i}`);
const skip = clusterSkipReason();
const tmp = mkdtempSync(join(tmpdir(), 'hindsight-etcd-remote-'));

before(async () => {
  if (skip) return;
  await namespacesDown(NAME);
  await namespacesUp({ name: NAME, count: 3, subnet: SUBNET });
});

after(async () => {
  rmSync(tmp, { recursive: true, force: true });
  if (skip) return;
  await namespacesDown(NAME);
  for (const h of hosts) rmSync(join('/var/tmp/hindsight', h), { recursive: true, force: true });
  assert.deepEqual(leftovers(NAME), []);
});

function options(extra: Record<string, unknown>): TestOptions {
  return {
    name: 'etcd-remote',
    db: 'etcd',
    workload: 'list-append',
    nodes: hosts,
    concurrency: 5,
    timeLimit: 5,
    seed: 7,
    store: join(tmp, 'store'),
    nemesis: ['partition'],
    nemesisInterval: 1,
    bugs: [],
    rate: 0,
    opTimeoutMs: 5000,
    leaveDbRunning: false,
    extra: { sshKey: join(stateDir(NAME), 'id_ed25519'), sshUser: 'root', ...extra },
  };
}

test('remote nodes by address, host keys checked against known_hosts: a valid append run', { skip, timeout: 90_000 }, async () => {
  const r = await runTest(options({ knownHosts: join(stateDir(NAME), 'known_hosts') }));
  assert.equal(r.result['valid?'], true, `results in ${r.dir}`);
});

test('a node whose host key is not in known_hosts is refused', { skip, timeout: 60_000 }, async () => {
  const wrong = join(tmp, 'known_hosts');
  writeFileSync(wrong, hosts.map((h) => `${h} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEr7xZ4n0o7n3F0wq8wQ3l0QvJq3y7a4JxXcJm2b4hQq\n`).join(''));
  await assert.rejects(runTest(options({ knownHosts: wrong })), (e: unknown) => {
    assert.ok(e instanceof RunError, String(e));
    assert.equal(e.message, `etcd: on ${hosts[0]}: \`command -v etcd\` host key verification failed`);
    return true;
  });
});
