/**
 * Driving the embedded database's manual clock from a test: time moves only when the test says,
 * in 2 ms steps with waiting callbacks run between them, so replication and elections happen
 * exactly when a test constructs them.
 */
import assert from 'node:assert/strict';
import type { MemoryCluster } from '../../recorder/memory/cluster.js';

/** Lets waiting callbacks run (a request reaches the leader's queue), then moves time on by 2 ms. */
export async function step(c: MemoryCluster): Promise<void> {
  await new Promise((r) => setImmediate(r));
  c.advance(2);
}

/** Moves the cluster's time on by `ms`. */
export async function elapse(c: MemoryCluster, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 2) await step(c);
}

/** Moves time on until `p` settles (at most `maxMs` of cluster time), and returns it. */
export async function settle<T>(c: MemoryCluster, p: Promise<T>, maxMs = 1000): Promise<T> {
  let done = false;
  p.then(() => (done = true), () => (done = true));
  for (let t = 0; !done && t < maxMs; t += 2) await step(c);
  await new Promise((r) => setImmediate(r));
  assert.ok(done, `not settled after ${maxMs} ms of cluster time`);
  return p;
}
