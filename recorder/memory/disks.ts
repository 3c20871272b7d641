/**
 * The simulated nodes' journal disks, for the disk faults: fine, slow (a journal write waits
 * 50 ms: a slow leader holds each commit that long, a slow follower applies later) or failing
 * (the node dies at its next journal write, as etcd does on a failed fsync, and comes back when
 * the disk heals). The cluster asks before each write and does the killing and restarting.
 */

/** What a slow journal disk adds to each write. */
export const SLOW_DISK_MS = 50;

/** A journal disk's state. */
export type DiskMode = 'ok' | 'slow' | 'eio';

/** Every node's journal disk. */
export class JournalDisks {
  private readonly mode: DiskMode[];
  /** When each node last wrote its journal (a slow disk writes at most every 50 ms). */
  private readonly wroteAt: number[];
  /** Nodes a failing disk killed (to restart when it heals). */
  private readonly killed = new Set<number>();

  constructor(nodes: number) {
    this.mode = new Array<DiskMode>(nodes).fill('ok');
    this.wroteAt = new Array<number>(nodes).fill(-Infinity);
  }

  /** How much later than usual node i applies what committed (a slow disk's delay). */
  applyDelay(i: number): number {
    return this.mode[i] === 'slow' ? SLOW_DISK_MS : 0;
  }

  /**
   * Node i is about to write its journal at `now`: `write` (it may, and does), `wait` (a slow
   * disk wrote less than 50 ms ago) or `die` (a failing disk: the caller kills the node).
   */
  write(i: number, now: number): 'write' | 'wait' | 'die' {
    if (this.mode[i] === 'eio') {
      this.killed.add(i);
      return 'die';
    }
    if (this.mode[i] === 'slow' && now - this.wroteAt[i] < SLOW_DISK_MS) return 'wait';
    this.wroteAt[i] = now;
    return 'write';
  }

  /** Sets node i's disk; true when it heals a disk that had killed the node (the caller restarts it). */
  set(i: number, mode: DiskMode): boolean {
    this.mode[i] = mode;
    return mode === 'ok' && this.killed.delete(i);
  }
}
