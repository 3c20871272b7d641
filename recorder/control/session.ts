/**
 * Control of one node over SSH (ssh2). A fresh `exec` costs a whole login-shell start-up (350–400 ms
 * for root here, whose shell runs pyenv), so each node keeps ONE persistent `bash --noprofile --norc`
 * channel and commands are written to it one at a time: a fault lands within a millisecond of its
 * op. Each command runs in a subshell via `eval` of its quoted text (so a syntax error or an `exit`
 * cannot break the channel), stdin from /dev/null, and is followed by a marker line on stdout
 * carrying its exit status and a marker line on stderr; the reader splits the streams at those
 * markers. A command that times out closes its channel (its state is unknown); the next command
 * opens a new one on the same connection, reconnecting if the connection died.
 */
import { randomBytes } from 'node:crypto';
import ssh2 from 'ssh2';
import type { ClientChannel, ConnectConfig } from 'ssh2';
import { ControlError, ControlTimeout } from './errors.js';
import { shellQuote } from './quote.js';

/** Where and how to reach one node over SSH. */
export interface SshTarget {
  /** The node's name (for messages; etcd member name). */
  readonly name: string;
  readonly host: string;
  readonly port?: number;
  readonly user: string;
  readonly privateKey: Buffer | string;
  /** Accepts or rejects the server's host key (raw key blob). Absent → any key is accepted. */
  readonly verifyHostKey?: (key: Buffer) => boolean;
  readonly connectTimeoutMs?: number;
}

/** Per-command options of `NodeSession.run`. */
export interface RunOptions {
  /** Milliseconds before the command is abandoned with a ControlTimeout (default 30 s). */
  readonly timeoutMs?: number;
  /** Do not throw on a nonzero exit; return it. */
  readonly allowFailure?: boolean;
}

/** What a command printed and its exit status. */
export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

interface Pending {
  readonly command: string;
  readonly marker: string;
  readonly resolve: (r: { stdout: string; stderr: string; code: number }) => void;
  readonly reject: (e: Error) => void;
}

/**
 * One node's control channel: commands run one at a time, in call order, on a persistent shell.
 * Connects lazily on the first `run`; `close` ends it for good.
 */
export class NodeSession {
  private client: ssh2.Client | undefined;
  private connecting: Promise<ssh2.Client> | undefined;
  private channel: ClientChannel | undefined;
  private opening: Promise<ClientChannel> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private pending: Pending | undefined;
  private out = '';
  private err = '';
  private closed = false;

  constructor(readonly target: SshTarget) {}

  /** The node's name (for messages). */
  get name(): string {
    return this.target.name;
  }

  /** Runs one shell command line (already quoted by the caller, see `sh`/`shellCommand`). */
  run(command: string, opts: RunOptions = {}): Promise<RunResult> {
    const next = this.queue.then(() => this.runNow(command, opts));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Writes `data` to `path` on the node (mode optional, octal string like '600'). */
  async upload(path: string, data: string | Buffer, mode?: string): Promise<void> {
    const b64 = Buffer.from(data).toString('base64');
    const chmod = mode ? ` && chmod ${shellQuote(mode)} ${shellQuote(path)}` : '';
    await this.run(`printf %s ${shellQuote(b64)} | base64 -d > ${shellQuote(path)}${chmod}`, { timeoutMs: 30_000 });
  }

  /** Closes the channel and connection; later `run`s reject with a ControlError. */
  async close(): Promise<void> {
    this.closed = true;
    this.channel?.close();
    this.channel = undefined;
    this.client?.end();
    this.client = undefined;
  }

  private async runNow(command: string, opts: RunOptions): Promise<RunResult> {
    if (this.closed) throw new ControlError(this.name, command, '', null, 'was not run: the session is closed');
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const channel = await this.openChannel(command, timeoutMs);
    return this.send(channel, command, timeoutMs, opts);
  }

  /** Writes one command to the channel and waits for its markers. */
  private async send(channel: ClientChannel, command: string, timeoutMs: number, opts: RunOptions): Promise<RunResult> {
    const marker = `__hindsight_${randomBytes(6).toString('hex')}__`;
    const line =
      `( eval ${shellQuote(command)} ) </dev/null; ` +
      `printf '\\n%s %d\\n' ${marker} $?; printf '\\n%s\\n' ${marker} >&2\n`;
    const result = await new Promise<{ stdout: string; stderr: string; code: number }>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        const stderr = this.err;
        this.dropChannel();
        reject(new ControlTimeout(this.name, command, timeoutMs, stderr));
      }, timeoutMs);
      this.pending = {
        command,
        marker,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      channel.write(line);
    });
    if (result.code !== 0 && !opts.allowFailure) throw new ControlError(this.name, command, result.stderr, result.code);
    return result;
  }

  private tryComplete(): void {
    const p = this.pending;
    if (!p) return;
    const outEnd = new RegExp(`\\n${p.marker} (\\d+)\\n`).exec(this.out);
    const errEnd = this.err.indexOf(`\n${p.marker}\n`);
    if (!outEnd || errEnd < 0) return;
    const stdout = this.out.slice(0, outEnd.index);
    const stderr = this.err.slice(0, errEnd);
    this.out = this.out.slice(outEnd.index + outEnd[0].length);
    this.err = this.err.slice(errEnd + p.marker.length + 2);
    this.pending = undefined;
    p.resolve({ stdout, stderr, code: Number(outEnd[1]) });
  }

  private dropChannel(): void {
    const ch = this.channel;
    this.channel = undefined;
    this.out = '';
    this.err = '';
    if (ch) {
      ch.removeAllListeners('data');
      ch.stderr.removeAllListeners('data');
      ch.close();
    }
  }

  private async openChannel(command: string, timeoutMs: number): Promise<ClientChannel> {
    if (this.channel) return this.channel;
    if (!this.opening) {
      this.opening = (async () => {
        const client = await this.connect(command);
        const ch = await new Promise<ClientChannel>((resolve, reject) => {
          client.exec('exec bash --noprofile --norc', (err, ch) => (err ? reject(err) : resolve(ch)));
        }).catch((e: Error) => {
          throw new ControlError(this.name, command, '', null, `could not open a shell channel (${e.message})`);
        });
        ch.setEncoding('utf8');
        ch.stderr.setEncoding('utf8');
        ch.on('data', (d: string) => {
          if (this.channel !== ch) return;
          this.out += d;
          this.tryComplete();
        });
        ch.stderr.on('data', (d: string) => {
          if (this.channel !== ch) return;
          this.err += d;
          this.tryComplete();
        });
        ch.on('close', () => {
          if (this.channel !== ch) return;
          this.channel = undefined;
          const p = this.pending;
          this.pending = undefined;
          p?.reject(new ControlError(this.name, p.command, this.err, null, 'lost its shell channel'));
        });
        this.channel = ch;
        // Whatever the login shell printed before bash took over lands before this first marker.
        await this.send(ch, 'true', 10_000, {});
        return ch;
      })().finally(() => {
        this.opening = undefined;
      });
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.opening,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new ControlTimeout(this.name, command, timeoutMs)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private connect(command: string): Promise<ssh2.Client> {
    if (this.client) return Promise.resolve(this.client);
    if (this.connecting) return this.connecting;
    const t = this.target;
    this.connecting = new Promise<ssh2.Client>((resolve, reject) => {
      const client = new ssh2.Client();
      let rejectedKey = false;
      const config: ConnectConfig = {
        host: t.host,
        port: t.port ?? 22,
        username: t.user,
        privateKey: t.privateKey,
        readyTimeout: t.connectTimeoutMs ?? 10_000,
        keepaliveInterval: 5_000,
        hostVerifier: (key: Buffer) => {
          const ok = t.verifyHostKey ? t.verifyHostKey(key) : true;
          if (!ok) rejectedKey = true;
          return ok;
        },
      };
      client.once('ready', () => {
        this.client = client;
        resolve(client);
      });
      client.once('error', (e: Error) => {
        const why = rejectedKey ? 'host key verification failed' : `could not connect to ${t.host}:${config.port} (${e.message})`;
        reject(new ControlError(this.name, command, '', null, why));
      });
      client.on('close', () => {
        if (this.client === client) this.client = undefined;
        this.channel = undefined;
        const p = this.pending;
        this.pending = undefined;
        p?.reject(new ControlError(this.name, p.command, this.err, null, 'lost its SSH connection'));
      });
      client.connect(config);
    }).finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }
}
