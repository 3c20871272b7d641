/**
 * Session and real-time order edges.
 *
 * PROCESS: each transaction follows the previous one of its process (a process runs one
 * operation at a time). REALTIME: T1 -> T2 when T1 completed before T2 was invoked. Adding all
 * such pairs is quadratic, so, as Elle does, we add only a transitive reduction: walking the
 * history, we keep a frontier of completed transactions not yet known to precede a later
 * completed one; an invocation gets edges from the frontier as it stands, and a completion
 * removes from the frontier the transactions that preceded it (they are reachable through it)
 * and joins it. With c concurrent processes the frontier holds about c transactions, so this
 * is O(n c). Failed transactions never happened and take no part.
 */
import { FAIL, OK } from '../history/op.js';
import { NO_PROCESS } from '../history/op.js';
import { type EdgeList, PROCESS, REALTIME } from './graph.js';
import type { Txns } from './txns.js';

/** Adds a PROCESS edge from each transaction that did not fail to the next one of its process. */
export function addProcessEdges(txns: Txns, edges: EdgeList): void {
  const last = new Map<number, number>();
  for (let t = 0; t < txns.count; t++) {
    if (txns.status[t] === FAIL) continue;
    const p = txns.process[t];
    if (p < 0 || p === NO_PROCESS) continue;
    const prev = last.get(p);
    if (prev !== undefined) edges.add(prev, t, PROCESS);
    last.set(p, t);
  }
}

/** Adds REALTIME edges: a transitive reduction of "completed before invoked" (see the file header). */
export function addRealtimeEdges(txns: Txns, edges: EdgeList): void {
  const h = txns.history;
  // Events by history position: +t+1 for an invocation, -(t+1) for an ok completion.
  const event = new Int32Array(h.length);
  for (let t = 0; t < txns.count; t++) {
    if (txns.status[t] === FAIL) continue;
    event[txns.invoke[t]] = t + 1;
    if (txns.status[t] === OK && txns.complete[t] >= 0) event[txns.complete[t]] = -(t + 1);
  }
  let frontier: number[] = [];
  const preds = new Map<number, number[]>();
  for (let i = 0; i < h.length; i++) {
    const e = event[i];
    if (e > 0) {
      const t = e - 1;
      for (const f of frontier) edges.add(f, t, REALTIME);
      if (txns.status[t] === OK) preds.set(t, frontier);
    } else if (e < 0) {
      const t = -e - 1;
      const before = preds.get(t) ?? [];
      preds.delete(t);
      if (before.length === 0) frontier = [...frontier, t];
      else {
        const gone = new Set(before);
        const next: number[] = [];
        for (const f of frontier) if (!gone.has(f)) next.push(f);
        next.push(t);
        frontier = next;
      }
    }
  }
}
