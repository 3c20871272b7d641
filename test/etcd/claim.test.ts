/** One recording per namespace cluster: the claim file, refused while its holder lives, taken over once it is dead. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ClusterBusyError, claimCluster, claimFile } from '../../recorder/nodes/claim.js';

const root = mkdtempSync(join(tmpdir(), 'hindsight-claim-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('a claim is a file with our pid, removed on release (once)', () => {
  const release = claimCluster('hsa', root);
  assert.equal(readFileSync(claimFile('hsa', root), 'utf8'), `${process.pid}\n`);
  release();
  assert.equal(existsSync(claimFile('hsa', root)), false);
  release();
});

test('a live holder is refused with its pid; once it is dead its claim is taken over', async () => {
  const holder = spawn('sleep', ['30'], { stdio: 'ignore' });
  try {
    writeFileSync(claimFile('hsb', root), `${holder.pid}\n`);
    assert.throws(
      () => claimCluster('hsb', root),
      (e: unknown) =>
        e instanceof ClusterBusyError &&
        e.message === `namespace cluster hsb is in use by another recording (pid ${holder.pid}, claim ${claimFile('hsb', root)}); wait for it to end or pick another --cluster`,
    );
  } finally {
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
  }
  const release = claimCluster('hsb', root);
  assert.equal(readFileSync(claimFile('hsb', root), 'utf8'), `${process.pid}\n`);
  release();
});

test('a claim file that is empty or garbage (a recorder killed mid-write) is stale', () => {
  writeFileSync(claimFile('hsc', root), '');
  claimCluster('hsc', root)();
  writeFileSync(claimFile('hsc', root), 'not a pid\n');
  claimCluster('hsc', root)();
});

test('release leaves a claim that another process has since taken', () => {
  const release = claimCluster('hsd', root);
  const other = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim();
  writeFileSync(claimFile('hsd', root), `${other}\n`);
  release();
  assert.equal(readFileSync(claimFile('hsd', root), 'utf8'), `${other}\n`);
});
