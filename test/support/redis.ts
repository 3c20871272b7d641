/**
 * A real Redis for tests: Debian's `redis-server`, on a free loopback port, with its data in a
 * directory of the test's own and every write appended to disk (so a restart keeps the jobs, as
 * a production Redis with persistence does). Stopped by its pid; `stop` is safe to call twice.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { tempDir } from './tmp.js';

/** A running redis-server. */
export interface RedisServer {
  readonly port: number;
  /** `redis://[:password@]127.0.0.1:port` (append `/DB` for a database of a test's own). */
  readonly url: string;
  /** The server's pid (changes on `restart`). */
  readonly pid: number;
  /** Stops it (SIGTERM, which saves the data; SIGKILL after 10 s) and waits until it has exited. */
  stop(): Promise<void>;
  /** Stops it, leaves it down `downMs` (default 0), and starts it again on the same port with the same data. */
  restart(downMs?: number): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a !== null && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts redis-server on `port`; resolves once it accepts connections, rejects with its output if it exits first. */
function launch(port: number, dir: string, password: string | undefined): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--daemonize', 'no', '--maxmemory-policy', 'noeviction'];
  if (password !== undefined) args.push('--requirepass', password);
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server on port ${port} not ready after 15 s: ${output}`));
    }, 15_000);
    const onData = (d: Buffer): void => {
      output += d.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start redis-server (is Debian's redis-server installed?): ${e.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`redis-server on port ${port} exited (${code ?? signal}) before it was ready: ${output.trim()}`));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts a Redis (see this file's header); with `password`, it requires it. */
export async function startRedis(o: { password?: string } = {}): Promise<RedisServer> {
  const dir = tempDir('hindsight-redis-');
  let child: ChildProcess | undefined;
  let port = 0;
  // A port found free may be taken by another process before redis binds it: then, and only
  // then, take another (any other failure is the test's).
  for (let attempt = 1; child === undefined; attempt++) {
    port = await freePort();
    try {
      child = await launch(port, dir, o.password);
    } catch (e) {
      if (attempt >= 5 || !(e instanceof Error && /Address already in use/.test(e.message))) throw e;
    }
  }
  let current: ChildProcess = child;
  const stop = async (): Promise<void> => {
    const c = current;
    if (c.exitCode !== null || c.signalCode !== null) return;
    c.kill('SIGTERM');
    const kill = setTimeout(() => c.kill('SIGKILL'), 10_000);
    await exited(c);
    clearTimeout(kill);
  };
  const auth = o.password === undefined ? '' : `:${encodeURIComponent(o.password)}@`;
  return {
    port,
    url: `redis://${auth}127.0.0.1:${port}`,
    get pid() {
      return current.pid ?? -1;
    },
    stop,
    async restart(downMs = 0) {
      await stop();
      await new Promise((r) => setTimeout(r, downMs));
      current = await launch(port, dir, o.password);
    },
  };
}
