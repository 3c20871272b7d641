/**
 * `hindsight gen`: synthetic histories with known verdicts, made by running a simulated
 * database — a correct one (the history is valid) or one with a fault injected at a chosen
 * point (invalid, with a known anomaly). For benchmarks and for testing the checkers.
 *
 *   clients.ts    the scheduler: concurrent client processes, crashes (:info), nemesis ops,
 *                 and the quiet moment in which an anomaly's script runs
 *   registers.ts  register, cas-register, kv (linearizable)
 *   set.ts        a set read whole (set-full --linearizable)
 *   txn.ts        list-append and rw-register transactions (Elle)
 *   txn-anomalies.ts  their anomaly scripts, and the consistency model each one violates
 *   write.ts      EDN lines with a `; hindsight-gen {…}` header stating the expected verdict
 *
 * Everything is a pure function of the options: the same seed gives the same bytes. This is
 * the project's one history generator: `hindsight bench`, the `npm run bench:*` scripts and
 * the tests draw their generated histories here (the benchmarks' extra knobs: `shape`,
 * `faults`); only the Elle property tests' isolation-level oracle (test/elle/simulator/) runs
 * databases of its own.
 */
import { type EdnRecord, type EdnValue, kw } from '../edn/values.js';
import { type History, HistoryBuilder } from '../history/history.js';
import type { OpInput } from '../history/op.js';
import { type Rates, type SimDb, runClients } from './clients.js';
import { KvDb, REGISTER_ANOMALIES, type RegisterAnomaly, RegisterDb } from './registers.js';
import { SET_ANOMALIES, type SetAnomaly, SetDb, type SetShape } from './set.js';
import { type TxnFaults, TxnDb, type TxnShape } from './txn.js';
import { LIST_APPEND_ANOMALIES, RW_REGISTER_ANOMALIES, TXN_ANOMALY_MODEL, type TxnAnomaly } from './txn-anomalies.js';
import { type GenTarget, writeLines } from './write.js';

/** The workloads `hindsight gen` can run. */
export const genWorkloads = ['register', 'cas-register', 'kv', 'set', 'list-append', 'rw-register'] as const;
/** One of genWorkloads. */
export type GenWorkload = (typeof genWorkloads)[number];

/** The benchmarks' shape knobs (not on the CLI): transactions' (list-append, rw-register) and the set's. */
export type GenShape = TxnShape & SetShape;

/** The anomalies each workload can inject. */
export const genAnomalies: Record<GenWorkload, string[]> = {
  register: [...REGISTER_ANOMALIES],
  'cas-register': [...REGISTER_ANOMALIES],
  kv: [...REGISTER_ANOMALIES],
  set: [...SET_ANOMALIES],
  'list-append': [...LIST_APPEND_ANOMALIES],
  'rw-register': [...RW_REGISTER_ANOMALIES],
};

/** What to generate; the same options give the same bytes. */
export interface GenOptions {
  workload: GenWorkload;
  /** History entries (lines: invocations and completions) to write. */
  ops: number;
  /** Client processes in flight at once. */
  concurrency: number;
  /** Keys (registers, sets, or live transaction keys). */
  keys: number;
  seed: number;
  /** An anomaly from `genAnomalies[workload]`; undefined: a correct database. */
  anomaly?: string;
  /** Where in the history to inject it, as a fraction (default 0.5). */
  anomalyAt?: number;
  /** Crash and nemesis rates (tests and benchmarks). */
  rates?: Partial<Rates>;
  /** Benchmarks: other shapes of transactions or of the set workload; the verdict stays known. */
  shape?: GenShape;
  /**
   * Benchmarks, list-append only: random faults of the database (stale, lost or aborted reads).
   * The expected verdict is then invalid, but no anomaly is certain: a short history may have none.
   */
  faults?: TxnFaults;
}

/** What a generated history deserves, and who judges it. */
export interface Expected {
  valid: boolean;
  anomaly?: string;
  /** The `--checker` that judges this history. */
  checker: string;
  /** Its options as the CLI passes them (commander's camelCase), e.g. `{model: 'cas-register', independent: true}`. */
  options: Record<string, unknown>;
}

/** A generated history with its verdict and the options that made it. */
export interface GeneratedHistory {
  history: History;
  expected: Expected;
  options: GenOptions;
}

/** Throws an Error naming the problem if the options are unusable. */
export function validateGenOptions(o: GenOptions): void {
  if (!(genWorkloads as readonly string[]).includes(o.workload)) throw new Error(`unknown workload ${String(o.workload)}; known: ${genWorkloads.join(', ')}`);
  const int = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer ≥ ${min}, got ${String(v)}`);
  };
  int('ops', o.ops, 0);
  int('concurrency', o.concurrency, 1);
  int('keys', o.keys, 1);
  int('seed', o.seed, 0);
  if (o.anomaly !== undefined && !genAnomalies[o.workload].includes(o.anomaly)) {
    const known = genAnomalies[o.workload];
    throw new Error(`workload ${o.workload} has no anomaly ${o.anomaly}; ${known.length === 0 ? 'it has none yet' : `known: ${known.join(', ')}`}`);
  }
  const at = o.anomalyAt ?? 0.5;
  if (!(at >= 0 && at <= 1)) throw new Error(`anomaly-at must be a fraction in [0, 1], got ${String(o.anomalyAt)}`);
  validateKnobs(o);
}

/** The benchmarks' knobs: counts are integers ≥ 1, rates fractions in [0, 1]; faults only for list-append. */
function validateKnobs(o: GenOptions): void {
  const { writesPerKey, maxMops, failRate, readFraction } = o.shape ?? {};
  const { staleRate, staleBy, brokenReadRate } = o.faults ?? {};
  for (const [name, v] of [['writesPerKey', writesPerKey], ['maxMops', maxMops], ['staleBy', staleBy]] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new Error(`${name} must be an integer ≥ 1, got ${String(v)}`);
  }
  for (const [name, v] of [['failRate', failRate], ['readFraction', readFraction], ['staleRate', staleRate], ['brokenReadRate', brokenReadRate]] as const) {
    if (v !== undefined && !(v >= 0 && v <= 1)) throw new Error(`${name} must be a fraction in [0, 1], got ${String(v)}`);
  }
  if (o.faults !== undefined && o.workload !== 'list-append') throw new Error(`faults are for list-append only, not ${o.workload}`);
}

/** The verdict a checker must reach, and the checker with its options. */
export function expectedOf(o: GenOptions): Expected {
  const base = { valid: o.anomaly === undefined && o.faults === undefined, ...(o.anomaly === undefined ? {} : { anomaly: o.anomaly }) };
  const independent = o.keys > 1 ? { independent: true } : {};
  switch (o.workload) {
    case 'register':
    case 'cas-register':
      return { ...base, checker: 'linearizable', options: { model: o.workload, ...independent } };
    case 'kv':
      return { ...base, checker: 'linearizable', options: { model: 'kv' } };
    case 'set':
      return { ...base, checker: 'set-full', options: { linearizable: true, ...independent } };
    case 'list-append':
    case 'rw-register':
      return {
        ...base,
        checker: o.workload,
        options: { consistencyModels: o.anomaly === undefined ? 'strict-serializable' : TXN_ANOMALY_MODEL[o.anomaly as TxnAnomaly] },
      };
  }
}

function dbOf(o: GenOptions): SimDb {
  switch (o.workload) {
    case 'register':
    case 'cas-register':
      return new RegisterDb(o.workload === 'cas-register', o.keys, o.keys > 1, o.anomaly as RegisterAnomaly | undefined);
    case 'kv':
      return new KvDb(o.keys, o.anomaly as RegisterAnomaly | undefined);
    case 'set':
      return new SetDb(o.keys, o.keys > 1, o.anomaly as SetAnomaly | undefined, o.shape);
    case 'list-append':
    case 'rw-register':
      return new TxnDb(o.workload, o.keys, o.anomaly as TxnAnomaly | undefined, o.shape, o.faults);
  }
}

/** The generated ops, lazily (for streaming). */
export function genOps(o: GenOptions): Generator<OpInput> {
  validateGenOptions(o);
  return runClients(dbOf(o), {
    ops: o.ops,
    concurrency: o.concurrency,
    seed: o.seed,
    anomalyAt: o.anomaly === undefined ? undefined : (o.anomalyAt ?? 0.5),
    rates: o.rates,
  });
}

/** Runs the simulation and returns the history with its expected verdict. */
export function generate(o: GenOptions): GeneratedHistory {
  const b = new HistoryBuilder(`<gen ${o.workload} seed ${o.seed}>`);
  let line = 1; // line 1 is the header
  for (const op of genOps(o)) b.add(op, ++line);
  return { history: b.build(), expected: expectedOf(o), options: o };
}

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

/** The `hindsight check` flags for an expected verdict, e.g. `--checker linearizable --model kv`. */
export function checkFlags(e: Expected): string[] {
  const out = ['--checker', e.checker];
  for (const [k, v] of Object.entries(e.options)) {
    if (v === false || v === undefined) continue;
    out.push(`--${kebab(k)}`);
    if (v !== true) out.push(String(v));
  }
  return out;
}

/** The header map: expected verdict, checker and options, and the generator options. */
export function genHeader(o: GenOptions, e: Expected = expectedOf(o)): EdnRecord {
  const opts: EdnRecord = {};
  for (const [k, v] of Object.entries(e.options)) opts[kebab(k)] = v as EdnValue;
  const h: EdnRecord = { 'expected-valid?': e.valid };
  if (e.anomaly !== undefined) h.anomaly = kw(e.anomaly);
  h.checker = kw(e.checker);
  h['checker-options'] = opts;
  h.check = checkFlags(e).join(' ');
  h.workload = kw(o.workload);
  h.ops = o.ops;
  h.concurrency = o.concurrency;
  h.keys = o.keys;
  h.seed = o.seed;
  if (e.anomaly !== undefined) h['anomaly-at'] = o.anomalyAt ?? 0.5;
  // Only when given, so that a plain run's bytes stay what they always were.
  if (o.shape !== undefined) h.shape = knobs(o.shape);
  if (o.faults !== undefined) h.faults = knobs(o.faults);
  return h;
}

/** Knobs as an EDN map, keys in kebab-case, unset ones left out. */
function knobs(k: object): EdnRecord {
  const out: EdnRecord = {};
  for (const [name, v] of Object.entries(k)) if (v !== undefined) out[kebab(name)] = v as EdnValue;
  return out;
}

/** Writes a generated history (header line, then EDN op lines) to a stream or a file. */
export async function writeGenerated(g: GeneratedHistory, target: GenTarget): Promise<void> {
  await writeLines(genHeader(g.options, g.expected), g.history.ops(), target);
}

/** Generates and writes at once, never holding the whole history: for millions of ops. */
export async function streamGenerated(o: GenOptions, target: GenTarget): Promise<Expected> {
  const ops = genOps(o);
  const e = expectedOf(o);
  await writeLines(genHeader(o, e), ops, target);
  return e;
}

export type { Rates } from './clients.js';
export type { GenTarget } from './write.js';
