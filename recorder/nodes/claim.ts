/**
 * One recording at a time per namespace cluster. Two recordings on the same cluster would
 * start, kill and partition each other's etcd and mix their histories, so a recording claims
 * the cluster with a file holding its pid (`<state root>/<name>.recording`), created
 * exclusively. A claim whose pid is no longer alive (a recorder killed with SIGKILL) is stale
 * and taken over; a live one is refused with the pid to wait for.
 */
import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_STATE_ROOT, readPidFile } from './namespaces.js';

/** Another live process holds the claim on `cluster`. */
export class ClusterBusyError extends Error {
  constructor(
    readonly cluster: string,
    readonly pid: number,
    readonly file: string,
  ) {
    super(`namespace cluster ${cluster} is in use by another recording (pid ${pid}, claim ${file}); wait for it to end or pick another --cluster`);
    this.name = 'ClusterBusyError';
  }
}

/** The claim file of cluster `name`: `<stateRoot>/<name>.recording`. */
export function claimFile(name: string, stateRoot = DEFAULT_STATE_ROOT): string {
  return join(stateRoot, `${name}.recording`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but is not ours to signal.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims cluster `name` for this process and returns the function that releases the claim
 * (idempotent; it removes the file only while it still names this process). Throws
 * ClusterBusyError when a live process holds it.
 */
export function claimCluster(name: string, stateRoot = DEFAULT_STATE_ROOT): () => void {
  mkdirSync(stateRoot, { recursive: true });
  const file = claimFile(name, stateRoot);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 2) throw e;
    }
    const holder = readPidFile(file);
    if (holder !== undefined && holder !== process.pid && alive(holder)) throw new ClusterBusyError(name, holder, file);
    // Stale (its recorder died) or half-written: remove it and try again.
    try {
      unlinkSync(file);
    } catch {
      // another process removed it first
    }
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (readPidFile(file) === process.pid) {
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    }
  };
}
