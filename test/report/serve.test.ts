import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { request } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runRows, serve } from '../../analyzer/report/serve.js';
import { sampleStore } from './store-fixture.js';

let store: string;
let server: Server;
let port: number;

before(async () => {
  ({ store } = await sampleStore());
  server = await serve({ store, port: 0, host: '127.0.0.1' });
  port = (server.address() as AddressInfo).port;
});
after(() => {
  server.closeAllConnections();
  server.close();
  rmSync(store, { recursive: true, force: true });
});

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A raw request, path sent exactly as given (fetch would normalise `..` away); Host is `127.0.0.1:PORT` unless given. */
function ask(path: string, opts: { method?: string; host?: string; port?: number; address?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = opts.host === undefined ? {} : { host: opts.host };
    const req = request({ host: opts.address ?? '127.0.0.1', port: opts.port ?? port, path, method: opts.method ?? 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

const get = (path: string): Promise<Answer> => ask(path);

/** Fails if a body names the store's directory, the temp directory, or an errno or stack. */
function assertNoServerPath(body: string, what: string): void {
  for (const p of [store, realpathSync(store), tmpdir()]) assert.ok(!body.includes(p), `${what}: ${body}`);
  assert.doesNotMatch(body, /ENOTDIR|ENOENT|EISDIR|\.ts:\d|\bat \//, what);
}

test('the run list: newest first, with workload, nemesis, verdict and op count', () => {
  assert.deepEqual(runRows(store), [
    { test: 'append-paper', run: '20261102T100000.000', time: '2026-11-02 10:00:00', workload: 'list-append', nemesis: '[:kill]', verdict: 'invalid', ops: 8 },
    { test: 'register-good', run: '20261101T100000.000', time: '2026-11-01 10:00:00', workload: 'register', nemesis: '[:partition]', verdict: 'valid', ops: 922 },
  ]);
});

test('serve lists runs and opens each report', async () => {
  const index = await get('/');
  assert.equal(index.status, 200);
  assert.ok(index.body.indexOf('append-paper') < index.body.indexOf('register-good'), 'newest first');
  const report = await get('/runs/append-paper/20261102T100000.000/');
  assert.equal(report.status, 200);
  assert.match(report.body, /<h1>Invalid<\/h1>/);
  // The report's links to the run's files point at /files/, and they download.
  assert.match(report.body, /<figcaption><a href="\/files\/append-paper\/20261102T100000\.000\/elle\/G-single-item-1\.svg">elle\/G-single-item-1\.svg<\/a>/);
  const links = [...report.body.matchAll(/<li><a href="(\/files\/[^"]+)">/g)].map((m) => m[1]);
  assert.ok(links.includes('/files/append-paper/20261102T100000.000/history.edn'), links.join(' '));
  for (const link of links) assert.equal((await get(link)).status, 200, link);
});

test('raw files download from inside a run', async () => {
  const r = await get('/files/append-paper/20261102T100000.000/history.edn');
  assert.equal(r.status, 200);
  assert.match(String(r.headers['content-disposition']), /attachment; filename="history.edn"/);
  assert.match(r.body, /^\{:index 0 :type :invoke/);
});

test('paths that leave the store get 404: .., encoded .., absolute paths', async () => {
  for (const path of [
    '/files/append-paper/../../../../etc/passwd',
    '/files/append-paper/20261102T100000.000/../../../../../etc/passwd',
    '/files/%2e%2e/%2e%2e/etc/passwd',
    '/files/append-paper/20261102T100000.000/%2e%2e%2f%2e%2e%2fregister-good',
    '//etc/passwd',
    '/files//etc/passwd/x',
    '/runs/..%2f..%2f/x/',
    '/files/append-paper/20261102T100000.000/%2Fetc%2Fpasswd',
  ]) {
    const r = await get(path);
    assert.equal(r.status, 404, path);
    assert.equal(r.body, 'not found\n', path);
  }
});

test('a path naming nothing servable is 404 with a body that names no server path', async () => {
  // `latest` is a symlink to a run: these name its history.edn as if it were a run directory.
  for (const path of ['/files/latest/history.edn', '/runs/latest/history.edn/', '/runs/latest/elle/', '/runs/append-paper/20261102T100000.000/history.edn', '/runs/nope/nope/', '/nope/a/b/c', '*']) {
    const r = await get(path);
    assert.deepEqual([r.status, r.body], [404, 'not found\n'], path);
    assertNoServerPath(r.body, path);
  }
});

test('only GET and HEAD: any other method is 405 with Allow: GET, HEAD', async () => {
  for (const [method, path] of [['POST', '/'], ['PUT', '/files/append-paper/20261102T100000.000/history.edn'], ['DELETE', '/runs/append-paper/20261102T100000.000/'], ['OPTIONS', '/'], ['PATCH', '/nope']]) {
    const r = await ask(path, { method });
    assert.equal(r.status, 405, `${method} ${path}`);
    assert.equal(r.headers.allow, 'GET, HEAD', `${method} ${path}`);
    assert.equal(r.body, 'method not allowed: only GET and HEAD\n');
  }
});

test('HEAD answers as GET does, without the body', async () => {
  for (const path of ['/', '/runs/append-paper/20261102T100000.000/', '/files/append-paper/20261102T100000.000/', '/files/append-paper/20261102T100000.000/history.edn', '/files/latest/history.edn']) {
    const [g, h] = [await get(path), await ask(path, { method: 'HEAD' })];
    assert.equal(h.status, g.status, path);
    assert.equal(h.body, '', path);
    for (const name of ['content-type', 'content-length', 'content-disposition']) assert.equal(h.headers[name], g.headers[name], `${path} ${name}`);
    assert.equal(Number(h.headers['content-length']), Buffer.byteLength(g.body), path);
  }
  const file = join(store, 'append-paper', '20261102T100000.000', 'history.edn');
  const h = await ask('/files/append-paper/20261102T100000.000/history.edn', { method: 'HEAD' });
  assert.deepEqual([h.status, h.headers['content-length'], h.headers['content-disposition']], [200, String(statSync(file).size), 'attachment; filename="history.edn"']);
});

test('the Host header must name this server: a DNS-rebinding name is 403, loopback names with any port are answered', async () => {
  for (const host of ['evil.example', `evil.example:${port}`, `localhost.evil.example:${port}`, `127.0.0.1.evil.example`, `evil.example@localhost:${port}`, 'localhost:x']) {
    const r = await ask('/', { host });
    assert.equal(r.status, 403, `Host: ${host}`);
    assertNoServerPath(r.body, host);
    assert.doesNotMatch(r.body, /append-paper/, host);
  }
  // Refused before anything else: a file, a POST.
  assert.equal((await ask('/files/append-paper/20261102T100000.000/history.edn', { host: 'evil.example' })).status, 403);
  assert.equal((await ask('/', { host: 'evil.example', method: 'POST' })).status, 403);
  for (const host of [`localhost:${port}`, 'localhost', `LOCALHOST:${port}`, 'localhost.', `127.0.0.1:${port}`, `[::1]:${port}`, '[::1]', 'localhost:9']) {
    const r = await ask('/', { host });
    assert.equal(r.status, 200, `Host: ${host}`);
    assert.match(r.body, /append-paper/);
  }
});

test('a request with no Host header (HTTP/1.0) or an empty one is 403', async () => {
  const raw = (request: string): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.end(request));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (c: string) => (text += c));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
  assert.match(await raw('GET / HTTP/1.0\r\n\r\n'), /^HTTP\/1\.[01] 403 /);
  assert.match(await raw('GET / HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 403 /);
  // The same socket dialogue with a loopback Host is answered, so the 403s are the Host check's.
  assert.match(await raw('GET / HTTP/1.0\r\nHost: localhost\r\n\r\n'), /^HTTP\/1\.[01] 200 /);
});

test('bound to another address (--host 127.0.0.2), that address is accepted in Host as well as localhost; other names are not', async (t) => {
  let other: Server;
  try {
    other = await serve({ store, port: 0, host: '127.0.0.2' });
  } catch {
    t.skip('cannot bind 127.0.0.2 here (not Linux?)');
    return;
  }
  try {
    const p = (other.address() as AddressInfo).port;
    const at = (host: string): Promise<number> => ask('/', { address: '127.0.0.2', port: p, host }).then((r) => r.status);
    assert.equal(await at(`127.0.0.2:${p}`), 200);
    assert.equal(await at(`localhost:${p}`), 200);
    assert.equal(await at(`127.0.0.3:${p}`), 403);
    assert.equal(await at(`evil.example:${p}`), 403);
  } finally {
    other.closeAllConnections();
    other.close();
  }
});

test('allowHosts (--allow-host) adds names', async () => {
  const other = await serve({ store, port: 0, host: '127.0.0.1', allowHosts: ['Reports.Example'] });
  try {
    const p = (other.address() as AddressInfo).port;
    assert.equal((await ask('/', { port: p, host: `reports.example:${p}` })).status, 200);
    assert.equal((await ask('/', { port: p, host: 'reports.example' })).status, 200);
    assert.equal((await ask('/', { port: p, host: 'other.example' })).status, 403);
  } finally {
    other.closeAllConnections();
    other.close();
  }
});

test('a run without results is 404 saying so; a run whose report cannot be made is 500; neither body names a path, the log gets the detail', async () => {
  const own = mkdtempSync(join(tmpdir(), 'hindsight-serve-broken-'));
  const logged: string[] = [];
  const other = await serve({ store: own, port: 0, host: '127.0.0.1', onError: (m) => logged.push(m) });
  try {
    const p = (other.address() as AddressInfo).port;
    const unchecked = join(own, 'unchecked', '20261105T100000.000');
    mkdirSync(unchecked, { recursive: true });
    copyFileSync(join(store, 'append-paper', '20261102T100000.000', 'history.edn'), join(unchecked, 'history.edn'));
    const broken = join(own, 'broken', '20261106T100000.000');
    mkdirSync(broken, { recursive: true });
    writeFileSync(join(broken, 'results.edn'), '{:valid? true');
    const a = await ask('/runs/unchecked/20261105T100000.000/', { port: p });
    assert.deepEqual([a.status, a.body], [404, 'not found: this run has no results.edn yet (`hindsight report --check` on its directory makes one)\n']);
    const b = await ask('/runs/broken/20261106T100000.000/', { port: p });
    assert.deepEqual([b.status, b.body], [500, "cannot make this run's report: the server's log says why\n"]);
    for (const body of [a.body, b.body]) assert.ok(!body.includes(own) && !body.includes(realpathSync(own)), body);
    assert.equal(logged.length, 1);
    assert.match(logged[0], /^cannot make the report of broken\/20261106T100000\.000: .*results\.edn: not readable as EDN/);
    // The rest of the store still answers.
    assert.equal((await ask('/files/unchecked/20261105T100000.000/history.edn', { port: p })).body, readFileSync(join(unchecked, 'history.edn'), 'utf8'));
  } finally {
    other.closeAllConnections();
    other.close();
    rmSync(own, { recursive: true, force: true });
  }
});
