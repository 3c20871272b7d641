/**
 * A small etcd v3 client over gRPC (@grpc/grpc-js): exactly the calls the workloads and nemeses
 * use. One client talks to one node (as a Jepsen worker does), every call has a deadline, and errors
 * are left as gRPC ServiceErrors for `completionFor` to judge. Keys and values are UTF-8 strings.
 */
import * as grpc from '@grpc/grpc-js';
import { etcdServices } from './proto.js';

/** One key as etcd returns it (revisions as numbers; the lease id as a decimal string, `0` for none). */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
  readonly modRevision: number;
  readonly createRevision: number;
  readonly version: number;
  readonly lease: string;
}

/** What a Txn guard compares. */
export type CompareTarget = 'VERSION' | 'CREATE' | 'MOD' | 'VALUE';
/** How a Txn guard compares. */
export type CompareResult = 'EQUAL' | 'GREATER' | 'LESS' | 'NOT_EQUAL';

/** A Txn guard: `target(key) result operand`, e.g. { key, target: 'MOD', result: 'EQUAL', operand: 7 }. */
export interface Compare {
  readonly key: string;
  readonly target: CompareTarget;
  readonly result: CompareResult;
  readonly operand: number | string;
}

/** One Txn operation: a range read of one key, or a put. */
export type TxnOp = { readonly get: string; readonly serializable?: boolean } | { readonly put: string; readonly value: string; readonly lease?: string };

/** The result of one `TxnOp`, in the order of the branch that ran. */
export type TxnResult =
  | { readonly get: string; readonly kv: KeyValue | undefined }
  | { readonly put: string; readonly revision: number };

/** A Txn's outcome: whether its guards held (success branch) and each op's result. */
export interface TxnResponse {
  readonly succeeded: boolean;
  readonly revision: number;
  readonly results: TxnResult[];
}

/** One change seen by a watch. */
export interface WatchEvent {
  readonly type: 'PUT' | 'DELETE';
  readonly kv: KeyValue;
}

type Raw = Record<string, unknown>;
type Unary = (req: Raw, opts: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r: Raw) => void) => grpc.ClientUnaryCall;

function kvOf(raw: Raw): KeyValue {
  return {
    key: (raw.key as Buffer).toString('utf8'),
    value: (raw.value as Buffer).toString('utf8'),
    modRevision: Number(raw.mod_revision),
    createRevision: Number(raw.create_revision),
    version: Number(raw.version),
    lease: String(raw.lease),
  };
}

function headerRevision(r: Raw): number {
  return Number((r.header as Raw | null)?.revision ?? 0);
}

/** Options of an `EtcdClient`. */
export interface ClientOptions {
  /** Deadline for each unary call (ms). */
  readonly timeoutMs?: number;
}

/**
 * An etcd v3 client for one member. Every method rejects with the gRPC `ServiceError` when the call
 * fails (judge it with `completionFor`); `close` ends every channel.
 */
export class EtcdClient {
  private readonly kv: grpc.Client;
  private readonly leaseSvc: grpc.Client;
  private readonly lockSvc: grpc.Client;
  private readonly clusterSvc: grpc.Client;
  private readonly maintSvc: grpc.Client;
  private readonly watchSvc: grpc.Client;
  /** Default deadline of each unary call (ms). */
  readonly timeoutMs: number;

  /** `endpoint` is host:port of one member's client URL. */
  constructor(readonly endpoint: string, opts: ClientOptions = {}) {
    const s = etcdServices();
    this.timeoutMs = opts.timeoutMs ?? 5000;
    const creds = grpc.credentials.createInsecure();
    const chanOpts: grpc.ChannelOptions = {
      'grpc.keepalive_time_ms': 5000,
      'grpc.keepalive_timeout_ms': 3000,
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 1000,
      'grpc.enable_retries': 0,
    };
    this.kv = new s.KV(endpoint, creds, chanOpts);
    const shared = { ...chanOpts, channelOverride: this.kv.getChannel() } as grpc.ClientOptions;
    this.leaseSvc = new s.Lease(endpoint, creds, shared);
    this.lockSvc = new s.Lock(endpoint, creds, shared);
    this.clusterSvc = new s.Cluster(endpoint, creds, shared);
    this.maintSvc = new s.Maintenance(endpoint, creds, shared);
    this.watchSvc = new s.Watch(endpoint, creds, shared);
  }

  private call(svc: grpc.Client, method: string, req: Raw, timeoutMs = this.timeoutMs): Promise<Raw> {
    const fn = (svc as unknown as Record<string, Unary>)[method]!;
    return new Promise((resolve, reject) => {
      fn.call(svc, req, { deadline: Date.now() + timeoutMs }, (e, r) => (e ? reject(e) : resolve(r)));
    });
  }

  /** Reads `key` (linearizable unless `serializable`); `kv` undefined when absent, `revision` the store's. */
  async get(key: string, opts: { serializable?: boolean; timeoutMs?: number } = {}): Promise<{ kv: KeyValue | undefined; revision: number }> {
    const r = await this.call(this.kv, 'Range', { key: Buffer.from(key), serializable: opts.serializable ?? false }, opts.timeoutMs);
    const kvs = r.kvs as Raw[];
    return { kv: kvs.length ? kvOf(kvs[0]!) : undefined, revision: headerRevision(r) };
  }

  /** Writes `key`; resolves to the store revision after the put. */
  async put(key: string, value: string, opts: { lease?: string; timeoutMs?: number } = {}): Promise<number> {
    const r = await this.call(this.kv, 'Put', { key: Buffer.from(key), value: Buffer.from(value), lease: opts.lease ?? '0' }, opts.timeoutMs);
    return headerRevision(r);
  }

  /** One Txn: `success` if every compare holds, else `failure`; results in the order of the branch run. */
  async txn(compares: readonly Compare[], success: readonly TxnOp[], failure: readonly TxnOp[] = [], timeoutMs?: number): Promise<TxnResponse> {
    const cmp = compares.map((c) => {
      const field = { VERSION: 'version', CREATE: 'create_revision', MOD: 'mod_revision', VALUE: 'value' }[c.target];
      return { key: Buffer.from(c.key), target: c.target, result: c.result, [field]: c.target === 'VALUE' ? Buffer.from(String(c.operand)) : String(c.operand) };
    });
    const op = (o: TxnOp): Raw =>
      'get' in o
        ? { request_range: { key: Buffer.from(o.get), serializable: o.serializable ?? false } }
        : { request_put: { key: Buffer.from(o.put), value: Buffer.from(o.value), lease: o.lease ?? '0' } };
    const r = await this.call(this.kv, 'Txn', { compare: cmp, success: success.map(op), failure: failure.map(op) }, timeoutMs);
    const succeeded = Boolean(r.succeeded);
    const ops = succeeded ? success : failure;
    const responses = r.responses as Raw[];
    const results: TxnResult[] = ops.map((o, i) => {
      const resp = responses[i] ?? {};
      if ('get' in o) {
        const kvs = ((resp.response_range as Raw | undefined)?.kvs as Raw[] | undefined) ?? [];
        return { get: o.get, kv: kvs.length ? kvOf(kvs[0]!) : undefined };
      }
      return { put: o.put, revision: headerRevision((resp.response_put as Raw | undefined) ?? {}) };
    });
    return { succeeded, revision: headerRevision(r), results };
  }

  /** Grants a lease of `ttlSeconds`; resolves to its id. */
  async leaseGrant(ttlSeconds: number, timeoutMs?: number): Promise<string> {
    const r = await this.call(this.leaseSvc, 'LeaseGrant', { TTL: String(ttlSeconds), ID: '0' }, timeoutMs);
    if (r.error) throw new Error(`lease grant: ${String(r.error)}`);
    return String(r.ID);
  }

  /** Revokes lease `id` (its keys, and a lock held under it, go). */
  async leaseRevoke(id: string, timeoutMs?: number): Promise<void> {
    await this.call(this.leaseSvc, 'LeaseRevoke', { ID: id }, timeoutMs);
  }

  /**
   * Keeps a lease alive by sending a keep-alive every `intervalMs` on one stream; `onLost` fires
   * once if the stream fails or etcd reports the lease gone (TTL ≤ 0). Returns a stop function.
   */
  keepAlive(id: string, intervalMs: number, onLost: (why: string) => void): () => void {
    const stream = (this.leaseSvc as unknown as { LeaseKeepAlive: () => grpc.ClientDuplexStream<Raw, Raw> }).LeaseKeepAlive();
    let stopped = false;
    const lost = (why: string): void => {
      if (stopped) return;
      stop();
      onLost(why);
    };
    stream.on('data', (r: Raw) => {
      if (Number(r.TTL) <= 0) lost('lease expired');
    });
    stream.on('error', (e: Error) => lost(e.message));
    stream.on('end', () => lost('keep-alive stream ended'));
    const send = (): void => {
      if (!stopped) stream.write({ ID: id });
    };
    send();
    const timer = setInterval(send, intervalMs);
    const stop = (): void => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      stream.cancel();
    };
    return stop;
  }

  /** Blocks until the lock `name` is held under `lease`; returns the lock's ownership key. */
  async lock(name: string, lease: string, timeoutMs?: number): Promise<string> {
    const r = await this.call(this.lockSvc, 'Lock', { name: Buffer.from(name), lease }, timeoutMs);
    return (r.key as Buffer).toString('utf8');
  }

  /** Releases the lock whose ownership key is `key`. */
  async unlock(key: string, timeoutMs?: number): Promise<void> {
    await this.call(this.lockSvc, 'Unlock', { key: Buffer.from(key) }, timeoutMs);
  }

  /** This member's status: its id, the leader's id (`0`: none known), raft term and version. */
  async status(timeoutMs?: number): Promise<{ memberId: string; leader: string; raftTerm: number; version: string }> {
    const r = await this.call(this.maintSvc, 'Status', {}, timeoutMs);
    return { memberId: String((r.header as Raw).member_id), leader: String(r.leader), raftTerm: Number(r.raftTerm), version: String(r.version) };
  }

  /** The cluster's members as this member knows them (a member not started yet has an empty name). */
  async memberList(timeoutMs?: number): Promise<Array<{ id: string; name: string; peerURLs: string[] }>> {
    const r = await this.call(this.clusterSvc, 'MemberList', {}, timeoutMs);
    return (r.members as Raw[]).map((m) => ({ id: String(m.ID), name: String(m.name), peerURLs: m.peerURLs as string[] }));
  }

  /** Adds a member reached at `peerURL`; resolves to its id. */
  async memberAdd(peerURL: string, timeoutMs?: number): Promise<string> {
    const r = await this.call(this.clusterSvc, 'MemberAdd', { peerURLs: [peerURL], isLearner: false }, timeoutMs);
    return String((r.member as Raw).ID);
  }

  /** Removes member `id` (etcd refuses while the cluster is unhealthy). */
  async memberRemove(id: string, timeoutMs?: number): Promise<void> {
    await this.call(this.clusterSvc, 'MemberRemove', { ID: id }, timeoutMs);
  }

  /**
   * Watches `key` from `startRevision` (inclusive). `onEvents` gets each batch with the response's
   * header revision; `onEnd` fires once when the stream ends, errs or is cancelled by etcd.
   */
  watch(key: string, startRevision: number, onEvents: (events: WatchEvent[], revision: number) => void, onEnd: (why: string, compactRevision?: number) => void): () => void {
    const stream = (this.watchSvc as unknown as { Watch: () => grpc.ClientDuplexStream<Raw, Raw> }).Watch();
    let ended = false;
    const end = (why: string, compact?: number): void => {
      if (ended) return;
      ended = true;
      stream.cancel();
      onEnd(why, compact);
    };
    stream.on('data', (r: Raw) => {
      if (r.canceled) return end(`watch cancelled: ${String(r.cancel_reason ?? '')}`, Number(r.compact_revision));
      const events = (r.events as Raw[]).map((e) => ({ type: e.type as 'PUT' | 'DELETE', kv: kvOf(e.kv as Raw) }));
      if (events.length) onEvents(events, headerRevision(r));
    });
    stream.on('error', (e: Error) => end(e.message));
    stream.on('end', () => end('watch stream ended'));
    stream.write({ create_request: { key: Buffer.from(key), start_revision: String(startRevision), progress_notify: false } });
    return () => end('stopped');
  }

  /** Closes every channel of this client. */
  close(): void {
    for (const c of [this.watchSvc, this.maintSvc, this.clusterSvc, this.lockSvc, this.leaseSvc, this.kv]) c.close();
  }
}
