/** `hindsight nodes up|status|down` through commander (the recorder CLI mounts `addNodesCommand`). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { addNodesCommand } from '../../recorder/nodes/cli.js';
import { namespacesDown } from '../../recorder/nodes/namespaces.js';
import { clusterSkipReason, leftovers } from './support.js';

async function run(argv: string[]): Promise<{ out: string; code: number }> {
  const program = new Command('hindsight').exitOverride();
  let out = '';
  addNodesCommand(program, { out: (s) => void (out += s), err: (s) => void (out += s) });
  process.exitCode = 0;
  await program.parseAsync(['node', 'hindsight', ...argv]);
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out, code };
}

test('nodes up, status, down', { skip: clusterSkipReason(), timeout: 60_000 }, async () => {
  await namespacesDown('hsn');
  try {
    const up = await run(['nodes', 'up', '--count', '2', '--name', 'hsn', '--subnet', '10.77.5']);
    assert.equal(up.code, 0);
    assert.match(up.out, /^n1\t10\.77\.5\.11\nn2\t10\.77\.5\.12\n\nLog in: ssh -i \/tmp\/hindsight-nodes\/hsn\/id_ed25519 -o UserKnownHostsFile=\/tmp\/hindsight-nodes\/hsn\/known_hosts root@10\.77\.5\.11\n/);
    const again = await run(['nodes', 'up', '--count', '2', '--name', 'hsn', '--subnet', '10.77.5']);
    assert.equal(again.code, 3, 'a second up of the same cluster is refused');
    assert.equal((await run(['nodes', 'status', '--name', 'hsn'])).out, 'n1\t10.77.5.11\tnetns hsn-n1\nn2\t10.77.5.12\tnetns hsn-n2\n');
    assert.deepEqual(await run(['nodes', 'down', '--name', 'hsn']), { out: 'cluster hsn removed\n', code: 0 });
    assert.deepEqual(leftovers('hsn'), []);
    assert.deepEqual(await run(['nodes', 'down', '--name', 'hsn']), { out: 'no cluster hsn (nothing to do)\n', code: 0 });
    assert.deepEqual(await run(['nodes', 'status', '--name', 'hsn']), { out: 'no cluster hsn\n', code: 3 });
  } finally {
    await namespacesDown('hsn');
  }
});
