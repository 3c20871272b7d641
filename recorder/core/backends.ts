/**
 * The `--db NAME` registry. Backends register themselves when their module is imported; the
 * recorder imports the built-in `memory` backend and, if present, `recorder/etcd/index.js`
 * (which calls `registerBackend(etcdBackend)`).
 */
import type { DbBackend } from './types.js';

const backends = new Map<string, DbBackend>();

/** Makes `b` available as `--db <b.name>` (a later registration of the same name replaces it). */
export function registerBackend(b: DbBackend): void {
  backends.set(b.name, b);
}

let loaded: Promise<void> | undefined;
/** Why an optional backend module failed to load (reported when someone asks for it). */
export const backendLoadErrors = new Map<string, string>();

/** Imports every backend module once: the embedded database and the optional ones. */
export function loadBackends(): Promise<void> {
  loaded ??= (async () => {
    await import('../memory/backend.js');
    // The etcd backend lives in recorder/etcd/ and registers itself; it may be absent in some builds.
    const etcd = '../etcd/index.js';
    try {
      await import(etcd);
    } catch (e) {
      backendLoadErrors.set('etcd', e instanceof Error ? e.message : String(e));
    }
  })();
  return loaded;
}

/** The registered backend `name`, or undefined (call `loadBackends()` first). */
export function backendNamed(name: string): DbBackend | undefined {
  return backends.get(name);
}

/** The registered backends' names, sorted. */
export function backendNames(): string[] {
  return [...backends.keys()].sort();
}
