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

/** One of a backend's own `record` flags, as a suite's `:options` names it. */
export interface BackendFlag {
  /** `TestOptions.extra`'s key for it (camelCased, as commander makes it). */
  readonly key: string;
  /** False for a switch (`--serializable-reads`, `--no-strict-host-keys`): true or false. */
  readonly takesValue: boolean;
}

const camel = (s: string): string => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A backend's flags by name without dashes (`--no-strict-host-keys` is `strict-host-keys`). */
export function backendFlags(b: DbBackend): Map<string, BackendFlag> {
  const out = new Map<string, BackendFlag>();
  for (const o of b.options ?? []) {
    const m = /--(?:no-)?([a-z0-9][a-z0-9-]*)/.exec(o.flags);
    if (m === null) continue;
    out.set(m[1], { key: camel(m[1]), takesValue: /[<[]/.test(o.flags) });
  }
  return out;
}

/** `TestOptions.extra` for a backend's options given by name: values as the command line gives them (strings), switches as booleans. */
export function extraFromOptions(b: DbBackend, options: Readonly<Record<string, string | number | boolean>>): Record<string, unknown> {
  const flags = backendFlags(b);
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(options)) {
    const f = flags.get(name);
    if (f !== undefined) out[f.key] = typeof v === 'number' ? String(v) : v;
  }
  return out;
}
