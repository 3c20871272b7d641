import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { sh, shellCommand, shellQuote } from '../../recorder/control/quote.js';
import { parseKnownHosts, publicKeyBlob, verifyHostKey } from '../../recorder/control/known-hosts.js';
import { bridge, describeGrudge, groupsGrudge, isolateOne, majoritiesRing, randomHalves } from '../../recorder/nemesis/partitions.js';
import { completionFor } from '../../recorder/etcd/errors.js';
import { randomFunction } from '../../analyzer/util/random.js';

test('shellQuote: bash reads every quoted argument back exactly', () => {
  const nasty = ["it's", 'a b', '$(touch /tmp/pwned)', '`id`', '"q"', "'", '', 'x;rm -rf /', '\\n', 'tab\there', 'new\nline', '*'];
  const out = execFileSync('bash', ['--noprofile', '--norc', '-c', `printf '%s\\0' ${nasty.map(shellQuote).join(' ')}`]);
  assert.deepEqual(out.toString('utf8').split('\0').slice(0, -1), nasty);
  assert.equal(shellQuote('n1'), 'n1');
  assert.equal(shellQuote("it's"), "'it'\\''s'");
  assert.equal(shellCommand(['kill', '-9', 42]), 'kill -9 42');
  assert.equal(sh`rm -f ${'/tmp/a b'} && echo ${"x'y"}`, "rm -f '/tmp/a b' && echo 'x'\\''y'");
  assert.throws(() => shellCommand([]), /empty argv/);
});

test('known_hosts: plain, port, glob, hashed, negated and revoked entries', () => {
  const key = 'AAAAC3NzaC1lZDI1NTE5AAAAIEr7xZ4n0o7n3F0wq8wQ3l0QvJq3y7a4JxXcJm2b4hQq';
  const other = 'AAAAC3NzaC1lZDI1NTE5AAAAIGq0m2Q4bJ6nq8vTqk5o1bq2G8S6x6S8bQ8eX8p2r2mU';
  const salt = Buffer.from('0123456789abcdefghij');
  const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('hashed.example').digest('base64')}`;
  const entries = parseKnownHosts(
    [
      '# comment',
      `n1,10.0.0.1 ssh-ed25519 ${key}`,
      `[n2]:2222 ssh-ed25519 ${key}`,
      `*.lab,!bad.lab ssh-ed25519 ${key}`,
      `${hashed} ssh-ed25519 ${key}`,
      `@revoked * ssh-ed25519 ${other}`,
      `@cert-authority * ssh-ed25519 ${key}`,
    ].join('\n'),
  );
  const k = Buffer.from(key, 'base64');
  const o = Buffer.from(other, 'base64');
  assert.equal(verifyHostKey(entries, 'n1', 22, k), 'ok');
  assert.equal(verifyHostKey(entries, '10.0.0.1', 22, k), 'ok');
  assert.equal(verifyHostKey(entries, 'n2', 22, k), 'unknown');
  assert.equal(verifyHostKey(entries, 'n2', 2222, k), 'ok');
  assert.equal(verifyHostKey(entries, 'x.lab', 22, k), 'ok');
  assert.equal(verifyHostKey(entries, 'bad.lab', 22, k), 'unknown');
  assert.equal(verifyHostKey(entries, 'hashed.example', 22, k), 'ok');
  assert.equal(verifyHostKey(entries, 'n1', 22, o), 'revoked');
  assert.equal(verifyHostKey(entries, 'n1', 22, Buffer.from('other')), 'mismatch');
  assert.equal(verifyHostKey(entries, 'n9', 22, k), 'unknown');
  assert.deepEqual(publicKeyBlob(`ssh-ed25519 ${key} root@x`), k);
});

function views(nodes: string[], g: ReturnType<typeof groupsGrudge>): Record<string, string[]> {
  return Object.fromEntries(describeGrudge(nodes, g).map((v) => [v[0]!, v.slice(1).sort()]));
}

test('partition shapes: who sees whom', () => {
  const five = ['n1', 'n2', 'n3', 'n4', 'n5'];
  const majority = 3;
  for (let seed = 1; seed <= 50; seed++) {
    const r = randomFunction(seed);
    // isolate-one: exactly one node sees nobody; the other four see each other.
    const iso = views(five, isolateOne(five, r));
    assert.equal(Object.values(iso).filter((v) => v.length === 0).length, 1);
    assert.equal(Object.values(iso).filter((v) => v.length === 3).length, 4);
    // random-halves: a component of 2 and one of 3.
    const halves = views(five, randomHalves(five, r));
    assert.deepEqual(Object.values(halves).map((v) => v.length).sort(), [1, 1, 2, 2, 2]);
    // majorities-ring: everyone sees a majority (counting itself), no two see the same set.
    const ring = views(five, majoritiesRing(five, r));
    const sets = Object.entries(ring).map(([n, v]) => [n, ...v].sort().join(','));
    for (const s of sets) assert.equal(s.split(',').length, majority);
    assert.equal(new Set(sets).size, 5);
    // bridge: one node sees all; the others see one peer (their half) plus the bridge.
    const br = views(five, bridge(five, r));
    assert.deepEqual(Object.values(br).map((v) => v.length).sort(), [2, 2, 2, 2, 4]);
  }
  const g = groupsGrudge([['n1'], ['n2', 'n3']]);
  assert.deepEqual([...g.get('n1')!].sort(), ['n2', 'n3']);
  assert.deepEqual([...g.get('n2')!], ['n1']);
});

function grpcError(code: number, details: string) {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata: undefined as never });
}

test('completions: definite failures fail, indeterminate writes are info, failed reads fail', () => {
  const cases: Array<[number, string, 'fail' | 'info', string]> = [
    [status.DEADLINE_EXCEEDED, 'Deadline exceeded after 5.001s', 'info', 'timeout'],
    [status.UNAVAILABLE, 'etcdserver: request timed out', 'info', 'timeout'],
    [status.UNAVAILABLE, 'etcdserver: leader changed', 'info', 'leader-changed'],
    [status.UNAVAILABLE, 'Connection dropped', 'info', 'unavailable'],
    [status.UNAVAILABLE, 'No connection established. Last error: Error: connect ECONNREFUSED 10.77.0.11:2379', 'fail', 'connection-refused'],
    [status.UNAVAILABLE, 'No connection established. Last error: null', 'fail', 'connection-refused'],
    [status.UNAVAILABLE, 'etcdserver: no leader', 'fail', 'no-leader'],
    [status.FAILED_PRECONDITION, 'etcdserver: compare failed', 'fail', 'failed-precondition'],
    [status.INVALID_ARGUMENT, 'etcdserver: key not found', 'fail', 'invalid-argument'],
    [status.CANCELLED, 'Call cancelled', 'info', 'cancelled'],
    [status.UNKNOWN, 'etcdserver: requested lease not found', 'fail', 'lease-not-found'],
    [status.INTERNAL, 'boom', 'info', 'internal'],
  ];
  for (const [code, details, type, error] of cases) {
    const c = completionFor(grpcError(code, details), false);
    assert.equal(c.type, type, details);
    assert.equal(c.error, error, details);
    assert.equal(c.message, details);
    assert.equal(completionFor(grpcError(code, details), true).type, 'fail', `read: ${details}`);
  }
  assert.equal(completionFor(grpcError(status.UNAVAILABLE, 'No connection established. Last error: x. Resolution note: '), false).message, 'No connection established. Last error: x');
  assert.deepEqual(completionFor(new Error('socket hang up'), false), { type: 'info', error: 'client-error', message: 'socket hang up' });
});
