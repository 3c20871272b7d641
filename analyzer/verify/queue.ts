/**
 * Checking a queue certificate (analyzer/checkers/evidence.ts) against the history, with none of
 * the checker's code (an unordered queue: every `:enqueue` invocation offers its value, every
 * `:ok` `:dequeue` takes one). A valid verdict's `:matches` pair every `:ok` dequeue once with an
 * enqueue invocation of the same value before it, no enqueue twice. An invalid verdict's
 * `:dequeue` is an `:ok` dequeue of a value that no more enqueues than dequeues offered before it.
 */
import type { EdnMap } from '../edn/values.js';
import { printEdn } from '../edn/print.js';
import type { History } from '../history/history.js';
import { INVOKE, OK } from '../history/op.js';
import type { Check } from './linear.js';
import { OpIndex, count, fault, textOf } from './ops.js';

/** Checks the queue evidence `cert` against `h` (see this file's header). */
export function verifyQueue(h: History, cert: EdnMap): Check {
  const ops = new OpIndex(h);
  const valid = cert.kw('valid?');
  if (valid === false) {
    const d = ops.position(cert.kw('dequeue'));
    if (!ops.is(d, 'dequeue', OK)) return fault(`queue: op ${printEdn(cert.kw('dequeue') ?? null)} is no :ok dequeue`);
    const t = textOf(h.value[d]);
    let offered = 0;
    let taken = 0;
    for (let i = 0; i < d; i++) {
      if (ops.is(i, 'enqueue', INVOKE) && textOf(h.value[i]) === t) offered++;
      else if (ops.is(i, 'dequeue', OK) && textOf(h.value[i]) === t) taken++;
    }
    if (offered > taken) return fault(`queue, dequeue op ${h.index[d]}: ${offered} enqueues of ${t} were invoked before it and ${taken} dequeues took one, so one was left`);
    return { holds: true, what: `queue: dequeue op ${h.index[d]} of ${t} had no enqueue left (${offered} offered, ${taken} taken before it)` };
  }
  if (valid !== true) return fault('queue: the evidence has no verdict');
  const matches = cert.kw('matches');
  if (!Array.isArray(matches)) return fault('queue: the evidence has no :matches');
  const dequeues = new Set<number>();
  const enqueues = new Set<number>();
  for (const [j, m] of matches.entries()) {
    if (!Array.isArray(m) || m.length !== 2) return fault(`queue: match ${j} is not [dequeue enqueue]`);
    const d = ops.position(m[0]);
    const e = ops.position(m[1]);
    const what = `queue, match ${j}`;
    if (!ops.is(d, 'dequeue', OK)) return fault(`${what}: op ${printEdn(m[0])} is no :ok dequeue`);
    if (!ops.is(e, 'enqueue', INVOKE)) return fault(`${what}: op ${printEdn(m[1])} is no enqueue invocation`);
    if (textOf(h.value[d]) !== textOf(h.value[e])) return fault(`${what}: dequeue op ${h.index[d]} took ${printEdn(h.value[d])}, enqueue op ${h.index[e]} offered ${printEdn(h.value[e])}`);
    if (e > d) return fault(`${what}: enqueue op ${h.index[e]} was invoked after dequeue op ${h.index[d]} completed`);
    if (dequeues.has(d)) return fault(`${what}: dequeue op ${h.index[d]} is matched twice`);
    if (enqueues.has(e)) return fault(`${what}: enqueue op ${h.index[e]} is matched twice`);
    dequeues.add(d);
    enqueues.add(e);
  }
  for (let i = 0; i < h.length; i++) if (ops.is(i, 'dequeue', OK) && !dequeues.has(i)) return fault(`queue: dequeue op ${h.index[i]} completed :ok but is matched with no enqueue`);
  if (dequeues.size === 0) return fault('queue: the verdict is valid, but no dequeue completed :ok');
  return { holds: true, what: `queue: ${count(dequeues.size, 'dequeue')} each matched with an enqueue before it` };
}
