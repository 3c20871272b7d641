/**
 * Loads hindsight's minimal etcd v3 protocol (proto/etcd/) with @grpc/proto-loader. `keepCase: true`
 * is essential: with proto-loader's default camelCasing, a Txn's `request_put` becomes `requestPut`,
 * which protobuf.js then silently drops, and etcd answers `INVALID_ARGUMENT key not found`.
 * 64-bit integers arrive as decimal strings (`longs: String`): member and lease IDs are random
 * uint64s that a JS number would round.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

function protoDir(): string {
  // Sources: recorder/etcd/ → ../../proto/etcd; built: dist/recorder/etcd/ → ../../../proto/etcd.
  for (const rel of ['../../proto/etcd/', '../../../proto/etcd/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(dir + 'etcd.proto')) return dir;
  }
  throw new Error('cannot find proto/etcd/etcd.proto next to the hindsight sources');
}

/** A generated gRPC client class. */
export type ServiceCtor = grpc.ServiceClientConstructor;

/** The etcd services hindsight calls. */
export interface EtcdServices {
  readonly KV: ServiceCtor;
  readonly Watch: ServiceCtor;
  readonly Lease: ServiceCtor;
  readonly Cluster: ServiceCtor;
  readonly Maintenance: ServiceCtor;
  readonly Lock: ServiceCtor;
}

let loaded: EtcdServices | undefined;

/** The service classes, loaded once from proto/etcd/; throws if the proto files are not found. */
export function etcdServices(): EtcdServices {
  if (loaded) return loaded;
  const dir = protoDir();
  const def = protoLoader.loadSync(['etcd.proto', 'v3lock.proto'], {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
    includeDirs: [dir],
  });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    etcdserverpb: Record<string, ServiceCtor>;
    v3lockpb: Record<string, ServiceCtor>;
  };
  const e = pkg.etcdserverpb;
  loaded = { KV: e.KV!, Watch: e.Watch!, Lease: e.Lease!, Cluster: e.Cluster!, Maintenance: e.Maintenance!, Lock: pkg.v3lockpb.Lock! };
  return loaded;
}
