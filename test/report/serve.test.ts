import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
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

/** A raw GET, path sent exactly as given (fetch would normalise `..` away). */
function get(path: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
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
    assert.doesNotMatch(r.body, /root:/, path);
  }
});
