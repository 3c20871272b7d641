/**
 * `hindsight nodes down` after the recorder died: a child process brings up 3 namespace nodes with
 * etcd running and a partition rule in place, is SIGKILLed, and `namespacesDown` (what
 * `hindsight nodes down` runs) must still remove every namespace, link and process it made.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { namespacesDown, readState } from '../../recorder/nodes/namespaces.js';
import { startTsx } from '../support/cli.js';
import { clusterSkipReason, leftovers } from './support.js';

const NAME = 'hsk';
const SUBNET = '10.77.3';

test('nodes down cleans up after a SIGKILLed owner', { skip: clusterSkipReason(), timeout: 90_000 }, async () => {
  await namespacesDown(NAME);
  const owner = startTsx([fileURLToPath(new URL('./helpers/crash-child.ts', import.meta.url)), NAME, SUBNET]);
  const child = owner.child;
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`child exited ${code} before it was ready: ${owner.err}`)));
    });
    const state = readState(NAME);
    assert.ok(state, 'state file written');
    const inNs = (ns: string): string[] => execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).split(/\s+/).filter(Boolean);
    assert.ok(inNs(`${NAME}-n1`).length >= 2, 'sshd and etcd run inside n1');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const pids = state.nodes.flatMap((n) => inNs(n.ns));
    assert.equal(await namespacesDown(NAME), true);
    assert.deepEqual(leftovers(NAME), []);
    assert.equal(readState(NAME), undefined);
    for (const p of pids) {
      let alive = false;
      try {
        // A zombie (unreaped where PID 1 does not reap) counts as gone.
        alive = !/\) Z /.test(execFileSync('cat', [`/proc/${p}/stat`], { encoding: 'utf8' }));
      } catch {
        alive = false;
      }
      assert.equal(alive, false, `process ${p} from the namespaces is gone`);
    }
    assert.equal(await namespacesDown(NAME), false, 'a second down has nothing to do');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await namespacesDown(NAME);
  }
});
