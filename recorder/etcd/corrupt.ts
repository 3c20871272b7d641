/**
 * File corruption for etcd (Jepsen's `nemesis.file`): with etcd stopped on a node, damage the
 * newest segment of its write-ahead log, then start it again and see what it does: refuse to
 * start (etcd checks a CRC per record), repair a torn tail and catch up from the leader, or
 * serve data it should not have (what the history's checkers then judge).
 *
 * - `bitflip`: 8 random bits flipped within the last 4 KiB of the segment's written records
 *   (segments are preallocated and zero-padded, so the end of the records is the last non-zero
 *   byte, not the file's size).
 * - `truncate`: the segment cut at a random point within those last 4 KiB, as a crash in the
 *   middle of a write would leave it (the file keeps its length: the tail is zeroed).
 *
 * The damage is done by a short python3 program on the node (Debian and most hosts have it),
 * seeded from the test's random source so a run can be repeated.
 */
import { join } from 'node:path';
import { type EdnValue, kw } from '../../analyzer/edn/values.js';
import { sh } from '../control/quote.js';
import type { EtcdCluster } from './cluster.js';

/** The ways to damage a WAL segment: `corrupt-bitflip`, `corrupt-truncate`. */
export const CORRUPTIONS = ['bitflip', 'truncate'] as const;
/** One of `CORRUPTIONS`. */
export type Corruption = (typeof CORRUPTIONS)[number];

const PROGRAM = `
import glob, os, random, sys
how, seed, wal = sys.argv[1], int(sys.argv[2]), sys.argv[3]
files = sorted(glob.glob(os.path.join(wal, '*.wal')))
if not files: print('no-wal'); sys.exit(0)
f = files[-1]
data = bytearray(open(f, 'rb').read())
end = len(data.rstrip(b'\\0'))
lo = max(0, end - 4096)
r = random.Random(seed)
if end == 0: print('empty ' + f); sys.exit(0)
if how == 'bitflip':
    offs = sorted(r.randrange(lo, end) for _ in range(8))
    for o in offs: data[o] ^= 1 << r.randrange(8)
    detail = ' '.join(map(str, offs))
else:
    cut = r.randrange(lo, end)
    data[cut:] = bytes(len(data) - cut)
    detail = str(cut)
open(f, 'r+b').write(data)
print(how + ' ' + f + ' ' + str(end) + ' ' + detail)
`;

/**
 * Damages `node`'s newest WAL segment (etcd must be stopped there); returns what was done, for
 * the nemesis op's value.
 */
export async function corruptWal(etcd: EtcdCluster, node: string, how: Corruption, seed: number): Promise<EdnValue> {
  const wal = join(etcd.dir(node), 'data', 'member', 'wal');
  const r = await etcd.session(node).run(sh`python3 -c ${PROGRAM} ${how} ${String(seed)} ${wal}`);
  const [word, file, end, ...rest] = r.stdout.trim().split(' ');
  if (word === 'no-wal' || word === 'empty') return { node, damaged: false, reason: word === 'no-wal' ? 'no WAL segment' : `empty segment ${file}` } as unknown as EdnValue;
  return {
    node,
    damaged: true,
    how: kw(how),
    file,
    'records-end': Number(end),
    ...(how === 'bitflip' ? { 'flipped-at': rest.map(Number) } : { 'cut-at': Number(rest[0]) }),
  } as unknown as EdnValue;
}
