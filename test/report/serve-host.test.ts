/** The Host rule of `hindsight serve` (serve-host.ts), and `--allow-host` on the command line. */
import assert from 'node:assert/strict';
import { hostname, networkInterfaces } from 'node:os';
import { test } from 'node:test';
import { allowedHosts, canonicalHost, hostAllowed, hostOfHeader } from '../../analyzer/report/serve-host.js';
import { runCliInProcess } from '../support/cli.js';

test('Host headers are read as a browser writes them: lower case, IPv6 in brackets, any port, one trailing dot dropped', () => {
  assert.equal(hostOfHeader('LocalHost:8080'), 'localhost');
  assert.equal(hostOfHeader('localhost.'), 'localhost');
  assert.equal(hostOfHeader('[::1]:80'), '[::1]');
  assert.equal(hostOfHeader('[0:0:0:0:0:0:0:1]'), '[::1]');
  assert.equal(hostOfHeader('127.0.0.1:65535'), '127.0.0.1');
  for (const bad of ['', ' ', 'a b', 'evil@localhost', 'localhost:', 'localhost:x', 'localhost:123456', 'localhost/x', '::1', '[::1', 'a:1:2']) {
    assert.equal(hostOfHeader(bad), undefined, JSON.stringify(bad));
  }
  assert.equal(canonicalHost('::1'), '[::1]');
  for (const bad of ['reports.example:80', 'reports.example:8080', 'a/b', 'x@a', '']) assert.equal(canonicalHost(bad), undefined, `${bad}: not a bare name`);
});

test('bound to loopback: only localhost, 127.0.0.1 and [::1]', () => {
  const allowed = allowedHosts('127.0.0.1');
  assert.deepEqual([...allowed].sort(), ['127.0.0.1', '[::1]', 'localhost']);
  assert.ok(hostAllowed('localhost:8080', allowed));
  assert.ok(!hostAllowed('evil.example', allowed));
  assert.ok(!hostAllowed('localhost.evil.example', allowed));
  assert.ok(!hostAllowed(undefined, allowed));
});

test('bound to a named address: that name as well; --allow-host names on top', () => {
  assert.deepEqual([...allowedHosts('192.168.1.5')].sort(), ['127.0.0.1', '192.168.1.5', '[::1]', 'localhost']);
  assert.deepEqual([...allowedHosts('fe80::1', ['Reports.Example.'])].sort(), ['127.0.0.1', '[::1]', '[fe80::1]', 'localhost', 'reports.example']);
  assert.ok(hostAllowed('[fe80::1]:8080', allowedHosts('fe80::1')));
  assert.ok(!hostAllowed('192.168.1.6', allowedHosts('192.168.1.5')));
});

test("bound to a wildcard (0.0.0.0, ::): this machine's name and interface addresses too, still not other names", () => {
  for (const bind of ['0.0.0.0', '::']) {
    const allowed = allowedHosts(bind);
    assert.ok(hostAllowed(`${hostname()}:8080`, allowed), hostname());
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) {
        if (a.family === 'IPv4') assert.ok(hostAllowed(`${a.address}:8080`, allowed), a.address);
        else if (!a.address.includes('%')) assert.ok(hostAllowed(`[${a.address}]:8080`, allowed), a.address);
      }
    }
    assert.ok(hostAllowed(bind === '::' ? '[::]' : '0.0.0.0', allowed));
    assert.ok(!hostAllowed('evil.example:8080', allowed));
  }
});

test('hindsight serve --allow-host with a port is a usage error (exit 3), before anything listens', async () => {
  const { code, err } = await runCliInProcess(['serve', '.', '--port', '0', '--allow-host', 'reports.example:8080']);
  assert.equal(code, 3);
  assert.equal(err, 'hindsight: --allow-host takes a host name or address without a port, not reports.example:8080\n');
});
