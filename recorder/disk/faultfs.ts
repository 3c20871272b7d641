/**
 * The fault-injecting filesystem (faultfs.py beside this file) under a node's data directory:
 * installed on the node through its session, mounted before the database starts and unmounted
 * (and its process stopped by pid) when the node is torn down, also after a failed run. The
 * database's files live in `<data>.backing`; the database sees them through `<data>`, where
 * `<data>/.faultfs` switches faults at run time. Needs FUSE (`/dev/fuse`, Debian's `fuse3`) and
 * Debian's `python3-fusepy` on the node.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packaged } from '../../analyzer/util/paths.js';
import { sh } from '../control/quote.js';
import type { NodeSession } from '../control/session.js';

/** The helper's source, from the sources (recorder/disk/) or the build (dist/recorder/disk/ → recorder/disk/). */
export function faultFsSource(): string {
  const f = packaged(import.meta.url, join('recorder', 'disk', 'faultfs.py'));
  if (f === undefined) throw new Error('faultfs.py not found beside the recorder');
  return readFileSync(f, 'utf8');
}

/** Where a node's faultfs pieces live, given its data directory. */
export interface FaultFsPaths {
  readonly data: string;
  readonly backing: string;
  readonly script: string;
  readonly pid: string;
  readonly log: string;
}

/** The paths for data directory `data` (the helper and its pid and log beside it). */
export function faultFsPaths(data: string): FaultFsPaths {
  return { data, backing: `${data}.backing`, script: join(dirname(data), 'faultfs.py'), pid: `${data}.faultfs.pid`, log: `${data}.faultfs.log` };
}

/** Installs the helper and mounts it at `p.data` over `p.backing`; waits (5 s at most) for the mount. */
export async function mountFaultFs(s: NodeSession, p: FaultFsPaths, source: string): Promise<void> {
  await s.run(sh`mkdir -p ${p.data} ${p.backing} && cat > ${p.script} <<'HINDSIGHT_FAULTFS'\n` + source + '\nHINDSIGHT_FAULTFS\n');
  await s.run(
    sh`command -v fusermount3 >/dev/null || command -v fusermount >/dev/null || { echo "no fusermount3 (apt-get install fuse3)" >&2; exit 1; }; ` +
      sh`/usr/bin/python3 -c 'import fusepy' 2>/dev/null || { echo "no python3-fusepy (apt-get install python3-fusepy)" >&2; exit 1; }; ` +
      sh`setsid /usr/bin/python3 ${p.script} ${p.backing} ${p.data} > ${p.log} 2>&1 < /dev/null & echo $! > ${p.pid}; ` +
      sh`for i in $(seq 100); do grep -q " ${p.data} fuse" /proc/mounts && exit 0; sleep 0.05; done; echo "faultfs did not mount ${p.data}: $(tail -n 3 ${p.log})" >&2; exit 1`,
  );
}

/** Unmounts and stops the helper (by its pid), if mounted; leaves the backing directory. */
export async function unmountFaultFs(s: NodeSession, p: FaultFsPaths): Promise<void> {
  await s.run(
    sh`if grep -q " ${p.data} fuse" /proc/mounts; then fusermount3 -u ${p.data} 2>/dev/null || fusermount -u ${p.data} 2>/dev/null || umount -l ${p.data}; fi; ` +
      sh`if [ -f ${p.pid} ]; then kill "$(cat ${p.pid})" 2>/dev/null; rm -f ${p.pid}; fi; true`,
  );
}

/** True when the faultfs is mounted at `p.data`. */
export async function isMounted(s: NodeSession, p: FaultFsPaths): Promise<boolean> {
  const r = await s.run(sh`grep -q " ${p.data} fuse" /proc/mounts && echo yes; true`);
  return r.stdout.trim() === 'yes';
}

/** Switches faults: writes one JSON command to the control file (see faultfs.py). */
export async function controlFaultFs(s: NodeSession, p: FaultFsPaths, cmd: Readonly<Record<string, unknown>>): Promise<void> {
  await s.run(sh`printf '%s' ${JSON.stringify(cmd)} > ${join(p.data, '.faultfs')}`);
}
