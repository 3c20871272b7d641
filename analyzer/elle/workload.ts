/**
 * The seams between Elle's checker and a transactional workload (list-append, rw-register).
 *
 * The checker's steps are the same for every workload: read the transactions, infer each key's
 * version order, turn it into ww / wr / rw edges, search the graph for cycles, explain them.
 * What differs is what a micro-op is, what a read proves about the order of versions, which
 * edges follow, how one edge is explained, and which anomalies need no cycle at all. A
 * `TxnWorkload` supplies exactly those; `O` is what it infers (its version orders), handed back
 * to it for the later steps. append.ts and register.ts implement it; checker.ts drives it.
 */
import type { EdnRecord, EdnValue } from '../edn/values.js';
import type { AnomalyContents } from './anomalies.js';
import type { Validity } from '../check/checker.js';
import type { ExplainedCycle, ExplainedStep } from './explain.js';
import type { EdgeList } from './graph.js';
import type { MicroOpSink, Txns } from './txns.js';

/** A workload's name, as the CLI (`--checker`) and results name it. */
export type WorkloadName = 'list-append' | 'rw-register';

/** Options of both Elle checkers (the CLI's flags, camelCased). */
export interface ElleOptions {
  /** Model names, comma-separated or as a list; `none` for no model. Default strict-serializable. */
  consistencyModels?: string | string[];
  /** Anomaly names to look for besides the models' (e.g. G1, G2-item). */
  anomalies?: string | string[];
  /** Seconds for the cycle search (default 30). */
  timeLimit?: number | string;
  /** Worker threads for large components (default: the number of cores). */
  workers?: number | string;
  /** rw-register: a transaction's write follows its read of the same key. */
  wfrKeys?: boolean;
  /** rw-register: a known commit order, `{completion :index → position}` as EDN/JSON text or a map. */
  transactionOrder?: string | Record<string, number>;
  /** rw-register: each process sees every key's versions in order. */
  sequentialKeys?: boolean;
  /** rw-register: each key is linearizable. */
  linearizableKeys?: boolean;
}

/** What is known of a workload by name alone: enough for messages and for telling results apart. */
export interface WorkloadIdentity {
  readonly name: WorkloadName;
  /** Its micro-ops as a bad-input message shows them, e.g. `[:append k v] or [:r k list]`. */
  readonly microOps: string;
  /** Its write micro-op's name (`append`, `w`): a micro-op by that name is one of its. */
  readonly writeName: string;
  /** How a message calls one of its micro-ops, e.g. "a list-append micro-op". */
  readonly aMicroOp: string;
}

/** Reading the ops: what the workload's micro-ops are, and how a read shows again. */
export interface MicroOpReader extends WorkloadIdentity {
  /**
   * Reads one micro-op `mop` (`[f k v]`, `name` its f) into `sink` with one `sink.add`; false
   * when it is no micro-op of this workload (the caller reports it). Throws through `sink.bad`
   * when it is one but malformed.
   */
  readMicroOp(name: string | undefined, mop: EdnValue[], sink: MicroOpSink): boolean;
  /** The value read micro-op m returned, as the history wrote it (nil when unknown). */
  readValue(txns: Txns, m: number): EdnValue;
}

/**
 * A transactional workload: the seams of the checker (see the file header). `O` is what
 * `inferOrders` returns, given back to the other steps.
 */
export interface TxnWorkload<O> extends MicroOpReader {
  /**
   * Infers every key's version order (as far as the history proves it) from `txns`. Throws a
   * UsageError for an option of this workload that makes no sense.
   */
  inferOrders(txns: Txns, opts: ElleOptions): O;
  /** Adds the ww / wr / rw edges `orders` imply to `edges`; only edges, no anomalies. */
  addEdges(txns: Txns, orders: O, edges: EdgeList): void;
  /**
   * Why data edge a → b of single kind `kind` (WW, WR, RW) exists: an Elle-style step and a
   * sentence naming transactions `na` and `nb`; undefined when no micro-op explains it.
   */
  explainEdge(txns: Txns, orders: O, a: number, b: number, kind: number, na: string, nb: string): ExplainedStep | undefined;
  /**
   * `check --certificate`: the evidence of an invalid result — its cycles `explained` and its
   * non-cycle cases `anomalies` (type → the result's examples) — when the workload's is not
   * list-append's; undefined when it cannot back them. Called only when a certificate is asked for.
   */
  certifyInvalid?(txns: Txns, orders: O, explained: readonly ExplainedCycle[], verdict: Validity, anomalies: ReadonlyMap<string, readonly EdnRecord[]>): EdnRecord | undefined;
  /** The non-cycle anomalies it finds, as a table of contents (anomalies.ts). */
  readonly anomalies: AnomalyContents<O>;
  /** Keys the result gains from `orders` (e.g. `:assumptions`, `:duplicate-appends`); often none. */
  resultNotes(orders: O): EdnRecord;
}
