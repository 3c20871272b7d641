/**
 * The `--db NAME` registry. Backends register themselves when their module is imported; the
 * recorder imports the built-in `memory` backend and, if present, `recorder/etcd/index.js`
 * (which calls `registerBackend(etcdBackend)`).
 */
import type { DbBackend } from './types.js';

const backends = new Map<string, DbBackend>();

export function registerBackend(b: DbBackend): void {
  backends.set(b.name, b);
}

let loaded: Promise<void> | undefined;

/** Imports every backend module once: the embedded database and the optional ones. */
export function loadBackends(): Promise<void> {
  loaded ??= (async () => {
    await import('../memory/backend.js');
    try {
      // The etcd backend lives in recorder/etcd/ and registers itself; absent in some builds.
      const etcd = '../etcd/index.js';
      await import(etcd);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ERR_MODULE_NOT_FOUND' || !String((e as Error).message).includes('etcd')) throw e;
    }
  })();
  return loaded;
}

export function backendNamed(name: string): DbBackend | undefined {
  return backends.get(name);
}

export function backendNames(): string[] {
  return [...backends.keys()].sort();
}
