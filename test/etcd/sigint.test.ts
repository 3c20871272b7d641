/**
 * Ctrl-C during `hindsight record --db etcd`: the recorder stops, heals the partition it made and
 * tears etcd down, leaving the (pre-existing) namespace cluster clean.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { namespacesDown, namespacesUp } from '../../recorder/nodes/namespaces.js';
import { startCli } from '../support/cli.js';
import { clusterSkipReason, leftovers } from './support.js';

const NAME = 'hsi';
const skip = clusterSkipReason();
const store = mkdtempSync(join(tmpdir(), 'hindsight-etcd-sigint-'));

before(async () => {
  if (skip) return;
  await namespacesDown(NAME);
  await namespacesUp({ name: NAME, count: 3, subnet: '10.77.6' });
});

after(async () => {
  rmSync(store, { recursive: true, force: true });
  if (skip) return;
  await namespacesDown(NAME);
  assert.deepEqual(leftovers(NAME), []);
});

test('SIGINT mid-partition: faults healed, etcd torn down, history kept', { skip, timeout: 90_000 }, async () => {
  const { child } = startCli(['record', '--db', 'etcd', '--workload', 'register', '--nodes', 'n1,n2,n3', '--cluster', NAME,
    '--nemesis', 'partition-isolate-one', '--nemesis-interval', '1', '--time-limit', '60', '--op-timeout', '2000', '--rate', '0', '--store', store]);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    const history = join(store, 'latest', 'history.edn');
    const deadline = Date.now() + 60_000;
    while (!(existsSync(history) && /:f :start-partition-isolate-one, :value \{/.test(readFileSync(history, 'utf8')))) {
      assert.ok(Date.now() < deadline, `no partition within 60 s: ${output}`);
      assert.equal(child.exitCode, null, `recorder exited early: ${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const drops = (): number =>
      [1, 2, 3].reduce((sum, i) => sum + (execFileSync('ip', ['netns', 'exec', `${NAME}-n${i}`, 'iptables', '-S'], { encoding: 'utf8' }).match(/-j DROP/g)?.length ?? 0), 0);
    child.kill('SIGINT');
    const code = await exited;
    assert.notEqual(code, null, output);
    assert.match(output, /interrupted; healing/);
    assert.equal(drops(), 0, 'no DROP rule left in any node');
    for (const i of [1, 2, 3]) {
      const pids = execFileSync('ip', ['netns', 'pids', `${NAME}-n${i}`], { encoding: 'utf8' }).split(/\s+/).filter(Boolean);
      const names = pids.map((p) => {
        try {
          return readFileSync(`/proc/${p}/comm`, 'utf8').trim();
        } catch {
          return '';
        }
      });
      assert.deepEqual(names.filter((n) => n !== 'sshd' && n !== ''), [], `only sshd left in n${i}`);
    }
    assert.match(readFileSync(join(store, 'latest', 'history.edn'), 'utf8'), /:f :read/);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
