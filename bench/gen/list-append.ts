/**
 * bench:elle's list-append histories, in the benchmark's own terms (transactions, live keys,
 * rates of broken and of stale reads), made by the project's one generator, analyzer/gen/:
 * this file only maps those terms onto its options.
 *
 * Jepsen-shaped, as `hindsight gen --workload list-append` is: a pool of `activeKeys` keys,
 * each retired once it has taken `writesPerKey` appends (so reads stay short, as in real
 * tests) and replaced by a fresh key; transactions of 1..`maxTxnLength` micro-ops, half reads,
 * half appends; `concurrency` processes whose invocations interleave; each transaction atomic
 * at one instant between invocation and completion, so the history is strict-serializable
 * unless faults are asked for.
 */
import { type GenOptions, generate, streamGenerated } from '../../analyzer/gen/index.js';
import type { History } from '../../analyzer/history/history.js';

/** A bench:elle history: `txns` transactions; every other field has the default shown. */
export interface ListAppendBenchOptions {
  txns: number;
  /** 1 */
  seed?: number;
  /** 10 */
  concurrency?: number;
  /** Live keys: 10. */
  activeKeys?: number;
  /** 32 */
  writesPerKey?: number;
  /** 4 */
  maxTxnLength?: number;
  /** Chance a transaction is refused (:fail): 0.05. */
  failRate?: number;
  /** Chance per read of a broken answer (a missing or an aborted append): 0, a valid history. */
  anomalyRate?: number;
  /**
   * Chance per read of being served by a lagging replica: it sees the key as it was `staleBy`
   * transactions ago (1000). Each such read points an rw edge far back in time, and together
   * with real-time order they knit the history into huge strongly connected components.
   */
  staleRate?: number;
  staleBy?: number;
}

/** The generator's options for `o`; no nemesis ops, so the history has exactly 2 × txns entries. */
export function listAppendGenOptions(o: ListAppendBenchOptions): GenOptions {
  const faulty = (o.anomalyRate ?? 0) > 0 || (o.staleRate ?? 0) > 0;
  return {
    workload: 'list-append',
    ops: 2 * o.txns,
    concurrency: o.concurrency ?? 10,
    keys: o.activeKeys ?? 10,
    seed: o.seed ?? 1,
    rates: { nemesis: 0 },
    shape: { writesPerKey: o.writesPerKey, maxMops: o.maxTxnLength, failRate: o.failRate ?? 0.05 },
    ...(faulty ? { faults: { brokenReadRate: o.anomalyRate, staleRate: o.staleRate, staleBy: o.staleBy } } : {}),
  };
}

/** The history of `o.txns` generated transactions, in memory. */
export function generateListAppend(o: ListAppendBenchOptions): History {
  return generate(listAppendGenOptions(o)).history;
}

/** Writes the same history as a Jepsen history.edn (a `; hindsight-gen` header, then one op map a line). */
export async function writeListAppendEdn(file: string, o: ListAppendBenchOptions): Promise<void> {
  await streamGenerated(listAppendGenOptions(o), file);
}

/**
 * bench:elle's history kinds: `serial` (valid), `inject:R` (broken reads at rate R),
 * `stale:R:D` (a fraction R of reads lagging D transactions behind, keys living for 1024
 * appends); throws an Error naming the kinds for anything else (`rc-sim` is not generated here).
 */
export function kindOptions(kind: string): Omit<ListAppendBenchOptions, 'txns'> {
  if (kind === 'serial') return {};
  const inject = /^inject:([0-9.e-]+)$/.exec(kind);
  if (inject !== null) return { anomalyRate: Number(inject[1]) };
  const stale = /^stale:([0-9.e-]+):(\d+)$/.exec(kind);
  if (stale !== null) return { staleRate: Number(stale[1]), staleBy: Number(stale[2]), writesPerKey: 1024 };
  throw new Error(`unknown history kind ${kind}: serial, inject:RATE, stale:RATE:LAG or rc-sim`);
}
